"""Response recommendation: which templates suit this contact, ranked by how well each
has calmed customers down. Pure Python, no database: the app builds `Candidate`s from
the templates and `Usage` from one aggregate query (selectors.template_usage), then
calls `rank`. docs/recommendations.md explains the rules to leads.

Suitability (a template that does not suit is never suggested):
- emotion: the template names the emotion (3), or names its valence (2), or names
  neither, so suits any emotion (1); a template naming other emotions and valences only
  does not suit;
- archetype: a template that lists archetypes suits only customers of those archetypes
  (+2 when it matches); a customer with no archetype yet is matched by every template,
  without the bonus; an empty list suits everyone;
- channel: the same, +1 when the template names this channel;
- language: a template in the agent's language gets +1, and of two rows of the same
  shipped template (same code) only the one in the agent's language is kept.

Ranking: templates whose recovery rate counts (at least `min_sample` uses with a
negative start and an end emotion in the window) come first, best rate first; ties go
to the more suitable, then the larger sample. Templates below the sample are "new" and
follow, ranked by suitability only. Personal templates and the team's are ranked alike.
"""

from dataclasses import dataclass, field

EMOTION_EXACT, EMOTION_VALENCE, EMOTION_ANY = 3, 2, 1
ARCHETYPE_BONUS, CHANNEL_BONUS, LANGUAGE_BONUS = 2, 1, 1


@dataclass(frozen=True)
class Candidate:
    id: int
    title: str
    text: str
    language: str = ""
    code: str | None = None
    category: str = ""
    emotions: frozenset[str] = frozenset()
    valences: frozenset[str] = frozenset()
    archetypes: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()
    personal: bool = False


@dataclass(frozen=True)
class Usage:
    """A template's uses in the window with a negative start and an end emotion, and how
    many of them ended neutral or positive."""

    uses: int = 0
    recoveries: int = 0


@dataclass(frozen=True)
class Context:
    emotion: str
    valence: str
    archetype: str | None = None
    channel: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Suggestion:
    candidate: Candidate
    suitability: int
    uses: int
    recoveries: int
    rate: float | None
    matched: tuple[str, ...] = field(default=())

    @property
    def is_new(self) -> bool:
        return self.rate is None


def recovery_rate(usage: Usage, min_sample: int) -> float | None:
    """recoveries / uses, or None below the minimum sample (never divides by zero)."""
    if usage.uses <= 0 or usage.uses < max(min_sample, 1):
        return None
    return usage.recoveries / usage.uses


def suitability(candidate: Candidate, context: Context) -> tuple[int, tuple[str, ...]] | None:
    """How well a template fits this contact, and what it matched; None if it does not."""
    matched: list[str] = []
    if context.emotion in candidate.emotions:
        score = EMOTION_EXACT
        matched.append("emotion")
    elif context.valence in candidate.valences:
        score = EMOTION_VALENCE
        matched.append("valence")
    elif not candidate.emotions and not candidate.valences:
        score = EMOTION_ANY
    else:
        return None

    if candidate.archetypes and context.archetype:
        if context.archetype not in candidate.archetypes:
            return None
        score += ARCHETYPE_BONUS
        matched.append("archetype")

    if candidate.channels and context.channel:
        if context.channel not in candidate.channels:
            return None
        score += CHANNEL_BONUS
        matched.append("channel")

    if context.language and candidate.language == context.language:
        score += LANGUAGE_BONUS
    return score, tuple(matched)


def _one_row_per_code(candidates: list[Candidate], language: str | None) -> list[Candidate]:
    """Of the language rows of one shipped template, keep the agent's language (or the
    first row when none is in it)."""
    chosen: dict[str, Candidate] = {}
    for candidate in candidates:
        if not candidate.code:
            continue
        current = chosen.get(candidate.code)
        if current is None or (current.language != language and candidate.language == language):
            chosen[candidate.code] = candidate
    return [c for c in candidates if not c.code or chosen[c.code] is c]


def rank(
    candidates: list[Candidate],
    usage: dict[int, Usage],
    context: Context,
    *,
    min_sample: int,
    limit: int | None = None,
) -> list[Suggestion]:
    """The suitable templates, best first (see the module docstring for the order)."""
    suggestions = []
    for candidate in _one_row_per_code(candidates, context.language):
        fit = suitability(candidate, context)
        if fit is None:
            continue
        score, matched = fit
        used = usage.get(candidate.id, Usage())
        suggestions.append(
            Suggestion(
                candidate=candidate,
                suitability=score,
                uses=used.uses,
                recoveries=used.recoveries,
                rate=recovery_rate(used, min_sample),
                matched=matched,
            )
        )

    def order(s: Suggestion):
        rated = s.rate is not None
        return (
            0 if rated else 1,
            -(s.rate or 0.0),
            -s.suitability,
            -s.uses,
            s.candidate.title.casefold(),
            s.candidate.id,
        )

    suggestions.sort(key=order)
    return suggestions[:limit] if limit is not None else suggestions
