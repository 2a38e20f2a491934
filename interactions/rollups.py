"""The dashboard's daily rollups (docs/dashboard.md, "Speed"): DailyTally rows.

A 90-day range of a busy team holds hundreds of thousands of interactions; the
dashboard's default view (and one channel's or one touchpoint's) reads a few thousand
rows of counts per local day instead. One agent's view keeps reading the interactions
(ix_agent_time finds a few thousand rows).

Each kind groups by its own columns. The counts are the dashboard's definitions
(predicates.py), computed by the database from the interactions in the same statement
that adds them: `INSERT ... SELECT ... GROUP BY ... ON CONFLICT DO UPDATE SET n = n +
excluded.n`. So a write is added by one statement, concurrent writers add to the same
row safely, and there is one definition of every count, the same SQL for one saved
interaction, an import of 100,000 and the rebuild.

Who keeps them current (explicitly, no signals): the services that create, correct and
move interactions (`track`), an archetype's change (`track` with ARCHETYPE_KINDS), the
import (`add`), seed_demo and `recompute_rollups` (`rebuild`), the Django admin.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Iterable, Iterator

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from . import predicates
from .models import (
    Archetype,
    ArchetypeChange,
    ArchetypeTally,
    Customer,
    DailyTally,
    Interaction,
    Outcome,
    Valence,
)
from .prepared import finish_key, shaped

COUNTS = {
    "total": Count("id"),
    "positive": Count("id", filter=Q(start_valence=Valence.POSITIVE)),
    "neutral": Count("id", filter=Q(start_valence=Valence.NEUTRAL)),
    "negative": Count("id", filter=Q(start_valence=Valence.NEGATIVE)),
    "ended": Count("id", filter=predicates.ended_q()),
    "improved": Count("id", filter=predicates.improved_q()),
    "attempts": Count("id", filter=predicates.recovery_attempt_q()),
    "recovered": Count("id", filter=Q(recovered=True)),
    "satisfied": Count("id", filter=Q(outcome=Outcome.SATISFIED)),
    "indifferent": Count("id", filter=Q(outcome=Outcome.INDIFFERENT)),
    "dissatisfied": Count("id", filter=Q(outcome=Outcome.DISSATISFIED)),
    "no_outcome": Count("id", filter=Q(outcome="")),
    # Complaints resolved after their channel's target (the overdue panel).
    "resolved_late": Count("id", filter=predicates.resolved_late_joined_q()),
    # Complaints not resolved yet, by status (the overdue panel's counts: those of them
    # not yet past their target are few and read from the index).
    "open_complaints": Count("id", filter=Q(is_complaint=True, complaint_status="open")),
    "in_progress_complaints": Count(
        "id", filter=Q(is_complaint=True, complaint_status="in_progress")
    ),
}
KEYS = ("kind", "day", "channel_id", "touchpoint_id", "item_id")

# The archetype a customer has now, as a small integer (0: none).
ARCHETYPE_NUMBERS = {code: number for number, code in enumerate(Archetype.values, start=1)}
ARCHETYPE_CODES = {number: code for code, number in ARCHETYPE_NUMBERS.items()}

ZERO = Value(0, output_field=IntegerField())
CHANNEL = Coalesce("channel_id", ZERO)
TOUCHPOINT = Coalesce("touchpoint_id", ZERO)


def _archetype():
    return Case(
        *(When(customer__archetype=code, then=Value(n)) for code, n in ARCHETYPE_NUMBERS.items()),
        default=ZERO,
        output_field=IntegerField(),
    )


# kind -> (channel, touchpoint, item) expressions over the interactions.
KINDS = {
    "base": lambda: (CHANNEL, TOUCHPOINT, ZERO),
    "emotion": lambda: (CHANNEL, TOUCHPOINT, Coalesce("emotion_start_id", ZERO)),
    "template": lambda: (CHANNEL, TOUCHPOINT, Coalesce("response_template_id", ZERO)),
    "archetype": lambda: (CHANNEL, TOUCHPOINT, _archetype()),
    # The same three for the unfiltered view: a day's rows are then the items alone.
    "emotion_all": lambda: (ZERO, ZERO, Coalesce("emotion_start_id", ZERO)),
    "template_all": lambda: (ZERO, ZERO, Coalesce("response_template_id", ZERO)),
    "archetype_all": lambda: (ZERO, ZERO, _archetype()),
    "agent": lambda: (ZERO, ZERO, Coalesce("agent_id", ZERO)),
    "agent_channel": lambda: (CHANNEL, ZERO, Coalesce("agent_id", ZERO)),
    "agent_touchpoint": lambda: (ZERO, TOUCHPOINT, Coalesce("agent_id", ZERO)),
}
# Each kind is kept per local day and, as "<kind>_m", per calendar month (the row's day
# is the month's first): a range of whole months reads one row a month instead of ~30
# (two years of one channel's agents: 4,800 rows instead of 146,000).
MONTHLY = "_m"
DAILY_KINDS = tuple(KINDS)
ALL_KINDS = DAILY_KINDS + tuple(kind + MONTHLY for kind in DAILY_KINDS)
# Every interaction, whatever its day, by channel and touchpoint (counts over all time).
BASE_MONTHS = "base" + MONTHLY
# The kinds that depend on the customer's archetype (to move when it changes).
ARCHETYPE_KINDS = ("archetype", "archetype_all", "archetype_m", "archetype_all_m")
# The groups with a kind of their own for the unfiltered view.
UNFILTERED_KINDS = {
    "emotion": "emotion_all",
    "template": "template_all",
    "archetype": "archetype_all",
}


def reading() -> bool:
    """Whether the dashboard reads the rollups (EMOTIONCARE_DASHBOARD_ROLLUPS)."""
    from django.conf import settings

    return settings.EMOTIONCARE_DASHBOARD_ROLLUPS


# --- Writing --------------------------------------------------------------------------


def _grouped(interactions: QuerySet, kind: str, names: tuple = tuple(COUNTS)) -> tuple[str, tuple]:
    daily = kind.removesuffix(MONTHLY)
    channel, touchpoint, item = KINDS[daily]()
    zone = timezone.get_current_timezone()
    if daily == kind:
        day = TruncDate("occurred_at", tzinfo=zone)
    else:
        day = TruncMonth("occurred_at", output_field=DateField(), tzinfo=zone)
    queryset = (
        interactions.order_by()
        .annotate(
            t_kind=Value(kind, output_field=CharField()),
            t_day=day,
            t_channel=channel,
            t_touchpoint=touchpoint,
            t_item=item,
        )
        .values("t_kind", "t_day", "t_channel", "t_touchpoint", "t_item")
        .annotate(**{f"t_{name}": COUNTS[name] for name in names})
    )
    return queryset.query.sql_with_params()


def _apply(
    interactions: QuerySet, sign: int, kinds: Iterable[str], tally_model=None, ordered=False
) -> None:
    """Add (sign 1) or take away (sign -1) what `interactions` count for in `kinds`: one
    statement. `ordered` writes new rows in the order the dashboard reads them (a
    rebuild: one channel's or touchpoint's days then lie in neighbouring pages)."""
    kinds = tuple(kinds)
    if not kinds:
        return
    statement, params = _statement(
        interactions, 1 if sign > 0 else -1, kinds, tally_model, ordered=ordered
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


# The id the statement for one interaction is written with, then replaced by the real one.
_ONE = -(2**62) + 7


@functools.lru_cache(maxsize=64)
def _statement_for_one(sign: int, kinds: tuple, vendor: str, zone: str) -> tuple[str, tuple]:
    # Compiling seven grouped querysets costs milliseconds of Python; one interaction's
    # statement differs only by its id, so it is compiled once per process.
    return _statement(Interaction.objects.filter(pk=_ONE), sign, kinds)


def _apply_one(pk: int, sign: int, kinds: Iterable[str]) -> None:
    kinds = tuple(kinds)
    statement, params = _statement_for_one(
        sign, kinds, connection.vendor, timezone.get_current_timezone_name()
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [pk if value == _ONE else value for value in params])


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _statement(
    interactions: QuerySet,
    sign: int,
    kinds: tuple,
    tally_model=None,
    names=tuple(COUNTS),
    ordered=False,
):
    tally_model = tally_model or DailyTally
    quote = connection.ops.quote_name
    # The counts the table has (a migration's historical model may predate some).
    stored = [name for name in COUNTS if _has_field(tally_model, name)]
    names = [name for name in names if name in stored]
    selects, params = [], []
    for kind in kinds:
        sql, kind_params = _grouped(interactions, kind, tuple(names))
        columns = [f"s.{quote('t_' + name.removesuffix('_id'))}" for name in KEYS]
        # Counts left out (a recount of one) are written as 0 for a new row, kept on others.
        counts = [f"{sign} * s.{quote('t_' + name)}" if name in names else "0" for name in stored]
        selects.append(f"SELECT {', '.join(columns + counts)} FROM ({sql}) s WHERE 1 = 1")
        params.extend(kind_params)
    # ix_tally_scope's order: kind, channel, touchpoint, day, then the item.
    order = " ORDER BY 1, 3, 4, 2, 5" if ordered else ""
    select = f"{' UNION ALL '.join(selects)}{order}"
    return _upsert(tally_model, KEYS, stored, names, select), tuple(params)


def _upsert(tally_model, keys, columns, added, select: str) -> str:
    """INSERT the rows of `select` (the key columns, then `columns`) into a tally table;
    a row already there gets the `added` columns added to it."""
    quote = connection.ops.quote_name
    table = quote(tally_model._meta.db_table)
    key_columns = ", ".join(quote(name) for name in keys)
    updates = ", ".join(
        f"{quote(name)} = {table}.{quote(name)} + excluded.{quote(name)}" for name in added
    )
    return (
        f"INSERT INTO {table} ({key_columns}, {', '.join(quote(name) for name in columns)}) "
        f"{select} ON CONFLICT ({key_columns}) DO UPDATE SET {updates}"
    )


def add(interactions: QuerySet, kinds: Iterable[str] = ALL_KINDS) -> None:
    """Count `interactions` in (e.g. just created or imported)."""
    _apply(interactions, 1, kinds)


def add_one(pk: int, kinds: Iterable[str] = ALL_KINDS) -> None:
    """Count one interaction in (just logged)."""
    _apply_one(pk, 1, kinds)


def remove(interactions: QuerySet, kinds: Iterable[str] = ALL_KINDS) -> None:
    """Count `interactions` out (before they are deleted)."""
    _apply(interactions, -1, kinds)


@contextlib.contextmanager
def track(interactions: QuerySet, kinds: Iterable[str] = ALL_KINDS) -> Iterator[None]:
    """Around a change to some interactions (or to what they are grouped by, e.g. their
    customer's archetype): count them out as they are before, and in as they are after.
    The set is fixed on entry (by id), so a change that moves a row out of the filter
    is still counted in where it went; a row deleted inside is counted out only.

    Must run in the transaction of the change; the rows are locked on entry so two
    corrections of the same interaction cannot both take away the same old state."""
    kinds = tuple(kinds)
    with transaction.atomic():
        ids = list(interactions.order_by("pk").select_for_update().values_list("pk", flat=True))
        if len(ids) == 1:
            _apply_one(ids[0], -1, kinds)
            yield
            _apply_one(ids[0], 1, kinds)
            return
        rows = Interaction.objects.filter(pk__in=ids) if ids else None
        if rows is not None:
            _apply(rows, -1, kinds)
        yield
        if rows is not None:
            _apply(rows, 1, kinds)


def _lock(model) -> None:
    """On PostgreSQL, lock a rollup table against writers until the transaction ends
    (they wait, then add their rows to the rebuilt counts)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")


def rebuild(*, apps=None) -> int:
    """Recompute every tally from the interactions (and the archetype changes' from the
    changes); returns the interaction tally rows written. On PostgreSQL the tables are
    locked against writers meanwhile."""
    interaction_model = apps.get_model("interactions", "Interaction") if apps else Interaction
    tally_model = apps.get_model("interactions", "DailyTally") if apps else DailyTally
    with transaction.atomic():
        _lock(tally_model)
        tally_model.objects.all().delete()
        for kind in ALL_KINDS:  # one statement per kind: each a single pass
            _apply(interaction_model.objects.all(), 1, [kind], tally_model, ordered=True)
        if apps is None or _has_model(apps, "ArchetypeTally"):
            rebuild_changes(apps=apps)
        return tally_model.objects.count()


def count_months(*, apps=None) -> None:
    """Write the monthly rows of every kind again from the interactions (the migration
    that introduced them; a rebuild writes them with the rest). Whatever monthly rows
    an earlier migration wrote with today's code are replaced, not added to."""
    interaction_model = apps.get_model("interactions", "Interaction") if apps else Interaction
    tally_model = apps.get_model("interactions", "DailyTally") if apps else DailyTally
    monthly = ALL_KINDS[len(DAILY_KINDS) :]
    with transaction.atomic():
        _lock(tally_model)
        tally_model.objects.filter(kind__in=monthly).delete()
        for kind in monthly:
            _apply(interaction_model.objects.all(), 1, [kind], tally_model, ordered=True)


def _has_model(apps, name: str) -> bool:
    try:
        apps.get_model("interactions", name)
    except LookupError:
        return False
    return True


# --- Archetype changes per day ------------------------------------------------------------
# The archetype board's "change over the period": ArchetypeTally counts the changes per
# local day and (previous, new) archetype, "" for none. Every writer of ArchetypeChange
# adds here in the same transaction (services.customer_set_archetype, the release, the
# rules after a save, recompute_archetypes); deleting a customer (their changes go with
# them) takes theirs away first (the admin); seed_demo rebuilds.


def _change_statement(changes: QuerySet, sign: int, tally_model) -> tuple[str, tuple]:
    quote = connection.ops.quote_name
    blank = Value("", output_field=CharField())
    grouped = (
        changes.order_by()
        .annotate(
            t_day=TruncDate("changed_at", tzinfo=timezone.get_current_timezone()),
            t_previous=Coalesce("previous", blank),
            t_archetype=Coalesce("archetype", blank),
        )
        .values("t_day", "t_previous", "t_archetype")
        .annotate(t_changes=Count("id"))
    )
    sql, params = grouped.query.sql_with_params()
    select = (
        f"SELECT s.{quote('t_day')}, s.{quote('t_previous')}, s.{quote('t_archetype')}, "
        f"{1 if sign > 0 else -1} * s.{quote('t_changes')} FROM ({sql}) s WHERE 1 = 1"
    )
    keys = ("day", "previous", "archetype")
    return _upsert(tally_model, keys, ["changes"], ["changes"], select), tuple(params)


def _apply_changes(changes: QuerySet, sign: int, tally_model=None) -> None:
    statement, params = _change_statement(changes, sign, tally_model or ArchetypeTally)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def add_changes(changes: QuerySet) -> None:
    """Count archetype changes in (just written)."""
    _apply_changes(changes, 1)


def remove_changes(changes: QuerySet) -> None:
    """Count archetype changes out (before they are deleted)."""
    _apply_changes(changes, -1)


def rebuild_changes(*, apps=None) -> None:
    """Recompute the archetype-change counts from the changes."""
    change_model = apps.get_model("interactions", "ArchetypeChange") if apps else ArchetypeChange
    tally_model = apps.get_model("interactions", "ArchetypeTally") if apps else ArchetypeTally
    with transaction.atomic():
        _lock(tally_model)
        tally_model.objects.all().delete()
        _apply_changes(change_model.objects.all(), 1, tally_model)


def archetype_changes(params=None) -> tuple[dict[str, int], list[dict]]:
    """From the changes counted per day, in one query over a few hundred rows:

    - customers per archetype now: customers start with none and every change of their
      archetype writes an ArchetypeChange, so each archetype holds the changes into it
      minus those out of it, over all days (counting 100,000 customers took 15 ms; the
      customers with no archetype are not here: count them from customer_board_idx);
    - {"previous", "archetype", "n"} per pair with any change in the dates of `params`
      (None for no archetype)."""
    in_range = Q(day__gte=params.date_from, day__lte=params.date_to) if params else Q(pk=None)
    rows = (
        ArchetypeTally.objects.values("previous", "archetype")
        .annotate(ever=Sum("changes"), n=Coalesce(Sum("changes", filter=in_range), 0))
        .order_by()
    )
    counts = dict.fromkeys(Archetype.values, 0)
    pairs = []
    for row in rows:  # one row per (previous, archetype): at most 25
        if row["archetype"] in counts:
            counts[row["archetype"]] += row["ever"]
        if row["previous"] in counts:
            counts[row["previous"]] -= row["ever"]
        if row["n"] > 0:
            pairs.append(
                {
                    "previous": row["previous"] or None,
                    "archetype": row["archetype"] or None,
                    "n": row["n"],
                }
            )
    return counts, pairs


def recount_resolved_late(*, apps=None) -> None:
    """Count the complaints resolved after their channel's target again, in every kind:
    after an admin changes a target (the admin's channel page, `load_reference_data
    --overwrite`), which moves complaints between late and on time. A pass over the
    resolved complaints, not a rebuild."""
    recount(("resolved_late",), predicates.resolved_late_joined_q(), apps=apps)


def recount(names: tuple[str, ...], rows: Q, *, apps=None) -> None:
    """Count `names` again in every kind from the interactions matching `rows` (those
    the counts can count): zeroes the rows that count any, then adds. In the caller's
    transaction; on PostgreSQL the table is locked against writers meanwhile."""
    interaction_model = apps.get_model("interactions", "Interaction") if apps else Interaction
    tally_model = apps.get_model("interactions", "DailyTally") if apps else DailyTally
    with transaction.atomic():
        _lock(tally_model)
        counted = Q()
        for name in names:
            counted |= ~Q(**{name: 0})
        tally_model.objects.filter(counted).update(**dict.fromkeys(names, 0))
        matching = interaction_model.objects.filter(rows)
        for kind in ALL_KINDS:
            statement, params = _statement(matching, 1, (kind,), tally_model, names=names)
            with connection.cursor() as cursor:
                cursor.execute(statement, params)


# --- Reading ---------------------------------------------------------------------------

SUMS = {name: Coalesce(Sum(name), 0) for name in COUNTS}


def sums(*names: str) -> dict:
    return {name: SUMS[name] for name in names}


AGENT_KINDS = {
    (False, False): "agent",
    (True, False): "agent_channel",
    (False, True): "agent_touchpoint",
}


def first_of_next_month(day):
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def span_shape(first, last, months: bool = True) -> tuple[str, dict[str, dt.date]]:
    """How `spans` cuts the local days first..last: "d" (daily rows only) or "m" (whole
    months) with "d" before and/or after it, and the days it cuts at."""
    daily = ("d", {"first": first, "last": last})
    if not months:
        return daily
    start = first if first.day == 1 else first_of_next_month(first)  # first whole month
    after = last + dt.timedelta(days=1)
    stop = after if after.day == 1 else last.replace(day=1)  # the day after the last one
    if start >= stop:
        return daily
    shape, days = "m", {"start": start, "stop": stop}
    if first < start:
        shape, days["first"] = "d" + shape, first
    if stop <= last:
        shape, days["last"] = shape + "d", last
    return shape, days


def _spans_q(kind: str, shape: str, first=None, last=None, start=None, stop=None) -> Q:
    if shape == "d":
        return Q(kind=kind, day__gte=first, day__lte=last)
    rows = Q(kind=kind + MONTHLY, day__gte=start, day__lt=stop)
    if shape.startswith("d"):
        rows |= Q(kind=kind, day__gte=first, day__lt=start)
    if shape.endswith("md"):
        rows |= Q(kind=kind, day__gte=stop, day__lte=last)
    return rows


def spans(kind: str, first, last, months: bool = True) -> Q:
    """The rows of `kind` that count the local days first..last once each: the whole
    months inside from the monthly rows, the days before and after from the daily ones
    (only daily rows when `months` is off: a week or a day cannot be cut from a
    month)."""
    shape, days = span_shape(first, last, months)
    return _spans_q(kind, shape, **days)


def _kind(params, group: str) -> str | None:
    """The rollup kind that answers `params` for `group`, or None (read the
    interactions)."""
    if not reading() or params.agent_id:
        return None
    channel, touchpoint = params.channel, params.touchpoint
    if group == "agent":
        return AGENT_KINDS.get((channel is not None, touchpoint is not None))
    if channel is None and touchpoint is None:
        return UNFILTERED_KINDS.get(group, group)
    return group


def _scope_values(params, months: bool) -> tuple[str, dict]:
    """How the range is cut (span_shape) and the values of the rows' conditions: the
    days it is cut at, and the channel and touchpoint when filtered."""
    cut, values = span_shape(params.date_from, params.date_to, months)
    if params.channel is not None:
        values["channel"] = params.channel.pk
    if params.touchpoint is not None:
        values["touchpoint"] = params.touchpoint.pk
    return cut, values


def _scoped_rows(kind: str, cut: str, values: dict) -> QuerySet[DailyTally]:
    rows = DailyTally.objects.filter(
        _spans_q(kind, cut, **{day: values[day] for day in _DAYS if day in values})
    ).order_by()
    if "channel" in values:
        rows = rows.filter(channel_id=values["channel"])
    if "touchpoint" in values:
        rows = rows.filter(touchpoint_id=values["touchpoint"])
    return rows


def tallies(params, group: str = "base", *, months: bool = True) -> QuerySet[DailyTally] | None:
    """The rows of `group` ("base", "emotion", "template", "archetype" or "agent") that
    answer the dashboard's `params`, or None when the interactions must be read instead
    (rollups off, one agent's view, or the agents of one channel and touchpoint at once).
    Whole months come from the monthly rows unless `months` is off (a reader that groups
    by day or week, or needs each day)."""
    kind = _kind(params, group)
    if kind is None:
        return None
    return _scoped_rows(kind, *_scope_values(params, months))


_DAYS = ("first", "last", "start", "stop")


def read(params, finish, group: str = "base", *, months: bool = True, **shape) -> list | None:
    """`finish(tallies(params, group, months=months), **shape)` run as a prepared
    statement (prepared.shaped), one per finish, kind, cut of the range into months and
    days, and filters present: what the dashboard's panels read from the rollups, without
    Django building and compiling their queries on every page. `finish` is a plain
    function of the rows and `shape` (everything else that shapes the statement, kept in
    its key), never of the request's values. None when the interactions must be read."""
    finisher = finish_key(finish)
    kind = _kind(params, group)
    if kind is None:
        return None
    cut, values = _scope_values(params, months)
    reader = shaped(
        ("rollups", *finisher, kind, cut, *sorted(values), *shape.items()),
        lambda **given: finish(_scoped_rows(kind, cut, given), **shape),
        **{name: "date" if name in _DAYS else "id" for name in values},
    )
    return reader(**values)


def whole(rows: QuerySet, **aggregates) -> QuerySet:
    """`rows.aggregate(**aggregates)` as a queryset of its one row (for `read`): the
    same statement, without GROUP BY."""
    return rows.order_by().values(_whole=Value(1)).annotate(**aggregates)


def one(rows: list[dict]) -> dict:
    """The row of a `whole` queryset, as `aggregate` gives it."""
    row = dict(rows[0])
    row.pop("_whole")
    return row


def nonzero(value: int) -> int | None:
    """A key column as the interactions have it (0 is "none")."""
    return value or None


def _snapshot() -> dict[tuple, tuple]:
    """The stored tallies with anything counted, by key."""
    rows = DailyTally.objects.filter(total__gt=0).values_list(*KEYS, *COUNTS)
    result = {tuple(str(v) for v in row[: len(KEYS)]): row[len(KEYS) :] for row in rows}
    changes = ArchetypeTally.objects.exclude(changes=0).values_list(
        "day", "previous", "archetype", "changes"
    )
    for day, previous, archetype, count in changes:
        result[("archetype change", str(day), previous or "-", archetype or "-")] = (count,)
    return result


CUSTOMERS_DIFFER = "customers per archetype "


def differences() -> list[str]:
    """The keys whose stored counts differ from the interactions (for `--check` and the
    tests): rebuilds in a transaction that is rolled back."""
    stored = _snapshot()
    with transaction.atomic():
        rebuild()
        fresh = _snapshot()
        transaction.set_rollback(True)
    keys = sorted(set(stored) | set(fresh))
    found = [
        f"{'/'.join(key)}: {stored.get(key)} != {fresh.get(key)}"
        for key in keys
        if stored.get(key) != fresh.get(key)
    ]
    # The board reads customers per archetype from the changes: a customer whose
    # archetype changed without a change written would show here.
    customers = dict(
        Customer.objects.exclude(archetype__isnull=True)
        .values("archetype")
        .annotate(n=Count("id"))
        .values_list("archetype", "n")
    )
    from_changes, _pairs = archetype_changes()
    found += [
        f"{CUSTOMERS_DIFFER}{code}: {from_changes[code]} from the changes != "
        f"{customers.get(code, 0)}"
        for code in Archetype.values
        if from_changes[code] != customers.get(code, 0)
    ]
    return found
