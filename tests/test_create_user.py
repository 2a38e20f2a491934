"""`manage.py create_user NAME --role ...`."""

import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from interactions.management.commands import create_user
from interactions.roles import role_of

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "violet-harbour-lantern-42"


def make(*args):
    call_command("create_user", *args, verbosity=0)
    return get_user_model().objects.get(username=args[0])


@pytest.mark.parametrize("role", ["agent", "lead"])
def test_agents_and_leads_get_their_group_and_no_admin_access(role):
    user = make("minji", "--role", role, "--password", GOOD_PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == [role]
    assert role_of(user) == role
    assert not user.is_staff and not user.is_superuser
    assert user.check_password(GOOD_PASSWORD)


def test_admin_is_staff_and_superuser():
    user = make("hana", "--role", "admin", "--password", GOOD_PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == ["admin"]
    assert user.is_staff and user.is_superuser
    assert role_of(user) == "admin"


def test_email_and_first_name_are_stored():
    user = make(
        "sora",
        "--role",
        "lead",
        "--password",
        GOOD_PASSWORD,
        "--email",
        "sora@example.com",
        "--first-name",
        "소라",
    )
    assert (user.email, user.first_name) == ("sora@example.com", "소라")


@pytest.mark.parametrize("weak", ["short1", "password123", "12345678901", "minji123"])
def test_weak_password_is_refused_and_no_user_created(weak):
    with pytest.raises(CommandError, match="Password refused") as refused:
        make("minji", "--role", "agent", "--password", weak)
    assert refused.value.returncode != 0
    assert not get_user_model().objects.filter(username="minji").exists()


@pytest.mark.parametrize("taken", ["minji", "MinJi"])
def test_existing_username_is_refused_with_a_non_zero_exit(taken):
    make("minji", "--role", "agent", "--password", GOOD_PASSWORD)
    with pytest.raises(CommandError, match="already exists") as refused:
        make(taken, "--role", "admin", "--password", GOOD_PASSWORD)
    assert refused.value.returncode != 0
    user = get_user_model().objects.get(username="minji")
    assert not user.is_superuser
    assert get_user_model().objects.count() == 1


def test_unknown_role_is_refused():
    with pytest.raises(CommandError, match="invalid choice"):
        make("minji", "--role", "boss", "--password", GOOD_PASSWORD)


def test_invalid_email_is_refused():
    with pytest.raises(CommandError, match="Invalid email"):
        make("minji", "--role", "agent", "--password", GOOD_PASSWORD, "--email", "not-an-address")
    assert not get_user_model().objects.exists()


def test_password_is_asked_for_twice_on_a_terminal(monkeypatch):
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD])
    monkeypatch.setattr(create_user.getpass, "getpass", lambda prompt: next(answers))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    user = make("jisoo", "--role", "agent")
    assert user.check_password(GOOD_PASSWORD)


def test_mismatched_passwords_are_refused(monkeypatch):
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD + "x"])
    monkeypatch.setattr(create_user.getpass, "getpass", lambda prompt: next(answers))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    with pytest.raises(CommandError, match="did not match"):
        make("jisoo", "--role", "agent")
    assert not get_user_model().objects.exists()


def test_without_password_or_terminal_it_stops(monkeypatch):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    with pytest.raises(CommandError, match="no terminal"):
        make("jisoo", "--role", "agent")
