"""Login throttling (django-axes): keyed on (user name, address), with a cool-off.

An attacker cannot lock everybody out from one address by trying every name, nor lock
one person out from everywhere by trying their name from many addresses.
"""

import json
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import RequestFactory
from django.urls import reverse

from emotioncare.security import client_ip, lockout_response
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests/factories.py
HOME = "10.0.0.1"
ELSEWHERE = "10.0.0.2"


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Every log-in here checks a password; a fast hasher keeps the file quick. Autouse,
    so it is in place before the user fixtures set their passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(client, username, password=PASSWORD, address=HOME):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail_until_locked(client, username, address=HOME):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, username, "wrong-password", address)


def logged_in(client):
    return SESSION_KEY in client.session


def test_the_limit_and_cool_off_come_from_settings():
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_failures_lock_that_user_name_from_that_address(client, agent):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "agent_a", "wrong-password").status_code == 200
    locked = log_in(client, "agent_a", "wrong-password")
    assert locked.status_code == 429

    # Even the right password is refused now, with the reason on the login page.
    response = log_in(client, "agent_a")
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    assert "Too many failed log-ins for this user name from your address" in (
        response.content.decode()
    )
    assert "Try again in 15 minutes" in response.content.decode()
    assert 'name="username"' in response.content.decode()  # someone else can log in here
    assert not logged_in(client)


def test_the_same_user_name_from_another_address_still_logs_in(client, agent):
    fail_until_locked(client, "agent_a", HOME)
    assert log_in(client, "agent_a", address=HOME).status_code == 429

    response = log_in(client, "agent_a", address=ELSEWHERE)
    assert response.status_code == 302
    assert logged_in(client)


def test_trying_every_name_from_one_address_locks_out_nobody_else(client, agent, other_agent):
    fail_until_locked(client, "agent_a", HOME)
    fail_until_locked(client, "admin", HOME)  # names that do not exist count as well
    assert log_in(client, "agent_a", address=HOME).status_code == 429

    # Another person at the same address (a shared office connection) is not affected.
    response = log_in(client, "agent_b", address=HOME)
    assert response.status_code == 302
    assert logged_in(client)


def test_the_lockout_ends_after_the_cool_off(client, agent):
    fail_until_locked(client, "agent_a")
    assert log_in(client, "agent_a").status_code == 429

    AccessAttempt.objects.filter(username="agent_a").update(
        attempt_time=AccessAttempt.objects.get(username="agent_a").attempt_time
        - settings.AXES_COOLOFF_TIME
        - timedelta(seconds=1)
    )
    response = log_in(client, "agent_a")
    assert response.status_code == 302
    assert logged_in(client)


def test_attempts_during_a_lockout_do_not_extend_it(client, agent):
    fail_until_locked(client, "agent_a")
    started = AccessAttempt.objects.get(username="agent_a").attempt_time
    for _ in range(3):
        assert log_in(client, "agent_a", "wrong-password").status_code == 429
    attempt = AccessAttempt.objects.get(username="agent_a")
    assert attempt.attempt_time == started
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT


def test_a_successful_login_resets_the_count(client, agent):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "agent_a", "wrong-password")
    assert log_in(client, "agent_a").status_code == 302
    assert not AccessAttempt.objects.filter(username="agent_a").exists()

    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "agent_a", "wrong-password")
    assert log_in(client, "agent_a").status_code == 302


def test_an_inactive_account_cannot_log_in_with_the_right_password(client, agent):
    agent.is_active = False
    agent.save()
    response = log_in(client, "agent_a")
    assert response.status_code == 200
    assert not logged_in(client)


def test_the_admin_login_is_throttled_too(client, admin_user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("admin:login"), {"username": "boss", "password": "wrong"}, REMOTE_ADDR=HOME
        )
    response = client.post(
        reverse("admin:login"), {"username": "boss", "password": PASSWORD}, REMOTE_ADDR=HOME
    )
    assert response.status_code == 429
    assert not logged_in(client)


def test_the_lockout_answer_is_json_under_the_api():
    request = RequestFactory().post("/api/v1/auth/token/")
    response = lockout_response(request, None, {"username": "agent_a"})
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == str(15 * 60)
    assert "Too many failed log-ins" in json.loads(response.content)["detail"]


def test_the_tests_own_logins_keep_working(client, lead):
    """force_login bypasses authentication (so Axes) entirely; the login form goes
    through Axes and works while there are no failures."""
    client.force_login(lead)
    assert client.get(reverse("interactions:list")).status_code == 200
    client.logout()
    assert log_in(client, "lead").status_code == 302
    UserFactory(username="newcomer", role="agent")
    assert log_in(client, "newcomer").status_code == 302


@pytest.mark.parametrize(
    ("proxies", "meta", "expected"),
    [
        (0, {"REMOTE_ADDR": "10.0.0.9", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "10.0.0.9"),
        (1, {"REMOTE_ADDR": "10.0.0.9", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "1.2.3.4"),
        # A client-written entry on the left is ignored: one proxy appended one entry.
        (1, {"REMOTE_ADDR": "10.0.0.9", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4"}, "1.2.3.4"),
        (2, {"REMOTE_ADDR": "10.0.0.9", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 10.0.0.8"}, "1.2.3.4"),
        (1, {"REMOTE_ADDR": "10.0.0.9", "HTTP_X_FORWARDED_FOR": "junk"}, "10.0.0.9"),
        (2, {"REMOTE_ADDR": "10.0.0.9", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "10.0.0.9"),
        (1, {"REMOTE_ADDR": "10.0.0.9"}, "10.0.0.9"),
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(settings, proxies, meta, expected):
    settings.PROXY_COUNT = proxies
    request = RequestFactory().get("/", **meta)
    assert client_ip(request) == expected


def test_api_token_failures_count_and_lock_out_too(client, agent):
    """The API's token endpoint authenticates with the request, so Axes counts it; its
    refusals are returned rather than raised, so the request's transaction (and the
    failure Axes wrote in it) is not rolled back."""
    token_url = "/api/v1/auth/token/"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            token_url,
            {"username": "agent_a", "password": "wrong"},
            content_type="application/json",
            REMOTE_ADDR=HOME,
        )
    response = client.post(
        token_url,
        {"username": "agent_a", "password": PASSWORD},
        content_type="application/json",
        REMOTE_ADDR=HOME,
    )
    assert response.status_code == 429
    assert "Retry-After" in response
    # One count per (user name, address), whichever door the guesses came through.
    assert log_in(client, "agent_a", address=HOME).status_code == 429
    assert log_in(client, "agent_a", address=ELSEWHERE).status_code == 302
