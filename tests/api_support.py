"""Helpers shared by the API tests (tests/test_api_*.py)."""

from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

API = "/api/v1"


def token_client(user) -> APIClient:
    """A client that authenticates with the user's API token (as a phone system does)."""
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def session_client(user, *, csrf_checks: bool = False) -> APIClient:
    """A client logged in with a session cookie (as the app's own pages are)."""
    client = APIClient(enforce_csrf_checks=csrf_checks)
    client.force_login(user)
    return client


def interaction_body(customer, **overrides) -> dict:
    body = {
        "customer": customer.pk,
        "occurred_at": timezone.localtime().replace(microsecond=0).isoformat(),
        "channel": "phone",
        "emotion_start": "anger",
        "emotion_end": "neutral",
        "intensity": 4,
        "cues": ["words", "tone"],
        "summary": "Parcel two days late",
        "response_text": "We are sending it by express today.",
    }
    return body | overrides
