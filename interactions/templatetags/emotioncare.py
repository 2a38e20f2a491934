"""Template helpers: emotion chips, masking, archetype badges."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..html import format_html
from ..masking import mask_email, mask_phone
from ..models import Valence

register = template.Library()

VALENCE_SYMBOL = {"positive": "▲", "neutral": "●", "negative": "▼"}
VALENCE_LABEL = dict(Valence.choices)  # lazy labels, translated when the chip is drawn
_VALENCE_LABELS: dict[str | None, dict[str, str]] = {}


def valence_labels() -> dict[str, str]:
    """The valence labels as plain strings in the current language, translated once per
    language: a lazy label is resolved and escaped on every use, which a page of chips
    felt."""
    language = get_language()
    labels = _VALENCE_LABELS.get(language)
    if labels is None:
        labels = _VALENCE_LABELS[language] = {key: str(label) for key, label in Valence.choices}
    return labels


# --- The page frame ------------------------------------------------------------------

# Pages whose menu entry is marked by their path rather than their URL name.
_PATH_MARKED = frozenset({"home", "reflection", "me"})
_FRAMES: dict[tuple, str] = {}
_FRAMES_MAX = 512


def _frame_inputs(name: str, context) -> dict:
    """All a frame part depends on: nothing of the user but their role and staff flag,
    nothing of the request but which page it is (for the menu's current entry)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    url_name = getattr(match, "url_name", None) or ""
    inputs = {"LANGUAGE_CODE": get_language(), "is_lead_or_admin": False, "is_staff": False}
    if name == "languages":
        return inputs
    inputs["is_lead_or_admin"] = bool(context.get("is_lead_or_admin"))
    if name == "nav":
        user = context.get("user")
        inputs["is_staff"] = bool(getattr(user, "is_staff", False))
        inputs["url_name"] = url_name
        inputs["path"] = request.path if request is not None and url_name in _PATH_MARKED else ""
    return inputs


@register.simple_tag(takes_context=True)
def frame(context, name: str):
    """A part of every page's frame (the menu, the language list, the shortcuts dialog),
    drawn from templates/frame/<name>.html once per language, role and page and kept
    for the process: it holds only translated labels and links, no data, and its
    forty-odd labels and a dozen links cost a log form a tenth of its time when drawn
    on every request (docs/architecture.md, "The page frame"). With DEBUG on it is drawn
    every time, so template edits show at once."""
    inputs = _frame_inputs(name, context)
    key = (name, get_script_prefix(), *sorted(inputs.items()))
    html = None if settings.DEBUG else _FRAMES.get(key)
    if html is None:
        html = mark_safe(render_to_string(f"frame/{name}.html", inputs))
        if len(_FRAMES) >= _FRAMES_MAX:
            _FRAMES.clear()
        _FRAMES[key] = html
    return html


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
        valence_labels().get(emotion.valence, emotion.valence),
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


REQUIRED_MARK = mark_safe(' <span class="req" aria-hidden="true">*</span>')


@register.simple_tag
def field_row(field, css_class=""):
    """One form field as includes/field.html draws it (label, widget, help text, errors),
    written in Python: a template include per field was most of a filter form's cost.
    tests/test_forms_rendering.py checks both give the same HTML."""
    classes = "field"
    if field.errors:
        classes += " has-error"
    if css_class:
        classes += f" {css_class}"
    return format_html(
        '<div class="{}">\n  <label for="{}">{}{}</label>\n  {}\n  {}{}\n</div>',
        classes,
        field.id_for_label,
        field.label,
        REQUIRED_MARK if field.field.required else "",
        field,
        format_html('<p class="help" id="{}_helptext">{}</p>', field.auto_id, field.help_text)
        if field.help_text
        else "",
        field_errors(field),
    )


@register.simple_tag
def choice_chips(field):
    """A radio or checkbox group as chips, as includes/choice_chips.html draws it, written
    in Python (tests/test_forms_rendering.py compares the two)."""
    chips = []
    for choice in field:
        data = choice.data
        value = "" if data["value"] is None else str(data["value"])
        chips.append(
            format_html(
                '<label class="chip-choice" for="{}"><input type="{}" name="{}" value="{}"{}>'
                "<span>{}</span></label>",
                choice.id_for_label,
                data["type"],
                data["name"],
                value,
                attrs_html(data["attrs"]),
                choice.choice_label,
            )
        )
    return format_html(
        '<fieldset class="chips-group{}" id="{}_group">\n  <legend>{}{}</legend>\n'
        '  <div class="chips">{}</div>\n  {}\n</fieldset>',
        " has-error" if field.errors else "",
        field.auto_id,
        field.label,
        REQUIRED_MARK if field.field.required else "",
        mark_safe("".join(chips)),
        field_errors(field),
    )


@register.simple_tag
def emotion_chips(field, groups, which):
    """The emotion chips grouped by valence, as includes/emotion_chips.html draws them,
    written in Python (about forty chips a form; tests/test_forms_rendering.py compares
    the two)."""
    current = str(field.value())
    required = field.field.required
    name = field.html_name
    rows = []
    for valence, label, emotions in groups:
        chips = [
            format_html(
                '<label class="chip-choice emotion-choice emo-{valence}" for="id_{name}_{code}">'
                '<input type="radio" name="{name}" value="{pk}" id="id_{name}_{code}" '
                'data-code="{code}"{checked}{required}><span>'
                '<span class="sym" aria-hidden="true">{symbol}</span> {label}'
                '<span class="visually-hidden"> ({group})</span></span></label>',
                valence=emotion.valence,
                name=name,
                code=emotion.code,
                pk=emotion.pk,
                checked=mark_safe(" checked") if current == str(emotion.pk) else "",
                required=mark_safe(" required") if required else "",
                symbol=VALENCE_SYMBOL.get(emotion.valence, "●"),
                label=emotion.name,
                group=label,
            )
            for emotion in emotions
        ]
        rows.append(
            format_html(
                '<div class="valence-row valence-{}">'
                '<span class="valence-label" aria-hidden="true">{}</span>'
                '<div class="chips">{}</div></div>',
                valence,
                label,
                mark_safe("".join(chips)),
            )
        )
    if not required:
        rows.append(
            format_html(
                '<div class="valence-row"><span class="valence-label" aria-hidden="true"></span>'
                '<div class="chips"><label class="chip-choice" for="id_{name}_none">'
                '<input type="radio" name="{name}" value="" id="id_{name}_none"{checked}>'
                "<span>{label}</span></label></div></div>",
                name=name,
                checked=mark_safe(" checked") if current in ("", "None") else "",
                label=_("Not known yet"),
            )
        )
    return format_html(
        '<fieldset class="chips-group emotion-group{}" id="{}_group" data-emotion-group="{}">'
        '<legend>{}{}</legend><div class="valence-rows">{}</div>{}</fieldset>',
        " has-error" if field.errors else "",
        field.auto_id,
        which,
        field.label,
        REQUIRED_MARK if required else "",
        mark_safe("".join(rows)),
        field_errors(field),
    )


def attrs_html(attrs: dict) -> str:
    """Django's widgets/attrs.html: ` name="value"`, a bare ` name` for True, nothing for
    False."""
    return mark_safe(
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
            for name, value in attrs.items()
            if value is not False
        )
    )


def field_errors(field):
    """includes/errors.html in Python."""
    if not field.errors:
        return ""
    return format_html(
        '<ul class="errorlist" id="{}_error" role="alert">{}</ul>',
        field.auto_id,
        format_html_join("", "<li>{}</li>", ((error,) for error in field.errors)),
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
