"""API authentication: 401 without credentials, tokens, sessions with CSRF, the schema
and docs behind a login, and throttling (429 with Retry-After)."""

import pytest
from django.test import override_settings
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from tests.api_support import API, session_client, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Users are created with a password: hash it quickly in tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


TOKEN_URL = f"{API}/auth/token/"
PASSWORD = "correct-horse-battery"  # tests/factories.py


UNAUTHENTICATED_PATHS = [
    "/customers/",
    "/customers/1/",
    "/interactions/",
    "/interactions/1/",
    "/emotions/",
    "/channels/",
    "/templates/",
    "/templates/suggest/?emotion=anger",
    "/stats/summary/",
]


def test_every_endpoint_answers_401_json_without_credentials(reference):
    for path in UNAUTHENTICATED_PATHS:
        response = APIClient().get(API + path)
        assert response.status_code == 401, path
        assert response["Content-Type"] == "application/json", path
        assert response["WWW-Authenticate"] == "Token", path
        assert "detail" in response.json(), path


def test_writes_without_credentials_are_401_not_a_redirect(reference):
    response = APIClient().post(f"{API}/interactions/", {"customer": 1})
    assert response.status_code == 401


def test_a_bad_token_is_401(reference):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get(f"{API}/customers/").status_code == 401


def test_the_token_endpoint_returns_the_users_token(agent):
    response = APIClient().post(TOKEN_URL, {"username": "agent_a", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(f"{API}/customers/").status_code == 200
    again = APIClient().post(TOKEN_URL, {"username": "agent_a", "password": PASSWORD})
    assert again.json()["token"] == token  # one token per user


def test_wrong_credentials_are_400_json(agent):
    response = APIClient().post(TOKEN_URL, {"username": "agent_a", "password": "wrong"})
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_missing_or_malformed_credentials_name_the_field(agent):
    for body in [
        {},
        {"username": "agent_a"},
        {"password": "x"},
        {"username": ["a"], "password": 1},
    ]:
        response = APIClient().post(TOKEN_URL, body)
        assert response.status_code == 400, body
        assert set(response.json()) <= {"username", "password"}, body


def test_an_inactive_account_gets_no_token(agent):
    agent.is_active = False
    agent.save()
    response = APIClient().post(TOKEN_URL, {"username": "agent_a", "password": PASSWORD})
    assert response.status_code == 400


def test_a_deactivated_accounts_token_stops_working(agent):
    client = token_client(agent)
    agent.is_active = False
    agent.save()
    assert client.get(f"{API}/customers/").status_code == 401


def test_an_account_without_a_role_gets_403(no_role_user):
    response = APIClient().post(TOKEN_URL, {"username": "nobody", "password": PASSWORD})
    assert response.status_code == 403
    assert token_client(no_role_user).get(f"{API}/customers/").status_code == 403


def test_the_token_endpoint_goes_through_django_axes(agent, settings):
    """Wrong passwords are counted by django-axes (AUTHENTICATION_BACKENDS), so the
    token endpoint cannot be used to guess passwords past the login throttle."""
    if "axes" not in settings.INSTALLED_APPS:
        pytest.skip("django-axes not installed")
    client = APIClient()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(TOKEN_URL, {"username": "agent_a", "password": "wrong"})
    locked = client.post(TOKEN_URL, {"username": "agent_a", "password": PASSWORD})
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
    assert "token" not in locked.json()


def test_session_authentication_reads(agent):
    assert session_client(agent).get(f"{API}/customers/").status_code == 200


def test_session_writes_need_the_csrf_token(agent):
    client = session_client(agent, csrf_checks=True)
    body = {"name": "Alex Kim"}
    refused = client.post(f"{API}/customers/", body)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    client.get("/")  # any page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(f"{API}/customers/", body, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201


def test_token_writes_need_no_csrf_token(agent):
    client = token_client(agent)
    client.handler.enforce_csrf_checks = True
    assert client.post(f"{API}/customers/", {"name": "Alex Kim"}).status_code == 201


# --- Schema and docs --------------------------------------------------------------


def test_the_schema_needs_a_login(reference):
    assert APIClient().get("/api/schema/").status_code == 401


@pytest.mark.parametrize("authenticate", [token_client, session_client])
def test_the_schema_is_openapi_3_for_any_role(agent, authenticate):
    response = authenticate(agent).get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert f"{API}/interactions/" in schema["paths"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_the_docs_send_an_anonymous_browser_to_the_login_page(reference):
    response = APIClient().get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_docs_refuse_a_bad_token(reference):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token nope")
    assert client.get("/api/docs/").status_code == 401


@pytest.mark.parametrize("authenticate", [token_client, session_client])
def test_the_docs_render_from_local_files_with_a_separate_script(agent, authenticate):
    client = authenticate(agent)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn." not in html and "https://" not in html  # no CDN
    assert "<script>" not in html and "<style>" not in html  # nothing inline (CSP)
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


# --- Throttling -------------------------------------------------------------------


@pytest.fixture
def low_rates():
    rates = {"user": "3/minute", "token": "2/minute"}
    with override_settings(REST_FRAMEWORK={**_rest_settings(), "DEFAULT_THROTTLE_RATES": rates}):
        assert api_settings.DEFAULT_THROTTLE_RATES == rates
        yield


def _rest_settings() -> dict:
    from django.conf import settings

    return dict(settings.REST_FRAMEWORK)


def test_over_the_user_rate_is_429_with_retry_after(agent, low_rates):
    client = token_client(agent)
    statuses = [client.get(f"{API}/emotions/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(f"{API}/emotions/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "detail" in response.json()


def test_the_user_rate_is_per_user(agent, other_agent, low_rates):
    first, second = token_client(agent), token_client(other_agent)
    for _ in range(3):
        first.get(f"{API}/emotions/")
    assert first.get(f"{API}/emotions/").status_code == 429
    assert second.get(f"{API}/emotions/").status_code == 200


def test_the_token_endpoint_is_throttled_per_address(agent, low_rates):
    client = APIClient()
    body = {"username": "agent_a", "password": PASSWORD}
    assert [client.post(TOKEN_URL, body).status_code for _ in range(2)] == [200, 200]
    response = client.post(TOKEN_URL, body)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_default_rates_come_from_settings():
    rates = api_settings.DEFAULT_THROTTLE_RATES
    assert rates["user"] and rates["token"]


def test_another_user_name_is_not_locked_out_by_failures(agent, other_agent):
    """Failures count per user name and address: guessing one name does not lock out
    another user's token request from the same address."""
    client = APIClient()
    for _attempt in range(6):
        client.post(TOKEN_URL, {"username": "agent_a", "password": "wrong"})
    other = client.post(TOKEN_URL, {"username": "agent_b", "password": PASSWORD})
    assert other.status_code == 200
