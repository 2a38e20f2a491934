"""The data set shared by the proof tests (test_permission_matrix.py, test_bad_input.py):
made once per test module inside a transaction that is rolled back at its end; each test
runs in a savepoint of it (pytest-django's ``db``), so tests stay independent and fast.

Use it as ``world = proof_support.world_fixture()`` in a test module.
"""

from http.cookies import SimpleCookie

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from rest_framework.authtoken.models import Token

from interactions import models
from tests.factories import (
    CustomerFactory,
    InteractionFactory,
    ResponseTemplateFactory,
    UserFactory,
    emotion,
)

ACTORS = ("anon", "agent_a", "agent_b", "lead", "admin", "token")


def build_world(*, raise_request_exception: bool = True) -> dict:
    """Users of every role, agent A's interaction, customer, personal template and
    nudge, a team template and a phrase rule, and one logged-in client per actor."""
    from interactions.roles import ensure_role_groups

    ensure_role_groups()
    call_command("load_reference_data", verbosity=0)
    users = {
        "agent_a": UserFactory(username="agent_a", first_name="Minji", role="agent"),
        "agent_b": UserFactory(username="agent_b", first_name="Jisoo", role="agent"),
        "lead": UserFactory(username="lead", first_name="Sora", role="lead"),
        "admin": UserFactory(username="boss", first_name="Hana", role="admin"),
    }
    customer = CustomerFactory(
        name="김영희", phone="010-1234-5678", email="kim@example.com", external_ref="R-1"
    )
    interaction = InteractionFactory(
        agent=users["agent_a"], customer=customer, emotion_end=emotion("gratitude")
    )
    other = InteractionFactory(agent=users["agent_b"], customer=customer)
    token = Token.objects.create(user=users["agent_a"])
    flags = {"raise_request_exception": raise_request_exception}
    clients = {
        "anon": Client(**flags),
        "token": Client(HTTP_AUTHORIZATION=f"Token {token.key}", **flags),
    }
    for actor, user in users.items():
        clients[actor] = Client(**flags)
        clients[actor].force_login(user)
    return {
        **users,
        "users": users,
        "customer": customer,
        "interaction": interaction,
        "other_interaction": other,
        "team_template": models.ResponseTemplate.objects.filter(owner=None).order_by("pk")[0],
        "personal_template": ResponseTemplateFactory(owner=users["agent_a"], title="A's own"),
        "nudge": models.BreakNudge.objects.create(
            agent=users["agent_a"], negative_count=3, practice="breathing"
        ),
        "rule": models.PhraseRule.objects.order_by("pk")[0],
        "token": token.key,
        "clients": clients,
    }


def world_fixture(**options):
    """A module-scoped fixture giving `build_world()`'s data set, rolled back at the end."""

    @pytest.fixture(scope="module")
    def world(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), transaction.atomic():
            yield build_world(**options)
            transaction.set_rollback(True)

    return world


def rolled_back(client: Client, method: str, url: str, **kwargs):
    """One request in a savepoint that is rolled back, with the client's cookies restored
    afterwards (a log-out or a language switch does not leak into the next request)."""
    cookies = SimpleCookie()
    cookies.load(client.cookies.output(header="", sep=";"))
    with transaction.atomic():
        response = getattr(client, method.lower())(url, **kwargs)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response
