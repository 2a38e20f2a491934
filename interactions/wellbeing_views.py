"""Looking after agents: break nudges, the daily reflection, praise, team care.

Glue only: form -> service -> redirect; page -> selectors. The rule behind a nudge
is in rules/wellbeing.py, the writes in services.py, the reads in
wellbeing_selectors.py.
"""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from . import guidance, roles, selectors, services, wellbeing_selectors
from .models import BreakNudge
from .views import RoleRequiredMixin, interaction_or_404
from .wellbeing_forms import NudgeAnswerForm, PraiseForm, ReflectionForm


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _problem(request, message, status: int = 400, back: str | None = None):
    """A small page that says what was wrong, with the right 4xx status."""
    context = {"title": _("That did not work"), "problem": message, "back": back}
    return render(request, "wellbeing/problem.html", context, status=status)


# --- Break nudges -------------------------------------------------------------------


class NudgeAnswerView(RoleRequiredMixin, View):
    """POST "take" or "dismiss" for one of the user's own nudges (others: 404)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        nudge = BreakNudge.objects.filter(pk=pk, agent=request.user).first()
        if nudge is None:
            raise Http404
        form = NudgeAnswerForm(request.POST)
        if not form.is_valid():
            return _problem(request, _("Choose whether to take the break or not."))
        taken = form.cleaned_data["answer"] == NudgeAnswerForm.TAKE
        try:
            services.nudge_respond(nudge=nudge, user=request.user, taken=taken)
        except ValidationError as error:
            messages.info(request, " ".join(error.messages))
            return redirect(self._next(form.cleaned_data["next"]))
        if taken:
            return redirect(f"{reverse('interactions:break')}?practice={nudge.practice}")
        messages.info(request, _("All right. Take a break whenever you need one."))
        return redirect(self._next(form.cleaned_data["next"]))

    def _next(self, target: str) -> str:
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return target
        return reverse("interactions:home")


class BreakView(RoleRequiredMixin, TemplateView):
    """A calm page for a short break: one practice, a timer, the way back to work."""

    template_name = "wellbeing/break.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chosen = guidance.practice(self.request.GET.get("practice"))
        context.update(
            title=_("A short break"),
            practice=chosen,
            others=[p for p in guidance.PRACTICES if p.code != chosen.code],
            minutes=guidance.BREAK_MINUTES,
            seconds=guidance.BREAK_MINUTES * 60,
        )
        return context


# --- Daily reflection -----------------------------------------------------------------


class ReflectionView(RoleRequiredMixin, FormView):
    """Today's reflection (editable all day), today's numbers, earlier ones read-only."""

    permission = "interactions.add_reflection"
    form_class = ReflectionForm
    template_name = "wellbeing/reflection.html"

    def dispatch(self, request, *args, **kwargs):
        self.today = timezone.localdate()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        initial = {"day": self.today}
        current = wellbeing_selectors.own_reflection(user=self.request.user, day=self.today)
        if current is not None:
            initial.update(went_well=current.went_well, to_improve=current.to_improve)
        self.current = current
        return initial

    def form_valid(self, form):
        try:
            services.reflection_save(agent=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Today's reflection is saved. Only you can read it."))
        return redirect(self.request.path)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if not hasattr(self, "current"):
            self.current = wellbeing_selectors.own_reflection(user=user, day=self.today)
        past = wellbeing_selectors.own_reflections(user=user, before=self.today)
        numbers = {}
        if past:
            numbers = wellbeing_selectors.numbers_by_day(
                agent=user, first=past[-1].day, last=past[0].day
            )
        empty = {"interactions": 0, "recoveries": 0, "praise": 0}
        context.update(
            title=_("Daily reflection"),
            today=self.today,
            current=self.current,
            numbers=wellbeing_selectors.day_numbers(agent=user, day=self.today),
            past=[(item, numbers.get(item.day, empty)) for item in past],
        )
        return context


# --- Praise ---------------------------------------------------------------------------


class PraiseView(RoleRequiredMixin, View):
    """POST action=mark (with an optional note) or action=clear on an interaction."""

    http_method_names = ["post"]
    permission = "interactions.change_interaction"

    def post(self, request, pk):
        interaction = interaction_or_404(request, pk)
        back = interaction.get_absolute_url()
        action = request.POST.get("action")
        try:
            if action == "mark":
                form = PraiseForm(request.POST)
                if not form.is_valid():
                    return _problem(request, " ".join(form.errors.get("note", [])), back=back)
                services.praise_mark(
                    interaction=interaction, user=request.user, note=form.cleaned_data["note"]
                )
                messages.success(request, _("Marked as praise. It is kept on the agent's page."))
            elif action == "clear":
                services.praise_clear(interaction=interaction, user=request.user)
                messages.success(request, _("No longer marked as praise."))
            else:
                return _problem(request, _("Choose to mark or unmark the praise."), back=back)
        except ValidationError as error:
            return _problem(request, " ".join(error.messages), back=back)
        return redirect(back)


# --- My page ----------------------------------------------------------------------------


class MyPageView(RoleRequiredMixin, TemplateView):
    """The agent's own page: praise received, reflections kept, breaks this week."""

    template_name = "wellbeing/my_page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        monday = wellbeing_selectors.week_start(today)
        since = timezone.make_aware(datetime.combine(monday, time.min))
        context.update(
            title=_("My page"),
            praise=wellbeing_selectors.praise_received(agent=user),
            reflections=wellbeing_selectors.reflection_summary(agent=user, today=today),
            nudges=wellbeing_selectors.nudge_counts(agent=user, since=since),
            reviews=selectors.reviews_of_agent(agent=user, limit=10),
            week_from=monday,
            week_to=monday + timedelta(days=6),
        )
        return context


# --- Team care (leads and admins) ---------------------------------------------------------


class TeamCareView(RoleRequiredMixin, TemplateView):
    """Per person, alphabetically, for 8 weeks: nudges offered and taken, reflection days.
    Not a ranking; never the reflection text."""

    template_name = "wellbeing/team_care.html"

    def dispatch(self, request, *args, **kwargs):
        if roles.has_role(request.user) and not roles.is_lead_or_admin(request.user):
            raise PermissionDenied(_("Only team leads and admins can open team care."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=_("Team care"), **wellbeing_selectors.team_care())
        context["this_week"] = context["weeks"][-1]
        return context
