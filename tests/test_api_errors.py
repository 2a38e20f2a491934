"""How the API fails: 503 with Retry-After when the database is unreachable, JSON errors
for bodies that are too large, too deep or not valid Unicode, and never a 500."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, transaction
from django.test import Client

from interactions import selectors, services
from interactions.models import Customer, Interaction
from tests.api_support import API, interaction_body, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Users are created with a password: hash it quickly in tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_database_failure_in_the_view_is_503_with_retry_after(agent, error, settings):
    settings.EMOTIONCARE_API_RETRY_AFTER_SECONDS = 7
    client = token_client(agent)
    with mock.patch.object(selectors, "customer_list", side_effect=error("server closed")):
        response = client.get(f"{API}/customers/")
    assert response.status_code == 503
    assert response["Retry-After"] == "7"
    assert "database" in response.json()["detail"]


def test_a_database_failure_during_a_write_is_503_and_nothing_is_kept(agent, customer):
    client = token_client(agent)
    failing = mock.patch.object(
        services, "customer_recompute_archetype", side_effect=OperationalError("gone")
    )
    with failing:
        response = client.post(
            f"{API}/interactions/", interaction_body(customer), HTTP_IDEMPOTENCY_KEY="k"
        )
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert not Interaction.objects.exists()
    retried = client.post(
        f"{API}/interactions/", interaction_body(customer), HTTP_IDEMPOTENCY_KEY="k"
    )
    assert retried.status_code == 201  # the retry after recovery does the work once


def test_a_database_failure_before_the_view_is_503_too(agent):
    """Opening the request's transaction (ATOMIC_REQUESTS) is where a restarting
    PostgreSQL first fails: outside DRF, caught by ApiDatabaseUnavailableMiddleware."""
    client = token_client(agent)
    client.raise_request_exception = False
    refused = OperationalError("connection refused")
    with mock.patch.object(transaction.Atomic, "__enter__", side_effect=refused):
        response = client.get(f"{API}/customers/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response["Content-Type"] == "application/json"


def test_a_body_over_the_upload_limit_is_413(agent, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = token_client(agent).post(f"{API}/customers/", {"name": "x" * 2000})
    assert response.status_code == 413
    assert not Customer.objects.exists()


def test_a_lone_surrogate_is_400_not_a_database_or_encoding_error(agent):
    body = b'{"name": "Kim \\ud800"}'
    response = token_client(agent).post(f"{API}/customers/", body, content_type="application/json")
    assert response.status_code == 400
    assert not Customer.objects.exists()


def test_malformed_json_is_400(agent):
    client = token_client(agent)
    for raw in [
        b"[" * 100_000,
        b'{"a":' * 50 + b"1" + b"}" * 50,
        b"\xff\xfe{}",
        b'{"name": NaN}',
        b'{"name": Infinity}',
        b"",
        b"null",
        b'"just a string"',
    ]:
        response = client.post(f"{API}/customers/", raw, content_type="application/json")
        assert response.status_code == 400, raw[:20]
    assert not Customer.objects.exists()


def test_unicode_that_is_fine_is_kept_as_sent(agent):
    name = "김\u200f영희 😀 \u202eevil <script>alert(1)</script>"
    response = token_client(agent).post(f"{API}/customers/", {"name": name})
    assert response.status_code == 201
    assert Customer.objects.get().name == name
    assert response.json()["name"] == name  # JSON, not HTML: nothing to escape


def test_an_unknown_api_path_is_404(agent):
    assert token_client(agent).get(f"{API}/nothing-here/").status_code == 404


def test_options_and_head_work(agent):
    client = token_client(agent)
    assert client.options(f"{API}/customers/").status_code == 200
    assert client.head(f"{API}/customers/").status_code == 200


def test_the_app_pages_still_redirect_anonymous_users(reference):
    response = Client().get("/interactions/")
    assert response.status_code == 302
