"""The agent's log form: good input saves, bad input is refused with a message and
nothing half written."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from interactions import forms as log_forms
from interactions.models import Customer, Interaction
from tests.factories import channel, emotion

pytestmark = pytest.mark.django_db

HOME = reverse("interactions:home")


def payload(**overrides):
    data = {
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "channel": channel("phone").pk,
        "emotion_start": emotion("anger").pk,
        "emotion_end": emotion("neutral").pk,
        "intensity": "4",
        "cues": ["words", "tone"],
        "summary": "배송이 늦어 화가 나셨음",
        "response_text": "불편을 드려 죄송합니다. 오늘 안에 다시 보내 드리겠습니다.",
        "outcome": "satisfied",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


def test_the_home_page_is_the_log_form_with_the_time_defaulting_to_now(agent_client):
    response = agent_client.get(HOME)
    assert response.status_code == 200
    form = response.context["form"]
    assert isinstance(form, log_forms.InteractionForm)
    default = form.initial["occurred_at"]
    assert abs((timezone.now() - default).total_seconds()) < 120
    assert str(timezone.get_current_timezone()) == "Asia/Seoul"


def test_logging_for_an_existing_customer_saves_and_returns_a_fresh_form(
    agent_client, agent, customer
):
    response = agent_client.post(HOME, payload(customer=customer.pk), follow=True)
    assert response.redirect_chain[-1][0] == HOME
    item = Interaction.objects.get()
    assert item.agent == agent and item.customer == customer
    assert item.recovered is True and item.cues == ["words", "tone"]
    assert "saved" in response.content.decode()
    assert not response.context["form"].is_bound


def test_a_new_customer_is_created_inline_with_the_interaction(agent_client, agent):
    data = payload(new_customer_name="박민수", new_customer_phone="010-5555-1234")
    agent_client.post(HOME, data)
    item = Interaction.objects.select_related("customer").get()
    assert item.customer.name == "박민수"
    assert item.customer.phone_digits == "01055551234"
    assert item.customer.created_by == agent


def test_a_complaint_defaults_to_open_and_records_resolution(agent_client, customer):
    agent_client.post(HOME, payload(customer=customer.pk, is_complaint="on"))
    item = Interaction.objects.get()
    assert item.complaint_status == "open" and item.resolved_at is None
    agent_client.post(
        reverse("interactions:edit", args=[item.pk]),
        payload(customer=customer.pk, is_complaint="on", complaint_status="resolved"),
    )
    item.refresh_from_db()
    assert item.complaint_status == "resolved" and item.resolved_at is not None


def test_a_non_complaint_never_keeps_a_status(agent_client, customer):
    agent_client.post(HOME, payload(customer=customer.pk, complaint_status="open"))
    assert Interaction.objects.get().complaint_status == ""


def assert_refused(response, field, message=None):
    assert response.status_code == 200, "a refused form re-renders, it does not redirect"
    form = response.context["form"]
    assert field in form.errors, form.errors
    if message:
        assert str(message) in form.errors[field]
    assert Interaction.objects.count() == 0


def test_no_customer_and_no_name_is_refused(agent_client):
    response = agent_client.post(HOME, payload(new_customer_name="   "))
    assert_refused(response, "customer", log_forms.ERR_CUSTOMER_REQUIRED)
    assert Customer.objects.count() == 0


@pytest.mark.parametrize("intensity", ["0", "6", "abc", ""])
def test_intensity_out_of_range_is_refused(agent_client, customer, intensity):
    assert_refused(
        agent_client.post(HOME, payload(customer=customer.pk, intensity=intensity)), "intensity"
    )


def test_follow_up_before_the_interaction_is_refused(agent_client, customer):
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = agent_client.post(HOME, payload(customer=customer.pk, follow_up_on=yesterday))
    assert_refused(response, "follow_up_on", log_forms.ERR_FOLLOW_UP_BEFORE)


def test_an_interaction_in_the_future_is_refused(agent_client, customer):
    later = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    assert_refused(
        agent_client.post(HOME, payload(customer=customer.pk, occurred_at=later)),
        "occurred_at",
        log_forms.ERR_IN_FUTURE,
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("emotion_start", "999999"),
        ("emotion_start", "anger"),
        ("channel", "fax"),
        ("cues", "smell"),
        ("outcome", "ecstatic"),
        ("complaint_status", "lost"),
        ("customer", "999999"),
        ("occurred_at", "yesterday-ish"),
    ],
)
def test_unknown_codes_and_ids_are_refused(agent_client, customer, field, value):
    data = payload(customer=customer.pk)
    data[field] = value
    assert_refused(agent_client.post(HOME, data), field)


@pytest.mark.parametrize("field", ["summary", "response_text", "new_customer_name"])
def test_ten_thousand_characters_are_refused_and_the_text_is_kept(agent_client, field):
    data = payload(new_customer_name="최지우")
    data[field] = "가" * 10_000
    response = agent_client.post(HOME, data)
    assert_refused(response, field)
    assert response.context["form"][field].value() == "가" * 10_000
    assert Customer.objects.count() == 0


def test_nul_bytes_are_refused(agent_client, customer):
    assert_refused(
        agent_client.post(HOME, payload(customer=customer.pk, summary="a\x00b")), "summary"
    )


def test_html_is_stored_as_text_and_shown_escaped(agent_client, customer):
    script = "<script>alert('x')</script>"
    agent_client.post(HOME, payload(customer=customer.pk, summary=script))
    item = Interaction.objects.get()
    assert item.summary == script
    page = agent_client.get(reverse("interactions:detail", args=[item.pk])).content.decode()
    assert script not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_a_taken_reference_for_a_new_customer_is_refused(agent_client, customer):
    customer.external_ref = "CRM-9"
    customer.save()
    data = payload(new_customer_name="새 고객", new_customer_external_ref="CRM-9")
    assert_refused(
        agent_client.post(HOME, data), "new_customer_external_ref", log_forms.ERR_REF_TAKEN
    )
    assert Customer.objects.count() == 1


def test_bad_new_customer_email_and_phone_are_refused(agent_client):
    data = payload(
        new_customer_name="새 고객", new_customer_email="not-an-email", new_customer_phone="call me"
    )
    response = agent_client.post(HOME, data)
    assert_refused(response, "new_customer_email")
    assert "new_customer_phone" in response.context["form"].errors
    assert Customer.objects.count() == 0


def test_the_form_keeps_what_was_typed_after_an_error(agent_client, customer):
    response = agent_client.post(
        HOME, payload(customer=customer.pk, intensity="9", summary="keep me")
    )
    html = response.content.decode()
    assert "keep me" in html
    assert customer.name in html  # the chosen customer stays chosen


def test_the_log_form_offers_the_emotion_chips_grouped_by_valence(agent_client):
    html = agent_client.get(HOME).content.decode()
    for code in ["gratitude", "neutral", "anger"]:
        assert f'id="id_emotion_start_{code}"' in html
    assert html.index("id_emotion_start_gratitude") < html.index("id_emotion_start_neutral")
    assert html.index("id_emotion_start_neutral") < html.index("id_emotion_start_anger")


def test_prefilled_customer_from_the_customer_page(agent_client, customer):
    html = agent_client.get(HOME + f"?customer={customer.pk}").content.decode()
    assert f'name="customer" value="{customer.pk}"' in html


def test_log_form_query_count_is_constant_in_templates_and_interactions(
    client, agent, customer, django_assert_max_num_queries
):
    from tests.factories import InteractionFactory, ResponseTemplateFactory

    client.force_login(agent)
    InteractionFactory.create_batch(3, agent=agent, customer=customer)
    with django_assert_max_num_queries(15) as small:
        client.get(HOME)
    ResponseTemplateFactory.create_batch(40)
    InteractionFactory.create_batch(200, agent=agent, customer=customer)
    with django_assert_max_num_queries(15) as large:
        client.get(HOME)
    assert len(small.captured_queries) == len(large.captured_queries)


def test_the_log_form_lists_no_customers_and_stays_under_50_kb(client, agent):
    """The customer is found by search as one types, never from a drop-down of the whole
    base: a thousand customers add nothing to the page."""
    from tests.factories import CustomerFactory

    client.force_login(agent)
    CustomerFactory.create_batch(1000, name="Listed Nowhere")
    html = client.get(HOME).content.decode()
    assert len(html.encode()) < 50 * 1024
    assert "Listed Nowhere" not in html
    assert html.count("<option") < 100  # the reference tables' options only
