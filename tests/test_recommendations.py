"""The pure ranking of suggested responses (interactions/rules/recommendations.py) and
the placeholder rendering (interactions/rules/placeholders.py): no database."""

import pytest

from interactions.rules.placeholders import (
    placeholder_errors,
    placeholders_in,
    render_placeholders,
)
from interactions.rules.recommendations import (
    Candidate,
    Context,
    Usage,
    rank,
    recovery_rate,
    suitability,
)

ANGER = Context(emotion="anger", valence="negative", language="en")


def tpl(pk, title=None, **kwargs):
    for key in ("emotions", "valences", "archetypes", "channels"):
        kwargs[key] = frozenset(kwargs.get(key, ()))
    kwargs.setdefault("language", "en")
    return Candidate(id=pk, title=title or f"T{pk}", text=f"text {pk}", **kwargs)


def ids(suggestions):
    return [s.candidate.id for s in suggestions]


# --- recovery rate ---------------------------------------------------------------


def test_rate_is_recoveries_over_uses_from_the_minimum_sample():
    assert recovery_rate(Usage(uses=24, recoveries=18), min_sample=10) == 0.75
    assert recovery_rate(Usage(uses=10, recoveries=0), min_sample=10) == 0.0


def test_rate_is_null_below_the_minimum_sample_and_for_never_used():
    assert recovery_rate(Usage(uses=9, recoveries=9), min_sample=10) is None
    assert recovery_rate(Usage(), min_sample=10) is None
    assert recovery_rate(Usage(), min_sample=0) is None  # never divides by zero


# --- suitability -------------------------------------------------------------------


def test_named_emotion_beats_valence_beats_generic():
    exact = suitability(tpl(1, emotions={"anger"}), ANGER)[0]
    by_valence = suitability(tpl(2, valences={"negative"}), ANGER)[0]
    generic = suitability(tpl(3), ANGER)[0]
    assert exact > by_valence > generic > 0


def test_template_for_other_emotions_or_valences_does_not_suit():
    assert suitability(tpl(1, emotions={"gratitude"}), ANGER) is None
    assert suitability(tpl(2, valences={"positive"}), ANGER) is None
    assert suitability(tpl(3, emotions={"confusion"}, valences={"neutral"}), ANGER) is None


def test_archetype_list_restricts_known_archetypes_and_rewards_a_match():
    critic = Context(emotion="anger", valence="negative", archetype="extreme_critic")
    hater = Context(emotion="anger", valence="negative", archetype="active_hater")
    unknown = Context(emotion="anger", valence="negative")
    for_critics = tpl(1, valences={"negative"}, archetypes={"extreme_critic"})
    any_customer = tpl(2, valences={"negative"})
    assert suitability(for_critics, hater) is None
    assert suitability(for_critics, critic)[0] > suitability(any_customer, critic)[0]
    assert suitability(for_critics, unknown)[0] == suitability(any_customer, unknown)[0]
    assert "archetype" in suitability(for_critics, critic)[1]


def test_channel_list_restricts_and_rewards_the_channel():
    letter = Context(emotion="anger", valence="negative", channel="letter")
    phone = Context(emotion="anger", valence="negative", channel="phone")
    no_channel = Context(emotion="anger", valence="negative")
    meeting = tpl(1, valences={"negative"}, channels={"letter"})
    assert suitability(meeting, phone) is None
    assert (
        suitability(meeting, letter)[0] == suitability(tpl(2, valences={"negative"}), letter)[0] + 1
    )
    assert suitability(meeting, no_channel) is not None


def test_agents_language_gets_a_bonus():
    ko = Context(emotion="anger", valence="negative", language="ko")
    assert (
        suitability(tpl(1, language="ko"), ko)[0] == suitability(tpl(2, language="en"), ko)[0] + 1
    )


# --- ranking -------------------------------------------------------------------------


def test_rated_templates_rank_by_recovery_rate():
    candidates = [tpl(1), tpl(2), tpl(3)]
    usage = {1: Usage(20, 10), 2: Usage(24, 18), 3: Usage(10, 9)}
    ranked = rank(candidates, usage, ANGER, min_sample=10)
    assert ids(ranked) == [3, 2, 1]
    assert [s.rate for s in ranked] == [0.9, 0.75, 0.5]
    assert (ranked[1].recoveries, ranked[1].uses) == (18, 24)


def test_small_samples_and_unused_templates_are_new_and_follow_by_suitability():
    candidates = [
        tpl(1, valences={"negative"}),  # new, suits by valence
        tpl(2),  # rated, generic
        tpl(3, emotions={"anger"}),  # new, never used, names the emotion
        tpl(4, emotions={"anger"}),  # rated poorly
    ]
    usage = {1: Usage(9, 9), 2: Usage(10, 6), 4: Usage(30, 3)}
    ranked = rank(candidates, usage, ANGER, min_sample=10)
    assert ids(ranked) == [2, 4, 3, 1]
    assert [s.is_new for s in ranked] == [False, False, True, True]
    assert ranked[3].rate is None and ranked[3].uses == 9  # the sample is still reported
    assert ranked[2].uses == 0 and ranked[2].recoveries == 0


def test_equal_rates_go_to_the_more_suitable_then_the_larger_sample_then_the_title():
    candidates = [
        tpl(1, "Bravo"),
        tpl(2, "Alpha", emotions={"anger"}),
        tpl(3, "Charlie"),
        tpl(4, "Alpha"),
    ]
    usage = {1: Usage(10, 5), 2: Usage(10, 5), 3: Usage(40, 20), 4: Usage(10, 5)}
    ranked = rank(candidates, usage, ANGER, min_sample=10)
    assert ids(ranked) == [2, 3, 4, 1]


def test_ranking_is_deterministic_whatever_the_input_order():
    candidates = [tpl(n, "Same") for n in range(1, 6)]
    forward = ids(rank(candidates, {}, ANGER, min_sample=10))
    backward = ids(rank(list(reversed(candidates)), {}, ANGER, min_sample=10))
    assert forward == backward == [1, 2, 3, 4, 5]


def test_unsuitable_templates_are_left_out_even_when_they_work_well():
    candidates = [tpl(1, emotions={"gratitude"}), tpl(2, valences={"negative"})]
    usage = {1: Usage(100, 100), 2: Usage(10, 1)}
    assert ids(rank(candidates, usage, ANGER, min_sample=10)) == [2]


def test_limit_keeps_the_best():
    candidates = [tpl(n) for n in range(1, 8)]
    usage = {n: Usage(10, n) for n in range(1, 8)}
    assert ids(rank(candidates, usage, ANGER, min_sample=10, limit=3)) == [7, 6, 5]


def test_one_row_per_shipped_template_in_the_agents_language():
    ko = Context(emotion="anger", valence="negative", language="ko")
    candidates = [
        tpl(1, code="apology", language="en"),
        tpl(2, code="apology", language="ko"),
        tpl(3, code="thanks", language="en"),  # no Korean row: the English one stays
        tpl(4, language="en"),  # a template without a code is always kept
    ]
    assert sorted(ids(rank(candidates, {}, ko, min_sample=10))) == [2, 3, 4]


def test_personal_templates_rank_alongside_the_teams():
    candidates = [tpl(1), tpl(2, personal=True)]
    usage = {1: Usage(10, 5), 2: Usage(10, 8)}
    ranked = rank(candidates, usage, ANGER, min_sample=10)
    assert ids(ranked) == [2, 1] and ranked[0].candidate.personal


def test_no_candidates_no_suggestions():
    assert rank([], {}, ANGER, min_sample=10) == []


# --- placeholders ----------------------------------------------------------------------


def test_placeholders_are_filled():
    text = "{customer_name} 고객님, {agent_name}입니다. {channel} · {today}"
    values = {"customer_name": "김영희", "agent_name": "박민지", "channel": "전화", "today": "1/2"}
    assert render_placeholders(text, values) == "김영희 고객님, 박민지입니다. 전화 · 1/2"


def test_missing_values_and_unknown_names_stay_visible():
    text = "Dear {customer_name}, {unknown} {agent_name}"
    assert render_placeholders(text, {"agent_name": "Minji"}) == (
        "Dear {customer_name}, {unknown} Minji"
    )


def test_rendering_never_reaches_attributes():
    text = "{customer_name.__class__} {0} {customer_name}"
    assert render_placeholders(text, {"customer_name": "Kim"}) == (
        "{customer_name.__class__} {0} Kim"
    )


@pytest.mark.parametrize(
    "text, problems",
    [
        ("Dear {customer_name}", 0),
        ("Dear {customer}", 1),
        ("Dear {customer_name", 1),
        ("Dear {{customer_name}}", 1),
        ("{costumer_name} {agent}", 1),
    ],
)
def test_placeholder_errors(text, problems):
    assert len(placeholder_errors(text)) == problems


def test_placeholders_in_order_of_first_use():
    assert placeholders_in("{agent_name} {customer_name} {agent_name}") == [
        "agent_name",
        "customer_name",
    ]
