"""Placeholders in response templates: `{customer_name}` and friends.

Pure functions, no database. Rendering replaces only the names listed in
PLACEHOLDERS; anything else in braces is left as written (and reported by
`placeholder_errors`, so an admin sees a typo before saving). We never call
`str.format`, which would let a template reach attributes (`{x.__class__}`).
"""

import re

from django.utils.translation import gettext_lazy as _

# name -> what it stands for (shown to whoever writes templates).
PLACEHOLDERS = {
    "customer_name": _("the customer's name"),
    "agent_name": _("your name (the agent's)"),
    "channel": _("the channel of the contact, e.g. phone"),
    "today": _("today's date"),
}

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_BRACE = re.compile(r"[{}]")


def render_placeholders(text: str, values: dict[str, str]) -> str:
    """Fill the known placeholders that have a value; leave the rest visible as written,
    so the agent sees what still needs filling in."""

    def replace(match: re.Match) -> str:
        name = match.group(1)
        value = values.get(name)
        if name in PLACEHOLDERS and value:
            return str(value)
        return match.group(0)

    return _PLACEHOLDER.sub(replace, text or "")


def placeholders_in(text: str) -> list[str]:
    """The placeholder names a text uses, in order of first appearance."""
    seen: list[str] = []
    for name in _PLACEHOLDER.findall(text or ""):
        if name not in seen:
            seen.append(name)
    return seen


def placeholder_errors(text: str) -> list[str]:
    """Problems with a template text's placeholders, as messages for its author."""
    errors = []
    unknown = [name for name in placeholders_in(text) if name not in PLACEHOLDERS]
    if unknown:
        known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        errors.append(
            _("Unknown placeholder %(names)s. Use one of %(known)s.")
            % {"names": ", ".join(f"{{{name}}}" for name in unknown), "known": known}
        )
    leftover = _BRACE.search(_PLACEHOLDER.sub("", text or ""))
    if leftover:
        errors.append(_("A brace is not part of a placeholder: write placeholders as {name}."))
    return errors
