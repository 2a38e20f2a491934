"""The suggested responses beside the log form (and, later, the API's suggest endpoint):
the templates a user may use, the usage numbers from one aggregate query, the pure
ranking of rules/recommendations.py, and the placeholders filled in.

Queries, whatever the number of templates or interactions: the templates, their
emotions, their channels (three), and the usage aggregate (one)."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.translation import get_language

from . import selectors
from .advice import archetype_advice
from .models import Channel, Customer, Emotion, Language
from .rules.placeholders import render_placeholders
from .rules.recommendations import Candidate, Context, Suggestion, Usage, rank
from .templatetags.emotioncare import person_name


@dataclass(frozen=True)
class RenderedSuggestion:
    """One suggestion as the page and the API show it: the text with placeholders filled."""

    suggestion: Suggestion
    text: str

    @property
    def template_id(self) -> int:
        return self.suggestion.candidate.id

    @property
    def title(self) -> str:
        return self.suggestion.candidate.title

    @property
    def category(self) -> str:
        return self.suggestion.candidate.category

    @property
    def personal(self) -> bool:
        return self.suggestion.candidate.personal

    @property
    def rate(self) -> float | None:
        return self.suggestion.rate

    @property
    def rate_percent(self) -> int | None:
        return None if self.suggestion.rate is None else round(self.suggestion.rate * 100)

    @property
    def uses(self) -> int:
        return self.suggestion.uses

    @property
    def recoveries(self) -> int:
        return self.suggestion.recoveries

    @property
    def is_new(self) -> bool:
        return self.suggestion.is_new


def user_language() -> str:
    lang = (get_language() or "en")[:2]
    return lang if lang in Language.values else Language.EN


def candidates_for(*, user) -> list[Candidate]:
    """The team's active templates and the user's own, as the pure ranking sees them."""
    templates = selectors.templates_for(user=user).prefetch_related(
        Prefetch("emotions", queryset=Emotion.objects.only("id", "code")),
        Prefetch("channels", queryset=Channel.objects.only("id", "code")),
    )
    return [
        Candidate(
            id=t.pk,
            title=t.title,
            text=t.text,
            language=t.language,
            code=t.code,
            category=t.category,
            emotions=frozenset(e.code for e in t.emotions.all()),
            valences=frozenset(t.valences or ()),
            archetypes=frozenset(t.archetypes or ()),
            channels=frozenset(c.code for c in t.channels.all()),
            personal=t.owner_id is not None,
        )
        for t in templates
    ]


def usage_for(template_ids, *, now=None) -> dict[int, Usage]:
    now = now or timezone.now()
    since = now - timedelta(days=settings.EMOTIONCARE_RECOMMENDATION_WINDOW_DAYS)
    counts = selectors.template_usage(template_ids=template_ids, since=since, until=now)
    return {pk: Usage(uses=uses, recoveries=rec) for pk, (uses, rec) in counts.items()}


def placeholder_values(*, user, customer: Customer | None, channel: Channel | None) -> dict:
    return {
        "customer_name": customer.name if customer else "",
        "agent_name": person_name(user),
        "channel": channel.name if channel else "",
        "today": formats.date_format(timezone.localdate(), "SHORT_DATE_FORMAT"),
    }


def suggest(
    *,
    user,
    emotion: Emotion,
    customer: Customer | None = None,
    channel: Channel | None = None,
    limit: int | None = None,
) -> list[RenderedSuggestion]:
    """The templates that suit this contact, best first, with their placeholders filled."""
    candidates = candidates_for(user=user)
    context = Context(
        emotion=emotion.code,
        valence=emotion.valence,
        archetype=customer.archetype if customer else None,
        channel=channel.code if channel else None,
        language=user_language(),
    )
    ranked = rank(
        candidates,
        usage_for([c.id for c in candidates]),
        context,
        min_sample=settings.EMOTIONCARE_RECOMMENDATION_MIN_SAMPLE,
        limit=settings.EMOTIONCARE_SUGGESTIONS_SHOWN if limit is None else limit,
    )
    values = placeholder_values(user=user, customer=customer, channel=channel)
    return [
        RenderedSuggestion(suggestion=s, text=render_placeholders(s.candidate.text, values))
        for s in ranked
    ]


def advice_for(*, customer: Customer | None, channel: Channel | None) -> dict:
    """The archetype's handling advice and the channel's handling rule, in the user's
    language; empty strings when unknown."""
    return {
        "archetype": customer.archetype if customer else None,
        "archetype_label": customer.get_archetype_display() if customer else "",
        "archetype_advice": archetype_advice(customer.archetype if customer else None),
        "channel": channel,
        "channel_rule": channel.handling_rule if channel else "",
    }


def panel_context(
    *, user, emotion: Emotion | None, customer: Customer | None, channel: Channel | None
) -> dict:
    """Everything the suggestions panel shows, for the page and for the live endpoint."""
    return {
        "suggestions": suggest(user=user, emotion=emotion, customer=customer, channel=channel)
        if emotion
        else [],
        "suggest_emotion": emotion,
        "suggest_customer": customer,
        "advice": advice_for(customer=customer, channel=channel),
        "min_sample": settings.EMOTIONCARE_RECOMMENDATION_MIN_SAMPLE,
        "window_days": settings.EMOTIONCARE_RECOMMENDATION_WINDOW_DAYS,
    }
