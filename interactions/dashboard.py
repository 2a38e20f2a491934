"""The team-lead dashboard's numbers (docs/dashboard.md).

Pure query functions: each takes the dashboard's `Params` and returns plain lists of
dicts. Every number is computed by the database (aggregate, values-annotate with
conditional counts, TruncDay/Week/Month in the project's time zone, window functions);
Python only merges the aggregated rows with the calendar and the small reference
tables. Each function runs a fixed number of queries whatever the data size.

The definitions (improved, recovery attempt, overdue, ...) are the Q objects of
predicates.py, which the interactions list filters by as well, so a number and the
list behind it cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    Avg,
    Count,
    DateField,
    F,
    Func,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Sum,
    Window,
)
from django.db.models.functions import RowNumber, Trunc, TruncDay, TruncMonth, TruncWeek
from django.utils import timezone

from . import predicates, rollups
from .lookups import Lookups
from .models import (
    Archetype,
    ArchetypeChange,
    Channel,
    ComplaintStatus,
    Customer,
    DailyTally,
    Interaction,
    Outcome,
    PhraseRule,
    ResponseTemplate,
    Skill,
    SkillReview,
    Touchpoint,
    Valence,
)
from .prepared import Prepared, finish_key, for_ids, shaped

DAY, WEEK, MONTH = "day", "week", "month"
PERIODS = (DAY, WEEK, MONTH)
TRUNC = {DAY: TruncDay, WEEK: TruncWeek, MONTH: TruncMonth}
VALENCES = (Valence.POSITIVE, Valence.NEUTRAL, Valence.NEGATIVE)
# The archetype board's order: the group at risk first (product.md).
BOARD_ORDER = (
    Archetype.LOYAL_ANNOYED,
    Archetype.LOYAL_ENTHUSIAST,
    Archetype.EXTREME_CRITIC,
    Archetype.ACTIVE_HATER,
)
BOARD_CUSTOMERS = 10  # customers shown per archetype group
TREND_CONTACTS = 5  # last contacts shown as the trend of a customer on the board
OVERDUE_SHOWN = 50


def min_sample() -> int:
    return settings.EMOTIONCARE_DASHBOARD_MIN_SAMPLE


def rate(part: int, whole: int) -> float | None:
    """A share from 0 to 1, or None below the minimum sample (product.md)."""
    if not whole or whole < min_sample():
        return None
    return part / whole


def local_day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class Params:
    """What the dashboard is filtered by: local days [date_from, date_to], the period
    the trends are grouped by, and optionally one agent, channel and touchpoint."""

    date_from: dt.date
    date_to: dt.date
    period: str = WEEK
    agent_id: int | None = None
    channel: Channel | None = None
    touchpoint: Touchpoint | None = None
    now: dt.datetime = field(default_factory=timezone.now)

    @property
    def start(self) -> dt.datetime:
        return local_day_start(self.date_from)

    @property
    def end(self) -> dt.datetime:
        return local_day_start(self.date_to + dt.timedelta(days=1))

    @property
    def days(self) -> list[dt.date]:
        count = (self.date_to - self.date_from).days + 1
        return [self.date_from + dt.timedelta(days=n) for n in range(count)]


# The small reference tables, read once per page (lookups.Lookups: three queries here).
Reference = Lookups


# --- Scoping ------------------------------------------------------------------------


# The filters' values by name, and the column each is on.
_FILTERS = {"agent": "agent_id", "channel": "channel_id", "touchpoint": "touchpoint_id"}


def _scope_values(params: Params, dates: bool) -> dict:
    """The values of the filters present (and of the range, with `dates`), by name."""
    values = {}
    if params.agent_id:
        values["agent"] = params.agent_id
    if params.channel is not None:
        values["channel"] = params.channel.pk
    if params.touchpoint is not None:
        values["touchpoint"] = params.touchpoint.pk
    if dates:
        values["start"], values["end"] = params.start, params.end
    return values


def _filtered(queryset: QuerySet, values: dict) -> QuerySet[Interaction]:
    for name, column in _FILTERS.items():
        if name in values:
            queryset = queryset.filter(**{column: values[name]})
    if "start" in values:
        queryset = queryset.filter(occurred_at__gte=values["start"], occurred_at__lt=values["end"])
    return queryset.order_by()


def scoped(params: Params, queryset: QuerySet | None = None) -> QuerySet[Interaction]:
    """Interactions of the agent / channel / touchpoint filters, any time."""
    queryset = Interaction.objects.all() if queryset is None else queryset
    return _filtered(queryset, _scope_values(params, dates=False))


def interactions_in(params: Params) -> QuerySet[Interaction]:
    """Interactions of the filters within the date range (served by ix_time or the
    per-agent / per-channel / per-touchpoint time indexes)."""
    return _filtered(Interaction.objects.all(), _scope_values(params, dates=True))


def bucket(params: Params, field_name: str = "occurred_at"):
    """The local calendar day, ISO week (Monday) or month a timestamp falls in."""
    return period_bucket(params.period, field_name)


def period_bucket(period: str, field_name: str = "occurred_at"):
    return TRUNC[period](
        field_name, output_field=DateField(), tzinfo=timezone.get_current_timezone()
    )


def read(
    params: Params, finish, *, dates: bool = True, moments: dict | None = None, **shape
) -> list:
    """`finish(interactions_in(params), **shape)` (`scoped(params)` without `dates`) run
    as a prepared statement (prepared.shaped), one per finish, filters present and
    shape: the panels that read the interactions (one agent's view, and rollups off),
    without Django building and compiling their queries on every page. As with
    rollups.read, `finish` is a plain function of the rows and `shape`, never of the
    request's values; `moments` are datetimes it is given as values (keyword
    arguments)."""
    finisher = finish_key(finish)
    moments = moments or {}
    values = {**moments, **_scope_values(params, dates)}
    reader = shaped(
        ("interactions", *finisher, *values, *shape.items()),
        lambda **given: finish(
            _filtered(Interaction.objects.all(), given),
            **{name: given[name] for name in moments},
            **shape,
        ),
        **{name: "id" if name in _FILTERS else "datetime" for name in values},
    )
    return reader(**values)


def day_bucket(period: str):
    """The period (day, week, month) a rollup's local day falls in."""
    if period == DAY:
        return F("day")
    return Trunc("day", period, output_field=DateField())


def as_date(value) -> dt.date:
    """A bucket as the database returned it (a date, or text from SQLite raw SQL)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def period_start(day: dt.date, period: str) -> dt.date:
    if period == WEEK:
        return day - dt.timedelta(days=day.weekday())
    if period == MONTH:
        return day.replace(day=1)
    return day


def next_period(day: dt.date, period: str) -> dt.date:
    if period == WEEK:
        return day + dt.timedelta(days=7)
    if period == MONTH:
        return rollups.first_of_next_month(day)
    return day + dt.timedelta(days=1)


def periods(params: Params) -> list[dict]:
    """Every period of the range, empty or not, with its days clipped to the range
    (so a click-through on a period asks for exactly the days counted)."""
    result = []
    current = period_start(params.date_from, params.period)
    while current <= params.date_to:
        following = next_period(current, params.period)
        result.append(
            {
                "start": current,
                "date_from": max(current, params.date_from),
                "date_to": min(following - dt.timedelta(days=1), params.date_to),
            }
        )
        current = following
    return result


def _merge(calendar: list[dict], rows: dict[dt.date, dict], empty: dict) -> list[dict]:
    return [{**item, **rows.get(item["start"], empty)} for item in calendar]


# --- Summary and emotion trend ---------------------------------------------------------


def counts(*names: str) -> dict:
    """The counts of rollups.COUNTS (one definition for the rollups and the
    interactions), by name."""
    return {name: rollups.COUNTS[name] for name in names}


COUNTS = counts(
    "total", "positive", "neutral", "negative", "ended", "improved", "attempts", "recovered"
)
EMPTY_COUNTS = dict.fromkeys(COUNTS, 0)


def _with_rates(row: dict) -> dict:
    row["improved_rate"] = rate(row["improved"], row["ended"])
    row["recovery_rate"] = rate(row["recovered"], row["attempts"])
    return row


def summary(params: Params) -> dict:
    """The period's totals: interactions, by start valence, with an end, improved,
    recovery attempts and recoveries (one aggregate query)."""
    found = rollups.read(params, _summary_rows)
    if found is not None:
        return _with_rates(rollups.one(found))
    return _with_rates(rollups.one(read(params, _summary_raw)))


# How the panels read the rollups (rollups.read: prepared statements, one per shape).


def _summary_rows(rows):
    return rollups.whole(rows, **rollups.sums(*COUNTS))


def _trend_rows(rows, period):
    return (
        rows.annotate(bucket=day_bucket(period))
        .values("bucket")
        .annotate(**rollups.sums(*COUNTS))
        .order_by("bucket")
    )


def _emotion_rows(rows):
    return (
        rows.filter(total__gt=0)
        .values(emotion_start_id=F("item_id"))
        .annotate(**rollups.sums("total", "ended", "improved"))
    )


def _recovery_tally_rows(rows, column):
    return (
        rows.filter(attempts__gt=0)
        .values(key=F(column))
        .annotate(**rollups.sums("attempts", "recovered"))
    )


def _agent_sum_rows(rows):
    return (
        rows.values("item_id")
        .annotate(**rollups.sums("total", "attempts", "recovered"))
        .filter(total__gt=0)
        .order_by()
    )


def _touchpoint_rows(rows):
    return (
        rows.filter(total__gt=0)
        .values("touchpoint_id")
        .annotate(**rollups.sums("total", *OUTCOMES), none=rollups.SUMS["no_outcome"])
    )


def _resolved_late_rows(rows):
    return rollups.whole(rows, n=rollups.SUMS["resolved_late"])


# How they read the interactions instead (`read`).


def _summary_raw(rows):
    return rollups.whole(rows, **COUNTS)


def _trend_raw(rows, period):
    return (
        rows.annotate(bucket=period_bucket(period))
        .values("bucket")
        .annotate(**COUNTS)
        .order_by("bucket")
    )


def _emotion_raw(rows):
    return rows.values("emotion_start_id").annotate(**counts("total", "ended", "improved"))


def _recovery_raw(rows, key):
    return rows.filter(predicates.recovery_attempt_q()).values(key=F(key)).annotate(**RECOVERY)


def _touchpoint_raw(rows):
    return rows.values("touchpoint_id").annotate(
        **counts("total", *OUTCOMES), none=rollups.COUNTS["no_outcome"]
    )


def _resolved_late_raw(rows, targets):
    # COUNT(*), not COUNT(id): one agent's are then read from ix_agent_resolved alone.
    return rollups.whole(rows.filter(predicates.resolved_late_q(targets)), n=Count("*"))


def _agent_ids_raw(rows):
    return rows.values_list("agent_id", flat=True).distinct()


def emotion_trend(params: Params) -> list[dict]:
    """Per period (day / week / month), the counts of `summary` (one grouped query)."""
    rows = rollups.read(params, _trend_rows, months=params.period == MONTH, period=params.period)
    if rows is None:
        rows = read(params, _trend_raw, period=params.period)
    found = {as_date(row.pop("bucket")): row for row in rows}
    return [_with_rates(row) for row in _merge(periods(params), found, EMPTY_COUNTS)]


def emotion_breakdown(params: Params, ref: Reference) -> list[dict]:
    """Interactions per emotion at start, in the emotions' order (one grouped query)."""
    rows = rollups.read(params, _emotion_rows, "emotion")
    if rows is None:
        rows = read(params, _emotion_raw)
    found = {row["emotion_start_id"]: row for row in rows}
    result = []
    for emotion in ref.emotions:
        row = found.get(emotion.pk)
        if row is None and not emotion.is_active:
            continue
        row = row or {"total": 0, "ended": 0, "improved": 0}
        result.append(
            {
                "emotion": emotion,
                "total": row["total"],
                "ended": row["ended"],
                "improved": row["improved"],
                "improved_rate": rate(row["improved"], row["ended"]),
            }
        )
    return result


# --- Recovery rates ------------------------------------------------------------------

RECOVERY = counts("attempts", "recovered")


def _recovery_rows(params: Params, group: str, raw_key: str) -> list[dict]:
    """{"key", "attempts", "recovered"} per value of a grouping, for the groups with at
    least one recovery attempt: from the rollups of `group` (their item, or the
    channel), else from the interactions grouped by `raw_key`."""
    column = "channel_id" if group == "base" else "item_id"
    rows = rollups.read(params, _recovery_tally_rows, group, column=column)
    if rows is not None:
        if group == "archetype":  # stored as small numbers
            return [{**row, "key": rollups.ARCHETYPE_CODES.get(row["key"])} for row in rows]
        return [{**row, "key": rollups.nonzero(row["key"])} for row in rows]
    return read(params, _recovery_raw, key=raw_key)


def _recovery_row(key, label: str, row: dict) -> dict:
    return {
        "key": key,
        "label": label,
        "attempts": row["attempts"],
        "recovered": row["recovered"],
        "rate": rate(row["recovered"], row["attempts"]),
    }


def agent_sums(params: Params) -> list[dict] | None:
    """Per agent with any interaction in the range: {"item_id", "total", "attempts",
    "recovered"}, from the agent rollups in one pass, which the people of the agent-load
    table and recovery by agent share (each read every agent's days before); None when
    the rollups do not answer the filters."""
    return rollups.read(params, _agent_sum_rows, "agent")


def recovery_by_agent(params: Params, sums: list[dict] | None = None) -> list[dict]:
    """Per agent, alphabetically by display name (never a ranking of people). `sums`
    from agent_sums, when the caller has them."""

    if sums is None:
        rows = _recovery_rows(params, "agent", "agent_id")
    else:
        rows = [
            {"key": row["item_id"], "attempts": row["attempts"], "recovered": row["recovered"]}
            for row in sums
            if row["attempts"]
        ]
    names = people_names([row["key"] for row in rows])
    result = [_recovery_row(row["key"], names[row["key"]][0], row) for row in rows]
    return sorted(result, key=lambda item: (item["label"].casefold(), item["key"]))


def _template_titles(ids):
    return ResponseTemplate.objects.filter(pk__in=ids).order_by().values_list("id", "title")


def recovery_by_template(params: Params) -> list[dict]:
    """Per response template used (and "no template"), by title."""
    rows = _recovery_rows(params, "template", "response_template_id")
    titles = dict(for_ids("template titles", _template_titles, [row["key"] for row in rows]))
    merged: dict[int | None, dict] = {}
    for row in rows:
        # A template deleted since leaves its interactions without one (SET_NULL); its
        # rollup rows still carry its id.
        key = row["key"] if row["key"] in titles else None
        item = merged.setdefault(key, {"attempts": 0, "recovered": 0})
        item["attempts"] += row["attempts"]
        item["recovered"] += row["recovered"]
    result = [_recovery_row(key, titles.get(key, ""), row) for key, row in merged.items()]
    # Templates by title; "no template" last.
    return sorted(result, key=lambda r: (r["key"] is None, r["label"].casefold(), r["key"] or 0))


def recovery_by_channel(params: Params, ref: Reference) -> list[dict]:
    found = {row["key"]: row for row in _recovery_rows(params, "base", "channel_id")}
    return [
        _recovery_row(channel.code, channel.name, found[channel.pk])
        for channel in ref.channels
        if channel.pk in found
    ]


def recovery_by_archetype(params: Params) -> list[dict]:
    """Per archetype of the customer (as it is now), the board's order, then unclassified."""
    rows = _recovery_rows(params, "archetype", "customer__archetype")
    found = {row["key"]: row for row in rows}
    labels = dict(Archetype.choices)
    return [
        _recovery_row(code, str(labels.get(code, "")), found[code])
        for code in (*BOARD_ORDER, None)
        if code in found
    ]


def recovery_by_period(trend: list[dict]) -> list[dict]:
    """Per period, from the trend's rows (the same query)."""
    return [
        {
            "key": item["start"],
            "date_from": item["date_from"],
            "date_to": item["date_to"],
            "attempts": item["attempts"],
            "recovered": item["recovered"],
            "rate": item["recovery_rate"],
        }
        for item in trend
    ]


# --- Complaints past their channel's response target ------------------------------------


OVERDUE_COLUMNS = (
    "id",
    "occurred_at",
    "complaint_status",
    "channel_id",
    "customer_id",
    "customer__name",
    "agent__username",
    "agent__first_name",
    "agent__last_name",
)


@dataclass
class OverdueComplaint:
    """A row of the overdue panel and its export: the columns they show, read as values
    (fifty model instances, with their customer and agent, cost more than the SQL)."""

    pk: int
    occurred_at: dt.datetime
    deadline: dt.datetime
    complaint_status: str
    channel: Channel | None
    customer_id: int
    customer_name: str
    agent: SimpleNamespace  # username, first_name, last_name: what person_name reads
    overdue_by: dt.timedelta


def overdue_complaints(params: Params, ref: Reference, limit: int = OVERDUE_SHOWN) -> dict:
    """Open and in-progress complaints past their channel's target now, oldest first,
    whenever they were logged (the agent / channel / touchpoint filters apply, the date
    range does not: an old complaint still open is the most urgent). Also how many
    complaints logged in the date range were resolved after their target.

    The counts by status come from the rollups when they answer (every complaint
    unresolved, less the few not due yet); else the statement listing the oldest counts
    them too, window counts over all it found before its limit."""
    targets = tuple(ref.channel_targets)
    # Each channel's cutoff, a value of the prepared statements (as `cut_<channel id>`).
    cuts = {
        f"cut_{channel}": cut for channel, cut in predicates.cutoffs(params.now, targets).items()
    }
    counted = not rollups.reading() or bool(params.agent_id)
    found = read(
        params,
        _overdue_rows,
        dates=False,
        moments=cuts,
        limit=limit,
        counted=counted,
    )
    channels = ref.by_id("channels")
    # Each row is on a channel with a target (the cutoffs select them): its deadline is
    # the time logged plus that target.
    allowed = {channel: dt.timedelta(hours=hours) for channel, hours in targets}
    rows = []
    for row in found:
        deadline = row["occurred_at"] + allowed[row["channel_id"]]
        rows.append(
            OverdueComplaint(
                pk=row["id"],
                occurred_at=row["occurred_at"],
                deadline=deadline,
                complaint_status=row["complaint_status"],
                channel=channels.get(row["channel_id"]),
                customer_id=row["customer_id"],
                customer_name=row["customer__name"],
                agent=SimpleNamespace(
                    username=row["agent__username"],
                    first_name=row["agent__first_name"],
                    last_name=row["agent__last_name"],
                ),
                overdue_by=params.now - deadline,
            )
        )
    if counted:
        # Every row carries the counts of all (window counts before the limit).
        counts = {key: found[0][f"all_{key}"] if found else 0 for key in OVERDUE_STATUSES}
    else:
        counts = _overdue_counts_from_rollups(params, cuts, targets)
    late = rollups.read(params, _resolved_late_rows)
    if late is None:
        late = read(params, _resolved_late_raw, targets=targets)
    return {
        "rows": rows,
        "resolved_late": rollups.one(late)["n"],
        "total": counts["open"] + counts["in_progress"],
        **counts,
    }


def _given_cuts(moments: dict) -> dict[int, dt.datetime]:
    return {int(name.removeprefix("cut_")): cut for name, cut in moments.items()}


OVERDUE_STATUSES = {"open": ComplaintStatus.OPEN, "in_progress": ComplaintStatus.IN_PROGRESS}
BY_STATUS = {
    key: Count("id", filter=Q(complaint_status=value)) for key, value in OVERDUE_STATUSES.items()
}


def _overdue_rows(rows, limit, counted, **cuts):
    # The columns the rows and the export show (the channel from the page's reference
    # rows, not joined again); with `counted`, each row also carries the counts by
    # status of every row found, before the limit.
    rows = rows.filter(predicates.overdue_before_q(_given_cuts(cuts)))
    columns = OVERDUE_COLUMNS
    if counted:
        rows = rows.annotate(**{f"all_{key}": Window(count) for key, count in BY_STATUS.items()})
        columns += tuple(f"all_{key}" for key in BY_STATUS)
    return rows.values(*columns).order_by("occurred_at", "id")[:limit]


def _not_yet_due_by_status(rows, **cuts):
    return rollups.whole(rows.filter(predicates.not_due_before_q(_given_cuts(cuts))), **BY_STATUS)


def _overdue_counts_from_rollups(params: Params, cuts: dict, targets) -> dict:
    """Open and in-progress complaints past their target: the complaints not resolved
    yet on a channel with a target (their monthly rows hold every day) minus those
    whose target has not passed (the most recent, few, from the index)."""
    rows = DailyTally.objects.filter(
        kind=rollups.BASE_MONTHS, channel_id__in=[channel_id for channel_id, _hours in targets]
    )
    if params.channel is not None:
        rows = rows.filter(channel_id=params.channel.pk)
    if params.touchpoint is not None:
        rows = rows.filter(touchpoint_id=params.touchpoint.pk)
    unresolved = rows.aggregate(
        open=rollups.SUMS["open_complaints"], in_progress=rollups.SUMS["in_progress_complaints"]
    )
    recent = rollups.one(read(params, _not_yet_due_by_status, dates=False, moments=cuts))
    return {key: unresolved[key] - recent[key] for key in OVERDUE_STATUSES}


# --- Touchpoint outcomes ---------------------------------------------------------------

OUTCOMES = (Outcome.SATISFIED, Outcome.INDIFFERENT, Outcome.DISSATISFIED)


def touchpoint_outcomes(params: Params, ref: Reference) -> list[dict]:
    """Per touchpoint: satisfied / indifferent / dissatisfied, and no outcome recorded."""
    rows = rollups.read(params, _touchpoint_rows)
    if rows is not None:
        rows = [{**row, "touchpoint_id": rollups.nonzero(row["touchpoint_id"])} for row in rows]
    else:
        rows = read(params, _touchpoint_raw)
    found = {row["touchpoint_id"]: row for row in rows}
    result = []
    for touchpoint in [*ref.touchpoints, None]:
        row = found.get(touchpoint.pk if touchpoint else None)
        if row is None:
            continue
        result.append({"touchpoint": touchpoint, **row})
    return result


# --- Agent load ----------------------------------------------------------------------


def _people_names(ids):
    return (
        get_user_model()
        .objects.filter(pk__in=ids)
        .values_list("pk", "username", "first_name", "last_name")
        .order_by()
    )


def people_names(ids: list[int]) -> dict[int, tuple[str, str]]:
    """(display name, user name) of some people, reading only the name columns."""
    from .templatetags.emotioncare import person_name

    rows = for_ids("people names", _people_names, ids)
    return {
        pk: (person_name(SimpleNamespace(username=user, first_name=first, last_name=last)), user)
        for pk, user, first, last in rows
    }


def agent_load_people(params: Params, sums: list[dict] | None = None) -> list[dict]:
    """The agents with any interaction in the range, alphabetically: {"agent_id", "name",
    "username"} (two queries, one with `sums` from agent_sums). The panel shows a page
    of them."""

    tallies = rollups.tallies(params, "agent")
    if sums is not None:
        ids = [row["item_id"] for row in sums]
    elif tallies is not None:
        ids = tallies.filter(total__gt=0).values_list("item_id", flat=True).distinct()
    else:
        ids = read(params, _agent_ids_raw)
    return _named_people(list(ids))


def _named_people(ids: list[int]) -> list[dict]:
    result = [
        {"agent_id": pk, "name": name, "username": username}
        for pk, (name, username) in people_names(ids).items()
    ]
    return sorted(result, key=lambda item: (item["name"].casefold(), item["agent_id"]))


def agent_load(params: Params, people: list[dict] | None = None) -> list[dict]:
    """Per agent (alphabetically; `people` from agent_load_people, else everyone with
    any interaction in the range): interactions and negative starts, days with any, the
    daily average, the busiest day and the most negative starts in one day. One query,
    window functions over the agents' days, from the rollups or else from the
    interactions (one agent's, or few); then the names when `people` are not given."""
    ids = None if people is None else [person["agent_id"] for person in people]
    tallies = rollups.tallies(params, "agent", months=False)  # each day: the busiest
    if tallies is not None:
        days = tallies.filter(total__gt=0)
        if ids is not None:
            days = days.filter(item_id__in=ids)
        found = _load_from_tallies(days)
    else:
        found = _load_from_interactions(params, ids)
    by_agent = {row["agent_id"]: row for row in found}
    if people is None:
        people = _named_people(list(by_agent))
    result = []
    for person in people:
        row = by_agent.get(person["agent_id"])
        if row is not None:
            result.append({**person, **row, "daily_average": row["total"] / row["active_days"]})
    return result


def _agent_periods(rows, period: str, name: str):
    """Interactions and negative starts per agent and local day, week or month (the
    period's first day as `name`): agent load read from the interactions."""
    return (
        rows.annotate(**{name: period_bucket(period)})
        .values("agent_id", name)
        .annotate(total=Count("id"), negative=Count("id", filter=Q(start_valence=Valence.NEGATIVE)))
    )


def agent_days(params: Params) -> list[dict]:
    """Interactions and negative starts per agent and local day with any (the
    agent-load export's days, oldest first per agent): one query, from the rollups'
    days or else from the interactions."""
    tallies = rollups.tallies(params, "agent", months=False)
    if tallies is not None:
        rows = (
            tallies.filter(total__gt=0)
            .values_list("item_id", "day", "total", "negative")
            .order_by("item_id", "day")
        )
    else:
        rows = (
            _agent_periods(interactions_in(params), DAY, "day")
            .values_list("agent_id", "day", "total", "negative")
            .order_by("agent_id", "day")
        )
    return [
        {"agent_id": agent_id, "day": as_date(day), "total": total, "negative": negative}
        for agent_id, day, total, negative in rows
    ]


def agent_load_bins(
    params: Params, period: str, agent_ids: list[int]
) -> dict[int, dict[dt.date, tuple[int, int]]]:
    """For some agents (a page of the table): interactions and negative starts per day,
    week or month (the sparkline's columns), keyed by the period's first day. One query."""
    tallies = rollups.tallies(params, "agent", months=period == MONTH)
    if tallies is not None:
        rows = (
            tallies.filter(total__gt=0, item_id__in=agent_ids)
            .annotate(bin=day_bucket(period))
            .values("bin", agent_id=F("item_id"))
            .annotate(total=Sum("total"), negative=Sum("negative"))
        )
    else:
        rows = _agent_periods(interactions_in(params).filter(agent_id__in=agent_ids), period, "bin")
    bins: dict[int, dict] = {}
    for row in rows:
        bins.setdefault(row["agent_id"], {})[as_date(row["bin"])] = (row["total"], row["negative"])
    return bins


def _load_from_tallies(days: QuerySet) -> list[dict]:
    per_agent = [F("item_id")]
    rows = (
        days.annotate(
            agent_total=Window(Sum("total"), partition_by=per_agent),
            agent_negative=Window(Sum("negative"), partition_by=per_agent),
            active_days=Window(Count("id"), partition_by=per_agent),
            max_negative=Window(Max("negative"), partition_by=per_agent),
            rank=Window(
                RowNumber(),
                partition_by=per_agent,
                order_by=[F("total").desc(), F("day").desc()],
            ),
        )
        .filter(rank=1)
        .values(
            "item_id", "day", "total", "agent_total", "agent_negative", "active_days",
            "max_negative",
        )
    )  # fmt: skip
    return _per_agent(rows, "item_id")


def _per_agent(rows, agent: str) -> list[dict]:
    """The one row per agent of _load_from_tallies and _load_rows (its busiest day, with
    the agent's totals beside it), as agent_load gives them."""
    return [
        {
            "agent_id": row[agent],
            "total": row["agent_total"],
            "negative": row["agent_negative"],
            "active_days": row["active_days"],
            "busiest_day": as_date(row["day"]),
            "busiest_total": row["total"],
            "max_negative": row["max_negative"],
        }
        for row in rows
    ]


class _OverGroups(Func):
    """SUM / COUNT / MAX of the grouped rows' own aggregates, as a window function:
    Django's aggregates refuse to take an aggregate, a window over groups may."""

    window_compatible = True
    output_field = IntegerField()


def _load_rows(rows):
    """Each agent's days (local), totalled per agent by window functions over the days,
    the busiest day ranked first: one row per agent, as _load_from_tallies gives."""
    per_agent = [F("agent_id")]
    return (
        _agent_periods(rows, DAY, "day")
        .annotate(
            agent_total=Window(_OverGroups(F("total"), function="SUM"), partition_by=per_agent),
            agent_negative=Window(
                _OverGroups(F("negative"), function="SUM"), partition_by=per_agent
            ),
            active_days=Window(_OverGroups(template="COUNT(*)"), partition_by=per_agent),
            max_negative=Window(_OverGroups(F("negative"), function="MAX"), partition_by=per_agent),
            rank=Window(
                RowNumber(),
                partition_by=per_agent,
                order_by=[F("total").desc(), F("day").desc()],
            ),
        )
        .filter(rank=1)
        .order_by()
    )


def _load_from_interactions(params: Params, agent_ids: list[int] | None) -> list[dict]:
    if agent_ids is None or params.agent_id:  # everyone, or the one agent filtered on
        rows = read(params, _load_rows)
    else:
        rows = _load_rows(interactions_in(params).filter(agent_id__in=agent_ids))
    return _per_agent(rows, "agent_id")


# --- Phrase-guide hits ---------------------------------------------------------------

# One statement per backend: the filtered interactions (compiled by the ORM, with their
# parameters) expanded into one row per stored hit. Only ORM-compiled SQL is placed in
# {base}; every value travels as a parameter.
PHRASE_HITS_SQL = {
    "sqlite": (
        "SELECT json_extract(hit.value, '$.code') AS code, base.bucket AS bucket, "
        "COUNT(*) AS hits, COUNT(DISTINCT base.id) AS interactions "
        "FROM ({base}) AS base, json_each(base.phrase_warnings) AS hit "
        "WHERE json_type(base.phrase_warnings) = 'array' "
        "GROUP BY 1, 2 ORDER BY 1, 2"
    ),
    "postgresql": (
        "SELECT hit ->> 'code' AS code, base.bucket AS bucket, "
        "COUNT(*) AS hits, COUNT(DISTINCT base.id) AS interactions "
        "FROM ({base}) AS base "
        "CROSS JOIN LATERAL jsonb_array_elements(base.phrase_warnings) AS hit "
        "WHERE jsonb_typeof(base.phrase_warnings) = 'array' "
        "GROUP BY 1, 2 ORDER BY 1, 2"
    ),
}


def phrase_hit_rows(params: Params) -> list[dict]:
    """(rule code, period, hits, interactions) for the stored phrase-guide hits of the
    filtered interactions: one statement, the JSON expanded by the database."""
    template = PHRASE_HITS_SQL.get(connection.vendor)
    if template is None:
        raise NotImplementedError(f"phrase hits are not written for {connection.vendor}")
    base = (
        interactions_in(params)
        .exclude(phrase_warnings=[])  # ix_phrase_hits_covering: the few rows with a hit
        .annotate(bucket=bucket(params))
        .values("id", "bucket", "phrase_warnings")
    )
    base_sql, base_params = base.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(template.format(base=base_sql), base_params)
        return [
            {"code": code, "period": as_date(period), "hits": hits, "interactions": count}
            for code, period, hits, count in cursor.fetchall()
            if code
        ]


def phrase_rule_phrases(language: str) -> dict[str, str]:
    """Each rule code's phrase, in `language` where the rule has a row in it."""
    phrases: dict[str, str] = {}
    for code, lang, phrase in PhraseRule.objects.order_by("code", "id").values_list(
        "code", "language", "phrase"
    ):
        if code not in phrases or lang == language:
            phrases[code] = phrase
    return phrases


def phrase_hits(params: Params, language: str) -> list[dict]:
    """Per rule (most hits first): its phrase, hits and interactions in all, and per
    period. Two queries."""
    per_rule: dict[str, dict] = {}
    calendar = periods(params)
    for row in phrase_hit_rows(params):
        rule = per_rule.setdefault(row["code"], {"code": row["code"], "by_period": {}})
        rule["by_period"][row["period"]] = row
    phrases = phrase_rule_phrases(language)
    result = []
    for code, rule in per_rule.items():
        cells = [
            {**item, **rule["by_period"].get(item["start"], {"hits": 0, "interactions": 0})}
            for item in calendar
        ]
        result.append(
            {
                "code": code,
                "phrase": phrases.get(code, code),
                "hits": sum(cell["hits"] for cell in cells),
                # Each interaction falls in one period, so this is the distinct count.
                "interactions": sum(cell["interactions"] for cell in cells),
                "periods": cells,
            }
        )
    return sorted(result, key=lambda item: (-item["hits"], item["code"]))


# --- Skill reviews -----------------------------------------------------------------


def skill_averages(params: Params) -> dict:
    """Team averages per skill (1-5) of the reviews of the filtered interactions, in all
    and per period of the interaction. Two queries; empty when nothing was reviewed."""
    overall = rollups.one(read(params, _skills_overall))
    if not overall["reviews"]:
        return {"reviews": 0, "interactions": 0, "skills": [], "periods": []}
    rows = read(params, _skills_by_period, period=params.period)
    found = {as_date(row.pop("bucket")): row for row in rows}
    empty = {"reviews": 0, "interactions": 0, **dict.fromkeys(Skill.values)}
    return {
        "reviews": overall["reviews"],
        "interactions": overall["interactions"],
        "skills": [
            {"code": skill.value, "label": skill.label, "average": overall[skill.value]}
            for skill in Skill
        ],
        "periods": [
            {**item, "averages": [item[skill] for skill in Skill.values]}
            for item in _merge(periods(params), found, empty)
            if item["reviews"]
        ],
    }


SKILL_AVERAGES = {skill: Avg(skill) for skill in Skill.values}


def _reviews_of(interactions):
    return SkillReview.objects.filter(interaction__in=interactions.values("pk")).order_by()


def _skills_overall(rows):
    return rollups.whole(
        _reviews_of(rows),
        reviews=Count("id"),
        interactions=Count("interaction_id", distinct=True),
        **SKILL_AVERAGES,
    )


def _skills_by_period(rows, period):
    return (
        _reviews_of(rows)
        .annotate(bucket=period_bucket(period, "interaction__occurred_at"))
        .values("bucket")
        .annotate(
            reviews=Count("id"),
            interactions=Count("interaction_id", distinct=True),
            **SKILL_AVERAGES,
        )
        .order_by("bucket")
    )


# --- The archetype board ------------------------------------------------------------------


def _board_group(archetype, per_group: int):
    return (
        Customer.objects.filter(archetype=archetype, last_contact_at__isnull=False)
        .order_by("-last_contact_at", "-id")
        .values("id", "name", "archetype", "last_contact_at")[:per_group]
    )


def _board_customers(archetype: str, per_group: int) -> list[dict]:
    """A group's most recently contacted customers, by a prepared statement per group
    size; none for a size of 0 (the export, which lists the counts only)."""
    if not per_group:
        return []
    return shaped(
        ("board group", per_group),
        lambda archetype: _board_group(archetype, per_group),
        archetype="text",
    )(archetype=archetype)


# The board's count of customers without an archetype (prepared: every page runs it;
# COUNT(*) reads customer_archetype_idx alone, COUNT(id) the table).
UNCLASSIFIED_COUNT = Prepared(
    lambda: rollups.whole(Customer.objects.filter(archetype__isnull=True), n=Count("*"))
)


def archetype_board(params: Params, ref: Reference, per_group: int = BOARD_CUSTOMERS) -> dict:
    """The four groups as they are now, the at-risk group first: how many customers,
    the change over the date range (archetype changes in it: entered minus left), and
    the customers with the most recent contact (at most `per_group` each), each with
    their last emotion and the valence of their last contacts. Seven queries."""
    # Customers per archetype and the changes in the range grouped by (from, to), from
    # the changes counted per day (rollups.archetype_changes), "none" from the index;
    # else counted from the customers and one pass over ix_archetype_change_time.
    entered: dict[str, int] = {}
    left: dict[str, int] = {}
    if rollups.reading():
        counts, changes = rollups.archetype_changes(params)
        counts[None] = rollups.one(UNCLASSIFIED_COUNT())["n"]
    else:
        counts = {
            row["archetype"]: row["n"]
            for row in Customer.objects.values("archetype").annotate(n=Count("*")).order_by()
        }
        changes = (
            ArchetypeChange.objects.filter(changed_at__gte=params.start, changed_at__lt=params.end)
            .values("archetype", "previous")
            .annotate(n=Count("id"))
            .order_by()
        )
    for row in changes:
        if row["archetype"] != row["previous"]:
            entered[row["archetype"]] = entered.get(row["archetype"], 0) + row["n"]
            left[row["previous"]] = left.get(row["previous"], 0) + row["n"]
    # Each group's most recently contacted customers straight from customer_board_idx
    # (archetype, -last_contact_at, -id): one short index read per group.
    shown = [
        {**row, "last_contact": row.pop("last_contact_at")}
        for code in BOARD_ORDER
        for row in _board_customers(code, per_group)
    ]
    contacts = _last_contacts([row["id"] for row in shown], ref)
    labels = dict(Archetype.choices)
    from .advice import archetype_advice

    groups = []
    for code in BOARD_ORDER:
        came, went = entered.get(code, 0), left.get(code, 0)
        customers = [
            {**row, **contacts.get(row["id"], {"last_emotion": None, "trend": []})}
            for row in shown
            if row["archetype"] == code
        ]
        groups.append(
            {
                "code": code,
                "label": labels[code],
                "advice": archetype_advice(code),
                "count": counts.get(code, 0),
                "entered": came,
                "left": went,
                "change": came - went,
                "customers": customers,
                "at_risk": code == Archetype.LOYAL_ANNOYED,
            }
        )
    return {"groups": groups, "unclassified": counts.get(None, 0)}


def _last_contacts(customer_ids: list[int], ref: Reference) -> dict[int, dict]:
    """For a few customers, the valence of their last contacts, oldest first, and the
    last emotion (at the end, or at the start when no end was recorded). One query:
    a window numbers each customer's contacts, newest first, and keeps the first few."""
    if not customer_ids:
        return {}
    rows = (
        Interaction.objects.filter(customer_id__in=customer_ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("customer_id")],
                order_by=[F("occurred_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=TREND_CONTACTS)
        .values(
            "customer_id",
            "rank",
            "start_valence",
            "end_valence",
            "emotion_start_id",
            "emotion_end_id",
        )
        .order_by("customer_id", "-rank")
    )
    result: dict[int, dict] = {}
    for row in rows:
        item = result.setdefault(row["customer_id"], {"trend": [], "last_emotion": None})
        item["trend"].append(row["end_valence"] or row["start_valence"])
        if row["rank"] == 1:
            emotion_id = row["emotion_end_id"] or row["emotion_start_id"]
            item["last_emotion"] = ref.emotion_by_id.get(emotion_id)
    return result
