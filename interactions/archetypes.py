"""Archetype suggestion as the app uses it: a customer's history read from the database
for the pure rules of rules/archetypes.py, and the reason rendered in the reader's
language from the stored basis (the reason key and its counts)."""

from collections import deque
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.utils.translation import get_language, gettext, ngettext

from .models import Interaction, Touchpoint
from .rules import archetypes as rules

HISTORY_FIELDS = (
    "customer_id",
    "occurred_at",
    "start_valence",
    "end_valence",
    "is_complaint",
    "response_template_id",
    "response_text",
    "touchpoint__code",
)


def thresholds() -> rules.Thresholds:
    return rules.Thresholds.from_settings(settings.EMOTIONCARE_ARCHETYPE_THRESHOLDS)


def contact_from_row(row) -> rules.Contact:
    _customer, occurred_at, start, end, complaint, template_id, text, touchpoint = row
    return rules.Contact(
        occurred_at=occurred_at,
        start_valence=start,
        end_valence=end or None,
        is_complaint=complaint,
        responded=bool(template_id or (text or "").strip()),
        issue=touchpoint,
    )


def history_limit() -> int:
    """How many of a customer's contacts the rules read, the most recent: the window and
    enough before it to see an earlier loyal run. The same on saving and in bulk, so both
    make the same suggestion of the same history."""
    return max(thresholds().window * 5, 50)


def history_for(customer_id: int) -> list[rules.Contact]:
    """The contacts the rules read for one customer, oldest first (one query, on
    ix_customer_time)."""
    rows = list(
        Interaction.objects.filter(customer_id=customer_id)
        .order_by("-occurred_at", "-id")
        .values_list(*HISTORY_FIELDS)[: history_limit()]
    )
    return [contact_from_row(row) for row in reversed(rows)]


def histories(queryset=None, chunk_size: int = 5000) -> Iterator[tuple[int, list]]:
    """Every customer's contacts the rules read (history_limit(), oldest first),
    streamed in customer order (for the bulk recompute): one pass over the table, never
    the whole table in memory."""
    # `is None`, not `or`: truth-testing a queryset would run it.
    queryset = Interaction.objects.all() if queryset is None else queryset
    rows = queryset.order_by("customer_id", "occurred_at", "id")
    limit = history_limit()
    current, contacts = None, deque(maxlen=limit)
    for row in rows.values_list(*HISTORY_FIELDS).iterator(chunk_size=chunk_size):
        if row[0] != current:
            if current is not None:
                yield current, list(contacts)
            current, contacts = row[0], deque(maxlen=limit)
        contacts.append(contact_from_row(row))
    if current is not None:
        yield current, list(contacts)


def touchpoint_names() -> dict[str, str]:
    """Touchpoint names in the active language, by code (one small query)."""
    lang = (get_language() or "en")[:2]
    column = "name_ko" if lang == "ko" else "name_en"
    return dict(Touchpoint.objects.values_list("code", column))


def _join_issues(codes: Iterable[str], names: dict[str, str] | None) -> str:
    names = touchpoint_names() if names is None else names
    return gettext(" and ").join(names.get(code, code) for code in codes)


def reason_text(basis: dict | None, touchpoints: dict[str, str] | None = None) -> str:
    """The reason of a suggestion in plain words, with the actual counts, in the active
    language. Empty for no basis. Pass `touchpoints` (touchpoint_names()) when rendering
    many, so the names are read once."""
    if not basis or "reason" not in basis:
        return ""
    b = basis
    reason = b["reason"]
    try:
        if reason == rules.NOT_ENOUGH_HISTORY:
            return (
                ngettext(
                    "Only %(contacts)d contact so far; a suggestion needs %(needed)d.",
                    "Only %(contacts)d contacts so far; a suggestion needs %(needed)d.",
                    b["contacts"],
                )
                % b
            )
        if reason == rules.LOYAL_ANNOYED:
            first = (
                gettext("%(earlier_positive)d of %(earlier)d earlier contacts started positive;")
                % b
            )
            turn = (
                ngettext(
                    "then the last contact, %(days)d days ago, started negative",
                    "then the last %(turn)d contacts, over the last %(days)d days, started "
                    "negative",
                    b["turn"],
                )
                % b
            )
            ended = (
                ngettext(
                    "and %(turn_ended_negative)d of them ended negative.",
                    "and %(turn_ended_negative)d of them ended negative.",
                    b["turn_ended_negative"],
                )
                % b
            )
            return f"{first} {turn} {ended}"
        if reason == rules.ACTIVE_HATER:
            return (
                ngettext(
                    "%(failed)d of the last %(attempts)d contact with an apology or re-service "
                    "still ended negative.",
                    "%(failed)d of the last %(attempts)d contacts with an apology or re-service "
                    "still ended negative.",
                    b["attempts"],
                )
                % b
            )
        if reason == rules.EXTREME_CRITIC:
            return gettext(
                "%(complaints)d of the last %(contacts)d contacts were complaints, %(focus)d "
                "of them about %(issues)s; %(addressed)d of %(negatives)d negative contacts "
                "ended neutral or better once addressed."
            ) % {**b, "issues": _join_issues(b.get("issues", []), touchpoints)}
        if reason == rules.LOYAL_ENTHUSIAST:
            first = gettext("%(positive)d of the last %(contacts)d contacts started positive;") % b
            if not b["complaints"]:
                return f"{first} {gettext('no complaints.')}"
            rest = (
                ngettext(
                    "the complaint ended neutral or better.",
                    "all %(complaints)d complaints ended neutral or better.",
                    b["complaints"],
                )
                % b
            )
            return f"{first} {rest}"
        if reason == rules.NO_PATTERN:
            return (
                gettext(
                    "No archetype fits the last %(contacts)d contacts yet (%(positive)d started "
                    "positive, %(negative)d negative)."
                )
                % b
            )
    except (KeyError, TypeError, ValueError):
        return ""
    return ""
