from django import forms
from django.contrib.auth import get_user_model
from django.utils.safestring import mark_safe

from .html import format_html
from .models import Customer
from .templatetags.emotioncare import attrs_html


class AutocompleteWidget(forms.Widget):
    """A hidden id plus a search-as-you-type box (static/js/app.js `autocomplete`).

    Renders no list of choices: the browser asks `url?q=...` for a few matches.
    """

    template_name = "includes/autocomplete_widget.html"

    def __init__(self, *, url, kind, attrs=None):
        super().__init__(attrs)
        self.url = url
        self.kind = kind

    def display_for(self, value) -> str:
        if not value or not str(value).isdigit():
            return ""
        if self.kind == "customer":
            customer = Customer.objects.filter(pk=value).only("name").first()
            return customer.name if customer else ""
        user = get_user_model().objects.filter(pk=value).first()
        if user is None:
            return ""
        from .templatetags.emotioncare import person_name

        full = person_name(user)
        return f"{full} ({user.username})" if full != user.username else user.username

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(url=str(self.url), kind=self.kind, display=self.display_for(value))
        return context


class ListedSelect(forms.Select):
    """A drop-down written in one pass in Python: the same HTML as Django's Select
    (tests/test_list_rendering.py compares them), without the option dictionaries and
    the template per option that made the interactions filters' drop-downs (over a
    hundred options) a fifth of the list's time (docs/architecture.md, "Lists at scale")."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        found = False
        parts = [
            format_html(
                '<select name="{}"{}>', name, attrs_html(self.build_attrs(self.attrs, attrs))
            )
        ]
        for group_value, group_label in self.choices:
            group = isinstance(group_label, (list, tuple))
            options = group_label if group else [(group_value, group_label)]
            if group:
                parts.append(format_html('<optgroup label="{}">', group_value))
            for option_value, option_label in options:
                option_value = "" if option_value is None else str(option_value)
                if not found and option_value in selected:
                    found = True
                    parts.append(
                        format_html(
                            '<option value="{}" selected>{}</option>', option_value, option_label
                        )
                    )
                else:
                    parts.append(
                        format_html('<option value="{}">{}</option>', option_value, option_label)
                    )
            if group:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))


class ListedModelChoiceIterator(forms.models.ModelChoiceIterator):
    """A model choice field's rows read with one ordinary query, or taken from the
    field's `rows` when it has them (filters.ReferenceChoiceField). Django reads them with
    ``queryset.iterator()``, which on PostgreSQL opens a server-side cursor (DECLARE,
    FETCH, CLOSE): several round trips per drop-down or radio group, for a dozen rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = getattr(self.field, "rows", None)
        for obj in self.queryset if rows is None else rows:
            yield self.choice(obj)


def list_selects(form) -> None:
    """Draw a form's plain drop-downs with ListedSelect (the same widget, only its class
    changes, so its attributes and choices stay as the field set them), and read the
    rows of its model choice fields with ListedModelChoiceIterator."""
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            field.widget.__class__ = ListedSelect
        if type(field) is forms.ModelChoiceField:
            field.iterator = ListedModelChoiceIterator
            field.widget.choices = field.choices
