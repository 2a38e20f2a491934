"""interactions/rules/phrases.py: the phrase check. No database: rules come from plain data."""

import unicodedata
from types import SimpleNamespace

import pytest

from interactions import reference_data
from interactions.rules.phrases import (
    Rule,
    RuleSyntaxError,
    check_phrases,
    compile_rule,
    rule_errors,
)

RULES = [Rule(id=n, **row) for n, row in enumerate(reference_data.PHRASE_RULES, start=1)]
BY_KEY = {(rule.code, rule.language): rule for rule in RULES}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# For every seed rule: sentences that must trip it, and sentences that must not.
# Korean covers 해요체 / 합니다체 / 반말 where the phrase has them, spacing
# variants and decomposed (NFD) input.
CASES = {
    ("dont_know", "en"): (
        [
            "I don't know, sorry.",
            "Honestly I do not know what happened.",
            "i DONT know",
            "I don’t know where your parcel is.",
            "I've no idea where it went.",
        ],
        [
            "Let me know if there's anything else.",
            "I know how frustrating this is.",
            "I'll find out and call you back today.",
        ],
    ),
    ("dont_know", "ko"): (
        [
            "모르겠어요.",
            "그 부분은 잘 모르겠습니다.",
            "나도 모르겠어",
            "모르 겠어요",
            nfd("잘 모르겠네요"),
            "그건 저도 몰라요.",
            "몰라.",
            "저는 모릅니다",
        ],
        [
            "모르시는 부분은 설명해 드리겠습니다.",
            "제가 몰라서 죄송합니다. 바로 확인하겠습니다.",
            "확인해 보겠습니다.",
        ],
    ),
    ("dont_care", "en"): (
        [
            "I don't care what the manual says.",
            "Honestly, I DO NOT CARE.",
            "I couldn’t care less about that.",
            "That's not my problem.",
        ],
        [
            "We care about every order.",
            "I do care about getting this right.",
            "Our customer care team will call you.",
            "Take care!",
        ],
    ),
    ("dont_care", "ko"): (
        [
            "상관없어요.",
            "저는 상관 없습니다.",
            "난 상관없어",
            "상관 없 어요",
            nfd("그건 제 알 바 아닙니다"),
            "신경 안 써요.",
        ],
        [
            "요일에 상관없이 배송됩니다.",
            "금액과 상관없는 문제라 바로 처리해 드릴게요.",
            "신경 안 쓰셔도 됩니다.",
            "그 부분은 신경 안 써도 돼요.",
        ],
    ),
    ("cant_be_bothered", "en"): (
        [
            "I can't be bothered with this today.",
            "I cannot be bothered.",
            "Don't bother me now.",
            "I don't have time for this.",
        ],
        [
            "Sorry to bother you.",
            "It's no bother at all.",
            "I have time for this now.",
        ],
    ),
    ("cant_be_bothered", "ko"): (
        [
            "귀찮게 하지 마세요.",
            "정말 귀찮습니다.",
            "아 귀찮아",
            "귀찮게하지마",
            "그럴 시간 없어요.",
            nfd("번거롭게 하지 마십시오"),
        ],
        [
            "번거롭게 해 드려 죄송합니다.",
            "귀찮으시겠지만 서류를 한 번 더 보내 주세요.",
            "귀찮게 해 드려 죄송합니다.",
        ],
    ),
    ("dont_like_you", "en"): (
        [
            "I don't like you.",
            "We don't like your kind here.",
            "You people always complain.",
            "People like you never read the terms.",
        ],
        [
            "I'd like you to try this first.",
            "Would you like your receipt?",
            "We need more people like you!",
            "Thank you for your kind words.",
        ],
    ),
    ("dont_like_you", "ko"): (
        [
            "당신 같은 사람은 싫어요.",
            "당신이 싫습니다.",
            "당신 같은 손님은 처음이야",
            "이런 손님은 안 받습니다.",
            "당신같은사람",
        ],
        [
            "고객님 같은 분들 덕분에 힘이 납니다.",
            "같은 사람이 두 번 주문하셨네요.",
            "싫으신 부분을 말씀해 주세요.",
        ],
    ),
    ("know_everything", "en"): (
        [
            "I know everything about this product.",
            "You know nothing about phones.",
            "You don't know anything.",
            "You have no idea what you’re talking about.",
            "I know better.",
        ],
        [
            "Let me know everything you remember.",
            "I know this is frustrating.",
            "You know the tracking number, right?",
        ],
    ),
    ("know_everything", "ko"): (
        [
            "제가 다 알아요.",
            "제가 다 압니다.",
            "내가 다 알아",
            "아무것도 모르시면서 그러세요.",
            nfd("그건 제가 다 알거든요"),
        ],
        [
            "제가 다 알아보고 연락드리겠습니다.",
            "제가 다 알아봐 드릴게요.",
            "모르시는 부분은 설명해 드리겠습니다.",
        ],
    ),
    ("dont_come_back", "en"): (
        [
            "Don't come back.",
            "Please do not come back here.",
            "Take your business elsewhere.",
            "Never come back.",
        ],
        [
            "I'll come back to you shortly.",
            "You don't need to come back; we'll post it.",
            "Don't come back to the store: we will deliver it.",
        ],
    ),
    ("dont_come_back", "ko"): (
        [
            "다시 오지 마세요.",
            "다시는 오지 마십시오.",
            "다신 오지 마",
            "다른 데 가세요.",
            nfd("다시 연락하지 마세요"),
            "다시오지마세요",
        ],
        [
            "다시 오시면 바로 도와드리겠습니다.",
            "다시 오지 않으셔도 됩니다. 택배로 보내 드릴게요.",
            "언제든 다시 연락 주세요.",
        ],
    ),
    ("im_right", "en"): (
        [
            "I'm right and you're wrong.",
            "I am right and you are wrong.",
            "You’re wrong about the fee.",
            "It's your fault the order failed.",
            "its your fault",
        ],
        [
            "You're right, I'm sorry.",
            "It's not your fault.",
            "You were wrongly charged, and we will refund it.",
        ],
    ),
    ("im_right", "ko"): (
        [
            "제 말이 맞고 고객님이 틀리셨어요.",
            "제 말이 맞습니다.",
            "제 말이 맞아",
            "고객님이 틀렸어요.",
            "고객님 잘못입니다.",
            nfd("그건 고객님 잘못이에요"),
        ],
        [
            "고객님 잘못이 아닙니다.",
            "제 말이 맞는지 확인해 보겠습니다.",
            "말씀하신 내용이 맞습니다.",
        ],
    ),
    ("hurry_wait", "en"): (
        [
            "Hurry up, please.",
            "Wait. I'm on another call.",
            "Just wait.",
            "You'll have to wait.",
            "OK. Be quick.",
            "Hold on!",
        ],
        [
            "Could you wait a moment?",
            "There's no hurry.",
            "Please wait a moment while I check.",
            "Wait a moment, please.",
            "Hold on to your receipt.",
        ],
    ),
    ("hurry_wait", "ko"): (
        [
            "빨리 하세요.",
            "빨리빨리 좀 해 주세요.",
            "빨리 하십시오.",
            "빨리 해!",
            "기다리세요.",
            "기다려. 지금 바빠.",
            nfd("좀 기다려요"),
            "서두르세요.",
        ],
        [
            "잠시만 기다려 주시겠어요?",
            "빨리 해결해 드리겠습니다.",
            "최대한 빨리 해 드릴게요.",
            "기다려 주셔서 감사합니다.",
        ],
    ),
    ("unfortunately", "en"): (
        [
            "Unfortunately, that model is gone.",
            "UNFORTUNATELY we are closed.",
            "Sadly, no.",
            "I'm afraid we can't do that.",
            "I am afraid we cannot do that.",
        ],
        [
            "Fortunately, we have stock.",
            "That was an unfortunate mistake, and we'll fix it.",
            "What I can do right away is send a new one.",
        ],
    ),
    ("unfortunately", "ko"): (
        [
            "안타깝게도 재고가 없습니다.",
            "안타깝지만 어렵습니다.",
            "아쉽게도 품절이야.",
            "안타깝게 도 품절입니다.",
            nfd("유감스럽게도 불가능해요"),
        ],
        [
            "안타까운 마음 충분히 이해합니다.",
            "다행히도 재고가 있습니다.",
            "지금 바로 교환해 드릴 수 있습니다.",
        ],
    ),
}

MATCHES = [(key, text) for key, (must, _) in CASES.items() for text in must]
NON_MATCHES = [(key, text) for key, (_, must_not) in CASES.items() for text in must_not]


def hits_of(text, key):
    return [hit for hit in check_phrases(text, RULES) if (hit.code, hit.language) == key]


def test_every_seed_rule_has_cases():
    assert set(CASES) == set(BY_KEY)
    assert len(BY_KEY) == 18
    for must, must_not in CASES.values():
        assert len(must) >= 3 and len(must_not) >= 2


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.code}-{r.language}")
def test_every_seed_rule_compiles(rule):
    assert rule_errors(rule) == []


@pytest.mark.parametrize(("key", "text"), MATCHES)
def test_seed_rule_matches(key, text):
    hits = hits_of(text, key)
    assert len(hits) == 1, hits
    hit = hits[0]
    assert text[hit.start : hit.end] == hit.text
    assert hit.text.strip() == hit.text and hit.text
    assert hit.reason == BY_KEY[key].reason and hit.alternative == BY_KEY[key].alternative
    assert hit.rule_id == BY_KEY[key].id


@pytest.mark.parametrize(("key", "text"), NON_MATCHES)
def test_seed_rule_does_not_match(key, text):
    assert hits_of(text, key) == []


@pytest.mark.parametrize(
    "text",
    [rule.alternative for rule in RULES]
    + [template["text"] for template in reference_data.RESPONSE_TEMPLATES],
)
def test_what_the_guide_says_instead_trips_no_rule(text):
    assert check_phrases(text, RULES) == []
    assert check_phrases(nfd(text), RULES) == []


# --- The cases named in the issue ------------------------------------------


@pytest.mark.parametrize("text", ["모르겠어요", "모르 겠어요", "모 르 겠 어 요"])
def test_korean_spacing_variants(text):
    [hit] = check_phrases(text, RULES)
    assert (hit.code, hit.language, hit.start, hit.end) == ("dont_know", "ko", 0, len(text))


def test_regardless_is_not_i_dont_care():
    assert check_phrases("주문 금액에 상관없이 무료로 배송해 드립니다.", RULES) == []


def test_polite_request_to_wait_is_not_the_curt_command():
    assert check_phrases("could you wait a moment?", RULES) == []
    assert [h.code for h in check_phrases("Wait!", RULES)] == ["hurry_wait"]


def test_nfd_input_gives_offsets_into_the_original():
    prefix = nfd("고객님, 잘 ")
    text = prefix + nfd("모르겠습니다.") + " I don't know."
    assert not unicodedata.is_normalized("NFC", text)
    first, second = check_phrases(text, RULES)
    assert first.start == len(prefix)
    assert first.text == text[first.start : first.end]
    assert unicodedata.normalize("NFC", first.text) == "모르겠습니다"
    assert second.text == "I don't know"
    assert text[second.start : second.end] == "I don't know"


def test_english_is_case_insensitive():
    for text in ("I DON'T CARE", "i don't care", "I Don't Care"):
        [hit] = check_phrases(text, RULES)
        assert hit.code == "dont_care" and hit.text == text


@pytest.mark.parametrize(
    "text",
    [
        "I don't know",
        "I dont know",
        "I do not know",
        "I don’t know",
        "I don‘t know",
        "I  do  not\nknow",
    ],
)
def test_contractions_and_apostrophes(text):
    [hit] = check_phrases(text, RULES)
    assert hit.code == "dont_know" and hit.text == text


def test_contractions_work_both_ways_in_the_rule():
    long = Rule(code="x", language="en", phrase="I cannot help", reason="r", alternative="a")
    short = Rule(code="y", language="en", phrase="I can't help", reason="r", alternative="a")
    for text in ("I can't help", "I cannot help", "I can not help", "I cant help"):
        assert [h.code for h in check_phrases(text, [long, short])] == ["x", "y"]


# --- Hits ---------------------------------------------------------------------


def test_several_hits_sorted_by_position_across_languages():
    text = "Unfortunately I don't know. 안타깝게도 모르겠어요. Hurry up!"
    hits = check_phrases(text, RULES)
    assert [(h.code, h.language) for h in hits] == [
        ("unfortunately", "en"),
        ("dont_know", "en"),
        ("unfortunately", "ko"),
        ("dont_know", "ko"),
        ("hurry_wait", "en"),
    ]
    assert [h.start for h in hits] == sorted(h.start for h in hits)
    assert all(text[h.start : h.end] == h.text for h in hits)


def test_overlapping_hits_of_one_rule_are_merged():
    text = "I'm right and you're wrong."
    [hit] = check_phrases(text, RULES)
    assert hit.text == "I'm right and you're wrong"


def test_the_same_rule_twice_in_a_text_gives_two_hits():
    hits = check_phrases("I don't know. Really, I don't know.", RULES)
    assert [(h.start, h.end) for h in hits] == [(0, 12), (22, 34)]


@pytest.mark.parametrize("text", ["", "   \n", "Thank you for calling."])
def test_nothing_to_report(text):
    assert check_phrases(text, RULES) == []


def test_long_text():
    filler = "고객님, 주문하신 상품은 내일 도착합니다. Your parcel arrives tomorrow. "
    text = (filler * 200)[:9_980] + " I don't know"
    assert len(text) >= 9_990
    [hit] = check_phrases(text, RULES)
    assert hit.end == len(text) and hit.text == "I don't know"


def test_hit_as_dict_for_the_page():
    [hit] = check_phrases("Sadly, no.", RULES)
    assert hit.as_dict() == {
        "rule_id": BY_KEY[("unfortunately", "en")].id,
        "code": "unfortunately",
        "language": "en",
        "start": 0,
        "end": 5,
        "text": "Sadly",
        "reason": BY_KEY[("unfortunately", "en")].reason,
        "alternative": BY_KEY[("unfortunately", "en")].alternative,
    }


# --- How a rule is written ------------------------------------------------------


def rule(phrase, *variants):
    return Rule(code="t", language="ko", phrase=phrase, variants=list(variants))


def spans(text, *rules):
    return [(h.start, h.end) for h in check_phrases(text, rules)]


def test_variants_may_be_one_per_line():
    made = Rule(code="t", language="en", phrase="a b", variants="x y\n\n  z w  \n")
    assert made.variants == ("x y", "z w")
    assert spans("x  y then z w", made) == [(0, 4), (10, 13)]


def test_stem_takes_common_endings():
    stem = rule("괜찮~")
    for text in (
        "괜찮아요",
        "괜찮습니다",
        "괜찮아",
        "괜찮네요",
        "괜찮다",
        "괜찮은데요",
        "괜찮지만",
    ):
        assert spans(text, stem) == [(0, len(text))], text
    assert spans("괜찮이", stem) == []
    english = Rule(code="t", language="en", phrase="bother~")
    assert len(check_phrases("bothers bothered bothering bother", [english])) == 4
    assert check_phrases("botherable", [english]) == []


def test_sentence_start():
    start = Rule(code="t", language="en", phrase="^wait")
    assert spans("Wait. OK? wait!\nwait", start) == [(0, 4), (10, 14), (16, 20)]
    assert spans("Please wait.", start) == []


def test_regular_expression_and_exception():
    pattern = rule("re:\\d+번 고객", "!re:1번 고객")
    assert spans("3번 고객님, 1번 고객님", pattern) == [(0, 5)]


def test_exception_is_written_like_any_form():
    made = Rule(code="t", language="en", phrase="wait", variants=["!could you wait"])
    assert spans("Could  you   wait? Wait.", made) == [(19, 23)]


def test_plain_phrase_keeps_word_boundaries_in_english():
    made = Rule(code="t", language="en", phrase="sad")
    assert spans("sad", made) == [(0, 3)]
    assert spans("sadly crusade", made) == []


def test_regex_characters_in_a_plain_phrase_are_literal():
    made = Rule(code="t", language="en", phrase="(no way)?")
    assert spans("(no way)?", made) == [(0, 9)]
    assert spans("no way", made) == []


@pytest.mark.parametrize(
    ("phrase", "variants"),
    [("re:(unclosed", []), ("re:a*", []), ("", ["!only an exception"]), ("ok", ["re:"])],
)
def test_broken_rules_explain_themselves_and_are_skipped(phrase, variants):
    broken = Rule(code="t", language="en", phrase=phrase, variants=variants)
    with pytest.raises(RuleSyntaxError):
        compile_rule(broken)
    [message] = rule_errors(broken)
    assert message
    good = BY_KEY[("dont_know", "en")]
    assert [h.code for h in check_phrases("I don't know", [broken, good])] == ["dont_know"]


def test_rule_from_object():
    obj = SimpleNamespace(
        pk=7,
        code="c",
        language="en",
        phrase="nope",
        variants="nah\nno way",
        reason="r",
        alternative="a",
    )
    made = Rule.from_object(obj)
    assert made.id == 7 and made.variants == ("nah", "no way")
    assert [h.text for h in check_phrases("Nah, no way.", [made])] == ["Nah", "no way"]
