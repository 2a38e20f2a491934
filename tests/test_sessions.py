"""Sessions: a new key at login, the end of a deactivated account's session, a working day."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests/factories.py


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Every log-in here checks a password; a fast hasher keeps the file quick. Autouse,
    so it is in place before the user fixtures set their passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(client, username):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_login_gives_a_new_session_key(client, agent):
    """A session key planted before login (session fixation) is worth nothing after."""
    planted = SessionStore()
    planted["before_login"] = "kept"
    planted.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key

    new_key = log_in(client, "agent_a")

    assert new_key != planted.session_key
    assert not Session.objects.filter(session_key=planted.session_key).exists()
    assert client.session[SESSION_KEY] == str(agent.pk)
    assert client.session["before_login"] == "kept"


def test_a_deactivated_account_is_logged_out_on_its_next_request(client, agent):
    log_in(client, "agent_a")
    assert client.get(reverse("interactions:list")).status_code == 200

    agent.is_active = False  # what an admin does in /admin/auth/user/
    agent.save()

    response = client.get(reverse("interactions:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_deactivated_account_is_logged_out_even_after_force_login(client, agent):
    client.force_login(agent)
    agent.is_active = False
    agent.save()
    assert client.get(reverse("interactions:list")).status_code == 302


def test_a_session_lasts_a_working_day(client, agent):
    assert settings.SESSION_COOKIE_AGE == 9 * 60 * 60
    before = timezone.now()
    key = log_in(client, "agent_a")
    expires = Session.objects.get(session_key=key).expire_date
    assert before + timedelta(hours=9) <= expires <= timezone.now() + timedelta(hours=9)
    # The cookie itself ends when the browser closes (no Max-Age).
    assert not client.cookies[settings.SESSION_COOKIE_NAME]["max-age"]

    assert client.get(reverse("interactions:list")).status_code == 200
    # Nine hours later the server no longer knows the session.
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("interactions:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
