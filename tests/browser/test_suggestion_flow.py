"""An agent picks the start emotion, sees the suggestions ranked by how well they have
worked with the handling advice beside them, inserts the best one with one keystroke,
and saves: the interaction records the template and the filled-in text."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interactions.models import Archetype, Interaction, ResponseTemplate
from tests.factories import CustomerFactory, InteractionFactory, emotion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_inserts_the_best_suggestion_by_keyboard_and_saves(live_server, page, agent):
    customer = CustomerFactory(
        name="Alex Kim", archetype=Archetype.LOYAL_ANNOYED, archetype_source="manual"
    )
    plan = ResponseTemplate.objects.get(code="plan_what_when_who", language="en")
    when = timezone.now() - timedelta(days=2)
    for n in range(10):  # 9 of 10 recovered: the best-working template
        InteractionFactory(
            agent=agent,
            occurred_at=when,
            emotion_start=emotion("anger"),
            emotion_end=emotion("neutral" if n < 9 else "anger"),
            response_template=plan,
        )

    page.goto(f"{live_server.url}/accounts/login/")
    # The username field has the focus once the page is ready (autofocus).
    page.wait_for_function("document.activeElement && document.activeElement.id === 'id_username'")
    page.keyboard.type("agent_a")
    page.keyboard.press("Tab")
    page.keyboard.type("correct-horse-battery")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")

    panel = page.locator("[data-suggestions]")
    assert "Pick the emotion at start" in panel.inner_text()

    page.keyboard.type("Alex")
    page.wait_for_selector("#customer-listbox li[role=option]")
    page.keyboard.press("Enter")
    page.keyboard.press("Space")  # focus is on the first channel, phone: pick it
    page.keyboard.press("Alt+Digit9")  # anger at start

    first = page.locator(".suggest-item").first
    first.wait_for()
    page.wait_for_function(
        "() => document.querySelector('.suggest-item .suggest-title')"
        ".textContent.includes('Summarise the plan')"
    )
    assert "calmed 9 of 10 (90%)" in first.inner_text()
    assert "service-recovery procedure" in panel.inner_text()  # the archetype's advice
    assert "Handling rule: Phone" in panel.inner_text()  # the channel's rule

    page.keyboard.press("Alt+KeyR")  # one keystroke inserts the best suggestion
    text = page.input_value("textarea[name=response_text]")
    assert text.startswith("I'm sorry for the trouble, Alex Kim.")
    assert page.input_value("select[name=response_template]") == str(plan.pk)
    assert page.evaluate("document.activeElement.name") == "response_text"

    page.keyboard.press("Alt+Shift+Digit4")  # neutral at end
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".alert-success")

    saved = Interaction.objects.filter(customer=customer).get()
    assert saved.response_template == plan
    assert saved.response_text == text
    assert saved.recovered is True
    assert saved.phrase_warnings == []
