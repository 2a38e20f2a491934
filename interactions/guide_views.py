"""In-app management of response templates and the phrase guide, for admins who are
not developers. Glue only: form -> service -> redirect; list -> selector -> table.

Who may do what is decided in roles.py: everyone with a role reads the team's
templates and the phrase guide and keeps personal templates of their own; admins
manage the team's templates and the phrase guide. "Preview" (templates) and "Try"
(phrase rules) re-render the form with a result and never save.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from . import roles, selectors, services
from .audit import readable_history
from .guide_filters import PhraseRuleFilter, ResponseTemplateFilter
from .guide_forms import CATEGORY_LIST_ID, PhraseRuleForm, ResponseTemplateForm
from .guide_tables import PhraseRuleTable, ResponseTemplateTable, suits_summary
from .rules.phrases import Hit, check_phrases
from .rules.placeholders import PLACEHOLDERS, render_placeholders
from .views import FilteredTableView, RoleRequiredMixin

PREVIEW_BUTTON = "preview"
TRY_BUTTON = "try"


def _apply_validation_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def template_preview(*, user, text: str, language: str) -> str:
    """The text as a customer would get it, filled with sample values."""
    values = selectors.template_sample_values(user=user, language=language)
    return render_placeholders(text, values)


def highlight(text: str, hits: list[Hit]) -> list[tuple[str, bool]]:
    """The text cut into (piece, is_hit) segments, for <mark> in the template."""
    segments: list[tuple[str, bool]] = []
    position = 0
    for hit in sorted(hits, key=lambda h: (h.start, h.end)):
        if hit.start < position:
            continue
        if hit.start > position:
            segments.append((text[position : hit.start], False))
        segments.append((text[hit.start : hit.end], True))
        position = hit.end
    if position < len(text):
        segments.append((text[position:], False))
    return segments


# --- Response templates -------------------------------------------------------------


class TemplateListView(FilteredTableView):
    table_class = ResponseTemplateTable
    filterset_class = ResponseTemplateFilter
    template_name = "guide/template_list.html"

    def get_queryset(self):
        return selectors.template_list(user=self.request.user)

    def get_filterset_kwargs(self, filterset_class):
        return super().get_filterset_kwargs(filterset_class) | {"user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Response templates")
        context["can_manage_team"] = roles.can_manage_team_templates(self.request.user)
        return context


class TemplateObjectMixin(RoleRequiredMixin):
    """Loads the template named in the URL; `check` decides whether the user may act."""

    def check(self, user, template) -> bool:
        return roles.can_edit_template(user, template)

    def denied_message(self, template) -> str:
        if template.owner_id is None:
            return services.ERR_TEAM_TEMPLATES_ADMIN_ONLY
        return services.ERR_NOT_YOUR_TEMPLATE

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and roles.has_role(request.user):
            self.object = selectors.template_detail(pk=kwargs["pk"])
            if self.object is None:
                raise Http404
            if not self.check(request.user, self.object):
                raise PermissionDenied(self.denied_message(self.object))
        return super().dispatch(request, *args, **kwargs)


class TemplateDetailView(TemplateObjectMixin, TemplateView):
    template_name = "guide/template_detail.html"

    def check(self, user, template) -> bool:
        return roles.can_view_template(user, template)

    def denied_message(self, template) -> str:
        return _("This is someone else's personal template.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        template, user = self.object, self.request.user
        context.update(
            title=template.title,
            template=template,
            suits=suits_summary(template),
            preview=template_preview(user=user, text=template.text, language=template.language),
            can_edit=roles.can_edit_template(user, template),
            can_delete=roles.can_delete_template(user, template),
            history=readable_history(template),
        )
        return context


class TemplateFormMixin(RoleRequiredMixin):
    form_class = ResponseTemplateForm
    template_name = "guide/template_form.html"
    object = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        if self.object is not None:
            kwargs["instance"] = selectors.template_detail(pk=self.object.pk)  # a copy to edit
        return kwargs

    def post(self, request, *args, **kwargs):
        if PREVIEW_BUTTON in request.POST:
            form = self.get_form()
            form.is_valid()  # show what would stop a save, next to the fields
            preview = template_preview(
                user=request.user,
                text=form["text"].value() or "",
                language=form.preview_language(),
            )
            context = self.get_context_data(form=form, preview=preview, previewing=True)
            return self.render_to_response(context)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            template = self.save(form)
        except ValidationError as error:
            _apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Template “%(title)s” saved.") % {"title": template})
        return redirect("interactions:template-detail", pk=template.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            object=self.object,
            categories=selectors.template_categories(user=self.request.user),
            category_list_id=CATEGORY_LIST_ID,
            placeholders=PLACEHOLDERS,
            can_manage_team=roles.can_manage_team_templates(self.request.user),
        )
        return context


class TemplateCreateView(TemplateFormMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and roles.has_role(request.user):
            if not roles.can_create_personal_template(request.user):
                raise PermissionDenied(services.ERR_NOT_YOUR_TEMPLATE)
        return super().dispatch(request, *args, **kwargs)

    def save(self, form):
        return services.template_create(
            user=self.request.user, data=form.template_data(), personal=form.personal
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("New response template"), **kwargs)


class TemplateUpdateView(TemplateObjectMixin, TemplateFormMixin, FormView):
    def save(self, form):
        return services.template_update(
            template=self.object,
            user=self.request.user,
            data=form.template_data(),
            personal=form.personal,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Edit response template"), **kwargs)


class TemplateActiveView(TemplateObjectMixin, View):
    """POST active=1 to reactivate, active=0 to deactivate; back to the template."""

    http_method_names = ["post"]

    def post(self, request, pk):
        is_active = request.POST.get("active") == "1"
        services.template_set_active(template=self.object, user=request.user, is_active=is_active)
        if is_active:
            messages.success(request, _("The template is active again."))
        else:
            messages.success(request, _("The template is deactivated: agents no longer see it."))
        return redirect("interactions:template-detail", pk=pk)


class TemplateDeleteView(TemplateObjectMixin, TemplateView):
    """Personal templates only, by their owner: GET asks, POST deletes."""

    template_name = "guide/template_confirm_delete.html"

    def check(self, user, template) -> bool:
        return roles.can_delete_template(user, template)

    def denied_message(self, template) -> str:
        return services.ERR_TEMPLATE_NOT_DELETABLE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=_("Delete template"), template=self.object)
        return context

    def post(self, request, pk):
        title = self.object.title
        services.template_delete(template=self.object, user=request.user)
        messages.success(request, _("Template “%(title)s” deleted.") % {"title": title})
        return redirect("interactions:template-list")


# --- Phrase rules -------------------------------------------------------------------


class PhraseRuleListView(FilteredTableView):
    table_class = PhraseRuleTable
    filterset_class = PhraseRuleFilter
    template_name = "guide/phrase_rule_list.html"

    def get_queryset(self):
        return selectors.phrase_rule_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Phrase guide")
        context["can_manage"] = roles.can_manage_phrase_rules(self.request.user)
        return context


class PhraseRuleObjectMixin(RoleRequiredMixin):
    """Loads the rule named in the URL (if any); `manage` views are for admins only."""

    manage = True

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and roles.has_role(request.user):
            if self.manage and not roles.can_manage_phrase_rules(request.user):
                raise PermissionDenied(services.ERR_PHRASE_RULES_ADMIN_ONLY)
            self.object = None
            if "pk" in kwargs:
                self.object = selectors.phrase_rule_detail(user=request.user, pk=kwargs["pk"])
                if self.object is None:
                    raise Http404
        return super().dispatch(request, *args, **kwargs)


class PhraseRuleDetailView(PhraseRuleObjectMixin, TemplateView):
    template_name = "guide/phrase_rule_detail.html"
    manage = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rule = self.object
        context.update(
            title=rule.phrase,
            rule=rule,
            variant_lines=[line for line in rule.variants.splitlines() if line.strip()],
            can_manage=roles.can_manage_phrase_rules(self.request.user),
            history=readable_history(rule),
        )
        return context


class PhraseRuleFormMixin(PhraseRuleObjectMixin):
    form_class = PhraseRuleForm
    template_name = "guide/phrase_rule_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.object is not None:
            kwargs["instance"] = selectors.phrase_rule_detail(
                user=self.request.user, pk=self.object.pk
            )
        return kwargs

    def post(self, request, *args, **kwargs):
        if TRY_BUTTON in request.POST:
            form = self.get_form()
            form.is_valid()
            context = self.get_context_data(form=form, tried=True, trial=self.trial(form))
            return self.render_to_response(context)
        return super().post(request, *args, **kwargs)

    @staticmethod
    def trial(form) -> dict | None:
        """This unsaved rule's hits on the sample text and on its own alternative."""
        rule = form.unsaved_rule()
        if rule is None:
            return None
        sample = form.cleaned_data.get("sample") or ""
        sample_hits = check_phrases(sample, [rule])
        alternative_hits = check_phrases(rule.alternative, [rule])
        return {
            "sample": sample,
            "sample_hits": sample_hits,
            "sample_segments": highlight(sample, sample_hits),
            "alternative": rule.alternative,
            "alternative_hits": alternative_hits,
            "alternative_segments": highlight(rule.alternative, alternative_hits),
        }

    def form_valid(self, form):
        try:
            rule = self.save(form)
        except ValidationError as error:
            _apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Rule “%(phrase)s” saved.") % {"phrase": rule.phrase})
        trial = self.trial(form)
        if trial and trial["alternative_hits"]:
            messages.warning(
                self.request,
                _(
                    "This rule fires on its own “say instead” text. Agents who follow the "
                    "advice would be warned again: add an exception (!) or make a form more "
                    "specific."
                ),
            )
        return redirect("interactions:phrase-rule-detail", pk=rule.pk)


class PhraseRuleCreateView(PhraseRuleFormMixin, FormView):
    def save(self, form):
        return services.phrase_rule_create(user=self.request.user, data=form.rule_data())

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("New phrase rule"), **kwargs)


class PhraseRuleUpdateView(PhraseRuleFormMixin, FormView):
    def save(self, form):
        return services.phrase_rule_update(
            rule=self.object, user=self.request.user, data=form.rule_data()
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Edit phrase rule"), object=self.object, **kwargs)


class PhraseRuleActiveView(PhraseRuleObjectMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        is_active = request.POST.get("active") == "1"
        services.phrase_rule_set_active(rule=self.object, user=request.user, is_active=is_active)
        if is_active:
            messages.success(request, _("The rule is active again."))
        else:
            messages.success(request, _("The rule is deactivated: the check no longer uses it."))
        return redirect(reverse("interactions:phrase-rule-detail", args=[pk]))
