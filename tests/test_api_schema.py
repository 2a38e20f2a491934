"""The OpenAPI schema is valid and warning-free, and a bounded schemathesis run against
it (every operation, a few generated requests each, through the WSGI app) never gets a
5xx."""

import io

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token

from tests.factories import InteractionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Users are created with a password: hash it quickly in tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Per operation: valid-looking requests, then requests that break the schema.
EXAMPLES = {schemathesis.GenerationMode.POSITIVE: 6, schemathesis.GenerationMode.NEGATIVE: 4}


def test_the_schema_validates_without_warnings(reference):
    """What `manage.py spectacular --validate --fail-on-warn` checks in CI."""
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json",
                 stdout=out)  # fmt: skip
    assert '"openapi": "3.0.3"' in out.getvalue()


def test_every_api_route_is_in_the_schema_with_its_errors(reference):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert set(schema["paths"]) == {
        "/api/v1/auth/token/",
        "/api/v1/customers/",
        "/api/v1/customers/{id}/",
        "/api/v1/interactions/",
        "/api/v1/interactions/{id}/",
        "/api/v1/emotions/",
        "/api/v1/channels/",
        "/api/v1/templates/",
        "/api/v1/templates/suggest/",
        "/api/v1/stats/summary/",
    }
    create = schema["paths"]["/api/v1/interactions/"]["post"]
    assert {"201", "400", "401", "403", "422", "429", "503"} <= set(create["responses"])
    headers = [p["name"] for p in create["parameters"] if p["in"] == "header"]
    assert headers == ["Idempotency-Key"]
    listing = schema["paths"]["/api/v1/interactions/"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert names >= {"customer", "agent", "channel", "emotion_start", "emotion_end"}
    assert names >= {"since", "until", "cursor"}


@pytest.fixture
def wsgi_app():
    """The Django WSGI app, called in this thread inside the test's transaction (so the
    per-request connection clean-up is switched off, as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_schemathesis_finds_no_server_error(lead, customer, wsgi_app):
    InteractionFactory.create_batch(3, customer=customer)
    token = Token.objects.create(user=lead).key
    auth = {"Authorization": f"Token {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app, headers=auth)
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 14

    for operation, mode in [(op, mode) for op in operations for mode in EXAMPLES]:

        @settings(
            max_examples=EXAMPLES[mode],
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case):
            headers = {**(case.headers or {}), **auth}
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures.append((case.operation.label, case.as_curl_command(), response.text))

        run()
    assert not failures, failures
