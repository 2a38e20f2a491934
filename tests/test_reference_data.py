"""The shipped reference data and `manage.py load_reference_data`."""

import re

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command

from interactions import reference_data
from interactions.models import Channel, Emotion, PhraseRule, ResponseTemplate, Touchpoint
from interactions.rules.placeholders import placeholder_errors

pytestmark = pytest.mark.django_db

HANGUL = re.compile(r"[\uac00-\ud7a3]")

# product.md, "Codes", in the order it lists them.
EMOTION_CODES = [
    "gratitude",
    "satisfaction",
    "affection",
    "neutral",
    "anxiety",
    "confusion",
    "annoyance",
    "disappointment",
    "anger",
]
CHANNEL_CODES = ["phone", "email", "sms", "chat", "in_person", "letter"]
TOUCHPOINT_CODES = [
    "website",
    "mobile_app",
    "store",
    "call_centre",
    "delivery",
    "billing",
    "after_sales",
]
PHRASE_CODES = {
    "dont_know",
    "dont_care",
    "cant_be_bothered",
    "dont_like_you",
    "know_everything",
    "dont_come_back",
    "im_right",
    "hurry_wait",
    "unfortunately",
}


def snapshot():
    """Every reference row's id and every value, to compare two runs."""
    models = (Emotion, Channel, Touchpoint, ResponseTemplate, PhraseRule)
    state = {model.__name__: list(model.objects.order_by("pk").values()) for model in models}
    state["template_emotions"] = sorted(
        ResponseTemplate.emotions.through.objects.values_list("responsetemplate_id", "emotion_id")
    )
    return state


def test_codes_are_exactly_those_of_the_product(reference):
    assert list(Emotion.objects.values_list("code", flat=True)) == EMOTION_CODES
    assert list(Channel.objects.values_list("code", flat=True)) == CHANNEL_CODES
    assert list(Touchpoint.objects.values_list("code", flat=True)) == TOUCHPOINT_CODES


def test_emotion_valences(reference):
    valences = dict(Emotion.objects.values_list("code", "valence"))
    assert {c for c, v in valences.items() if v == "positive"} == {
        "gratitude",
        "satisfaction",
        "affection",
    }
    assert {c for c, v in valences.items() if v == "neutral"} == {"neutral"}
    assert {c for c, v in valences.items() if v == "negative"} == {
        "anxiety",
        "confusion",
        "annoyance",
        "disappointment",
        "anger",
    }


@pytest.mark.parametrize("model", [Emotion, Channel, Touchpoint])
def test_every_named_row_has_an_english_and_a_korean_name(reference, model):
    for row in model.objects.all():
        assert row.name_en.strip() and not HANGUL.search(row.name_en), row.code
        assert HANGUL.search(row.name_ko), row.code


def _relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_emotion_colours_are_distinct_and_readable_under_white_text(reference):
    colours = list(Emotion.objects.values_list("color", flat=True))
    assert len(set(colours)) == len(colours)
    for colour in colours:
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", colour)
        contrast = 1.05 / (_relative_luminance(colour) + 0.05)
        assert contrast >= 4.5, f"{colour}: {contrast:.2f}"


def test_channel_targets_and_handling_rules(reference):
    channels = {c.code: c for c in Channel.objects.all()}
    assert {code: c.response_target_hours for code, c in channels.items()} == {
        "phone": 24,
        "email": 24,
        "sms": 24,
        "chat": 24,
        "in_person": 4,
        "letter": 72,
    }
    for channel in channels.values():
        assert channel.handling_rule_en and not HANGUL.search(channel.handling_rule_en)
        assert HANGUL.search(channel.handling_rule_ko)
    # Chat and SMS follow the phone / e-mail rule.
    for code in ("email", "sms", "chat"):
        assert channels[code].handling_rule_en == channels["phone"].handling_rule_en
        assert channels[code].handling_rule_ko == channels["phone"].handling_rule_ko
    assert channels["letter"].handling_rule_en != channels["phone"].handling_rule_en
    assert "face-to-face" in channels["letter"].handling_rule_en


def test_every_template_ships_in_both_languages_with_the_seed_table_rows(reference):
    templates = ResponseTemplate.objects.all()
    assert templates.count() == len(reference_data.RESPONSE_TEMPLATES)
    pairs = set(templates.values_list("code", "language"))
    codes = {code for code, _language in pairs}
    assert pairs == {(code, lang) for code in codes for lang in ("ko", "en")}
    assert {reference_data.THANKS_CODE, reference_data.APOLOGY_CODE} <= codes
    for template in templates:
        assert "{customer_name}" in template.text
        assert not placeholder_errors(template.text), template.code
        assert template.category and template.is_active and template.owner is None
        korean = bool(HANGUL.search(template.text + template.title))
        assert korean == (template.language == "ko")


def test_templates_suit_the_seed_table_valences(reference):
    thanks = ResponseTemplate.objects.filter(code=reference_data.THANKS_CODE)
    apology = ResponseTemplate.objects.filter(code=reference_data.APOLOGY_CODE)
    for template in thanks:
        assert template.valences == ["positive"]
        assert {e.valence for e in template.emotions.all()} == {"positive"}
    for template in apology:
        assert template.valences == ["negative"]
        assert {e.valence for e in template.emotions.all()} == {"negative"}
        assert "active_hater" not in template.archetypes


def test_eighteen_phrase_rules_nine_per_language(reference):
    assert PhraseRule.objects.count() == 18
    for language in ("ko", "en"):
        codes = set(PhraseRule.objects.filter(language=language).values_list("code", flat=True))
        assert codes == PHRASE_CODES
    for rule in PhraseRule.objects.all():
        texts = [rule.phrase, rule.variants, rule.reason, rule.alternative]
        assert all(t.strip() for t in texts), rule.code
        korean = any(HANGUL.search(t) for t in texts)
        english_only = not any(HANGUL.search(t) for t in texts)
        assert korean if rule.language == "ko" else english_only, (rule.code, rule.language)
        lines = rule.variants.splitlines()
        assert all(line.strip() == line and line for line in lines), rule.code
        assert len(set(lines)) == len(lines)
        assert rule.phrase not in lines


def test_unfortunately_rule_from_seed_002(reference):
    assert PhraseRule.objects.get(code="unfortunately", language="ko").phrase == "안타깝게도"
    assert PhraseRule.objects.get(code="unfortunately", language="en").phrase == "Unfortunately"


def _forms(rule) -> list[str]:
    return [rule.phrase, *rule.variants.splitlines()]


def _normalise(text: str) -> str:
    return " ".join(text.replace("’", "'").lower().split())


def test_what_we_advise_does_not_trip_the_guide_itself(reference):
    """Alternatives and shipped templates contain none of the phrases to avoid."""
    forms = [_normalise(form) for rule in PhraseRule.objects.all() for form in _forms(rule)]
    advice = [r.alternative for r in PhraseRule.objects.all()]
    advice += [t.text for t in ResponseTemplate.objects.all()]
    for text in advice:
        hits = [form for form in forms if form in _normalise(text)]
        assert not hits, (text, hits)


def test_running_twice_changes_nothing(reference):
    before = snapshot()
    log_entries = LogEntry.objects.count()
    call_command("load_reference_data", verbosity=0)
    assert snapshot() == before
    assert LogEntry.objects.count() == log_entries


def test_admins_edits_are_kept_and_rows_never_reactivated_or_deleted(reference):
    phone = Channel.objects.get(code="phone")
    phone.response_target_hours = 8
    phone.save()
    Emotion.objects.filter(code="confusion").update(is_active=False, name_ko="헷갈림")
    PhraseRule.objects.filter(code="hurry_wait").update(is_active=False)
    Touchpoint.objects.create(code="kiosk", name_en="Kiosk", name_ko="키오스크", is_active=False)

    call_command("load_reference_data", verbosity=0)
    assert Channel.objects.get(code="phone").response_target_hours == 8
    assert Emotion.objects.get(code="confusion").name_ko == "헷갈림"

    call_command("load_reference_data", "--overwrite", verbosity=0)
    assert Channel.objects.get(code="phone").response_target_hours == 24
    confusion = Emotion.objects.get(code="confusion")
    assert confusion.name_ko == "혼란"
    assert confusion.is_active is False
    assert not PhraseRule.objects.filter(code="hurry_wait", is_active=True).exists()
    assert Touchpoint.objects.filter(code="kiosk", is_active=False).exists()


def test_overwrite_is_idempotent_too(reference):
    call_command("load_reference_data", "--overwrite", verbosity=0)
    before = snapshot()
    call_command("load_reference_data", "--overwrite", verbosity=0)
    assert snapshot() == before


def test_missing_shipped_rows_are_created_again(reference):
    PhraseRule.objects.filter(code="dont_care", language="en").delete()
    call_command("load_reference_data", verbosity=0)
    assert PhraseRule.objects.count() == 18


def test_reports_what_it_did(db, capsys):
    call_command("load_reference_data")
    out = capsys.readouterr().out
    assert "9 created" in out and "18 created" in out
    call_command("load_reference_data")
    assert "0 created, 0 updated, 18 unchanged" in capsys.readouterr().out
