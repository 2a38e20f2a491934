"""Idempotency-Key: a retried write returns the first response and writes nothing new;
the same key with another body is 422; keys are per user, stored with the write, kept
24 hours at least; concurrent duplicates write once (PostgreSQL)."""

import datetime as dt
import threading
import time
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from interactions import services
from interactions.api import idempotency
from interactions.models import Customer, IdempotencyKey, Interaction
from tests.api_support import API, interaction_body, token_client

LIST = f"{API}/interactions/"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Users are created with a password: hash it quickly in tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def post(client, body, key, path=LIST):
    return client.post(path, body, HTTP_IDEMPOTENCY_KEY=key)


@pytest.mark.django_db
class TestReplay:
    def test_a_retry_returns_the_first_response_and_creates_nothing(self, agent, customer):
        client = token_client(agent)
        body = interaction_body(customer)
        first = post(client, body, "call-1")
        assert first.status_code == 201
        again = post(client, body, "call-1")
        assert again.status_code == 201
        assert again.json() == first.json()
        assert again["Idempotent-Replayed"] == "true"
        assert Interaction.objects.count() == 1
        key = IdempotencyKey.objects.get()
        assert (key.method, key.path, key.status_code) == ("POST", LIST, 201)
        assert key.response_body == first.json()

    def test_the_same_key_with_another_body_is_422(self, agent, customer):
        client = token_client(agent)
        post(client, interaction_body(customer), "call-1")
        response = post(client, interaction_body(customer, intensity=1), "call-1")
        assert response.status_code == 422
        assert "different request" in response.json()["detail"]
        assert Interaction.objects.count() == 1

    def test_the_same_key_on_another_endpoint_is_422(self, agent, customer):
        client = token_client(agent)
        post(client, interaction_body(customer), "k")
        assert post(client, {"name": "A"}, "k", path=f"{API}/customers/").status_code == 422
        assert Customer.objects.count() == 1

    def test_key_order_and_spacing_of_the_json_do_not_matter(self, agent, customer):
        client = token_client(agent)
        body = interaction_body(customer)
        post(client, body, "k")
        reordered = dict(reversed(list(body.items())))
        assert post(client, reordered, "k").status_code == 201
        assert Interaction.objects.count() == 1

    def test_keys_are_per_user(self, agent, other_agent, customer):
        body = interaction_body(customer)
        assert post(token_client(agent), body, "shared").status_code == 201
        assert post(token_client(other_agent), body, "shared").status_code == 201
        assert Interaction.objects.count() == 2
        assert IdempotencyKey.objects.count() == 2

    def test_without_a_key_every_post_writes(self, agent, customer):
        client = token_client(agent)
        body = interaction_body(customer)
        client.post(LIST, body)
        client.post(LIST, body)
        assert Interaction.objects.count() == 2
        assert not IdempotencyKey.objects.exists()

    def test_a_refused_request_keeps_no_key_so_a_corrected_retry_works(self, agent, customer):
        client = token_client(agent)
        bad = interaction_body(customer, occurred_at="2025-03-01T10:00:00")
        assert post(client, bad, "k").status_code == 400
        assert not IdempotencyKey.objects.exists()
        assert post(client, interaction_body(customer), "k").status_code == 201

    def test_a_failure_inside_the_service_leaves_neither_row_nor_key(self, agent, customer):
        client = token_client(agent)
        with mock.patch.object(
            services, "nudge_check", side_effect=services.ValidationError("boom")
        ):
            body = interaction_body(customer, emotion_end="anger")
            response = post(client, body, "k")
        assert response.status_code == 400
        assert not Interaction.objects.exists()
        assert not IdempotencyKey.objects.exists()

    def test_patch_is_idempotent_too(self, agent, interaction):
        client = token_client(agent)
        url = f"{API}/interactions/{interaction.pk}/"
        first = client.patch(url, {"summary": "Called back"}, HTTP_IDEMPOTENCY_KEY="p1")
        assert first.status_code == 200
        interaction.summary = "changed since"
        interaction.save()
        again = client.patch(url, {"summary": "Called back"}, HTTP_IDEMPOTENCY_KEY="p1")
        assert again.json() == first.json()
        interaction.refresh_from_db()
        assert interaction.summary == "changed since"  # the retry wrote nothing

    def test_customer_creation_is_idempotent(self, agent):
        client = token_client(agent)
        path = f"{API}/customers/"
        assert post(client, {"name": "Alex"}, "c1", path=path).status_code == 201
        assert post(client, {"name": "Alex"}, "c1", path=path).status_code == 201
        assert Customer.objects.count() == 1

    def test_a_malformed_key_is_400_naming_the_header(self, agent, customer):
        for key in ["x" * 256, "with space", "tab\tkey", "é"]:
            response = post(token_client(agent), interaction_body(customer), key)
            assert response.status_code == 400, key
            assert "Idempotency-Key" in response.json()
        assert not Interaction.objects.exists()

    def test_the_longest_key_is_accepted(self, agent, customer):
        response = post(token_client(agent), interaction_body(customer), "k" * 255)
        assert response.status_code == 201


@pytest.mark.django_db
class TestRetention:
    def test_keys_are_kept_at_least_24_hours(self, settings):
        settings.EMOTIONCARE_IDEMPOTENCY_KEY_HOURS = 1
        assert idempotency.retention() == dt.timedelta(hours=24)
        settings.EMOTIONCARE_IDEMPOTENCY_KEY_HOURS = 48
        assert idempotency.retention() == dt.timedelta(hours=48)

    def test_the_purge_command_deletes_only_older_keys(self, agent, settings):
        settings.EMOTIONCARE_IDEMPOTENCY_KEY_HOURS = 24
        now = timezone.now()
        old = IdempotencyKey.objects.create(
            user=agent, key="old", method="POST", path=LIST, request_hash="x",
            created_at=now - dt.timedelta(hours=25),
        )  # fmt: skip
        recent = IdempotencyKey.objects.create(
            user=agent, key="recent", method="POST", path=LIST, request_hash="x",
            created_at=now - dt.timedelta(hours=23),
        )  # fmt: skip
        call_command("purge_idempotency_keys", stdout=mock.MagicMock())
        assert not IdempotencyKey.objects.filter(pk=old.pk).exists()
        assert IdempotencyKey.objects.filter(pk=recent.pk).exists()


# --- Concurrency (PostgreSQL) ---------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_requests_with_one_key_write_once(agent, customer):
    """Two workers receive the same retried call at the same moment. The key row is
    inserted first, so the second waits on the unique index until the first commits,
    then answers with the first response: one interaction, two identical 201s."""
    assert connection.vendor == "postgresql"
    body = interaction_body(customer)
    token_client(agent)  # create the token before the threads start
    barrier = threading.Barrier(2)
    results: list = [None, None]
    original = services.interaction_log

    def slow_log(**kwargs):
        time.sleep(0.5)  # keep the first transaction open while the second arrives
        return original(**kwargs)

    def send(index):
        try:
            client = token_client(agent)
            barrier.wait()
            results[index] = post(client, body, "same-call")
        finally:
            connection.close()

    with mock.patch.object(services, "interaction_log", side_effect=slow_log):
        threads = [threading.Thread(target=send, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert [r.status_code for r in results] == [201, 201]
    assert results[0].json() == results[1].json()
    assert sorted(r.has_header("Idempotent-Replayed") for r in results) == [False, True]
    assert Interaction.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1
