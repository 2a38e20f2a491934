"""Template helpers for the dashboard: shares as percentages, "X of Y" with both numbers
linked to the interactions behind them (one translatable sentence, so languages can
order the numbers their own way)."""

from django import template
from django.utils.translation import gettext as _

from ..html import format_html

register = template.Library()


@register.filter
def percent(rate) -> str:
    """0.4234 -> "42%"; None (below the minimum sample) -> "—"."""
    if rate is None:
        return "—"
    return f"{round(rate * 100)}%"


@register.filter
def bar_width(rate, width: int = 100) -> float:
    return 0 if rate is None else round(rate * int(width), 2)


def _link(count, href):
    return format_html('<a href="{}">{}</a>', href, count) if href else str(count)


@register.simple_tag
def calmed_of(part, part_href, whole, whole_href):
    """ "calmed 3 of 5": recoveries of negative starts with an end emotion."""
    return format_html(
        _("calmed {part} of {whole}"),
        part=_link(part, part_href),
        whole=_link(whole, whole_href),
    )


@register.simple_tag
def improved_of(part, part_href, whole, whole_href):
    """ "3 of 5 with an end emotion" """
    return format_html(
        _("{part} of {whole} with an end emotion"),
        part=_link(part, part_href),
        whole=_link(whole, whole_href),
    )


@register.simple_tag
def signed(value) -> str:
    """A change with its sign and a symbol: +3 ▲, −2 ▼, 0."""
    if not value:
        return "0"
    return f"+{value} ▲" if value > 0 else f"−{-value} ▼"
