"""The team-lead dashboard (docs/dashboard.md): the page, its exports, and where a user
lands after logging in.

Glue only: filters -> dashboard.py queries -> chart geometry (dashboard_charts.py) and
the click-through links to the interactions list, built here from the same filters.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote_plus, urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from . import dashboard, dashboard_charts, roles
from .dashboard import Params, Reference
from .dashboard_forms import DashboardFilterForm
from .exports import csv_export, local_iso, xlsx_export
from .filters import NOT_RECORDED, OVERDUE_OPEN, OVERDUE_RESOLVED_LATE, UNCLASSIFIED
from .html import format_html
from .models import ComplaintStatus, Outcome, Skill, Valence
from .tables import choice_label, local_time, url_maker
from .templatetags.dashboard_tags import bar_width, calmed_of, improved_of, percent
from .templatetags.emotioncare import emotion_chip, person_name, valence_labels
from .views import RoleRequiredMixin

NULL_CHOICE = "null"  # django-filter's value for "none recorded" on a ModelChoiceFilter


class StartView(View):
    """Where login lands: leads and admins on the dashboard, everyone else on the log form
    (which stays one click away for leads: the "Log" link)."""

    def get(self, request):
        if roles.can_view_dashboard(request.user):
            return redirect("interactions:dashboard")
        return redirect("interactions:home")


class LeadRequiredMixin(RoleRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if roles.has_role(request.user) and not roles.can_view_dashboard(request.user):
            raise PermissionDenied(_("Only team leads and admins can open the dashboard."))
        return super().dispatch(request, *args, **kwargs)


# --- Click-through links -------------------------------------------------------------


class Links:
    """URLs of the interactions list filtered to exactly the rows behind a number: the
    dashboard's filters plus the panel's (docs/dashboard.md lists the mapping)."""

    def __init__(self, params: Params):
        self.params = params
        self.base = {"scope": "team"}
        if params.agent_id:
            self.base["agent"] = params.agent_id
        if params.channel is not None:
            self.base["channel"] = params.channel.code
        if params.touchpoint is not None:
            self.base["touchpoint"] = params.touchpoint.code
        self.list_url = reverse("interactions:list")
        self.customers_url = reverse("interactions:customer-list")
        # A page has some 400 links: the filters' part is encoded once.
        self.base_query = f"{self.list_url}?{urlencode(self.base)}"

    def list(self, *, dates: bool = True, date_from=None, date_to=None, **extra) -> str:
        if any(key in self.base for key in extra):  # a panel's value replaces a filter's
            query = dict(self.base)
            if dates:
                query["date_from"] = (date_from or self.params.date_from).isoformat()
                query["date_to"] = (date_to or self.params.date_to).isoformat()
            query.update({key: value for key, value in extra.items() if value is not None})
            return f"{self.list_url}?{urlencode(query)}"
        url = self.base_query
        if dates:  # ISO dates need no escaping
            url += f"&date_from={(date_from or self.params.date_from).isoformat()}"
            url += f"&date_to={(date_to or self.params.date_to).isoformat()}"
        for key, value in extra.items():
            if value is not None:
                url += f"&{key}={quote_plus(str(value))}"
        return url

    def period(self, item: dict, **extra) -> str:
        return self.list(date_from=item["date_from"], date_to=item["date_to"], **extra)

    def customers(self, archetype: str | None) -> str:
        return f"{self.customers_url}?{urlencode({'archetype': archetype or UNCLASSIFIED})}"

    def changes(self, direction: str, archetype: str) -> str:
        """The customers whose archetype changes into (`entered`) or out of (`left`) a
        group the board counts in the date range."""
        query = {
            direction: archetype,
            "changed_from": self.params.date_from.isoformat(),
            "changed_to": self.params.date_to.isoformat(),
        }
        return f"{self.customers_url}?{urlencode(query)}"


def period_label(item: dict, period: str, short: bool = False) -> str:
    """A period as a column label: the day, the week's Monday, or the month (numeric,
    as the rest of the app writes dates; `short` drops the year, for chart axes)."""
    if period == dashboard.MONTH:
        return item["start"].strftime("%Y-%m")
    return item["start"].strftime("%m-%d" if short else "%Y-%m-%d")


def period_title(item: dict, period: str) -> str:
    """A period in words, with the days actually counted."""
    first, last = item["date_from"], item["date_to"]
    if first == last:
        return formats.date_format(first, "DATE_FORMAT")
    return _("%(first)s to %(last)s") % {
        "first": formats.date_format(first, "DATE_FORMAT"),
        "last": formats.date_format(last, "DATE_FORMAT"),
    }


# --- Panels ----------------------------------------------------------------------------


def summary_panel(params: Params, links: Links, overdue: dict) -> dict:
    totals = dashboard.summary(params)
    return {
        **totals,
        "href_total": links.list(),
        "href_negative": links.list(valence=Valence.NEGATIVE),
        "href_improved": links.list(improved="true"),
        "href_ended": links.list(ended="true"),
        "href_recovered": links.list(recovered="true"),
        "href_attempts": links.list(valence=Valence.NEGATIVE, ended="true"),
        "overdue": overdue["total"],
        "href_overdue": links.list(dates=False, overdue=OVERDUE_OPEN),
    }


# The trend's and the recovery tables' rows and bars, written in Python as the board's
# are (through the template they were the page's two slowest panels).
TREND_SEGMENT = (
    '<a href="{href}" tabindex="-1"><rect x="{x}" y="{y}" width="{w}" height="{h}" '
    'class="seg seg-{valence}"><title>{title} · {symbol} {label}: {count}</title></rect></a>'
)
TREND_LABEL = '<text x="{}" y="{}" class="axis" text-anchor="middle">{}</text>'
TREND_ROW = (
    '<tr><th scope="row" class="nowrap" title="{title}">{label}</th>'
    '<td class="num"><a href="{href}">{total}</a></td>{valences}'
    '<td><strong>{rate}</strong> <span class="muted small">{improved}</span></td></tr>'
)
RECOVERY_ROW = (
    '<tr><th scope="row"{title}>{label}</th><td class="nowrap">{calmed}</td>'
    '<td><div class="rate-cell">{rate}</div></td></tr>'
)
RATE_BAR = (
    '<svg class="rate-bar" viewBox="0 0 100 10" aria-hidden="true" '
    'preserveAspectRatio="none"><rect width="100" height="10" class="track"/>'
    '<rect width="{}" height="10" class="fill"/></svg> <span class="rate-value">{}</span>'
)


def trend_bar_html(bar: dict, label_y) -> str:
    segments = "".join(
        format_html(TREND_SEGMENT, title=bar["title"], **segment) for segment in bar["segments"]
    )
    label = format_html(TREND_LABEL, bar["label_x"], label_y, bar["label"])
    return format_html(
        '<g class="bar">{}{}</g>', mark_safe(segments), label if bar["show_label"] else ""
    )


def trend_row_html(row: dict) -> str:
    valences = "".join(
        format_html('<td class="num"><a href="{}">{}</a></td>', part["href"], part["count"])
        for part in row["valences"]
    )
    return format_html(
        TREND_ROW,
        title=row["title"],
        label=row["label"],
        href=row["href"],
        total=row["total"],
        valences=mark_safe(valences),
        rate=percent(row["improved_rate"]),
        improved=improved_of(
            row["improved"], row["href_improved"], row["ended"], row["href_ended"]
        ),
    )


def recovery_row_html(row: dict, too_few: str) -> str:
    if row["rate"] is None:
        rate = format_html('<span class="muted">— {}</span>', too_few)
    else:
        rate = format_html(RATE_BAR, bar_width(row["rate"]), percent(row["rate"]))
    return format_html(
        RECOVERY_ROW,
        title=format_html(' title="{}"', row["title"]) if row.get("title") else "",
        label=row["label"],
        calmed=calmed_of(
            row["recovered"], row["href_recovered"], row["attempts"], row["href_attempts"]
        ),
        rate=rate,
    )


def trend_panel(params: Params, links: Links, trend: list[dict]) -> dict:
    rows = []
    columns = []
    for item in trend:
        row = {
            **item,
            "label": period_label(item, params.period),
            "title": period_title(item, params.period),
            "href": links.period(item),
            "href_improved": links.period(item, improved="true"),
            "href_ended": links.period(item, ended="true"),
            "valences": [
                {
                    "valence": valence,
                    "label": label,
                    "symbol": dashboard_charts.VALENCE_SYMBOL[valence],
                    "count": item[valence],
                    "href": links.period(item, valence=valence),
                }
                for valence, label in Valence.choices
            ],
        }
        rows.append(row)
        columns.append(
            {
                "label": period_label(item, params.period, short=True),
                "title": row["title"],
                "total": item["total"],
                "href": row["href"],
                "segments": {part["valence"]: part for part in row["valences"]},
            }
        )
    chart = dashboard_charts.stacked_columns(columns)
    chart["bars_html"] = mark_safe(
        "".join(trend_bar_html(bar, chart["label_y"]) for bar in chart["bars"])
    )
    return {
        "rows": rows,
        "rows_html": mark_safe("".join(trend_row_html(row) for row in rows)),
        "chart": chart,
    }


def emotions_panel(params: Params, ref: Reference, links: Links) -> dict:
    rows = []
    for item in dashboard.emotion_breakdown(params, ref):
        code = item["emotion"].code
        rows.append(
            {
                **item,
                "label": item["emotion"].name,
                "value": item["total"],
                "valence": item["emotion"].valence,
                "symbol": dashboard_charts.VALENCE_SYMBOL[item["emotion"].valence],
                "href": links.list(emotion_start=code),
                "href_improved": links.list(emotion_start=code, improved="true"),
                "href_ended": links.list(emotion_start=code, ended="true"),
                # A positive start cannot go up: "improved" does not apply to it.
                "can_improve": item["emotion"].valence != Valence.POSITIVE,
            }
        )
    return {"rows": rows, "chart": dashboard_charts.hbars(rows)}


def _recovery_links(
    rows: list[dict], links: Links, key: str | None, none_value: str = NULL_CHOICE
) -> list[dict]:
    """Each row's "calmed X of Y" links: X the recoveries, Y the negative starts with an
    end emotion, narrowed by the row's key (`none_value` for a row without one) or, for
    a period, by its days."""
    for row in rows:
        extra = {}
        if key:
            extra[key] = none_value if row["key"] is None else row["key"]
        if "date_from" in row:
            extra.update(date_from=row["date_from"], date_to=row["date_to"])
        row["href_attempts"] = links.list(valence=Valence.NEGATIVE, ended="true", **extra)
        row["href_recovered"] = links.list(recovered="true", **extra)
    return rows


def recovery_panel(
    params: Params,
    ref: Reference,
    links: Links,
    trend: list[dict],
    request,
    query: str,
    sums: list[dict] | None = None,
) -> dict:
    people = PeoplePage(
        request,
        "recovery_page",
        dashboard.recovery_by_agent(params, sums),
        query,
        "recovery-agent",
    )
    by_agent = people.rows
    by_template = dashboard.recovery_by_template(params)
    for row in by_template:
        if row["key"] is None:
            row["label"] = gettext("No template")
    by_period = dashboard.recovery_by_period(trend)
    for row in by_period:
        row["label"] = period_label({"start": row["key"]}, params.period)
        row["title"] = period_title(row, params.period)
    by_archetype = dashboard.recovery_by_archetype(params)
    for row in by_archetype:
        if row["key"] is None:
            row["label"] = gettext("Not classified")
    tables = [
        ("agent", _("By agent"), _("Agent"), _recovery_links(by_agent, links, "agent")),
        (
            "channel",
            _("By channel"),
            _("Channel"),
            _recovery_links(dashboard.recovery_by_channel(params, ref), links, "channel"),
        ),
        (
            "archetype",
            _("By customer archetype"),
            _("Archetype"),
            _recovery_links(by_archetype, links, "archetype", UNCLASSIFIED),
        ),
        ("period", _("By period"), _("Period"), _recovery_links(by_period, links, None)),
        (
            "template",
            _("By response template"),
            _("Response template"),
            _recovery_links(by_template, links, "response_template"),
        ),
    ]
    too_few = gettext("too few")
    return {
        "tables": [
            {
                "code": code,
                "title": title,
                "column": column,
                "rows": rows,
                "rows_html": mark_safe("".join(recovery_row_html(row, too_few) for row in rows)),
                "page": people if code == "agent" else None,
            }
            for code, title, column, rows in tables
        ],
        "min_sample": dashboard.min_sample(),
    }


OVERDUE_ROW = (
    '<tr><td class="nowrap"><a href="{url}">{logged}</a></td>'
    '<td><a href="{customer_url}">{customer}</a></td>'
    '<td>{channel} <span class="muted small">({target})</span></td>'
    '<td class="nowrap">{due}</td><td class="nowrap">{late}</td>'
    '<td><span class="status status-{status}">{status_label}</span></td><td>{agent}</td></tr>'
)


def overdue_row_html(row, interaction_url, customer_url) -> str:
    """One overdue complaint's table row, written in Python (fifty rows of dates, links
    and plural phrases were a tenth of the dashboard's drawing through the template)."""
    late = ngettext("%(counter)s hour", "%(counter)s hours", row.overdue_hours) % {
        "counter": row.overdue_hours
    }
    if row.overdue_days:
        days = ngettext("%(counter)s day", "%(counter)s days", row.overdue_days)
        late = f"{days % {'counter': row.overdue_days}} {late}"
    return format_html(
        OVERDUE_ROW,
        url=interaction_url(row.pk),
        logged=local_time(row.occurred_at, "%Y-%m-%d %H:%M"),
        customer_url=customer_url(row.customer_id),
        customer=row.customer_name,
        channel=row.channel.name,
        target=gettext("target %(hours)s h") % {"hours": row.channel.response_target_hours},
        due=local_time(row.deadline, "%Y-%m-%d %H:%M"),
        late=late,
        status=row.complaint_status,
        status_label=choice_label(ComplaintStatus, row.complaint_status),
        agent=person_name(row.agent),
    )


def overdue_panel(params: Params, links: Links, overdue: dict) -> dict:
    interaction_url = url_maker("interactions:detail")
    customer_url = url_maker("interactions:customer-detail")
    for row in overdue["rows"]:
        hours = int(row.overdue_by.total_seconds() // 3600)
        row.overdue_days, row.overdue_hours = divmod(hours, 24)
        row.html = overdue_row_html(row, interaction_url, customer_url)
    return {
        **overdue,
        "href_all": links.list(dates=False, overdue=OVERDUE_OPEN),
        "href_open": links.list(
            dates=False, overdue=OVERDUE_OPEN, complaint_status=ComplaintStatus.OPEN
        ),
        "href_in_progress": links.list(
            dates=False, overdue=OVERDUE_OPEN, complaint_status=ComplaintStatus.IN_PROGRESS
        ),
        "href_late": links.list(overdue=OVERDUE_RESOLVED_LATE),
        "shown": len(overdue["rows"]),
    }


OUTCOME_KEYS = ("satisfied", "indifferent", "dissatisfied", "none")
OUTCOME_LABELS = {
    **dict(Outcome.choices),
    "none": gettext_lazy("Not recorded"),
}


def outcomes_panel(params: Params, ref: Reference, links: Links) -> dict:
    rows = []
    for item in dashboard.touchpoint_outcomes(params, ref):
        touchpoint = item["touchpoint"]
        code = touchpoint.code if touchpoint else NULL_CHOICE
        hrefs = {
            key: links.list(touchpoint=code, outcome=NOT_RECORDED if key == "none" else key)
            for key in OUTCOME_KEYS
        }
        rows.append(
            {
                "label": touchpoint.name if touchpoint else gettext("No touchpoint"),
                "total": item["total"],
                "href": links.list(touchpoint=code),
                "counts": {key: item[key] for key in OUTCOME_KEYS},
                "cells": [(key, item[key], hrefs[key]) for key in OUTCOME_KEYS],
                "hrefs": hrefs,
            }
        )
    return {
        "rows": rows,
        "chart": dashboard_charts.shares(rows, OUTCOME_KEYS),
        "legend": [(key, OUTCOME_LABELS[key]) for key in OUTCOME_KEYS],
    }


# Up to this many days the agent-load sparklines have a column per day; beyond it, a
# column per week or month (hundreds of agents x hundreds of days would weigh megabytes).
SPARK_DAILY_DAYS = 31


def spark_bins(params: Params) -> tuple[str, list[list[dt.date]]]:
    """The sparkline's columns: each a list of the days it sums. A day each up to a month,
    a week each up to about seven months, else a month each (at most ~31 columns)."""
    days = params.days
    if len(days) <= SPARK_DAILY_DAYS:
        return dashboard.DAY, [[day] for day in days]
    period = dashboard.WEEK if len(days) <= SPARK_DAILY_DAYS * 7 else dashboard.MONTH
    bins: dict[dt.date, list[dt.date]] = {}
    for day in days:
        bins.setdefault(dashboard.period_start(day, period), []).append(day)
    return period, list(bins.values())


# The tables of people (agent load, recovery by agent) show this many at a time,
# alphabetically, with the others a page away (and all of them in the exports).
PEOPLE_PER_PAGE = 25


class PeoplePage:
    """One page of an alphabetical table of people: `?<param>=N` in the dashboard's URL
    (an unknown or out-of-range page shows the nearest one)."""

    def __init__(self, request, param: str, rows: list, query: str, anchor: str):
        self.param, self.count = param, len(rows)
        self.pages = max(1, -(-self.count // PEOPLE_PER_PAGE))
        try:
            number = int(request.GET.get(param, "1"))
        except ValueError:
            number = 1
        self.number = min(max(number, 1), self.pages)
        offset = (self.number - 1) * PEOPLE_PER_PAGE
        self.rows = rows[offset : offset + PEOPLE_PER_PAGE]
        self.first, self.last = offset + 1, offset + len(self.rows)
        kept = {
            key: value
            for key in ("load_page", "recovery_page")
            if key != param and (value := request.GET.get(key))
        }
        self._base = "?" + "&".join(part for part in (query, urlencode(kept)) if part)
        self._anchor = anchor

    def url(self, number: int) -> str:
        return f"{self._base}&{urlencode({self.param: number})}#{self._anchor}"

    @property
    def previous_url(self) -> str | None:
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url(self.number + 1) if self.number < self.pages else None


SPARK_LABELS = {
    "month": gettext_lazy("%(name)s: interactions per month"),
    "week": gettext_lazy("%(name)s: interactions per week"),
    "day": gettext_lazy("%(name)s: interactions per day"),
}


def load_panel(
    params: Params, links: Links, request, query: str, sums: list[dict] | None = None
) -> dict:
    days = params.days
    spark_period, bins = spark_bins(params)
    page = PeoplePage(
        request, "load_page", dashboard.agent_load_people(params, sums), query, "load-title"
    )
    rows = dashboard.agent_load(params, page.rows)
    per_bin = dashboard.agent_load_bins(params, spark_period, [row["agent_id"] for row in rows])
    starts = [dashboard.period_start(days_in_bin[0], spark_period) for days_in_bin in bins]
    for row in rows:
        agent = row["agent_id"]
        row["href"] = links.list(agent=agent)
        row["href_negative"] = links.list(agent=agent, valence=Valence.NEGATIVE)
        row["href_busiest"] = links.list(
            agent=agent, date_from=row["busiest_day"], date_to=row["busiest_day"]
        )
        agent_bins = per_bin.get(agent, {})
        row["spark"] = dashboard_charts.sparkline(
            [agent_bins.get(start, (0, 0)) for start in starts]
        )
        row["spark_svg"] = dashboard_charts.sparkline_svg(
            row["spark"],
            SPARK_LABELS.get(spark_period, SPARK_LABELS["day"]) % {"name": row["name"]},
            [
                links.list(agent=agent, date_from=days_in_bin[0], date_to=days_in_bin[-1])
                if start in agent_bins
                else ""
                for start, days_in_bin in zip(starts, bins, strict=True)
            ],
        )
    return {
        "rows": rows,
        "page": page,
        "first_day": days[0],
        "last_day": days[-1],
        "spark_period": spark_period,
    }


def phrases_panel(params: Params, links: Links) -> dict:
    rules = dashboard.phrase_hits(params, (get_language() or "en")[:2])
    calendar = dashboard.periods(params)
    for rule in rules:
        rule["label"] = rule["phrase"]
        rule["value"] = rule["hits"]
        rule["href"] = links.list(phrase_rule=rule["code"])
        for cell in rule["periods"]:
            cell["href"] = links.period(cell, phrase_rule=rule["code"])
    return {
        "rules": rules,
        "chart": dashboard_charts.hbars(rules),
        "periods": [
            {
                **item,
                "label": period_label(item, params.period),
                "title": period_title(item, params.period),
            }
            for item in calendar
        ],
    }


def skills_panel(params: Params, links: Links) -> dict:
    data = dashboard.skill_averages(params)
    if not data["reviews"]:
        return data
    # Each average links to the interactions whose reviews scored that skill.
    for skill in data["skills"]:
        skill["value"] = skill["average"]
        skill["href"] = links.list(reviewed_skill=skill["code"])
    for item in data["periods"]:
        item["label"] = period_label(item, params.period)
        item["title"] = period_title(item, params.period)
        item["href"] = links.period(item, reviewed="true")
    data["href"] = links.list(reviewed="true")
    data["chart"] = dashboard_charts.hbars(data["skills"], max_value=5)
    # The table: one row per skill, one column per period (as the chart lists skills),
    # then the whole range.
    data["rows"] = [
        {
            **skill,
            "cells": [
                (item["averages"][index], links.period(item, reviewed_skill=skill["code"]))
                for item in data["periods"]
            ],
        }
        for index, skill in enumerate(data["skills"])
    ]
    return data


# A contact's valence on the board's trend, as a symbol (constant HTML per valence).
TREND_SYMBOLS = {
    valence: f'<span class="val-{valence}" aria-hidden="true">{symbol}</span>'
    for valence, symbol in dashboard_charts.VALENCE_SYMBOL.items()
}
BOARD_ROW = (
    '<tr><td><a href="{url}">{name}</a></td><td class="nowrap">{last_contact}</td>'
    '<td>{emotion}</td><td class="trend-cell"><span class="trend-symbols" '
    'aria-label="{trend_title}: {trend_labels}">{trend}</span></td></tr>'
)


def board_row_html(customer: dict, customer_url, labels: dict, trend_title: str) -> str:
    """One customer's row on the archetype board, written in Python (forty rows of
    links, dates, chips and symbols through the template were its slowest panel).
    `labels`: valence labels as plain strings (templatetags.emotioncare.valence_labels)."""
    trend = customer["trend"]
    return format_html(
        BOARD_ROW,
        url=customer_url(customer["id"]),
        name=customer["name"],
        last_contact=local_time(customer["last_contact"], "%Y-%m-%d")
        if customer["last_contact"]
        else "—",
        emotion=emotion_chip(customer["last_emotion"]) if customer["last_emotion"] else "—",
        trend_title=trend_title,
        trend_labels=", ".join(labels.get(valence, "") for valence in trend),
        trend=mark_safe("".join(TREND_SYMBOLS.get(valence, "") for valence in trend)),
    )


def board_panel(params: Params, ref: Reference, links: Links) -> dict:
    board = dashboard.archetype_board(params, ref)
    labels = valence_labels()
    trend_title = gettext("Valence of the last contacts, oldest first")
    customer_url = url_maker("interactions:customer-detail")
    for group in board["groups"]:
        group["href"] = links.customers(group["code"])
        group["href_entered"] = links.changes("entered", group["code"])
        group["href_left"] = links.changes("left", group["code"])
        for customer in group["customers"]:
            customer["html"] = board_row_html(customer, customer_url, labels, trend_title)
    board["href_unclassified"] = links.customers(None)
    return board


# --- Views -------------------------------------------------------------------------------


def dashboard_params(request) -> tuple[Params, list[str], list[str]]:
    return DashboardFilterForm(request.GET).params()


class DashboardView(LeadRequiredMixin, TemplateView):
    template_name = "dashboard/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params, problems, notes = dashboard_params(self.request)
        ref = Reference()
        links = Links(params)
        trend = dashboard.emotion_trend(params)
        overdue = dashboard.overdue_complaints(params, ref)
        agent_sums = dashboard.agent_sums(params)  # the two people tables share them
        query = urlencode(DashboardFilterForm.data_for(params))
        context.update(
            title=_("Dashboard"),
            params=params,
            problems=problems,
            notes=notes,
            form=DashboardFilterForm(initial=DashboardFilterForm.data_for(params), ref=ref),
            query=query,
            period_name=dict(DashboardFilterForm.base_fields["period"].choices)[params.period],
            summary=summary_panel(params, links, overdue),
            board=board_panel(params, ref, links),
            trend=trend_panel(params, links, trend),
            emotions=emotions_panel(params, ref, links),
            recovery=recovery_panel(params, ref, links, trend, self.request, query, agent_sums),
            overdue=overdue_panel(params, links, overdue),
            outcomes=outcomes_panel(params, ref, links),
            load=load_panel(params, links, self.request, query, agent_sums),
            phrases=phrases_panel(params, links),
            skills=skills_panel(params, links),
            valences=[
                (value, label, dashboard_charts.VALENCE_SYMBOL[value])
                for value, label in Valence.choices
            ],
        )
        return context


# --- Exports -------------------------------------------------------------------------------


def _rate(value):
    return None if value is None else round(value, 4)


def export_board(params, ref):
    board = dashboard.archetype_board(params, ref, per_group=0)
    header = ["archetype", "archetype_name", "customers", "entered", "left", "net_change"]
    rows = [
        [g["code"], str(g["label"]), g["count"], g["entered"], g["left"], g["change"]]
        for g in board["groups"]
    ]
    rows.append(["", gettext("Not classified"), board["unclassified"], None, None, None])
    return header, rows


def export_board_customers(params, ref):
    """The customers the board shows, per group: last contact, last emotion, and the
    valence of their last contacts, oldest first."""
    board = dashboard.archetype_board(params, ref)
    header = ["archetype", "customer_id", "customer", "last_contact", "last_emotion", "trend"]
    rows = [
        [
            group["code"],
            customer["id"],
            customer["name"],
            local_iso(customer["last_contact"]) if customer["last_contact"] else None,
            customer["last_emotion"].code if customer["last_emotion"] else None,
            " ".join(customer["trend"]),
        ]
        for group in board["groups"]
        for customer in group["customers"]
    ]
    return header, rows


def export_trend(params, ref):
    header = [
        "period_start",
        "date_from",
        "date_to",
        "interactions",
        "positive",
        "neutral",
        "negative",
        "with_end",
        "improved",
        "improved_share",
        "negative_with_end",
        "recovered",
        "recovery_rate",
    ]
    rows = [
        [
            r["start"],
            r["date_from"],
            r["date_to"],
            r["total"],
            r["positive"],
            r["neutral"],
            r["negative"],
            r["ended"],
            r["improved"],
            _rate(r["improved_rate"]),
            r["attempts"],
            r["recovered"],
            _rate(r["recovery_rate"]),
        ]
        for r in dashboard.emotion_trend(params)
    ]
    return header, rows


def export_emotions(params, ref):
    header = ["emotion", "emotion_name", "valence", "interactions", "with_end", "improved"]
    header.append("improved_share")
    rows = [
        [
            r["emotion"].code,
            r["emotion"].name,
            r["emotion"].valence,
            r["total"],
            r["ended"],
            r["improved"],
            _rate(r["improved_rate"]),
        ]
        for r in dashboard.emotion_breakdown(params, ref)
    ]
    return header, rows


def export_recovery(params, ref):
    header = ["dimension", "key", "name", "negative_with_end", "recovered", "recovery_rate"]
    tables = [
        ("agent", dashboard.recovery_by_agent(params)),
        ("template", dashboard.recovery_by_template(params)),
        ("channel", dashboard.recovery_by_channel(params, ref)),
        ("archetype", dashboard.recovery_by_archetype(params)),
    ]
    rows = []
    for dimension, items in tables:
        for r in items:
            label = r["label"]
            if r["key"] is None:
                label = gettext("No template") if dimension == "template" else ""
                label = label or gettext("Not classified")
            rows.append(
                [dimension, r["key"], label, r["attempts"], r["recovered"], _rate(r["rate"])]
            )
    for r in dashboard.recovery_by_period(dashboard.emotion_trend(params)):
        rows.append(
            [
                "period",
                r["key"].isoformat(),
                period_title(r, params.period),
                r["attempts"],
                r["recovered"],
                _rate(r["rate"]),
            ]
        )
    return header, rows


def export_overdue(params, ref):
    data = dashboard.overdue_complaints(params, ref, limit=None)
    header = [
        "id",
        "occurred_at",
        "deadline",
        "overdue_hours",
        "complaint_status",
        "channel",
        "customer",
        "agent",
    ]
    rows = [
        [
            r.pk,
            local_iso(r.occurred_at),
            local_iso(r.deadline),
            int(r.overdue_by.total_seconds() // 3600),
            r.complaint_status,
            r.channel.code,
            r.customer_name,
            r.agent.username,
        ]
        for r in data["rows"]
    ]
    return header, rows


def export_outcomes(params, ref):
    header = ["touchpoint", "touchpoint_name", *OUTCOME_KEYS[:3], "not_recorded", "total"]
    rows = []
    for r in dashboard.touchpoint_outcomes(params, ref):
        touchpoint = r["touchpoint"]
        rows.append(
            [
                touchpoint.code if touchpoint else "",
                touchpoint.name if touchpoint else gettext("No touchpoint"),
                *(r[key] for key in OUTCOME_KEYS),
                r["total"],
            ]
        )
    return header, rows


def export_load(params, ref):
    header = [
        "agent",
        "agent_name",
        "interactions",
        "negative_at_start",
        "active_days",
        "daily_average",
        "busiest_day",
        "busiest_day_interactions",
        "most_negative_in_a_day",
    ]
    rows = [
        [
            r["username"],
            r["name"],
            r["total"],
            r["negative"],
            r["active_days"],
            round(r["daily_average"], 2),
            r["busiest_day"],
            r["busiest_total"],
            r["max_negative"],
        ]
        for r in dashboard.agent_load(params)
    ]
    return header, rows


def export_load_days(params, ref):
    days = dashboard.agent_days(params)
    names = dashboard.people_names([row["agent_id"] for row in days])
    header = ["agent", "name", "day", "interactions", "negative"]
    rows = [
        [names[r["agent_id"]][1], names[r["agent_id"]][0], r["day"], r["total"], r["negative"]]
        for r in days
    ]
    rows.sort(key=lambda row: (row[1].casefold(), row[0], row[2]))
    return header, rows


def export_phrases(params, ref):
    header = ["rule", "phrase", "period_start", "date_from", "date_to", "hits", "interactions"]
    rows = []
    for rule in dashboard.phrase_hits(params, (get_language() or "en")[:2]):
        for cell in rule["periods"]:
            rows.append(
                [
                    rule["code"],
                    rule["phrase"],
                    cell["start"],
                    cell["date_from"],
                    cell["date_to"],
                    cell["hits"],
                    cell["interactions"],
                ]
            )
    return header, rows


def export_skills(params, ref):
    data = dashboard.skill_averages(params)
    header = ["period_start", "date_from", "date_to", "reviews", "interactions", *Skill.values]
    rows = [
        [
            item["start"],
            item["date_from"],
            item["date_to"],
            item["reviews"],
            item["interactions"],
            *(None if value is None else round(value, 2) for value in item["averages"]),
        ]
        for item in data["periods"]
    ]
    if data["reviews"]:  # the whole range, as the chart shows it
        rows.append(
            [
                None,
                params.date_from,
                params.date_to,
                data["reviews"],
                data["interactions"],
                *(
                    None if skill["average"] is None else round(skill["average"], 2)
                    for skill in data["skills"]
                ),
            ]
        )
    return header, rows


EXPORTS = {
    "archetypes": (export_board, gettext_lazy("Archetype board")),
    "board_customers": (export_board_customers, gettext_lazy("Customers on the board")),
    "trend": (export_trend, gettext_lazy("Emotion trend")),
    "emotions": (export_emotions, gettext_lazy("Emotions at start")),
    "recovery": (export_recovery, gettext_lazy("Recovery rates")),
    "overdue": (export_overdue, gettext_lazy("Overdue complaints")),
    "outcomes": (export_outcomes, gettext_lazy("Touchpoint outcomes")),
    "load": (export_load, gettext_lazy("Agent load")),
    "load_days": (export_load_days, gettext_lazy("Agent load per day")),
    "phrases": (export_phrases, gettext_lazy("Phrase-guide hits")),
    "skills": (export_skills, gettext_lazy("Skill reviews")),
}


class DashboardExportView(LeadRequiredMixin, View):
    """One panel's table as CSV or XLSX, with the same filters as the page. Filters that
    do not parse give a 400 naming them (the page ignores them with a message; a file
    should not silently hold something else)."""

    def get(self, request, panel: str, fmt: str):
        if panel not in EXPORTS:
            raise Http404
        params, problems, _notes = dashboard_params(request)
        if problems:
            return HttpResponseBadRequest(" ".join(problems), content_type="text/plain")
        build, title = EXPORTS[panel]
        header, rows = build(params, Reference())
        name = f"dashboard-{panel}-{params.date_from:%Y%m%d}-{params.date_to:%Y%m%d}"
        if fmt == "xlsx":
            query = request.GET.urlencode()
            return xlsx_export(
                request,
                f"{name}.xlsx",
                str(title),
                header,
                rows,
                csv_url=f"{reverse('interactions:dashboard-export-csv', args=[panel])}?{query}",
                back_url=f"{reverse('interactions:dashboard')}?{query}",
            )
        return csv_export(request, f"{name}.csv", header, rows)
