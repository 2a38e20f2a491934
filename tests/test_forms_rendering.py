"""The forms' fast rendering gives exactly the HTML of the templates it replaces.

Form fields are drawn by the ``field_row`` tag (templatetags/emotioncare.py) instead of
an include of includes/field.html per field, and widgets by Django's Jinja2 widget
templates (renderers.py) instead of its Django-template ones (docs/architecture.md,
"Forms at speed"). Each test draws the same fields both ways and compares the HTML.
"""

import pytest
from django.forms.renderers import TemplatesSetting
from django.template.loader import get_template
from django.test import SimpleTestCase
from django.utils import translation

from interactions.filters import InteractionFilter
from interactions.forms import InteractionForm, SkillReviewForm
from interactions.models import Interaction
from interactions.renderers import FormRenderer
from interactions.templatetags.emotioncare import choice_chips, emotion_chips, field_row

pytestmark = pytest.mark.django_db

_case = SimpleTestCase()
_case.maxDiff = None
html_equal = _case.assertHTMLEqual

FIELD = get_template("includes/field.html")


def invalid_log_form(user):
    """A log form with errors on several kinds of field (radio, select, text, date)."""
    form = InteractionForm(
        {
            "occurred_at": "not a date",
            "channel": "999",
            "touchpoint": "999",
            "emotion_start": "",
            "intensity": "9",
            "summary": "<b>bold</b> & more",
            "follow_up_on": "2020-13-45",
            "new_customer_email": "not-an-email",
        },
        user=user,
    )
    assert not form.is_valid()
    return form


@pytest.mark.parametrize("language", ["en", "ko"])
def test_field_row_draws_every_field_as_the_field_template(agent, language):
    with translation.override(language):
        forms = [
            InteractionForm(user=agent),
            invalid_log_form(agent),
            SkillReviewForm(),
            InteractionFilter(
                {"scope": "team", "channel": "email", "date_from": "bad"},
                queryset=Interaction.objects.all(),
                user=agent,
            ).form,
        ]
        drawn = 0
        for form in forms:
            form.is_bound and form.is_valid()
            for field in form:
                html_equal(field_row(field), FIELD.render({"field": field}))
                html_equal(
                    field_row(field, "complaint-status"),
                    FIELD.render({"field": field, "class": "complaint-status"}),
                )
                drawn += 1
        assert drawn > 40


def test_the_jinja2_widgets_draw_as_the_django_template_ones(agent):
    """Every field of the log form, valid or not, and of the filters, drawn by the
    project's renderer and by Django's template-language one."""
    forms = [
        lambda: InteractionForm(user=agent),
        lambda: invalid_log_form(agent),
        lambda: (
            InteractionFilter(
                {"scope": "team", "touchpoint": "null", "recovered": "true"},
                queryset=Interaction.objects.all(),
                user=agent,
            ).form
        ),
    ]
    for make in forms:
        fast, stock = make(), make()
        stock.renderer = TemplatesSetting()
        assert isinstance(fast.renderer, FormRenderer)
        for name in fast.fields:
            html_equal(str(fast[name]), str(stock[name]))
            for fast_choice, stock_choice in zip(fast[name], stock[name], strict=True):
                html_equal(str(fast_choice.tag()), str(stock_choice.tag()))


def test_widgets_jinja2_lacks_come_from_the_templates_setting():
    renderer = FormRenderer()
    template = renderer.get_template("includes/autocomplete_widget.html")
    assert "autocomplete" in template.template.source
    assert "includes/autocomplete_widget.html" in renderer.only_in_templates


CHOICE_CHIPS = get_template("includes/choice_chips.html")
EMOTION_CHIPS = get_template("includes/emotion_chips.html")


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_chip_tags_draw_as_the_chip_templates(agent, language):
    """The log form's and the skill review's radio and checkbox chips, and the emotion
    chips, unbound and bound with errors, drawn by the tags and by the templates."""
    with translation.override(language):
        checked = InteractionForm(
            {"channel": "1", "intensity": "4", "cues": ["tone", "pace"], "emotion_end": ""},
            user=agent,
        )
        checked.is_valid()
        for form in (InteractionForm(user=agent), invalid_log_form(agent), checked):
            for name in ("channel", "intensity", "cues", "outcome"):
                html_equal(choice_chips(form[name]), CHOICE_CHIPS.render({"field": form[name]}))
            for name, which in (("emotion_start", "start"), ("emotion_end", "end")):
                context = {"field": form[name], "groups": form.emotion_groups, "which": which}
                html_equal(
                    emotion_chips(form[name], form.emotion_groups, which),
                    EMOTION_CHIPS.render(context),
                )
        review = SkillReviewForm({"empathy": "9"})
        review.is_valid()
        for form in (SkillReviewForm(), review):
            for field in form:
                if field.name != "comment":
                    html_equal(choice_chips(field), CHOICE_CHIPS.render({"field": field}))


def test_djangos_widget_templates_are_drawn_by_jinja2():
    """Not only the same HTML: the widgets really take the faster engine."""
    from django.template.backends.jinja2 import Template as Jinja2Template

    renderer = FormRenderer()
    for name in ("django/forms/widgets/input.html", "django/forms/widgets/radio_option.html"):
        assert isinstance(renderer.get_template(name), Jinja2Template)
    assert not renderer.only_in_templates
