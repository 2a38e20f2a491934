"""The phrase guide in the app: the live check endpoint and the check on save."""

import pytest
from django.urls import reverse

from interactions.models import Interaction
from tests.factories import channel, emotion

pytestmark = pytest.mark.django_db

CHECK = reverse("interactions:phrase-check")


def test_the_endpoint_reports_hits_with_reason_alternative_and_offsets(client, agent):
    client.force_login(agent)
    text = "고객님, 저는 모르겠어요."
    hits = client.post(CHECK, {"text": text}).json()["hits"]
    assert len(hits) == 1
    hit = hits[0]
    assert text[hit["start"] : hit["end"]] == hit["text"]
    assert hit["reason"] and hit["alternative"] and hit["language"] == "ko"


def test_english_rules_apply_to_korean_text_and_vice_versa(client, agent):
    client.force_login(agent)
    hits = client.post(CHECK, {"text": "Sorry, I don't know. 안타깝게도 어렵습니다."}).json()[
        "hits"
    ]
    assert {h["language"] for h in hits} == {"en", "ko"}


def test_clean_text_has_no_hits(client, agent):
    client.force_login(agent)
    assert client.post(CHECK, {"text": "잠시만 기다려 주시겠어요?"}).json() == {"hits": []}


def test_too_long_text_is_a_400_with_a_message(client, agent):
    client.force_login(agent)
    response = client.post(CHECK, {"text": "가" * 10_001})
    assert response.status_code == 400 and "text" in response.json()["errors"]


def test_the_check_needs_a_role_and_a_post(client, no_role_user, agent):
    assert client.post(CHECK, {"text": "x"}).status_code == 302  # anonymous: to login
    client.force_login(no_role_user)
    assert client.post(CHECK, {"text": "x"}).status_code == 403
    client.force_login(agent)
    assert client.get(CHECK).status_code == 405


def test_hits_found_on_save_are_stored_and_saving_is_not_blocked(client, agent, customer):
    client.force_login(agent)
    response = client.post(
        reverse("interactions:home"),
        {
            "customer": customer.pk,
            "occurred_at": "2026-01-05T10:00",
            "channel": channel("phone").pk,
            "emotion_start": emotion("anger").pk,
            "intensity": "3",
            "response_text": "I don't know, unfortunately.",
        },
        follow=True,
    )
    item = Interaction.objects.get()
    codes = {w["code"] for w in item.phrase_warnings}
    assert len(codes) == 2
    assert all(item.response_text[w["start"] : w["end"]] == w["text"] for w in item.phrase_warnings)
    assert "phrases the guide advises against" in response.content.decode()


def test_correcting_the_response_clears_its_warnings(client, agent, customer):
    from interactions import services

    item = services.interaction_create(
        agent=agent,
        data={
            "customer": customer,
            "channel": channel("phone"),
            "emotion_start": emotion("anger"),
            "response_text": "모르겠어요",
        },
    )
    assert item.phrase_warnings
    services.interaction_update(
        interaction=item,
        user=agent,
        data={"response_text": "잠시만 기다려 주시면 최선을 다해 알아보겠습니다."},
    )
    item.refresh_from_db()
    assert item.phrase_warnings == []
