"""Django's `format_html`, without its per-argument overhead.

Django's `format_html` escapes each argument with `conditional_escape`, whose `escape`
is wrapped by `keep_lazy` (a check of every argument for lazy objects) and looks up
`__html__` on plain strings too. Pages that draw hundreds of cells, options and chips in
Python spent a tenth of their time there. This one gives the same result (tested with
the same inputs in tests/test_html.py): plain strings go straight to the standard
library's `html.escape`, which is what Django's `escape` calls; safe strings and whole
numbers need no escaping.
"""

from __future__ import annotations

import html

from django.utils import html as django_html
from django.utils.safestring import SafeString


def conditional_escape(value) -> str:
    """Django's `conditional_escape`: plain strings straight to `html.escape`, safe
    strings (a cell written by format_html) as they are, whole numbers as their digits."""
    kind = type(value)
    if kind is str:
        return html.escape(value)
    if kind is SafeString:
        return value
    if kind is int:
        return str(value)
    return django_html.conditional_escape(value)


def format_html(format_string: str, /, *args, **kwargs) -> SafeString:
    return SafeString(
        format_string.format(
            *[conditional_escape(arg) for arg in args],
            **{name: conditional_escape(value) for name, value in kwargs.items()},
        )
    )
