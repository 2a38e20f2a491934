"""Glue only: form -> service -> redirect; list -> selector -> table."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import DetailView, FormView, View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from . import (
    archetypes,
    keyset,
    lookups,
    phrase_guide,
    privacy,
    roles,
    selectors,
    services,
    suggestions,
)
from .access import Action, record_access
from .advice import archetype_advice
from .audit import readable_history
from .exports import csv_export, local_iso, xlsx_export
from .filters import CustomerFilter, InteractionFilter
from .forms import CustomerForm, InteractionForm, SkillReviewForm, SuggestionQueryForm
from .masking import mask_phone
from .models import Archetype, Customer, Interaction
from .paging import BoundedLazyPaginator
from .prepared import Prepared
from .tables import CustomerTable, InteractionTable


class RoleRequiredMixin(LoginRequiredMixin):
    """Logged in and holding a role; `permission` (if set) must be granted too."""

    permission: str | None = None
    raise_exception = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not roles.has_role(request.user):
            raise PermissionDenied(_("Your account has no role yet. Ask an admin for one."))
        if self.permission and not request.user.has_perm(self.permission):
            raise PermissionDenied(_("Your role does not allow this."))
        return super().dispatch(request, *args, **kwargs)


def interaction_or_404(request, pk) -> Interaction:
    """The interaction the user may read, or a 404 (also for ids that cannot exist)."""
    interaction = selectors.interaction_detail(user=request.user, pk=pk)
    if interaction is None:
        raise Http404
    return interaction


def _suggestions_panel(user, form) -> dict:
    """The suggestions panel as the log form first shows it (the emotion, customer and
    channel already chosen, e.g. after a failed save); the script refreshes it live."""
    fields = ("emotion_start", "customer", "channel")
    query = SuggestionQueryForm({name: form[name].value() for name in fields})
    values = query.cleaned_data if query.is_valid() else {}
    return suggestions.panel_context(
        user=user,
        emotion=values.get("emotion_start"),
        customer=values.get("customer"),
        channel=values.get("channel"),
    )


def _apply_validation_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Logging ------------------------------------------------------------------


# The log form's "your recent logs" (a prepared statement: the agent's busiest page).
RECENT_LOGS = Prepared(
    lambda agent: (
        Interaction.objects.filter(agent=agent)
        .select_related("customer", "emotion_start", "emotion_end", "channel")
        .order_by("-occurred_at", "-id")[:5]
    ),
    agent="id",
)


class InteractionLogView(RoleRequiredMixin, FormView):
    """The agent's home: log one interaction, then a fresh form for the next call."""

    permission = "interactions.add_interaction"
    form_class = InteractionForm
    template_name = "interactions/interaction_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        customer_id = self.request.GET.get("customer")
        if customer_id and customer_id.isdigit() and self.request.method == "GET":
            kwargs.setdefault("initial", {})["customer"] = Customer.objects.filter(
                pk=customer_id
            ).first()
        return kwargs

    def form_valid(self, form):
        try:
            interaction = services.interaction_log(
                agent=self.request.user,
                data=form.interaction_data(),
                new_customer=form.new_customer_data(),
            )
        except ValidationError as error:
            _apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            format_html(
                '{} <a href="{}">{}</a>',
                _("Interaction with %(name)s saved.") % {"name": interaction.customer.name},
                interaction.get_absolute_url(),
                _("View it"),
            ),
        )
        if interaction.phrase_warnings:
            count = len(interaction.phrase_warnings)
            messages.warning(
                self.request,
                ngettext(
                    "The response contains %(count)d phrase the guide advises against.",
                    "The response contains %(count)d phrases the guide advises against.",
                    count,
                )
                % {"count": count},
            )
        return redirect(self.request.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent"] = RECENT_LOGS(agent=self.request.user.pk)
        context["title"] = _("Log an interaction")
        context.update(_suggestions_panel(self.request.user, context["form"]))
        return context


class InteractionUpdateView(RoleRequiredMixin, FormView):
    permission = "interactions.change_interaction"
    form_class = InteractionForm
    template_name = "interactions/interaction_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and roles.has_role(request.user):
            self.object = interaction_or_404(request, kwargs["pk"])
            if not roles.can_change_interaction(request.user, self.object):
                raise PermissionDenied(services.ERR_NOT_YOUR_INTERACTION)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, instance=self.object)
        return kwargs

    def form_valid(self, form):
        try:
            data = form.interaction_data()
            new_customer = form.new_customer_data()
            if new_customer:
                data["customer"] = services.customer_create(
                    created_by=self.request.user, **new_customer
                )
            services.interaction_update(interaction=self.object, user=self.request.user, data=data)
        except ValidationError as error:
            _apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Changes saved."))
        return redirect(self.object.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(object=self.object, title=_("Correct an interaction"), editing=True)
        context.update(_suggestions_panel(self.request.user, context["form"]))
        return context


# --- Reading ------------------------------------------------------------------


class FilteredTableView(RoleRequiredMixin, SingleTableMixin, FilterView):
    """A django-filter form over a django-tables2 table, paginated without counting."""

    # LazyPaginator never counts the whole table: it fetches one row past the page.
    # Bounded: the page size is ours, not ?per_page=; no page past MAX_PAGE (paging.py).
    table_pagination = {"paginator_class": BoundedLazyPaginator}

    def get_table_pagination(self, table):
        pagination = super().get_table_pagination(table)
        pagination["per_page"] = settings.EMOTIONCARE_PAGE_SIZE
        pagination["page_size"] = settings.EMOTIONCARE_PAGE_SIZE
        return pagination

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if kwargs["data"] is None:  # filter from the first visit (defaults apply)
            kwargs["data"] = self.request.GET
        return kwargs


class InteractionListView(FilteredTableView):
    permission = "interactions.view_interaction"
    table_class = InteractionTable
    filterset_class = InteractionFilter
    template_name = "interactions/interaction_list.html"

    keyset_page = None

    def get_queryset(self):
        return selectors.interaction_rows(user=self.request.user)

    def get_table_kwargs(self):
        return {"lookups": lookups.for_request(self.request)}

    def get_filterset_kwargs(self, filterset_class):
        return super().get_filterset_kwargs(filterset_class) | {"user": self.request.user}

    def get_table_data(self):
        """In the default newest-first order, pages are walked by keyset (keyset.py):
        a page deep in the list costs what the first one does. Other sort orders keep
        numbered pages."""
        data = super().get_table_data()
        if self.request.GET.get("sort", "") in ("", "-occurred_at") and isinstance(data, QuerySet):
            try:
                self.keyset_page = keyset.page(
                    data, self.request.GET, settings.EMOTIONCARE_PAGE_SIZE
                )
            except keyset.InvalidCursor as error:
                raise Http404(_("This page of the list does not exist.")) from error
            return self.keyset_page.rows
        return data

    def get_table_pagination(self, table):
        if self.keyset_page is not None:
            return False
        return super().get_table_pagination(table)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["keyset_page"] = self.keyset_page
        context["can_export"] = roles.can_export(self.request.user)
        context["title"] = _("Interactions")
        return context


# The export's columns: (header, values_list lookup), in order. One list, so the
# header and the values cannot drift apart.
EXPORT_COLUMNS = [
    ("id", "id"),
    ("occurred_at", "occurred_at"),
    ("customer_id", "customer_id"),
    ("customer_name", "customer__name"),
    ("customer_phone", "customer__phone"),
    ("agent", "agent__username"),
    ("channel", "channel__code"),
    ("touchpoint", "touchpoint__code"),
    ("emotion_start", "emotion_start__code"),
    ("emotion_end", "emotion_end__code"),
    ("start_valence", "start_valence"),
    ("end_valence", "end_valence"),
    ("recovered", "recovered"),
    ("intensity", "intensity"),
    ("cues", "cues"),
    ("summary", "summary"),
    ("is_complaint", "is_complaint"),
    ("complaint_status", "complaint_status"),
    ("resolved_at", "resolved_at"),
    ("response_template", "response_template__title"),
    ("response_text", "response_text"),
    ("outcome", "outcome"),
    ("follow_up_on", "follow_up_on"),
]


def _yes_no(value) -> str:
    return "" if value is None else ("yes" if value else "no")


# How a raw value becomes a cell, for the columns that need more than str().
EXPORT_CELL = {
    "occurred_at": local_iso,
    "resolved_at": local_iso,
    "customer_phone": mask_phone,
    "recovered": _yes_no,
    "is_complaint": _yes_no,
    "cues": lambda cues: " ".join(cues or []),
}


class InteractionExportView(RoleRequiredMixin, View):
    """The filtered rows as CSV, streamed in chunks: a million rows never sit in memory;
    or as XLSX up to EMOTIONCARE_XLSX_MAX_ROWS (exports.py). Phones masked; the export is
    recorded in the access log."""

    permission = "interactions.export_interaction"

    def get(self, request, fmt: str = "csv"):
        filterset = InteractionFilter(
            request.GET,
            queryset=selectors.interaction_list(user=request.user),
            user=request.user,
        )
        if not filterset.is_valid():
            return JsonResponse({"errors": filterset.errors}, status=400)
        headers = [header for header, _lookup in EXPORT_COLUMNS]
        rows = filterset.qs.order_by("-occurred_at", "-id").values_list(
            *(lookup for _header, lookup in EXPORT_COLUMNS)
        )
        converters = [EXPORT_CELL.get(header) for header in headers]

        def generate(rows):
            for row in rows.iterator(chunk_size=2000):
                yield [
                    convert(value) if convert else value
                    for convert, value in zip(converters, row, strict=True)
                ]

        if fmt == "xlsx":
            query = request.GET.urlencode()
            return xlsx_export(
                request,
                "interactions.xlsx",
                _("Interactions"),
                headers,
                generate(rows[: settings.EMOTIONCARE_XLSX_MAX_ROWS + 1]),
                csv_url=f"{reverse('interactions:export')}?{query}",
                back_url=f"{reverse('interactions:list')}?{query}",
            )
        return csv_export(request, "interactions.csv", headers, generate(rows))


class InteractionDetailView(RoleRequiredMixin, DetailView):
    permission = "interactions.view_interaction"
    template_name = "interactions/interaction_detail.html"
    context_object_name = "interaction"

    def get_queryset(self):
        return selectors.interaction_list(user=self.request.user)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        record_access(
            request, Action.VIEW_INTERACTION, customer=self.object.customer, obj=self.object
        )
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = roles.can_change_interaction(self.request.user, self.object)
        context["history"] = readable_history(self.object)
        context["reviews"] = selectors.reviews_for(interaction=self.object, user=self.request.user)
        context["can_review"] = roles.can_review(self.request.user)
        return context


class CustomerListView(FilteredTableView):
    permission = "interactions.view_customer"
    table_class = CustomerTable
    filterset_class = CustomerFilter
    template_name = "interactions/customer_list.html"

    def get_queryset(self):
        return selectors.customer_list(user=self.request.user)


class CustomerDetailView(RoleRequiredMixin, DetailView):
    permission = "interactions.view_customer"
    template_name = "interactions/customer_detail.html"
    context_object_name = "customer"

    def get_queryset(self):
        return selectors.customer_list(user=self.request.user).select_related("archetype_set_by")

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        record_access(request, Action.VIEW_CUSTOMER, customer=self.object)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        timeline = selectors.customer_timeline(customer=self.object)
        context["timeline"] = timeline
        context["timeline_newest_first"] = list(reversed(timeline))
        context["chart"] = selectors.timeline_chart(timeline)
        context["follow_ups"] = selectors.customer_follow_ups(customer=self.object)
        context["history"] = readable_history(self.object)
        context.update(_archetype_panel(self.request.user, self.object))
        return context


def _archetype_panel(user, customer) -> dict:
    """The customer page's archetype card: current, suggestion with its reason, advice,
    what a lead may do, and the history with each change's reason."""
    names = archetypes.touchpoint_names()
    history = list(customer.archetype_history.select_related("changed_by")[:10])
    for change in history:
        change.reason_text = change.reason or archetypes.reason_text(change.basis, names)
    return {
        "archetype_advice": archetype_advice(customer.archetype),
        "suggestion_reason": archetypes.reason_text(customer.archetype_basis, names),
        "suggested_label": dict(Archetype.choices).get(customer.suggested_archetype, ""),
        "archetype_history": history,
        "can_set_archetype": roles.can_set_archetype(user),
        "archetype_choices": Archetype.choices,
    }


class CustomerArchetypeView(RoleRequiredMixin, View):
    """A lead confirms the suggestion, overrides it, or hands it back to the system."""

    permission = "interactions.set_archetype"

    def post(self, request, pk):
        customer = selectors.customer_list(user=request.user).filter(pk=pk).first()
        if customer is None:
            raise Http404
        action = request.POST.get("action")
        note = request.POST.get("note", "")[:500]
        try:
            if action == "confirm":
                services.customer_confirm_archetype(customer=customer, user=request.user, note=note)
            elif action == "override":
                archetype = request.POST.get("archetype") or None
                services.customer_override_archetype(
                    customer=customer, user=request.user, archetype=archetype, note=note
                )
            elif action == "release":
                services.customer_release_archetype(customer=customer, user=request.user)
            else:
                return HttpResponseBadRequest(_("Unknown action."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(customer.get_absolute_url())
        messages.success(request, _("Archetype saved."))
        return redirect(customer.get_absolute_url())


class CustomerFormMixin(RoleRequiredMixin):
    form_class = CustomerForm
    template_name = "interactions/customer_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs


class CustomerCreateView(CustomerFormMixin, FormView):
    permission = "interactions.add_customer"

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        archetype = data.pop("archetype", None)
        try:
            customer = services.customer_create(created_by=self.request.user, **data)
            if archetype:
                services.customer_update(
                    customer=customer, user=self.request.user, data={"archetype": archetype}
                )
        except ValidationError as error:
            _apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Customer saved."))
        return redirect(customer.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("New customer"), **kwargs)


class CustomerUpdateView(CustomerFormMixin, FormView):
    permission = "interactions.change_customer"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and roles.has_role(request.user):
            self.object = selectors.customer_list(user=request.user).filter(pk=kwargs["pk"]).first()
            if self.object is None:
                raise Http404
            if self.object.is_erased:  # docs/privacy.md: not edited back to life
                raise PermissionDenied(privacy.ERR_CUSTOMER_ERASED)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        # The form shows the full phone and e-mail: a detail view (access log).
        record_access(request, Action.VIEW_CUSTOMER, customer=self.object)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        return kwargs

    def form_valid(self, form):
        try:
            services.customer_update(
                customer=self.object, user=self.request.user, data=form.cleaned_data
            )
        except ValidationError as error:
            _apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Customer saved."))
        return redirect(self.object.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Edit customer"), object=self.object, **kwargs)


# --- Phrase guide -----------------------------------------------------------------

PHRASE_CHECK_MAX = 10_000


class PhraseCheckView(RoleRequiredMixin, View):
    """The live phrase check: POST `text`, get the hits with reason, alternative and
    character offsets (the same function the save path uses)."""

    permission = "interactions.add_interaction"

    def post(self, request):
        text = request.POST.get("text", "")
        if len(text) > PHRASE_CHECK_MAX:
            return JsonResponse(
                {
                    "errors": {
                        "text": [_("The text is too long to check (at most 10,000 characters).")]
                    }
                },
                status=400,
            )
        hits = phrase_guide.check_text(text)
        return JsonResponse({"hits": phrase_guide.hits_for_display(hits)})


class SuggestionsView(RoleRequiredMixin, View):
    """The log form's suggested responses and handling advice, as an HTML fragment for
    the emotion, customer and channel chosen so far (ids, as the form posts them)."""

    permission = "interactions.add_interaction"

    def get(self, request):
        query = SuggestionQueryForm(request.GET)
        if not query.is_valid():
            return JsonResponse({"errors": query.errors.get_json_data()}, status=400)
        context = suggestions.panel_context(
            user=request.user,
            emotion=query.cleaned_data["emotion_start"],
            customer=query.cleaned_data["customer"],
            channel=query.cleaned_data["channel"],
        )
        return render(request, "interactions/includes/suggestions.html", context)


class SkillReviewView(RoleRequiredMixin, FormView):
    """A lead reviews an interaction against the skills of domain.md section 6."""

    permission = "interactions.add_skillreview"
    form_class = SkillReviewForm
    template_name = "interactions/skill_review_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and roles.has_role(request.user):
            self.interaction = interaction_or_404(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.interaction.skill_reviews.filter(
            reviewer=self.request.user
        ).first()
        return kwargs

    def form_valid(self, form):
        try:
            services.skill_review_save(
                interaction=self.interaction, reviewer=self.request.user, data=form.review_data()
            )
        except ValidationError as error:
            _apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Review saved."))
        return redirect(self.interaction.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(interaction=self.interaction, title=_("Review an interaction"))
        return context


# --- Search-as-you-type ---------------------------------------------------------


class CustomerSearchView(RoleRequiredMixin, View):
    permission = "interactions.view_customer"

    def get(self, request):
        term = request.GET.get("q", "")[:100]
        return JsonResponse({"results": selectors.customer_search(user=request.user, term=term)})


class AgentSearchView(RoleRequiredMixin, View):
    permission = "interactions.view_interaction"

    def get(self, request):
        term = request.GET.get("q", "")[:100]
        return JsonResponse({"results": selectors.agent_search(user=request.user, term=term)})
