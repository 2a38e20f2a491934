"""The break-nudge rule (rules/wellbeing.py): pure Python, every boundary."""

from datetime import UTC, datetime, timedelta

import pytest

from interactions.guidance import PRACTICE_CODES, PRACTICES, practice
from interactions.models import BreakNudge
from interactions.rules.wellbeing import (
    counted_negatives,
    is_negative,
    next_practice,
    should_nudge,
)

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
HOUR = timedelta(minutes=60)
MICRO = timedelta(microseconds=1)


def ago(minutes: float) -> datetime:
    return NOW - timedelta(minutes=minutes)


def nudge(times, *, threshold=3, window=HOUR, last_nudge_at=None) -> bool:
    return should_nudge(
        times, now=NOW, threshold=threshold, window=window, last_nudge_at=last_nudge_at
    )


@pytest.mark.parametrize(
    ("start", "end", "negative"),
    [
        ("negative", "negative", True),
        ("negative", "neutral", True),  # a recovery was still a hard start
        ("negative", "positive", True),
        ("positive", "negative", True),  # a call that turned sour
        ("neutral", "negative", True),
        ("negative", "", True),  # no end recorded: judged by its start
        ("negative", None, True),
        ("neutral", "neutral", False),
        ("positive", "positive", False),
        ("neutral", "", False),
        ("positive", None, False),
    ],
)
def test_negative_means_negative_at_start_or_at_end(start, end, negative):
    assert is_negative(start, end) is negative


def test_exactly_threshold_negatives_in_the_window_nudge():
    assert nudge([ago(50), ago(20), ago(1)])


def test_one_fewer_than_the_threshold_does_not_nudge():
    assert not nudge([ago(50), ago(20)])
    assert not nudge([])


def test_more_than_the_threshold_nudges():
    assert nudge([ago(m) for m in (5, 10, 15, 20, 25)])


def test_a_negative_exactly_one_window_ago_no_longer_counts():
    assert not nudge([NOW - HOUR, ago(30), ago(1)])
    assert nudge([NOW - HOUR + MICRO, ago(30), ago(1)])


def test_a_negative_at_now_counts_and_one_in_the_future_does_not():
    assert nudge([ago(30), ago(1), NOW])
    assert not nudge([ago(30), ago(1), NOW + MICRO])
    assert not nudge([ago(30), ago(1), NOW + timedelta(minutes=5)])


def test_backdated_negatives_outside_the_window_are_ignored():
    assert not nudge([ago(24 * 60), ago(61), ago(30), ago(1)])


def test_the_order_of_the_input_does_not_matter():
    times = [ago(1), ago(59), ago(61), ago(30), NOW + MICRO]
    assert nudge(times)
    assert nudge(list(reversed(times)))
    assert counted_negatives(times, now=NOW, window=HOUR) == [ago(59), ago(30), ago(1)]


def test_one_run_gives_one_nudge():
    run = [ago(40), ago(30), ago(20)]
    assert nudge(run)
    # The nudge was offered after the third; a fourth negative does not complete a new run.
    assert not nudge([*run, ago(5)], last_nudge_at=ago(19))


def test_a_fresh_run_after_the_last_nudge_nudges_again():
    earlier = [ago(55), ago(50), ago(45)]
    fresh = [ago(30), ago(20), ago(10)]
    assert not nudge([*earlier, *fresh[:2]], last_nudge_at=ago(44))
    assert nudge([*earlier, *fresh], last_nudge_at=ago(44))


def test_a_negative_at_the_same_moment_as_the_last_nudge_belonged_to_that_run():
    assert not nudge([ago(30), ago(20), ago(10)], last_nudge_at=ago(30))
    assert nudge([ago(30), ago(20), ago(10)], last_nudge_at=ago(30) - MICRO)


def test_a_nudge_older_than_the_window_changes_nothing():
    assert nudge([ago(30), ago(20), ago(10)], last_nudge_at=ago(600))


def test_threshold_and_window_are_parameters():
    assert nudge([ago(1)], threshold=1)
    assert not nudge([ago(15), ago(5)], threshold=2, window=timedelta(minutes=10))
    assert nudge([ago(9), ago(5)], threshold=2, window=timedelta(minutes=10))


@pytest.mark.parametrize(
    ("threshold", "window"), [(0, HOUR), (-1, HOUR), (3, timedelta(0)), (3, -HOUR)]
)
def test_nonsense_parameters_are_refused(threshold, window):
    with pytest.raises(ValueError):
        should_nudge([], now=NOW, threshold=threshold, window=window)


def test_practices_are_suggested_in_turn_and_wrap_around():
    codes = ("a", "b", "c")
    assert next_practice(codes, None) == "a"
    assert next_practice(codes, "a") == "b"
    assert next_practice(codes, "c") == "a"
    assert next_practice(codes, "retired") == "a"
    with pytest.raises(ValueError):
        next_practice((), None)


def test_the_calming_practices_come_from_seed_004_and_have_stable_codes():
    assert len(set(PRACTICE_CODES)) == len(PRACTICES) >= 5
    assert {"breathing", "quick_walk", "step_away", "positive_feedback"} <= set(PRACTICE_CODES)
    limit = BreakNudge._meta.get_field("practice").max_length
    assert all(len(code) <= limit for code in PRACTICE_CODES)
    assert all(str(p.title) and str(p.text) for p in PRACTICES)
    assert practice("quick_walk").code == "quick_walk"
    assert practice("no-such-practice") == PRACTICES[0]
