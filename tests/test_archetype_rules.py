"""The archetype suggestion rules (interactions/rules/archetypes.py) at their
boundaries: pure Python, no database."""

from datetime import UTC, datetime, timedelta

import pytest

from interactions.rules.archetypes import (
    ACTIVE_HATER,
    EXTREME_CRITIC,
    LOYAL_ANNOYED,
    LOYAL_ENTHUSIAST,
    NO_PATTERN,
    NOT_ENOUGH_HISTORY,
    Contact,
    Thresholds,
    suggest_archetype,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
T = Thresholds()


def history(*specs, start_days_ago=300, step_days=10):
    """Contacts from compact specs: 'P>P' positive to positive, 'N>N!r@billing' a
    negative complaint with a response, about billing, that ended negative."""
    contacts = []
    for i, spec in enumerate(specs):
        body, _, issue = spec.partition("@")
        flags = body[3:]
        start, end = body[0], body[2]
        valence = {"P": "positive", "U": "neutral", "N": "negative", "-": None}
        contacts.append(
            Contact(
                occurred_at=NOW - timedelta(days=start_days_ago - i * step_days),
                start_valence=valence[start],
                end_valence=valence[end],
                is_complaint="!" in flags,
                responded="r" in flags,
                issue=issue or None,
            )
        )
    return contacts


def archetype(contacts, **overrides):
    return suggest_archetype(contacts, now=NOW, thresholds=Thresholds(**overrides))


# --- not enough history -------------------------------------------------------------


def test_fewer_contacts_than_the_minimum_is_not_enough_history():
    result = archetype(history("P>P", "P>P"))
    assert result.archetype is None and result.reason == NOT_ENOUGH_HISTORY
    assert result.counts == {"contacts": 2, "needed": 3}


def test_the_minimum_itself_is_enough():
    assert archetype(history("P>P", "P>P", "P>P")).archetype == LOYAL_ENTHUSIAST


def test_no_contacts_at_all():
    assert suggest_archetype([], now=NOW).reason == NOT_ENOUGH_HISTORY


# --- previously satisfied, now annoyed ----------------------------------------------------


def loyal_then(*turn, earlier=("P>P", "P>P", "U>U", "P>P", "P>P")):
    contacts = history(*earlier, start_days_ago=400, step_days=30)
    contacts += history(*turn, start_days_ago=20, step_days=5)
    return contacts


def test_earlier_positive_run_then_recent_negative_turn_is_loyal_annoyed():
    result = archetype(loyal_then("N>N!r", "N>N!r"))
    assert result.archetype == LOYAL_ANNOYED
    assert result.counts["earlier"] == 5 and result.counts["earlier_positive"] == 4
    assert result.counts["turn"] == 2 and result.counts["turn_ended_negative"] == 2


def test_one_recovered_negative_contact_is_not_a_turn():
    # A single complaint that ended well is the enthusiast's "crack in the door", handled.
    assert archetype(loyal_then("N>U!r")).archetype == LOYAL_ENTHUSIAST


def test_a_single_negative_contact_that_ended_negative_is_a_turn():
    assert archetype(loyal_then("N>N!r")).archetype == LOYAL_ANNOYED


def test_two_negative_starts_are_a_turn_even_if_both_recovered():
    assert archetype(loyal_then("N>U!r", "N>P!r")).archetype == LOYAL_ANNOYED


def test_turn_older_than_turn_days_is_not_recent():
    contacts = history("P>P", "P>P", "P>P", "N>N!r", start_days_ago=200, step_days=10)
    last = NOW - contacts[-1].occurred_at
    assert archetype(contacts, turn_days=last.days + 1).archetype == LOYAL_ANNOYED
    assert archetype(contacts, turn_days=last.days - 1).archetype != LOYAL_ANNOYED


def test_earlier_positive_share_boundary():
    earlier = ("P>P", "P>P", "P>P", "U>U", "U>U")  # 3 of 5 = 0.6
    assert archetype(loyal_then("N>N", earlier=earlier)).archetype == LOYAL_ANNOYED
    assert (
        archetype(loyal_then("N>N", earlier=earlier), loyal_positive_share=0.61).archetype
        != LOYAL_ANNOYED
    )


def test_too_few_earlier_contacts_is_not_loyal():
    contacts = loyal_then("N>N", "N>N", earlier=("P>P", "P>P"))
    assert archetype(contacts).archetype != LOYAL_ANNOYED
    assert archetype(contacts, loyal_min_earlier=2).archetype == LOYAL_ANNOYED


def test_all_negative_history_has_no_earlier_run():
    contacts = history("N>N!r", "N>N!r", "N>N!r")
    assert archetype(contacts).archetype == ACTIVE_HATER


# --- active haters ----------------------------------------------------------------------


def test_negative_ends_despite_recovery_attempts_is_an_active_hater():
    result = archetype(history("N>N!r", "N>N!r", "N>U!r", "N>N!r", "N>N!r"))
    assert result.archetype == ACTIVE_HATER
    assert result.counts == {"attempts": 5, "failed": 4, "contacts": 5}


def test_hater_needs_the_minimum_number_of_attempts():
    # Only two attempts: the negative contacts without a response do not count.
    contacts = history("N>N!r", "N>N!r", "N>N", "N>N", "U>U")
    assert archetype(contacts).archetype != ACTIVE_HATER
    assert archetype(contacts, hater_min_attempts=2).archetype == ACTIVE_HATER


def test_hater_failed_share_boundary():
    contacts = history("N>N!r", "N>N!r", "N>N!r", "N>U!r", "N>U!r")  # 3 of 5 = 0.6
    assert archetype(contacts).archetype == ACTIVE_HATER
    assert archetype(contacts, hater_failed_share=0.61).archetype != ACTIVE_HATER


def test_negative_count_alone_does_not_make_a_hater():
    # Many negative starts, but every attempt recovered: a critic's pattern, not a hater's.
    contacts = history(*["N>U!r@billing"] * 6)
    assert archetype(contacts).archetype == EXTREME_CRITIC


def test_attempts_without_an_end_are_left_out():
    contacts = history("N>-!r", "N>-!r", "N>N!r", "N>N!r", "U>U")
    assert archetype(contacts).archetype != ACTIVE_HATER


def test_only_the_last_window_counts():
    old_hate = history(*["N>N!r"] * 6, start_days_ago=700, step_days=5)
    recent_love = history(*["P>P"] * 10, start_days_ago=300, step_days=20)
    assert archetype(old_hate + recent_love).archetype == LOYAL_ENTHUSIAST


# --- extreme critics ---------------------------------------------------------------------


def critic(*extra):
    return history(
        "N>U!r@billing",
        "N>U!r@billing",
        "N>P!r@delivery",
        "N>N!r@billing",
        "U>U",
        "P>P",
        *extra,
    )


def test_frequent_specific_complaints_mostly_addressed_is_an_extreme_critic():
    result = archetype(critic())
    assert result.archetype == EXTREME_CRITIC
    assert result.counts["complaints"] == 4 and result.counts["focus"] == 4
    assert result.counts["issues"] == ["billing", "delivery"]
    assert (result.counts["addressed"], result.counts["negatives"]) == (3, 4)


def test_critic_complaint_share_boundary():
    contacts = critic("P>P", "P>P")  # 4 complaints of 8 = 0.5
    assert archetype(contacts).archetype == EXTREME_CRITIC
    assert archetype(contacts, critic_complaint_share=0.51).archetype != EXTREME_CRITIC


def test_critic_needs_the_minimum_number_of_complaints():
    contacts = history("N>U!r@billing", "N>U!r@billing", "U>U")
    assert archetype(contacts).archetype != EXTREME_CRITIC
    assert archetype(contacts, critic_min_complaints=2).archetype == EXTREME_CRITIC


def test_complaints_about_many_different_things_are_not_specific():
    contacts = history(
        "N>U!r@billing", "N>U!r@delivery", "N>U!r@store", "N>U!r@website", "N>U!r@mobile_app"
    )
    assert archetype(contacts).archetype != EXTREME_CRITIC  # top two: 2 of 5 = 0.4
    assert archetype(contacts, critic_focus_share=0.4).archetype == EXTREME_CRITIC


def test_critic_addressed_share_boundary():
    contacts = history(
        "N>U!r@billing", "N>U!r@billing", "N>U!r@billing", "N>N!@billing", "N>N!@billing"
    )  # 3 of 5 addressed = 0.6, and only 0 of 0 attempts... the failed ones had no response
    assert archetype(contacts).archetype == EXTREME_CRITIC
    assert archetype(contacts, critic_addressed_share=0.61).archetype != EXTREME_CRITIC


# --- still passionate, still satisfied -----------------------------------------------------


def test_consistently_positive_with_recovered_complaint_is_an_enthusiast():
    result = archetype(history("P>P", "P>P", "N>U!r", "P>P", "P>P"))
    assert result.archetype == LOYAL_ENTHUSIAST
    assert result.counts == {"contacts": 5, "positive": 4, "complaints": 1}


def test_enthusiast_positive_share_boundary():
    contacts = history("P>P", "P>P", "P>P", "U>U", "U>U")  # 0.6
    assert archetype(contacts).archetype == LOYAL_ENTHUSIAST
    assert archetype(contacts, enthusiast_positive_share=0.61).archetype is None


def test_a_complaint_that_ended_negative_rules_out_the_enthusiast():
    contacts = history("P>P", "P>P", "P>P", "P>P", "U>N!", "P>P")
    assert archetype(contacts).archetype is None


# --- nothing fits ----------------------------------------------------------------------


def test_mixed_history_has_no_pattern():
    result = archetype(history("P>P", "U>U", "N>U", "U>U", "P>U"))
    assert result.archetype is None and result.reason == NO_PATTERN
    assert result.counts == {"contacts": 5, "positive": 2, "negative": 1}


def test_order_of_input_does_not_matter():
    contacts = loyal_then("N>N!r", "N>N!r")
    assert archetype(list(reversed(contacts))).archetype == LOYAL_ANNOYED


def test_the_suggestion_reads_its_thresholds_from_settings(settings):
    from interactions import archetypes

    five_happy = history(*["P>P"] * 5)
    suggested = suggest_archetype(five_happy, now=NOW, thresholds=archetypes.thresholds())
    assert suggested.archetype == LOYAL_ENTHUSIAST
    settings.EMOTIONCARE_ARCHETYPE_THRESHOLDS = {"min_contacts": 7}
    result = suggest_archetype(five_happy, now=NOW, thresholds=archetypes.thresholds())
    assert result.reason == NOT_ENOUGH_HISTORY
    assert result.counts == {"contacts": 5, "needed": 7}


def test_an_unknown_threshold_in_settings_is_a_configuration_error():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="min_contact"):
        Thresholds.from_settings({"min_contact": 3})
