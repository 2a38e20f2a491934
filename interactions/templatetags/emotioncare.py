"""Template helpers: emotion chips, masking, archetype badges."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..masking import mask_email, mask_phone
from ..models import Valence

register = template.Library()

VALENCE_SYMBOL = {"positive": "▲", "neutral": "●", "negative": "▼"}
VALENCE_LABEL = dict(Valence.choices)  # lazy labels, translated when the chip is drawn


@register.simple_tag
def emotion_chip(emotion):
    """A chip with the valence as a symbol and a class as well as a colour."""
    if emotion is None:
        return format_html('<span class="chip chip-none">{}</span>', _("not recorded"))
    return format_html(
        '<span class="chip chip-{}" title="{}"><span class="sym" aria-hidden="true">{}</span>'
        " {}</span>",
        emotion.valence,
        # get_valence_display() rebuilds the choices and hashes their lazy labels on every
        # call, the biggest part of a chip's cost in a list of fifty rows.
        VALENCE_LABEL.get(emotion.valence, emotion.valence),
        VALENCE_SYMBOL.get(emotion.valence, ""),
        emotion.name,
    )


@register.simple_tag
def emotion_change(start, end):
    return format_html(
        '<span class="emotion-change">{} <span class="arrow" aria-label="{}">→</span> {}</span>',
        emotion_chip(start),
        _("then"),
        emotion_chip(end),
    )


@register.simple_tag
def archetype_badge(customer):
    if not customer.archetype:
        return format_html('<span class="badge badge-muted">{}</span>', _("Not classified"))
    source = _("set by a person") if customer.archetype_source == "manual" else _("suggested")
    return format_html(
        '<span class="badge badge-arch badge-{}">{}</span> <span class="muted small">{}</span>',
        customer.archetype,
        customer.get_archetype_display(),
        source,
    )


@register.filter
def masked_phone(value):
    return mask_phone(value or "")


@register.filter
def masked_email(value):
    return mask_email(value or "")


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current query string with some keys replaced (for links that keep filters)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


def _is_hangul(text: str) -> bool:
    return bool(text) and all("\uac00" <= ch <= "\ud7a3" for ch in text.replace(" ", ""))


def person_name(user) -> str:
    """A person's display name: Korean names family-name first with no space (정도윤),
    others "first last"; the user name when no name is set."""
    if user is None:
        return ""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if first and last and _is_hangul(first) and _is_hangul(last):
        return f"{last}{first}"
    return f"{first} {last}".strip() or user.username


register.filter("person", person_name)
