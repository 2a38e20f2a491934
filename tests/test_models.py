import pytest
from django.db import IntegrityError, transaction

from interactions.models import Customer, Interaction, Reflection, compute_recovered
from tests.factories import InteractionFactory, emotion

pytestmark = pytest.mark.django_db


def test_recovery_is_negative_start_and_non_negative_end():
    assert compute_recovered("negative", "neutral") is True
    assert compute_recovered("negative", "positive") is True
    assert compute_recovered("negative", "negative") is False
    assert compute_recovered("positive", "positive") is False
    assert compute_recovered("negative", None) is None


def test_saving_an_interaction_fills_the_derived_valence_columns(interaction):
    assert interaction.start_valence == "negative"
    assert interaction.end_valence == "neutral"
    assert interaction.recovered is True
    interaction.emotion_end = None
    interaction.save()
    interaction.refresh_from_db()
    assert interaction.end_valence == "" and interaction.recovered is None


@pytest.mark.parametrize("intensity", [0, 6])
def test_database_refuses_intensity_outside_1_to_5(interaction, intensity):
    with pytest.raises(IntegrityError), transaction.atomic():
        Interaction.objects.filter(pk=interaction.pk).update(intensity=intensity)


def test_database_refuses_a_complaint_status_on_a_non_complaint(interaction):
    with pytest.raises(IntegrityError), transaction.atomic():
        Interaction.objects.filter(pk=interaction.pk).update(
            is_complaint=False, complaint_status="open"
        )


def test_one_reflection_per_agent_per_day(agent):
    Reflection.objects.create(agent=agent, day="2026-11-25")
    with pytest.raises(IntegrityError), transaction.atomic():
        Reflection.objects.create(agent=agent, day="2026-11-25")


def test_external_reference_is_unique_when_set(reference):
    Customer.objects.create(name="A", external_ref="CRM-1")
    Customer.objects.create(name="B")
    Customer.objects.create(name="C")  # two empty refs are fine
    with pytest.raises(IntegrityError), transaction.atomic():
        Customer.objects.create(name="D", external_ref="CRM-1")


def test_customer_search_matches_name_phone_digits_and_reference(reference):
    kim = Customer.objects.create(name="김영희", phone="010-1234-5678", external_ref="CRM-7")
    Customer.objects.create(name="Hong", phone="010-9999-0000")
    assert list(Customer.objects.search("영희")) == [kim]
    assert list(Customer.objects.search("1234 5678")) == [kim]
    assert list(Customer.objects.search("crm-7")) == [kim]
    assert not Customer.objects.search("").exists()


def test_localized_names_follow_the_active_language(reference):
    from django.utils import translation

    anger = emotion("anger")
    with translation.override("ko"):
        assert anger.name == anger.name_ko
    with translation.override("en"):
        assert anger.name == "Anger"


def test_interaction_history_is_recorded(agent, customer):
    from auditlog.models import LogEntry

    item = InteractionFactory(agent=agent, customer=customer)
    item.summary = "changed"
    item.save()
    entries = LogEntry.objects.get_for_object(item)
    assert entries.count() == 2


def test_korean_names_read_family_name_first():
    from types import SimpleNamespace

    from interactions.templatetags.emotioncare import person_name

    assert person_name(SimpleNamespace(first_name="도윤", last_name="정", username="d")) == "정도윤"
    assert person_name(SimpleNamespace(first_name="Jane", last_name="Doe", username="j")) == (
        "Jane Doe"
    )
    assert person_name(SimpleNamespace(first_name="", last_name="", username="j")) == "j"
