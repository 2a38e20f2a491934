"""An agent types a phrase the guide advises against, sees why, and inserts the alternative."""

import pytest

from interactions.models import Interaction, PhraseRule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_sees_the_warning_and_inserts_the_alternative(live_server, page, agent, customer):
    rule = PhraseRule.objects.get(code="dont_know", language="ko")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "agent_a")
    page.fill("#id_password", "correct-horse-battery")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/?customer={customer.pk}")
    page.check("#id_channel_0", force=True)
    page.check("#id_emotion_start_anger", force=True)
    page.fill("textarea[name=response_text]", "죄송하지만 저는 잘 모르 겠어요.")
    panel = page.locator("[data-phrase-check]")
    panel.wait_for(state="visible")
    assert "모르 겠어요" in panel.locator("mark").first.inner_text()
    assert rule.reason[:10] in panel.inner_text()

    panel.get_by_role("button").first.click()
    value = page.input_value("textarea[name=response_text]")
    assert rule.alternative in value and "모르 겠어요" not in value
    panel.wait_for(state="hidden")

    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".alert-success")
    item = Interaction.objects.get()
    assert rule.alternative in item.response_text and item.phrase_warnings == []
