"""The pages work under the Content-Security-Policy: a lead opens the main pages and uses
the log form's live parts (customer search, suggestions, phrase check), and the browser
reports no blocked resource ("Refused to ...") and no script error."""

import pytest

from tests.factories import InteractionFactory, emotion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script, outside the page's policy: records every violation.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


@pytest.fixture
def watched_page(page):
    problems = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: message.type == "error" and problems.append(f"console: {message.text}"),
    )
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.problems = problems
    return page


def assert_clean(page, where):
    violations = page.evaluate("window.__cspViolations || []")
    assert not violations, f"{where}: CSP violations {violations}"
    assert not page.problems, f"{where}: {page.problems}"


def test_a_lead_uses_the_main_pages_without_csp_violations_or_script_errors(
    live_server, watched_page, lead, agent, customer
):
    page = watched_page
    for start, end in [("anger", "neutral"), ("gratitude", "satisfaction"), ("anxiety", "anger")]:
        InteractionFactory(
            agent=agent, customer=customer, emotion_start=emotion(start), emotion_end=emotion(end)
        )
    interaction = InteractionFactory(agent=lead, customer=customer)

    page.goto(f"{live_server.url}/accounts/login/")
    assert_clean(page, "login")
    page.fill("#id_username", "lead")
    page.fill("#id_password", "correct-horse-battery")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    # The log form, with its script-driven parts.
    page.goto(f"{live_server.url}/")
    # Type only once the page's script has put the focus in the customer search.
    page.wait_for_function(
        "document.activeElement && document.activeElement.id === 'customer-search'"
    )
    page.keyboard.type("영희")
    page.wait_for_selector("#customer-listbox li[role=option]")
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    page.keyboard.press("Alt+Digit9")
    page.locator(".suggest-item").first.wait_for()
    page.fill("textarea[name=response_text]", "죄송하지만 저는 잘 모르 겠어요.")
    page.locator("[data-phrase-check]").wait_for(state="visible")
    page.keyboard.press("Escape")
    page.keyboard.press("?")
    page.locator("#shortcuts").wait_for(state="visible")
    assert_clean(page, "log form")

    for path in [
        "/interactions/",
        "/interactions/?sort=-occurred_at&emotion_start=anger",
        f"/interactions/{interaction.pk}/",
        "/customers/",
        f"/customers/{customer.pk}/",
        "/dashboard/",
        "/templates/",
        "/phrase-rules/",
        "/me/",
        "/reflection/",
        "/team/care/",
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
        assert_clean(page, path)

    # The API docs: Swagger UI from the app's own static files (drf-spectacular-sidecar).
    page.goto(f"{live_server.url}/api/docs/")
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert_clean(page, "/api/docs/")

    page.goto(f"{live_server.url}/")
    # The language switch is a script (data-autosubmit), not an inline handler.
    with page.expect_navigation():
        page.select_option("#lang-select", "ko")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert_clean(page, "language switch")
