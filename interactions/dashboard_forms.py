"""The dashboard's filters: local date range, period, agent, channel, touchpoint.

A bad value never breaks the page: the filter is ignored, with a message saying so
(`DashboardFilterForm.params`)."""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import dashboard
from .filters import DATE_VALIDATORS, DateInput
from .models import Channel, Touchpoint
from .widgets import AutocompleteWidget, list_selects

DEFAULT_DAYS = 30
MAX_DAYS = 731  # two years
MONTHLY_AFTER_DAYS = 183
MAX_DAILY_DAYS = 92  # longer ranges are shown per week rather than per day

ERR_RANGE_ORDER = _("The start date is after the end date; showing the last 30 days instead.")
ERR_RANGE_LENGTH = _("Choose at most two years; showing the last 30 days instead.")
MSG_DAILY_TOO_LONG = _("Per day is available for up to 92 days; showing per week instead.")
MSG_IGNORED = _("%(field)s: %(error)s This filter is ignored.")


class DashboardFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"), required=False, widget=DateInput, validators=DATE_VALIDATORS
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=DateInput, validators=DATE_VALIDATORS
    )
    period = forms.ChoiceField(
        label=_("Group by"),
        required=False,
        choices=[
            (dashboard.DAY, _("Day")),
            (dashboard.WEEK, _("Week")),
            (dashboard.MONTH, _("Month")),
        ],
        widget=forms.RadioSelect,
    )
    agent = forms.ModelChoiceField(
        label=_("Agent"),
        required=False,
        queryset=get_user_model().objects.all(),
        widget=AutocompleteWidget(url=reverse_lazy("interactions:agent-search"), kind="agent"),
    )
    channel = forms.ModelChoiceField(
        label=_("Channel"),
        required=False,
        queryset=Channel.objects.order_by("order", "code"),
        to_field_name="code",
        empty_label=_("Any"),
    )
    touchpoint = forms.ModelChoiceField(
        label=_("Touchpoint"),
        required=False,
        queryset=Touchpoint.objects.order_by("order", "code"),
        to_field_name="code",
        empty_label=_("Any"),
    )

    def __init__(self, *args, ref=None, **kwargs):
        """`ref`: the page's reference rows (lookups.Lookups), which the drop-downs then
        list instead of reading their tables again."""
        super().__init__(*args, **kwargs)
        if ref is not None:
            list_selects(self)
            self.fields["channel"].rows = ref.channels
            self.fields["touchpoint"].rows = ref.touchpoints

    def params(
        self, now: dt.datetime | None = None
    ) -> tuple[dashboard.Params, list[str], list[str]]:
        """The filters to apply, a message for every value that was ignored, and notes
        on what was adjusted (a daily view of a long range shown per week)."""
        now = now or timezone.now()
        self.is_valid()
        data = self.cleaned_data
        problems = [
            str(MSG_IGNORED) % {"field": self.fields[name].label, "error": " ".join(errors)}
            if name in self.fields
            else " ".join(errors)
            for name, errors in self.errors.items()
        ]
        today = timezone.localdate(now)
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_to is None:
            date_to = today if date_from is None or date_from <= today else date_from
        if date_from is None:
            date_from = date_to - dt.timedelta(days=DEFAULT_DAYS - 1)
        if date_from > date_to:
            problems.append(str(ERR_RANGE_ORDER))
            date_from, date_to = today - dt.timedelta(days=DEFAULT_DAYS - 1), today
        elif (date_to - date_from).days + 1 > MAX_DAYS:
            problems.append(str(ERR_RANGE_LENGTH))
            date_from, date_to = today - dt.timedelta(days=DEFAULT_DAYS - 1), today
        # Unless chosen: per week, or per month beyond half a year (a hundred weekly
        # bars say less than 24 monthly ones, and weigh four times as much).
        period = data.get("period") or (
            dashboard.MONTH
            if (date_to - date_from).days + 1 > MONTHLY_AFTER_DAYS
            else dashboard.WEEK
        )
        notes = []
        if period == dashboard.DAY and (date_to - date_from).days + 1 > MAX_DAILY_DAYS:
            period = dashboard.WEEK
            notes.append(str(MSG_DAILY_TOO_LONG))
        agent = data.get("agent")
        params = dashboard.Params(
            date_from=date_from,
            date_to=date_to,
            period=period,
            agent_id=agent.pk if agent else None,
            channel=data.get("channel"),
            touchpoint=data.get("touchpoint"),
            now=now,
        )
        return params, problems, notes

    @staticmethod
    def data_for(params: dashboard.Params) -> dict[str, str]:
        """The query string values of the filters as applied (for the form and links)."""
        data = {
            "date_from": params.date_from.isoformat(),
            "date_to": params.date_to.isoformat(),
            "period": params.period,
        }
        if params.agent_id:
            data["agent"] = str(params.agent_id)
        if params.channel is not None:
            data["channel"] = params.channel.code
        if params.touchpoint is not None:
            data["touchpoint"] = params.touchpoint.code
        return data
