"""The lists' fast rendering gives exactly the HTML of django-tables2's and Django's own.

The interactions and customers tables write their rows from ``body_rows()`` through
their own templates, and the filter form's drop-downs write their options inline
(docs/architecture.md, "Lists at scale"). Each test renders the same data both ways
and compares the HTML.
"""

import datetime

import pytest
from django import forms
from django.test import RequestFactory, SimpleTestCase
from django.urls import reverse
from django.utils import timezone, translation

from interactions.filters import InteractionFilter
from interactions.models import Customer, Interaction, Touchpoint
from interactions.tables import CustomerTable, InteractionTable
from interactions.widgets import ListedSelect
from tests.factories import (
    CustomerFactory,
    InteractionFactory,
    ResponseTemplateFactory,
    UserFactory,
    channel,
    emotion,
)

pytestmark = pytest.mark.django_db

STOCK = "includes/table.html"  # the header and pagination, with django-tables2's own rows
_case = SimpleTestCase()
_case.maxDiff = None
html_equal = _case.assertHTMLEqual


def thead(html: str) -> str:
    return html[html.index("<thead") : html.index("</thead>") + len("</thead>")]


def tbody(html: str) -> str:
    return html[html.index("<tbody") : html.index("</tbody>") + len("</tbody>")]


def assert_rows_render_alike(table_class, data, request):
    fast = table_class(data).as_html(request)
    stock = table_class(data, template_name=STOCK).as_html(request)
    assert fast.count("<tr") == stock.count("<tr")
    html_equal(tbody(fast), tbody(stock))
    html_equal(fast[: fast.index("<tbody")], stock[: stock.index("<tbody")])  # header


@pytest.fixture
def varied_interactions(agent, reference):
    """One row for every kind of cell: empty ones, each complaint status, each recovery,
    a template, text that needs escaping, a Korean and a username-only agent."""
    korean = UserFactory(username="kdy", first_name="도윤", last_name="정", role="agent")
    bare = UserFactory(username="no_name", first_name="", role="agent")
    template = ResponseTemplateFactory(title="Sorry <b> & thanks")
    website = Touchpoint.objects.get(code="website")
    now = timezone.now()
    rows = [
        dict(agent=agent, response_text="", emotion_end=emotion("neutral")),
        dict(
            agent=korean,
            customer=CustomerFactory(name="O'Brien & <Co>"),
            emotion_start=emotion("anger"),
            emotion_end=emotion("anger"),
            response_template=template,
            response_text="<script>alert(1)</script> " + "정말 죄송합니다. " * 10,
            is_complaint=True,
            complaint_status="open",
            outcome="satisfied",
            touchpoint=website,
            intensity=5,
        ),
        dict(
            agent=bare,
            emotion_start=emotion("gratitude"),
            emotion_end=None,
            is_complaint=True,
            complaint_status="in_progress",
            outcome="dissatisfied",
            channel=channel("email"),
        ),
        dict(agent=agent, is_complaint=True, complaint_status="resolved", outcome="indifferent"),
    ]
    for minutes, fields in enumerate(rows):
        InteractionFactory(occurred_at=now - datetime.timedelta(minutes=minutes), **fields)
    return Interaction.objects.with_relations().order_by("-occurred_at", "-id")


@pytest.mark.parametrize("language", ["en", "ko"])
def test_interaction_rows_render_as_django_tables2_renders_them(
    varied_interactions, lead, language
):
    request = RequestFactory().get("/interactions/?scope=team")
    request.user = lead
    with translation.override(language):
        assert_rows_render_alike(InteractionTable, varied_interactions, request)


def test_customer_rows_render_as_django_tables2_renders_them(reference, lead):
    CustomerFactory(name="Bare <b>", phone="", email="", external_ref="")
    CustomerFactory(name="Kim", external_ref="CRM-1", archetype="loyal_annoyed")
    CustomerFactory(name="Lee", archetype="active_hater", archetype_source="manual")
    CustomerFactory(name="Park", phone="12", email="odd")
    request = RequestFactory().get("/customers/")
    request.user = lead
    for language in ("en", "ko"):
        with translation.override(language):
            assert_rows_render_alike(CustomerTable, Customer.objects.order_by("name"), request)


def test_an_empty_table_says_so_in_one_row_across_every_column(reference, lead):
    request = RequestFactory().get("/interactions/")
    request.user = lead
    assert_rows_render_alike(InteractionTable, Interaction.objects.none(), request)
    assert_rows_render_alike(CustomerTable, Customer.objects.none(), request)


@pytest.mark.parametrize(
    "query",
    [
        "scope=team",
        "scope=team&sort=-emotion",
        "scope=team&sort=agent&page=2",
        "scope=team&channel=email&emotion_start=anger&sort=occurred_at",
    ],
)
def test_the_list_pages_rows_are_django_tables2s(
    client, lead, varied_interactions, settings, query
):
    """End to end: the page as served (keyset page or numbered page, sorted) against
    django-tables2's rendering of the same table object."""
    settings.EMOTIONCARE_PAGE_SIZE = 3
    client.force_login(lead)
    response = client.get(f"{reverse('interactions:list')}?{query}")
    table = response.context["table"]
    table.template_name = STOCK
    stock = table.as_html(response.wsgi_request)
    html_equal(tbody(response.content.decode()), tbody(stock))
    # The header as served (sort links keep the filters, the sorted column marked) is
    # the template language's.
    html_equal(thead(response.content.decode()), thead(stock))


def test_the_one_pass_select_renders_as_djangos_select():
    choices = [("", "Any"), ("a", "A & B"), ("Group", [("b", "<b>"), ("c", "C")]), (3, "3")]
    for value in (None, "", "a", "b", 3, ["c"]):
        plain = forms.Select(choices=choices)
        one_pass = ListedSelect(choices=choices)
        html_equal(
            one_pass.render("f", value, attrs={"id": "id_f"}),
            plain.render("f", value, attrs={"id": "id_f"}),
        )


def test_the_filter_form_renders_as_with_djangos_select(lead, varied_interactions):
    query = {"scope": "team", "channel": "email", "touchpoint": "null", "recovered": "true"}
    form = InteractionFilter(query, queryset=Interaction.objects.all(), user=lead).form
    one_pass = "".join(str(field) for field in form)
    for field in form.fields.values():
        if type(field.widget) is ListedSelect:
            field.widget.__class__ = forms.Select
    html_equal(one_pass, "".join(str(field) for field in form))
    assert one_pass.count("<option") > 50
    assert '<option value="email" selected>' in one_pass
