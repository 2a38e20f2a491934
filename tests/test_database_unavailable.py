"""When the database cannot be reached: a 503 page with Retry-After, never a bare 500."""

import json

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse

from emotioncare.errors import RETRY_AFTER_SECONDS, is_database_unavailable

pytestmark = pytest.mark.django_db

UNREACHABLE = [
    OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused'),
    InterfaceError("connection already closed"),
]


@pytest.fixture
def browser(lead):
    """A logged-in client that gets the error page instead of the exception."""
    client = Client(raise_request_exception=False)
    client.force_login(lead)
    return client


def break_session_lookup(monkeypatch, error):
    """The first query of a request: loading the session, in middleware, before any view."""

    def load(self):
        raise error

    monkeypatch.setattr(SessionStore, "load", load)


@pytest.mark.parametrize("error", UNREACHABLE, ids=["operational", "interface"])
def test_a_page_answers_503_when_the_database_is_down_in_middleware(browser, monkeypatch, error):
    break_session_lookup(monkeypatch, error)
    response = browser.get(reverse("interactions:list"))
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "EmotionCare is briefly unavailable" in html
    assert "nothing was half saved" in html
    assert f'href="{reverse("interactions:list")}"' in html  # try again
    assert "no-store" in response["Cache-Control"]
    assert "Content-Security-Policy" in response


def test_a_page_answers_503_when_the_database_fails_in_the_view(browser, monkeypatch):
    def interaction_list(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("interactions.views.selectors.interaction_list", interaction_list)
    response = browser.get(reverse("interactions:list"))
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)


def test_the_api_gets_json_503(browser, monkeypatch):
    break_session_lookup(monkeypatch, UNREACHABLE[0])
    response = browser.get("/api/v1/interactions/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == str(settings.EMOTIONCARE_API_RETRY_AFTER_SECONDS)
    assert json.loads(response.content)["detail"]


def test_other_errors_are_still_a_500(browser, monkeypatch):
    def interaction_list(**kwargs):
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr("interactions.views.selectors.interaction_list", interaction_list)
    response = browser.get(reverse("interactions:list"))
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_an_error_raised_from_a_database_error_counts():
    try:
        try:
            raise OperationalError("could not connect")
        except OperationalError as inner:
            raise RuntimeError("wrapped") from inner
    except RuntimeError as outer:
        assert is_database_unavailable(outer)
    assert not is_database_unavailable(ValueError("no"))
    assert not is_database_unavailable(None)
