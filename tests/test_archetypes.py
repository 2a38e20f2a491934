"""Archetype suggestion in the app: recomputed by the service when an interaction is
saved, in bulk by `recompute_archetypes`, confirmed or overridden by a lead (and then it
sticks), with its history and its reason in both languages."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from interactions import archetypes, services
from interactions.models import Archetype, ArchetypeChange, Customer
from tests.factories import CustomerFactory, InteractionFactory, channel, emotion


def log(agent, customer, start, end, *, days_ago=0, complaint=False, template=False):
    data = {
        "customer": customer,
        "occurred_at": timezone.now() - timedelta(days=days_ago),
        "channel": channel("phone"),
        "emotion_start": emotion(start),
        "emotion_end": emotion(end) if end else None,
        "intensity": 3,
        "is_complaint": complaint,
        "response_text": "죄송합니다. 다시 처리해 드리겠습니다." if template else "",
    }
    return services.interaction_log(agent=agent, data=data)


def test_saving_an_interaction_recomputes_the_suggestion(agent, customer):
    for days in (30, 20, 10):
        log(agent, customer, "anger", "anger", days_ago=days, complaint=True, template=True)
    customer.refresh_from_db()
    assert customer.archetype == Archetype.ACTIVE_HATER
    assert customer.suggested_archetype == Archetype.ACTIVE_HATER
    assert customer.archetype_source == Customer.ArchetypeSource.SUGGESTED
    assert customer.archetype_basis == {
        "reason": "active_hater",
        "attempts": 3,
        "failed": 3,
        "contacts": 3,
    }
    change = ArchetypeChange.objects.get(customer=customer)
    assert change.previous is None and change.archetype == Archetype.ACTIVE_HATER
    assert change.source == "suggested" and change.changed_by is None


def test_two_contacts_are_not_enough_history(agent, customer):
    log(agent, customer, "gratitude", "gratitude", days_ago=5)
    log(agent, customer, "gratitude", "gratitude", days_ago=1)
    customer.refresh_from_db()
    assert customer.archetype is None
    assert customer.archetype_basis["reason"] == "not_enough_history"
    assert not ArchetypeChange.objects.exists()


def test_correcting_an_interaction_recomputes_too(agent, customer):
    items = [log(agent, customer, "gratitude", "gratitude", days_ago=d) for d in (9, 6, 3)]
    customer.refresh_from_db()
    assert customer.archetype == Archetype.LOYAL_ENTHUSIAST
    services.interaction_update(
        interaction=items[-1],
        user=agent,
        data={
            "emotion_start": emotion("anger"),
            "emotion_end": emotion("anger"),
            "is_complaint": True,
        },
    )
    customer.refresh_from_db()
    assert customer.archetype is None  # a complaint ended negative: no longer an enthusiast
    assert customer.archetype_basis["reason"] == "no_pattern"
    assert ArchetypeChange.objects.filter(customer=customer).count() == 2


def test_a_leads_override_sticks_when_the_history_changes(agent, lead, customer):
    for days in (30, 20, 10):
        log(agent, customer, "anger", "anger", days_ago=days, template=True)
    services.customer_override_archetype(
        customer=customer, user=lead, archetype=Archetype.EXTREME_CRITIC, note="Known case"
    )
    log(agent, customer, "anger", "anger", days_ago=1, template=True)
    customer.refresh_from_db()
    assert customer.archetype == Archetype.EXTREME_CRITIC
    assert customer.archetype_source == Customer.ArchetypeSource.MANUAL
    assert customer.archetype_set_by == lead and customer.archetype_reason == "Known case"
    assert customer.suggested_archetype == Archetype.ACTIVE_HATER  # still shown to leads
    manual = ArchetypeChange.objects.filter(customer=customer, source="manual").get()
    assert (manual.previous, manual.archetype, manual.changed_by) == (
        Archetype.ACTIVE_HATER,
        Archetype.EXTREME_CRITIC,
        lead,
    )


def test_confirm_makes_the_suggestion_a_persons_choice(agent, lead, customer):
    for days in (9, 6, 3):
        log(agent, customer, "gratitude", "gratitude", days_ago=days)
    services.customer_confirm_archetype(customer=customer, user=lead)
    customer.refresh_from_db()
    assert customer.archetype == Archetype.LOYAL_ENTHUSIAST
    assert customer.archetype_source == Customer.ArchetypeSource.MANUAL


def test_release_hands_the_archetype_back_to_the_system(agent, lead, customer):
    for days in (9, 6, 3):
        log(agent, customer, "gratitude", "gratitude", days_ago=days)
    services.customer_override_archetype(
        customer=customer, user=lead, archetype=Archetype.ACTIVE_HATER
    )
    services.customer_release_archetype(customer=customer, user=lead)
    customer.refresh_from_db()
    assert customer.archetype == Archetype.LOYAL_ENTHUSIAST
    assert customer.archetype_source == Customer.ArchetypeSource.SUGGESTED
    assert ArchetypeChange.objects.filter(customer=customer).count() == 3


def test_reason_is_written_in_both_languages_with_the_counts():
    basis = {"reason": "active_hater", "attempts": 5, "failed": 4, "contacts": 5}
    with override("en"):
        assert archetypes.reason_text(basis) == (
            "4 of the last 5 contacts with an apology or re-service still ended negative."
        )
    with override("ko"):
        text = archetypes.reason_text(basis)
    assert "5" in text and "4" in text and "부정" in text


@pytest.mark.parametrize(
    "basis",
    [
        {"reason": "not_enough_history", "contacts": 1, "needed": 3},
        {
            "reason": "loyal_annoyed",
            "earlier": 5,
            "earlier_positive": 4,
            "turn": 2,
            "turn_ended_negative": 1,
            "days": 12,
        },
        {
            "reason": "extreme_critic",
            "contacts": 10,
            "complaints": 7,
            "focus": 6,
            "issues": ["billing", "delivery"],
            "negatives": 8,
            "addressed": 7,
        },
        {"reason": "loyal_enthusiast", "contacts": 8, "positive": 7, "complaints": 0},
        {"reason": "loyal_enthusiast", "contacts": 8, "positive": 6, "complaints": 2},
        {"reason": "no_pattern", "contacts": 5, "positive": 2, "negative": 1},
    ],
)
def test_every_reason_renders_in_both_languages(reference, basis):
    for language in ("en", "ko"):
        with override(language):
            text = archetypes.reason_text(basis)
        assert text and "%(" not in text
        assert str(basis["contacts"] if "contacts" in basis else basis["earlier"]) in text
    with override("en"):
        if basis["reason"] == "extreme_critic":
            assert "Billing and Delivery" in archetypes.reason_text(basis)


def test_a_broken_basis_renders_nothing_rather_than_failing():
    assert archetypes.reason_text({"reason": "active_hater"}) == ""
    assert archetypes.reason_text(None) == ""


# --- pages ----------------------------------------------------------------------


def url(customer):
    return reverse("interactions:customer-archetype", args=[customer.pk])


def test_lead_overrides_on_the_customer_page(client, lead, customer):
    client.force_login(lead)
    response = client.post(
        url(customer), {"action": "override", "archetype": "loyal_annoyed", "note": "VIP"}
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.archetype == "loyal_annoyed" and customer.archetype_source == "manual"
    page = client.get(customer.get_absolute_url()).content.decode()
    assert "VIP" in page and "Archetype history" in page
    when = timezone.localdate(customer.archetype_set_at).isoformat()
    who = lead.get_full_name() or lead.username
    assert f"Set by {who} on {when}; it stays until a person changes it." in page


def test_unknown_archetype_is_refused_with_a_message(client, lead, customer):
    client.force_login(lead)
    response = client.post(url(customer), {"action": "override", "archetype": "villain"})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.archetype is None
    assert not ArchetypeChange.objects.exists()


def test_unknown_action_is_a_400(client, lead, customer):
    client.force_login(lead)
    assert client.post(url(customer), {"action": "explode"}).status_code == 400


def test_confirm_without_a_suggestion_is_refused_with_a_message(client, lead, customer):
    client.force_login(lead)
    response = client.post(url(customer), {"action": "confirm"}, follow=True)
    assert "no suggestion to confirm" in response.content.decode()
    customer.refresh_from_db()
    assert customer.archetype_source == ""


@pytest.mark.parametrize("who, status", [("agent", 403), ("admin_user", 302), ("lead", 302)])
def test_only_leads_and_admins_set_archetypes(client, request, customer, who, status):
    client.force_login(request.getfixturevalue(who))
    response = client.post(url(customer), {"action": "override", "archetype": "extreme_critic"})
    assert response.status_code == status


def test_anonymous_is_sent_to_login(client, customer):
    response = client.post(url(customer), {"action": "override", "archetype": "extreme_critic"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_agents_see_the_suggestion_and_advice_but_no_controls(client, agent, customer):
    for days in (9, 6, 3):
        log(agent, customer, "gratitude", "gratitude", days_ago=days)
    client.force_login(agent)
    page = client.get(customer.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Still passionate, still satisfied" in page
    assert "3 of the last 3 contacts started positive; no complaints." in page
    assert "take concrete action" in page  # the handling advice
    assert 'name="action"' not in page


# --- bulk ---------------------------------------------------------------------------------


def test_recompute_command_sorts_demo_customers_into_their_profiles(reference, monkeypatch):
    # The demo data ends on --until; the rules read "recent" against the same day.
    until = timezone.make_aware(timezone.datetime(2026, 6, 30, 20, 0))
    monkeypatch.setattr(timezone, "now", lambda: until)
    call_command(
        "seed_demo", "--interactions", "1500", "--seed", "7", "--until", "2026-06-30", verbosity=0
    )
    demo = Customer.objects.exclude(demo_profile="")
    assert demo.exclude(archetype=None).exists()  # seed_demo suggests them itself
    Customer.objects.update(archetype=None, archetype_source="")
    out = StringIO()
    call_command("recompute_archetypes", stdout=out)
    text = out.getvalue()
    assert "Demo customers matching their generated profile" in text
    demo = Customer.objects.exclude(demo_profile="")
    agree = sum(1 for c in demo if c.archetype == c.demo_profile)
    # The agreement is reported in the closing note; the rules must hold at 85 %.
    assert agree / demo.count() >= 0.85, text
    for profile in Archetype.values:
        assert demo.filter(demo_profile=profile, archetype=profile).exists()


def test_saving_and_the_bulk_recompute_read_the_same_contacts_of_a_long_history(agent, customer):
    """The rules read the last history_limit() contacts either way: a customer with more
    gets the same suggestion, with the same counts, on saving and in bulk."""
    limit = archetypes.history_limit()
    now = timezone.now()
    moods = ["anger"] * 15 + ["gratitude"] * (limit - 3) + ["anger"] * 3
    for index, mood in enumerate(moods):
        InteractionFactory(
            agent=agent,
            customer=customer,
            emotion_start=emotion(mood),
            emotion_end=emotion("anger" if mood == "anger" else "gratitude"),
            occurred_at=now - timedelta(hours=len(moods) - index),
        )
    services.customer_recompute_archetype(customer=customer, now=now)
    customer.refresh_from_db()
    on_saving = (customer.archetype, customer.archetype_basis)
    assert on_saving[0] == Archetype.LOYAL_ANNOYED
    assert on_saving[1]["earlier"] == limit - 3  # not the 15 older angry contacts
    ((customer_id, in_bulk),) = archetypes.histories()
    assert customer_id == customer.pk and in_bulk == archetypes.history_for(customer.pk)
    assert len(in_bulk) == limit


def test_recompute_keeps_manual_archetypes_and_is_idempotent(agent, lead, customer):
    for days in (9, 6, 3):
        InteractionFactory(
            agent=agent,
            customer=customer,
            emotion_start=emotion("gratitude"),
            emotion_end=emotion("gratitude"),
            occurred_at=timezone.now() - timedelta(days=days),
        )
    other = CustomerFactory()
    InteractionFactory(customer=other, agent=agent)
    services.customer_override_archetype(customer=other, user=lead, archetype="active_hater")
    first = services.recompute_archetypes()
    second = services.recompute_archetypes()
    customer.refresh_from_db()
    other.refresh_from_db()
    assert customer.archetype == Archetype.LOYAL_ENTHUSIAST
    assert other.archetype == "active_hater" and other.archetype_source == "manual"
    assert first["changed"] == 1 and second["changed"] == 0
