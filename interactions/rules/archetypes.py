"""Archetype suggestion: which of the four complaint archetypes (domain.md section 2)
a customer's history points to, and why. Pure Python, no database; the rules are
written for leads in docs/archetypes.md and their thresholds live in settings
(EMOTIONCARE_ARCHETYPE_THRESHOLDS).

The rules are tried in this order; the first that holds wins:

1. fewer than `min_contacts` contacts: not enough history;
2. previously satisfied, now annoyed: the history ends in a run of negative starts
   (the turn), the last within `turn_days`, at least one of them ending negative or
   the run at least two long; before the turn at least `loyal_min_earlier` contacts,
   at least `loyal_positive_share` of them starting positive;
3. active hater: among the last `window` contacts, at least `hater_min_attempts`
   recovery attempts (a negative start with a response given and an end emotion), and
   at least `hater_failed_share` of them still ended negative, whatever the response;
4. extreme critic: among the last `window` contacts, at least `critic_min_complaints`
   complaints making up at least `critic_complaint_share` of the contacts, at least
   `critic_focus_share` of them about the same one or two issues, and at least
   `critic_addressed_share` of the negative starts ending neutral or better;
5. still passionate, still satisfied: among the last `window` contacts at least
   `enthusiast_positive_share` start positive and no complaint ended negative;
6. otherwise no archetype fits yet.
"""

from collections import Counter
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta

POSITIVE, NEUTRAL, NEGATIVE = "positive", "neutral", "negative"
ACTIVE_HATER, EXTREME_CRITIC = "active_hater", "extreme_critic"
LOYAL_ANNOYED, LOYAL_ENTHUSIAST = "loyal_annoyed", "loyal_enthusiast"

# Reason keys: what the reason text says (rendered in the user's language by
# interactions/archetypes.py, with the counts).
NOT_ENOUGH_HISTORY = "not_enough_history"
NO_PATTERN = "no_pattern"


@dataclass(frozen=True)
class Contact:
    occurred_at: datetime
    start_valence: str
    end_valence: str | None = None  # None (or "") when the end was not recorded
    is_complaint: bool = False
    responded: bool = False  # a template used or a response given: a recovery attempt
    issue: str | None = None  # what it was about (the touchpoint), for "specific issues"


@dataclass(frozen=True)
class Thresholds:
    min_contacts: int = 3
    window: int = 10
    turn_days: int = 90
    loyal_min_earlier: int = 3
    loyal_positive_share: float = 0.6
    hater_min_attempts: int = 3
    hater_failed_share: float = 0.6
    critic_min_complaints: int = 3
    critic_complaint_share: float = 0.5
    critic_focus_share: float = 0.6
    critic_addressed_share: float = 0.6
    enthusiast_positive_share: float = 0.6

    @classmethod
    def from_settings(cls, values: dict | None) -> "Thresholds":
        values = values or {}
        unknown = sorted(set(values) - {f.name for f in fields(cls)})
        if unknown:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(
                f"EMOTIONCARE_ARCHETYPE_THRESHOLDS: unknown key(s) {', '.join(unknown)}"
            )
        return cls(**values)


@dataclass(frozen=True)
class ArchetypeSuggestion:
    archetype: str | None
    reason: str  # the archetype code, NOT_ENOUGH_HISTORY or NO_PATTERN
    counts: dict = field(default_factory=dict)

    def as_basis(self) -> dict:
        """What is stored with the customer to render the reason in any language."""
        return {"reason": self.reason, **self.counts}


def _ended_negative(contact: Contact) -> bool:
    return contact.end_valence == NEGATIVE


def _has_end(contact: Contact) -> bool:
    return bool(contact.end_valence)


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _loyal_annoyed(history: list[Contact], now: datetime, t: Thresholds) -> dict | None:
    turn = 0
    for contact in reversed(history):
        if contact.start_valence != NEGATIVE:
            break
        turn += 1
    if turn == 0 or turn == len(history):
        return None
    recent = history[-turn:]
    if now - recent[-1].occurred_at > timedelta(days=t.turn_days):
        return None
    ended_negative = sum(1 for c in recent if _ended_negative(c))
    if ended_negative == 0 and turn < 2:
        return None
    earlier = history[:-turn]
    positive = sum(1 for c in earlier if c.start_valence == POSITIVE)
    if len(earlier) < t.loyal_min_earlier or _share(positive, len(earlier)) < (
        t.loyal_positive_share
    ):
        return None
    return {
        "earlier": len(earlier),
        "earlier_positive": positive,
        "turn": turn,
        "turn_ended_negative": ended_negative,
        "days": (now - recent[0].occurred_at).days,
    }


def _active_hater(window: list[Contact], t: Thresholds) -> dict | None:
    attempts = [c for c in window if c.start_valence == NEGATIVE and c.responded and _has_end(c)]
    failed = sum(1 for c in attempts if _ended_negative(c))
    if len(attempts) < t.hater_min_attempts or _share(failed, len(attempts)) < (
        t.hater_failed_share
    ):
        return None
    return {"attempts": len(attempts), "failed": failed, "contacts": len(window)}


def _extreme_critic(window: list[Contact], t: Thresholds) -> dict | None:
    complaints = [c for c in window if c.is_complaint]
    if len(complaints) < t.critic_min_complaints or _share(len(complaints), len(window)) < (
        t.critic_complaint_share
    ):
        return None
    issues = Counter(c.issue for c in complaints if c.issue)
    top = issues.most_common(2)
    focus = sum(n for _issue, n in top)
    if _share(focus, len(complaints)) < t.critic_focus_share:
        return None
    negatives = [c for c in window if c.start_valence == NEGATIVE and _has_end(c)]
    addressed = sum(1 for c in negatives if not _ended_negative(c))
    if not negatives or _share(addressed, len(negatives)) < t.critic_addressed_share:
        return None
    return {
        "contacts": len(window),
        "complaints": len(complaints),
        "focus": focus,
        "issues": [issue for issue, _n in top],
        "negatives": len(negatives),
        "addressed": addressed,
    }


def _loyal_enthusiast(window: list[Contact], t: Thresholds) -> dict | None:
    positive = sum(1 for c in window if c.start_valence == POSITIVE)
    if _share(positive, len(window)) < t.enthusiast_positive_share:
        return None
    complaints = [c for c in window if c.is_complaint]
    if any(_ended_negative(c) for c in complaints):
        return None
    return {"contacts": len(window), "positive": positive, "complaints": len(complaints)}


def suggest_archetype(
    history: list[Contact], *, now: datetime, thresholds: Thresholds | None = None
) -> ArchetypeSuggestion:
    """The archetype a customer's contacts point to (any order in; sorted by time)."""
    t = thresholds or Thresholds()
    history = sorted(history, key=lambda c: c.occurred_at)
    if len(history) < t.min_contacts:
        return ArchetypeSuggestion(
            None, NOT_ENOUGH_HISTORY, {"contacts": len(history), "needed": t.min_contacts}
        )
    counts = _loyal_annoyed(history, now, t)
    if counts:
        return ArchetypeSuggestion(LOYAL_ANNOYED, LOYAL_ANNOYED, counts)
    window = history[-t.window :]
    for archetype, rule in (
        (ACTIVE_HATER, _active_hater),
        (EXTREME_CRITIC, _extreme_critic),
        (LOYAL_ENTHUSIAST, _loyal_enthusiast),
    ):
        counts = rule(window, t)
        if counts:
            return ArchetypeSuggestion(archetype, archetype, counts)
    positive = sum(1 for c in window if c.start_valence == POSITIVE)
    negative = sum(1 for c in window if c.start_valence == NEGATIVE)
    return ArchetypeSuggestion(
        None, NO_PATTERN, {"contacts": len(window), "positive": positive, "negative": negative}
    )
