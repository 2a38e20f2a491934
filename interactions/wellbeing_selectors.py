"""Reads for "looking after agents": a day's numbers, praise, nudges, team care.

Every number is computed by the database (aggregate / values-annotate with
conditional counts); every function runs a fixed number of queries whatever the
data size. Reflection *text* is only ever read by `own_reflections`, which is
scoped to the author; the team view reads counts of days, never the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, DateField, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone

from . import roles
from .models import BreakNudge, Interaction, Reflection
from .prepared import Prepared, first

NUDGE_SHOWN_FOR = timedelta(hours=2)  # an unanswered nudge older than this is not shown
REFLECTIONS_SHOWN = 30
PRAISE_SHOWN = 50
TEAM_CARE_WEEKS = 8


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """A local calendar day as an aware [start, next start) range."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())  # Monday, as TruncWeek


# --- One agent ------------------------------------------------------------------


def day_numbers(*, agent, day: date) -> dict[str, int]:
    """The agent's interactions on a local day, the recoveries among them, and how many
    of them were marked as praise. One aggregate query over ix_agent_time."""
    start, end = day_bounds(day)
    return Interaction.objects.filter(
        agent=agent, occurred_at__gte=start, occurred_at__lt=end
    ).aggregate(
        interactions=Count("id"),
        recoveries=Count("id", filter=Q(recovered=True)),
        praise=Count("id", filter=Q(praised_at__isnull=False)),
    )


def numbers_by_day(*, agent, first: date, last: date) -> dict[date, dict[str, int]]:
    """`day_numbers` for every local day in [first, last], in one grouped query."""
    start, _ = day_bounds(first)
    _, end = day_bounds(last)
    rows = (
        Interaction.objects.filter(agent=agent, occurred_at__gte=start, occurred_at__lt=end)
        .annotate(day=TruncDate("occurred_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(
            interactions=Count("id"),
            recoveries=Count("id", filter=Q(recovered=True)),
            praise=Count("id", filter=Q(praised_at__isnull=False)),
        )
        .order_by()
    )
    return {row.pop("day"): row for row in rows}


def own_reflections(*, user, before: date, limit: int = REFLECTIONS_SHOWN) -> list[Reflection]:
    """The user's own reflections before a day, newest first: the only read of their text."""
    return list(Reflection.objects.filter(agent=user, day__lt=before).order_by("-day")[:limit])


def own_reflection(*, user, day: date) -> Reflection | None:
    return Reflection.objects.filter(agent=user, day=day).first()


def reflection_summary(*, agent, today: date) -> dict:
    """How many of the last seven days have a reflection, in all, and the latest day."""
    return Reflection.objects.filter(agent=agent).aggregate(
        last_7_days=Count("id", filter=Q(day__gt=today - timedelta(days=7), day__lte=today)),
        total=Count("id"),
        latest=Max("day"),
    )


def praise_received(*, agent, limit: int = PRAISE_SHOWN) -> QuerySet[Interaction]:
    """The agent's interactions marked as praise, newest mark first (ix_agent_praise)."""
    return (
        Interaction.objects.filter(agent=agent, praised_at__isnull=False)
        .select_related("customer", "praised_by", "emotion_start", "emotion_end")
        .order_by("-praised_at", "-id")[:limit]
    )


def nudge_counts(*, agent, since: datetime) -> dict[str, int]:
    """Break nudges offered to the agent since a moment, and how each was answered."""
    status = BreakNudge.Status
    return BreakNudge.objects.filter(agent=agent, created_at__gte=since).aggregate(
        offered=Count("id"),
        taken=Count("id", filter=Q(status=status.TAKEN)),
        dismissed=Count("id", filter=Q(status=status.DISMISSED)),
        open=Count("id", filter=Q(status=status.OFFERED)),
    )


@dataclass(frozen=True)
class CareReminders:
    """What the page frame reminds the user of: an unanswered nudge, today's reflection."""

    nudge_id: int | None
    nudge_count: int
    nudge_practice: str
    reflected_today: bool


def _open_nudges(agent, since, until):
    return BreakNudge.objects.filter(
        agent=agent,
        status=BreakNudge.Status.OFFERED,
        created_at__gte=since,
        created_at__lte=until,
    ).order_by("-created_at", "-id")


OPEN_NUDGE = Prepared(
    lambda agent, since, until: _open_nudges(agent, since, until).values_list(
        "pk", "negative_count", "practice"
    )[:1],
    agent="id",
    since="datetime",
    until="datetime",
)


def _reminders(agent, since, until, day):
    """The open nudge's columns and whether the day's reflection exists, in one row:
    the user's, with a subquery each (a nudge may not exist, the user always does)."""
    nudge = _open_nudges(OuterRef("pk"), since, until)
    return (
        get_user_model()
        .objects.filter(pk=agent)
        .values_list(
            Subquery(nudge.values("pk")[:1]),
            Subquery(nudge.values("negative_count")[:1]),
            Subquery(nudge.values("practice")[:1]),
            Exists(Reflection.objects.filter(agent=OuterRef("pk"), day=day)),
        )
    )


REMINDERS = Prepared(_reminders, agent="id", since="datetime", until="datetime", day="date")


def care_reminders(*, user, now: datetime | None = None, reflection: bool = True) -> CareReminders:
    """The user's latest unanswered nudge of the last two hours and, when `reflection`
    is asked for (the page frame asks once the shift has ended), whether today's
    reflection exists: one prepared statement (prepared.Prepared) either way, as every
    page runs it. (Built afresh, the two-subquery statement cost twice two plain ones:
    the ORM's compiling, which a prepared statement does once.)"""
    now = now or timezone.now()
    since = now - NUDGE_SHOWN_FOR
    if reflection:
        found = first(REMINDERS(agent=user.pk, since=since, until=now, day=timezone.localdate(now)))
        nudge_id, nudge_count, nudge_practice, reflected = found or (None, 0, "", False)
    else:
        nudge = first(OPEN_NUDGE(agent=user.pk, since=since, until=now))
        nudge_id, nudge_count, nudge_practice = nudge or (None, 0, "")
        reflected = False
    return CareReminders(
        nudge_id=nudge_id,
        nudge_count=nudge_count or 0,
        nudge_practice=nudge_practice or "",
        reflected_today=bool(reflected),
    )


def after_shift_end(now: datetime | None = None) -> bool:
    shift_end = time.fromisoformat(settings.EMOTIONCARE_SHIFT_END)
    return timezone.localtime(now or timezone.now()).time() >= shift_end


# --- The team (leads and admins) --------------------------------------------------


@dataclass
class TeamCareRow:
    agent_id: int
    name: str
    nudges: list[tuple[int, int]]  # per week: (offered, taken)
    reflection_days: list[int]  # per week: days with a reflection


def team_care(*, today: date | None = None, weeks: int = TEAM_CARE_WEEKS) -> dict:
    """Per person who logs interactions (agents and leads), alphabetically by name, for
    the last `weeks` weeks (Monday to Sunday, the current one last): nudges offered and
    taken, and on how many days a reflection was kept. Counts only: never the text.

    Three queries whatever the data size: the people, nudges grouped by agent and
    week, reflections grouped by agent and week."""
    from .templatetags.emotioncare import person_name

    today = today or timezone.localdate()
    week_starts = [week_start(today) - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    since, _ = day_bounds(week_starts[0])
    index = {start: position for position, start in enumerate(week_starts)}

    people = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[roles.AGENT, roles.LEAD])
        .distinct()
        .values("id", "username", "first_name", "last_name")
    )
    rows = {
        person["id"]: TeamCareRow(
            agent_id=person["id"],
            name=person_name(_Person(**person)),
            nudges=[(0, 0)] * weeks,
            reflection_days=[0] * weeks,
        )
        for person in people
    }

    nudges = (
        BreakNudge.objects.filter(created_at__gte=since)
        .annotate(
            week=TruncWeek(
                "created_at", tzinfo=timezone.get_current_timezone(), output_field=DateField()
            )
        )
        .values("agent_id", "week")
        .annotate(offered=Count("id"), taken=Count("id", filter=Q(status="taken")))
        .order_by()
    )
    for item in nudges:  # people who left a role are not listed
        row, position = rows.get(item["agent_id"]), index.get(_as_date(item["week"]))
        if row is not None and position is not None:
            row.nudges[position] = (item["offered"], item["taken"])

    reflections = (
        Reflection.objects.filter(day__gte=week_starts[0], day__lte=today)
        .annotate(week=TruncWeek("day"))
        .values("agent_id", "week")
        .annotate(days=Count("id"))
        .order_by()
    )
    for item in reflections:
        row, position = rows.get(item["agent_id"]), index.get(_as_date(item["week"]))
        if row is not None and position is not None:
            row.reflection_days[position] = item["days"]

    ordered = sorted(rows.values(), key=lambda row: (row.name.casefold(), row.agent_id))
    return {"weeks": week_starts, "rows": ordered}


@dataclass
class _Person:
    id: int
    username: str
    first_name: str
    last_name: str


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value
