"""interactions.html.format_html gives what Django's format_html gives."""

import pytest
from django.forms import CharField, Form
from django.utils import html as django_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy, override

from interactions import html


class NameForm(Form):
    name = CharField()


VALUES = [
    "plain",
    "<b>&\"quotes\" and 'apostrophes'</b>",
    mark_safe("<i>already safe</i>"),
    gettext_lazy("Customer"),
    gettext_lazy("<Log> & more"),
    42,
    -7,
    0,
    True,
    django_html.format_html("<b>{}</b>", "<x>"),
    3.5,
    None,
    "",
    "고객 <이름>",
]


@pytest.mark.parametrize("value", VALUES)
def test_each_kind_of_value_is_escaped_as_django_escapes_it(value):
    for language in ("en", "ko"):
        with override(language):
            ours = html.format_html("<p title='{}'>{}</p>", value, value)
            theirs = django_html.format_html("<p title='{}'>{}</p>", value, value)
            assert ours == theirs
            assert isinstance(ours, SafeString)
            named = html.format_html("<a href='{url}'>{label}</a>", url=value, label=value)
            assert named == django_html.format_html(
                "<a href='{url}'>{label}</a>", url=value, label=value
            )


def test_objects_drawing_their_own_html_are_not_escaped():
    field = NameForm()["name"]
    assert html.format_html("<div>{}</div>", field) == django_html.format_html(
        "<div>{}</div>", field
    )
