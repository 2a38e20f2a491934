"""An agent logs an interaction with the keyboard alone and finds it in the list."""

import pytest

from interactions.models import Interaction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, selector, limit=80):
    """Press Tab until the element matching `selector` has focus (keyboard only)."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"could not reach {selector} with Tab")


def test_agent_logs_an_interaction_by_keyboard_and_finds_it_in_the_list(
    live_server, page, agent, customer
):
    page.goto(f"{live_server.url}/accounts/login/")
    # The username field has the focus once the page is ready (autofocus).
    page.wait_for_function("document.activeElement && document.activeElement.id === 'id_username'")
    page.keyboard.type("agent_a")
    page.keyboard.press("Tab")
    page.keyboard.type("correct-horse-battery")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")

    # The customer search has focus: type part of the name, pick the match with Enter.
    assert page.evaluate("document.activeElement.id") == "customer-search"
    page.keyboard.type("영희")
    page.wait_for_selector("#customer-listbox li[role=option]")
    page.keyboard.press("Enter")
    assert page.input_value("input[name=customer]") == str(customer.pk)

    # Focus moved to the channel chips: arrow keys pick one.
    page.keyboard.press("ArrowRight")  # phone -> e-mail
    page.keyboard.press("Space")
    # Alt+9 is the ninth emotion at start (anger); Alt+Shift+4 the fourth at end (neutral).
    page.keyboard.press("Alt+Digit9")
    page.keyboard.press("Alt+Shift+Digit4")

    tab_to(page, "textarea[name=summary]")
    page.keyboard.type("택배가 사흘 늦었다고 화를 내심")
    tab_to(page, "textarea[name=response_text]")
    page.keyboard.type("불편을 드려 죄송합니다. 오늘 바로 다시 보내 드리겠습니다.")
    page.keyboard.press("Control+Enter")

    page.wait_for_selector(".alert-success")
    item = Interaction.objects.get()
    assert item.customer == customer and item.agent.username == "agent_a"
    assert item.channel.code == "email"
    assert item.emotion_start.code == "anger" and item.emotion_end.code == "neutral"
    assert item.recovered is True

    # g i goes to the interactions list, where the new row is first.
    page.keyboard.press("Escape")  # leaves the focused field
    page.keyboard.press("g")
    page.keyboard.press("i")
    page.wait_for_url(f"{live_server.url}/interactions/")
    first_row = page.locator("table.table tbody tr").first
    assert customer.name in first_row.inner_text()
    assert "Anger" in first_row.inner_text()
