"""``select_options``: a <select>'s options written in one pass, for
templates/includes/select.html (filters.FilterForm uses it for the list filters).

Django's select.html renders a template per option, which made the interactions list's
filters (over a hundred options) a fifth of the page's time. The HTML is the same
(tests/test_list_rendering.py): a Select's options carry no attribute but `selected`
(``Select.option_inherits_attrs`` is False).
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


def _option(option: dict) -> str:
    if option["selected"]:
        return format_html(
            '<option value="{}" selected>{}</option>', option["value"], option["label"]
        )
    return format_html('<option value="{}">{}</option>', option["value"], option["label"])


@register.filter
def select_options(optgroups) -> str:
    """The <option>s (in their <optgroup>s) of a ChoiceWidget's ``optgroups``."""
    html = []
    for group, options, _index in optgroups:
        tags = format_html_join("", "{}", ((_option(option),) for option in options))
        html.append(
            format_html('<optgroup label="{}">{}</optgroup>', group, tags) if group else tags
        )
    return mark_safe("".join(html))
