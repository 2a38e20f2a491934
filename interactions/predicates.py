"""The definitions the dashboard counts by and the interactions list filters by.

Each is a `Q` (or a boolean expression) built here once, so a number on the dashboard
and the list its click-through opens cannot disagree (docs/dashboard.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import (
    BooleanField,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    Value,
)
from django.db.models.expressions import RawSQL

from .models import ArchetypeChange, ComplaintStatus, Interaction, SkillReview, Valence

NEG, NEU, POS = Valence.NEGATIVE, Valence.NEUTRAL, Valence.POSITIVE
UNRESOLVED = (ComplaintStatus.OPEN, ComplaintStatus.IN_PROGRESS)
NEVER = Q(pk__in=[])

# --- Emotion ----------------------------------------------------------------------


def ended_q() -> Q:
    """An end emotion was recorded (the rows every "at the end" share is taken over)."""
    return Q(emotion_end__isnull=False)


def improved_q() -> Q:
    """The emotion improved: the valence rank went up from start to end, with
    negative < neutral < positive. Rows without an end emotion are never improved."""
    return Q(start_valence=NEG, end_valence__in=[NEU, POS]) | Q(start_valence=NEU, end_valence=POS)


def not_improved_q() -> Q:
    """Ended, at the same or a lower valence rank than at the start."""
    return ended_q() & ~improved_q()


def recovery_attempt_q() -> Q:
    """The denominator of a recovery rate: negative at start, with an end emotion
    (product.md: interactions without an end are left out of every rate)."""
    return Q(start_valence=NEG, recovered__isnull=False)


# --- Complaints past their channel's response target ----------------------------------


def _deadline(hours: int):
    return ExpressionWrapper(
        F("occurred_at") + Value(timedelta(hours=hours)), output_field=DateTimeField()
    )


def cutoffs(now: datetime, channels: Iterable[tuple[int, int]]) -> dict[int, datetime]:
    """Per channel id: the moment a complaint logged before it is past the channel's
    target at `now`."""
    return {channel_id: now - timedelta(hours=hours) for channel_id, hours in channels}


def overdue_q(now: datetime, channels: Iterable[tuple[int, int]]) -> Q:
    """Open or in-progress complaints whose channel's response target has passed:
    occurred_at + response_target_hours < now (strictly: due exactly now is not yet late).

    `channels` is (id, response_target_hours) for every channel. One OR branch per
    channel compares the indexed timestamp with a constant, so it is portable and
    served by the partial index on complaints."""
    return overdue_before_q(cutoffs(now, channels))


def overdue_before_q(cuts: dict[int, datetime]) -> Q:
    """overdue_q with each channel's cutoff given (`cutoffs`)."""
    per_channel = _each_channel(cuts.items(), lambda cut: Q(occurred_at__lt=cut))
    return Q(is_complaint=True, complaint_status__in=UNRESOLVED) & per_channel


def _each_channel(channels: Iterable[tuple[int, object]], condition) -> Q:
    """One OR branch per (channel id, value): the channel and `condition(value)` (the
    target hours, or a cutoff)."""
    per_channel = NEVER
    for channel_id, value in channels:
        per_channel |= Q(channel_id=channel_id) & condition(value)
    return per_channel


def not_due_before_q(cuts: dict[int, datetime]) -> Q:
    """Open or in-progress complaints on a channel with a target that has not passed yet
    (each channel's cutoff given, `cutoffs`): within each channel's complaints not
    resolved yet, exactly those overdue_before_q leaves out (the most recent; the whole
    index range of the longest target)."""
    per_channel = _each_channel(cuts.items(), lambda cut: Q(occurred_at__gte=cut))
    return Q(is_complaint=True, complaint_status__in=UNRESOLVED) & per_channel


def resolved_late_q(channels: Iterable[tuple[int, int]]) -> Q:
    """Resolved complaints whose resolution came after their channel's target
    (resolved_at > occurred_at + response_target_hours; exactly on the deadline is on time)."""
    per_channel = _each_channel(channels, lambda hours: Q(resolved_at__gt=_deadline(hours)))
    return (
        Q(is_complaint=True, complaint_status=ComplaintStatus.RESOLVED, resolved_at__isnull=False)
        & per_channel
    )


class HoursAsDuration(Func):
    """An integer column as that many hours, a duration for date arithmetic (Django has
    no integer-times-duration; SQLite keeps durations as microseconds)."""

    template = "(%(expressions)s * INTERVAL '1 hour')"
    output_field = DurationField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, template="(%(expressions)s * 3600000000)", **extra_context
        )


def resolved_late_joined_q() -> Q:
    """resolved_late_q with each row's target read from its channel by a join, for the
    dashboard's rollups: their statements are compiled once per process, so targets
    written into them as constants would go stale when an admin changes one."""
    target = HoursAsDuration(F("channel__response_target_hours"))
    deadline = ExpressionWrapper(F("occurred_at") + target, output_field=DateTimeField())
    return Q(
        is_complaint=True,
        complaint_status=ComplaintStatus.RESOLVED,
        resolved_at__isnull=False,
        resolved_at__gt=deadline,
    )


# --- Phrase guide and reviews -----------------------------------------------------------


def phrase_rule_q(code: str):
    """Rows whose stored phrase-guide warnings include a hit of the rule `code`.

    PostgreSQL: jsonb containment (`@>`). SQLite: an EXISTS over json_each, which
    unlike a text search does not depend on how the JSON was serialised."""
    if connection.vendor == "postgresql":
        return Q(phrase_warnings__contains=[{"code": code}])
    table = connection.ops.quote_name(Interaction._meta.db_table)
    column = connection.ops.quote_name(Interaction._meta.get_field("phrase_warnings").column)
    # Only quoted table and column names are formatted in; the code is a parameter.
    sql = (
        f"EXISTS (SELECT 1 FROM json_each({table}.{column}) AS hit "
        "WHERE json_extract(hit.value, '$.code') = %s)"
    )
    return RawSQL(sql, [code], output_field=BooleanField())


def archetype_changed_q(*, entered=None, left=None, start=None, end=None) -> Exists:
    """The customer has an archetype change (into `entered`, out of `left`, between the
    moments `start` and `end`, each optional): the changes the archetype board counts
    as entered and left."""
    changes = ArchetypeChange.objects.filter(customer=OuterRef("pk"))
    if entered:
        changes = changes.filter(archetype=entered).exclude(previous=entered)
    if left:
        changes = changes.filter(previous=left).exclude(archetype=left)
    if start is not None:
        changes = changes.filter(changed_at__gte=start)
    if end is not None:
        changes = changes.filter(changed_at__lt=end)
    return Exists(changes)


def reviewed_q() -> Exists:
    """The interaction has at least one skill review."""
    return Exists(SkillReview.objects.filter(interaction=OuterRef("pk")))


def reviewed_for_q(skill: str) -> Exists:
    """The interaction has a review that scored `skill` (a Skill code): the reviews a
    skill's average on the dashboard is taken over."""
    return Exists(
        SkillReview.objects.filter(interaction=OuterRef("pk"), **{f"{skill}__isnull": False})
    )
