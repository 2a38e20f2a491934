"""The bad-input battery (issue 5, "Proof"): the forms, list filters and sort parameters,
the dashboard's filters, the API and the CSV import, fed empty values, the longest
allowed and one longer, NUL bytes, lone surrogates, decomposed Korean, emoji, a
right-to-left override, markup and `javascript:` links, SQL, formula prefixes, invalid
and naive dates, and malformed files.

What holds for every input: never a 5xx; invalid input gets a 4xx or the form again with
its errors, and writes nothing (rows counted before and after); valid odd input is
stored exactly as given; markup comes back escaped and never as a live link; cells
starting with = + - @ are neutralised in exports.

Every request goes through `send`, which counts it; the module prints
"bad-input battery: N inputs tried, M 5xx" when it ends (and fails on any 5xx).
"""

import csv
import io
import json
import re
import unicodedata
from datetime import timedelta
from urllib.parse import quote

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from interactions.models import (
    PRAISE_NOTE_MAX,
    TEXT_MAX,
    AccessLog,
    ArchetypeChange,
    Customer,
    ImportBatch,
    Interaction,
    PhraseRule,
    Reflection,
    ResponseTemplate,
    SkillReview,
)
from tests import proof_support
from tests.factories import channel, emotion

pytestmark = pytest.mark.django_db

world = proof_support.world_fixture(raise_request_exception=False)

TALLY = {"inputs": 0, "5xx": []}


@pytest.fixture(scope="module", autouse=True)
def battery_summary(request):
    """Print how many inputs the battery tried and how many answered 5xx."""
    yield
    line = f"bad-input battery: {TALLY['inputs']} inputs tried, {len(TALLY['5xx'])} 5xx"
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if reporter is None or capture is None:
        return
    with capture.global_and_fixture_disabled():  # past the output capture of the test
        reporter.write("\n")
        reporter.write_line(line)
        for failure in TALLY["5xx"]:
            reporter.write_line(f"  5xx: {failure}")


def send(client, method: str, url: str, **kwargs):
    """One request of the battery: counted, and never a 5xx."""
    response = getattr(client, method.lower())(url, **kwargs)
    TALLY["inputs"] += 1
    if response.status_code >= 500:
        exc = getattr(response, "exc_info", None)
        detail = repr(exc[1]) if exc else ""
        TALLY["5xx"].append(f"{method} {url} {str(kwargs)[:120]}: {detail}")
        pytest.fail(f"{method} {url} answered {response.status_code}: {detail}")
    return response


def shows_errors(response) -> bool:
    """Refused: a 4xx, or the form shown again with its errors."""
    if 400 <= response.status_code < 500:
        return True
    form = response.context.get("form") if response.context is not None else None
    return response.status_code == 200 and form is not None and bool(form.errors)


def html_of(response) -> str:
    return response.content.decode("utf-8")


# --- Inputs ---------------------------------------------------------------------------

# Odd but valid text: stored exactly as given (forms do not normalise Unicode).
ODD_TEXT = {
    "nfd_korean": unicodedata.normalize("NFD", "김영희 고객님, 정말 죄송합니다"),
    "emoji": "화났어요 😡 → 🙂 👨‍👩‍👧 👍🏽",
    "rtl_override": "refund for \u202egpj.exe",
    "script": "<script>alert('x')</script>",
    "javascript_link": "javascript:alert(1)",
    "html_link": '<a href="javascript:alert(1)">click</a>',
    "sql": "x'); DROP TABLE interactions_interaction; --",
    "formula": '=HYPERLINK("http://evil.example","x")',
    "zero_width": "a\u200bb\u200dc\ufeffd",
}
assert ODD_TEXT["nfd_korean"] != unicodedata.normalize("NFC", ODD_TEXT["nfd_korean"])

NUL = "before\x00after"
# A lone surrogate cannot be UTF-8 encoded; a client sends its bytes (WTF-8) instead.
SURROGATE_BYTES = "%ED%A0%80"

# SQL and junk where a sort column or a filter value is expected.
SORT_VALUES = [
    "name;DROP TABLE interactions_interaction",
    "-occurred_at;--",
    "occurred_at'",
    "customer__name) UNION SELECT password FROM auth_user--",
    "<script>",
    "\x00",
    "x" * 5000,
]
JUNK_VALUES = ["-1", "0", str(2**63), "abc", "1.5", "\x00", "<script>x</script>", "%", "'"]
JUNK_DATES = ["junk", "2025-02-30", "0000-00-00", "0001-01-01", "9999-12-31", "-1", "\x00"]
# One junk value of each kind for the many filters of the lists.
LIST_JUNK = ["-1", str(2**63), "abc", "\x00", "<script>x</script>", "0001-01-01", "9999-12-31"]
LIST_JUNK += ["x" * 3000]


# --- The forms --------------------------------------------------------------------------

NOW = timezone.localtime().replace(second=0, microsecond=0)


def log_payload(w, **overrides) -> dict:
    data = {
        "customer": w["customer"].pk,
        "occurred_at": NOW.strftime("%Y-%m-%dT%H:%M"),
        "channel": channel("phone").pk,
        "emotion_start": emotion("anger").pk,
        "emotion_end": emotion("neutral").pk,
        "intensity": "4",
        "cues": ["words"],
        "summary": "Late parcel",
        "response_text": "Sorry; we send it today.",
        "outcome": "satisfied",
    }
    return {key: value for key, value in (data | overrides).items() if value is not None}


def customer_payload(w, **overrides) -> dict:
    return {"name": "박민수", "phone": "010-5555-1234", "email": "", "external_ref": ""} | overrides


def template_payload(w, **overrides) -> dict:
    data = {"title": "My apology", "category": "Apology", "language": "en", "is_active": "on"}
    return data | {"text": "Dear {customer_name}, I am sorry."} | overrides


RULE_CODES = iter(range(10**6))


def rule_payload(w, **overrides) -> dict:
    data = {
        "code": f"bad_input_rule_{next(RULE_CODES)}",  # (code, language) is unique
        "language": "en",
        "phrase": "calm down",
        "variants": "",
        "reason": "It makes people angrier.",
        "alternative": "I understand.",
        "is_active": "on",
        "sample": "",
    }
    return data | overrides


def reflection_payload(w, **overrides) -> dict:
    today = timezone.localdate().isoformat()
    return {"day": today, "went_well": "A calm call", "to_improve": "Listen"} | overrides


def review_payload(w, **overrides) -> dict:
    return {"respect": "4", "patience": "5", "comment": "Good."} | overrides


def last(model, **where):
    return model.objects.filter(**where).order_by("-pk").first()


def value_of(obj, field: str):
    return None if obj is None else getattr(obj, field)


class Form:
    """A form of the app: who posts it where, a valid body, which text fields it has
    (with their maximum length), and where the saved value ends up."""

    def __init__(self, name, actor, url, payload, model, fields, stored, required=()):
        self.name, self.actor, self.url, self.payload = name, actor, url, payload
        self.model, self.fields, self.stored, self.required = model, fields, stored, required

    def __repr__(self):
        return self.name


FORMS = [
    Form(
        "log",
        "agent_a",
        lambda w: reverse("interactions:home"),
        log_payload,
        Interaction,
        {"summary": TEXT_MAX, "response_text": TEXT_MAX},
        lambda w, field: value_of(last(Interaction), field),
    ),
    Form(
        "log_new_customer",
        "agent_a",
        lambda w: reverse("interactions:home"),
        lambda w, **o: log_payload(w, **({"customer": "", "new_customer_name": "새 고객"} | o)),
        Customer,
        {"new_customer_name": 120, "new_customer_external_ref": 64},
        lambda w, field: value_of(last(Customer), field.removeprefix("new_customer_")),
    ),
    Form(
        "edit",
        "agent_a",
        lambda w: reverse("interactions:edit", args=[w["interaction"].pk]),
        log_payload,
        Interaction,
        {"summary": TEXT_MAX, "response_text": TEXT_MAX},
        lambda w, field: getattr(Interaction.objects.get(pk=w["interaction"].pk), field),
    ),
    Form(
        "customer_new",
        "agent_b",
        lambda w: reverse("interactions:customer-new"),
        customer_payload,
        Customer,
        {"name": 120, "external_ref": 64, "notes": TEXT_MAX},
        lambda w, field: value_of(last(Customer), field),
        required=("name",),
    ),
    Form(
        "customer_edit",
        "agent_b",
        lambda w: reverse("interactions:customer-edit", args=[w["customer"].pk]),
        customer_payload,
        Customer,
        {"name": 120, "notes": TEXT_MAX},
        lambda w, field: getattr(Customer.objects.get(pk=w["customer"].pk), field),
        required=("name",),
    ),
    Form(
        "template_new",
        "agent_b",
        lambda w: reverse("interactions:template-new"),
        template_payload,
        ResponseTemplate,
        {"title": 120, "category": 60, "text": TEXT_MAX},
        lambda w, field: value_of(last(ResponseTemplate), field),
        required=("title", "text"),
    ),
    Form(
        "phrase_rule_new",
        "admin",
        lambda w: reverse("interactions:phrase-rule-new"),
        rule_payload,
        PhraseRule,
        {"reason": TEXT_MAX, "alternative": TEXT_MAX},
        lambda w, field: value_of(last(PhraseRule), field),
        required=("reason", "alternative"),
    ),
    Form(
        "reflection",
        "agent_a",
        lambda w: reverse("interactions:reflection"),
        reflection_payload,
        Reflection,
        {"went_well": TEXT_MAX, "to_improve": TEXT_MAX},
        lambda w, field: value_of(last(Reflection), field),
    ),
    Form(
        "skill_review",
        "lead",
        lambda w: reverse("interactions:skill-review", args=[w["interaction"].pk]),
        review_payload,
        SkillReview,
        {"comment": TEXT_MAX},
        lambda w, field: value_of(last(SkillReview), field),
    ),
]
FIELD_CASES = [(form, field) for form in FORMS for field in form.fields]


def post_form(w, form, data):
    return send(w["clients"][form.actor], "POST", form.url(w), data=data)


def saved(response) -> bool:
    return response.status_code == 302


@pytest.mark.parametrize(("form", "field"), FIELD_CASES, ids=lambda x: getattr(x, "name", x))
def test_odd_text_is_stored_exactly_as_given(world, form, field):
    for value in ODD_TEXT.values():
        response = post_form(world, form, form.payload(world, **{field: value}))
        assert saved(response), (field, value, response.status_code)
        assert form.stored(world, field) == value


@pytest.mark.parametrize(("form", "field"), FIELD_CASES, ids=lambda x: getattr(x, "name", x))
def test_lengths_up_to_the_maximum_are_kept_and_one_more_is_refused(world, form, field):
    limit = form.fields[field]
    response = post_form(world, form, form.payload(world, **{field: "가" * limit}))
    assert saved(response), response.status_code
    assert form.stored(world, field) == "가" * limit
    before = form.model.objects.count(), form.stored(world, field)
    response = post_form(world, form, form.payload(world, **{field: "나" * (limit + 1)}))
    assert shows_errors(response)
    assert (form.model.objects.count(), form.stored(world, field)) == before


@pytest.mark.parametrize(("form", "field"), FIELD_CASES, ids=lambda x: getattr(x, "name", x))
def test_empty_values_are_refused_where_required_and_kept_elsewhere(world, form, field):
    before = form.model.objects.count()
    for blank in ("", "   "):
        response = post_form(world, form, form.payload(world, **{field: blank}))
        if field in form.required or field == "new_customer_name":
            assert shows_errors(response), (field, blank)
            assert form.model.objects.count() == before
        else:
            assert saved(response), (field, blank, response.status_code)
            assert form.stored(world, field) == ""


@pytest.mark.parametrize(("form", "field"), FIELD_CASES, ids=lambda x: getattr(x, "name", x))
def test_nul_bytes_are_a_form_error_and_write_nothing(world, form, field):
    before = form.model.objects.count(), form.stored(world, field)
    response = post_form(world, form, form.payload(world, **{field: NUL}))
    assert shows_errors(response)
    assert (form.model.objects.count(), form.stored(world, field)) == before


@pytest.mark.parametrize(("form", "field"), FIELD_CASES, ids=lambda x: getattr(x, "name", x))
def test_lone_surrogates_become_replacement_characters(world, form, field):
    """The bytes of a lone surrogate are not UTF-8: the request's decoding turns them into
    U+FFFD, so no unencodable text reaches the database or a page."""
    body = form.payload(world, **{field: "x"})
    encoded = "&".join(
        f"{quote(key)}={quote(str(item))}"
        for key, value in body.items()
        for item in (value if isinstance(value, list) else [value])
        if key != field
    )
    raw = f"{encoded}&{field}=a{SURROGATE_BYTES}b".encode()
    client = world["clients"][form.actor]
    response = send(
        client, "POST", form.url(world), data=raw, content_type="application/x-www-form-urlencoded"
    )
    if saved(response):
        stored = form.stored(world, field)
        assert stored.startswith("a") and stored.endswith("b") and "\ufffd" in stored
        assert not re.search("[\ud800-\udfff]", stored)
    else:
        assert shows_errors(response)


def test_markup_comes_back_escaped_and_never_as_a_live_link(world):
    """Markup typed into a customer's name, an interaction's summary and response and a
    personal template is shown as text on every page that shows it."""
    client = world["clients"]["agent_a"]
    markup = ODD_TEXT["html_link"] + ODD_TEXT["script"]
    customer = world["customer"]
    Customer.objects.filter(pk=customer.pk).update(name=markup, notes=markup)
    Interaction.objects.filter(pk=world["interaction"].pk).update(
        summary=markup, response_text=ODD_TEXT["javascript_link"]
    )
    template = ResponseTemplate.objects.create(
        owner=world["agent_a"], title=markup, text=markup, language="en"
    )
    pages = [
        reverse("interactions:detail", args=[world["interaction"].pk]),
        reverse("interactions:list"),
        reverse("interactions:customer-detail", args=[customer.pk]),
        reverse("interactions:customer-list"),
        reverse("interactions:customer-edit", args=[customer.pk]),
        reverse("interactions:edit", args=[world["interaction"].pk]),
        reverse("interactions:template-detail", args=[template.pk]),
        reverse("interactions:template-list"),
        reverse("interactions:home") + f"?customer={customer.pk}",
    ]
    for url in pages:
        html = html_of(send(client, "GET", url))
        assert "<script>alert" not in html, url
        assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", html, re.I), url
        assert "&lt;script&gt;" in html or "&lt;a href" in html, url
    lead_pages = [reverse("interactions:dashboard"), reverse("interactions:access-log")]
    for url in lead_pages:
        html = html_of(send(world["clients"]["lead"], "GET", url))
        assert "<script>alert" not in html, url
        assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", html, re.I), url
    found = send(client, "GET", reverse("interactions:customer-search"), data={"q": "script"})
    assert found["Content-Type"].startswith("application/json")


def test_archetype_notes_with_nul_bytes_or_overlong_are_refused_cleanly(world):
    client, customer = world["clients"]["lead"], world["customer"]
    url = reverse("interactions:customer-archetype", args=[customer.pk])
    before = ArchetypeChange.objects.count()
    for note in (NUL, ODD_TEXT["script"], "가" * 600):
        send(client, "POST", url, data={"action": "override", "archetype": "x", "note": note})
        send(client, "POST", url, data={"action": "junk", "note": note})
    assert ArchetypeChange.objects.count() == before
    # A valid action with a NUL in the note: refused by the service (PostgreSQL cannot
    # store it), shown as a message on the customer page; nothing recorded.
    response = send(client, "POST", url, data={"action": "override", "archetype": "", "note": NUL})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert "\x00" not in customer.archetype_reason
    assert ArchetypeChange.objects.count() == before
    response = send(client, "POST", url, data={"action": "override", "archetype": "", "note": "ok"})
    assert ArchetypeChange.objects.count() == before + 1  # the same request, valid, is kept


def test_praise_notes_are_checked(world):
    client = world["clients"]["agent_a"]
    url = reverse("interactions:praise", args=[world["interaction"].pk])
    for note in (NUL, "가" * (PRAISE_NOTE_MAX + 1)):
        response = send(client, "POST", url, data={"action": "mark", "note": note})
        assert response.status_code == 400
    assert Interaction.objects.get(pk=world["interaction"].pk).praised_at is None
    odd = ODD_TEXT["rtl_override"]
    assert send(client, "POST", url, data={"action": "mark", "note": odd}).status_code == 302
    assert Interaction.objects.get(pk=world["interaction"].pk).praise_note == odd


def test_the_log_form_refuses_bad_dates_and_choices(world):
    client, url = world["clients"]["agent_a"], reverse("interactions:home")
    before = Interaction.objects.count()
    bad = [
        {"occurred_at": value}
        for value in [*JUNK_DATES, "2025-13-01T10:00", "", "9999-12-31T23:59"]
    ]
    bad += [{"follow_up_on": value} for value in JUNK_DATES if value != "9999-12-31"]
    bad += [{"intensity": value} for value in ("0", "6", "3.5", "", "abc", str(2**63))]
    bad += [{"channel": value} for value in JUNK_VALUES]
    bad += [{"emotion_start": value} for value in JUNK_VALUES]
    bad += [{"customer": value} for value in JUNK_VALUES]
    bad += [{"cues": ["words", "<script>"]}, {"complaint_status": "closed", "is_complaint": "on"}]
    bad += [{"response_template": value} for value in JUNK_VALUES]
    bad += [{"response_template": world["personal_template"].pk}]  # agent A's: fine below
    for overrides in bad[:-1]:
        response = send(client, "POST", url, data=log_payload(world, **overrides))
        assert shows_errors(response), overrides
    assert Interaction.objects.count() == before
    # Another agent cannot use agent A's personal template.
    other = world["clients"]["agent_b"]
    response = send(other, "POST", url, data=log_payload(world, **bad[-1]))
    assert shows_errors(response)
    assert Interaction.objects.count() == before


def test_phrase_rule_forms_refuse_bad_codes_and_phrases(world):
    client, url = world["clients"]["admin"], reverse("interactions:phrase-rule-new")
    before = PhraseRule.objects.count()
    for overrides in [
        {"code": "has space"},
        {"code": "x" * 61},
        {"code": "<script>"},
        {"code": NUL},
        {"phrase": ""},
        {"phrase": "x" * 201},
        {"phrase": NUL},
        {"phrase": "!calm"},
        {"phrase": "re:("},
        {"language": "xx"},
        {"variants": "re:(unclosed"},
        {"sample": "x" * 3000},
    ]:
        response = send(client, "POST", url, data=rule_payload(world, **overrides))
        assert shows_errors(response), overrides
    assert PhraseRule.objects.count() == before


def test_template_forms_refuse_unknown_placeholders_and_bad_choices(world):
    client, url = world["clients"]["agent_b"], reverse("interactions:template-new")
    before = ResponseTemplate.objects.count()
    for overrides in [
        {"text": "Dear {customer_name"},
        {"text": "Dear {__class__}"},
        {"text": "{customer_name.__init__}"},
        {"language": "xx"},
        {"emotions": ["-1"]},
        {"channels": ["abc"]},
        {"valences": ["<script>"]},
        {"archetypes": [NUL]},
    ]:
        response = send(client, "POST", url, data=template_payload(world, **overrides))
        assert shows_errors(response), overrides
    assert ResponseTemplate.objects.count() == before


# --- Lists: filters and sort parameters ---------------------------------------------------

LISTS = [
    ("interactions:list", "agent_a"),
    ("interactions:customer-list", "agent_a"),
    ("interactions:template-list", "agent_a"),
    ("interactions:phrase-rule-list", "agent_a"),
    ("interactions:access-log", "lead"),
    ("interactions:team-care", "lead"),
]
LIST_PARAMS = {
    "interactions:list": [
        "date_from",
        "date_to",
        "agent",
        "customer",
        "channel",
        "touchpoint",
        "emotion_start",
        "valence",
        "archetype",
        "response_template",
        "recovered",
        "complaint_status",
        "page",
        "cursor",
        "scope",
    ],
    "interactions:customer-list": ["q", "archetype", "page"],
    "interactions:template-list": ["q", "page"],
    "interactions:phrase-rule-list": ["q", "page"],
    "interactions:access-log": ["user", "action", "customer", "date_from", "date_to", "page"],
    "interactions:team-care": ["week"],
}


@pytest.mark.parametrize(("name", "actor"), LISTS)
def test_sort_parameters_with_sql_are_ignored(world, name, actor):
    client, url = world["clients"][actor], reverse(name)
    before = Interaction.objects.count()
    for value in SORT_VALUES:
        response = send(client, "GET", url, data={"sort": value})
        assert response.status_code in (200, 400, 404), (value, response.status_code)
        if response.status_code == 200:
            assert "<script>" not in html_of(response)
    assert Interaction.objects.count() == before  # the table is still there


@pytest.mark.parametrize(("name", "actor"), LISTS)
def test_junk_filter_values_never_break_a_list(world, name, actor):
    client, url = world["clients"][actor], reverse(name)
    for param in LIST_PARAMS[name]:
        for value in LIST_JUNK:
            response = send(client, "GET", url, data={param: value})
            assert response.status_code in (200, 400, 404), (param, value)
            if response.status_code == 200:
                assert "<script>x</script>" not in html_of(response)
        raw = f"{url}?{param}=a{SURROGATE_BYTES}b"
        assert send(client, "GET", raw).status_code in (200, 400, 404)


@pytest.mark.parametrize(("name", "actor"), LISTS[1:5])
def test_the_page_size_and_page_number_are_bounded(world, name, actor, settings):
    """?per_page= cannot read a whole table into one page (or slice it from the end), and
    a page number whose offset overflows a 64-bit integer is a 404, not a database error."""
    client, url = world["clients"][actor], reverse(name)
    for size in ("1000000000", "-1", "0", str(2**63)):
        response = send(client, "GET", url, data={"per_page": size, "sort": "-id"})
        assert response.status_code == 200
        assert response.context["table"].paginator.per_page == settings.EMOTIONCARE_PAGE_SIZE
    for page in (str(2**63), str(2**57), "100001"):
        assert send(client, "GET", url, data={"page": page, "sort": "-id"}).status_code == 404
    assert send(client, "GET", url, data={"page": "100000"}).status_code == 200


@pytest.mark.parametrize("name", ["interactions:export", "interactions:access-log-export"])
def test_exports_with_junk_filters_are_refused_or_empty(world, name):
    client = world["clients"]["lead"]
    for param in ("date_from", "customer", "agent", "channel", "user", "sort"):
        for value in JUNK_VALUES[:6]:
            response = send(client, "GET", reverse(name), data={param: value})
            assert response.status_code in (200, 400), (param, value)


def test_dashboard_filters_never_break_the_dashboard(world):
    client = world["clients"]["lead"]
    urls = [
        reverse("interactions:dashboard"),
        reverse("interactions:dashboard-export-csv", kwargs={"panel": "trend"}),
        reverse("interactions:dashboard-export-xlsx", kwargs={"panel": "load"}),
    ]
    dates = [*JUNK_DATES, "<script>x</script>", "1899-12-31", "3000-01-01"]
    params = {
        "date_from": dates,
        "date_to": dates,
        "period": ["junk", "\x00", "day"],
        "agent": ["-1", str(2**63), "abc", "\x00"],
        "channel": ["<script>", "\x00", "x" * 3000],
        "touchpoint": ["nowhere", "\x00"],
    }
    for url in urls:
        for param, values in params.items():
            for value in values:
                response = send(client, "GET", url, data={param: value})
                assert response.status_code in (200, 400), (url, param, value)
        reversed_range = {"date_from": "2025-03-01", "date_to": "2020-01-01"}
        assert send(client, "GET", url, data=reversed_range).status_code in (200, 400)
        huge = {"date_from": "0001-01-01", "date_to": "9999-12-31", "period": "day"}
        assert send(client, "GET", url, data=huge).status_code in (200, 400)
    html = html_of(send(client, "GET", urls[0], data={"date_from": "<script>x</script>"}))
    assert "<script>x</script>" not in html


def test_search_helpers_take_any_text(world):
    client = world["clients"]["agent_a"]
    values = [*JUNK_VALUES, *ODD_TEXT.values(), "x" * 5000, ""]
    for name in ("interactions:customer-search", "interactions:agent-search"):
        for value in values:
            response = send(client, "GET", reverse(name), data={"q": value})
            assert response.status_code in (200, 400), (name, value)
        raw = f"{reverse(name)}?q=a{SURROGATE_BYTES}b"
        assert send(client, "GET", raw).status_code in (200, 400)
    check = reverse("interactions:phrase-check")
    for value in [*values, "x" * 100_000]:
        assert send(client, "POST", check, data={"text": value}).status_code in (200, 400)
    suggestions = reverse("interactions:suggestions")
    for param in ("emotion_start", "customer", "channel"):
        for value in JUNK_VALUES:
            response = send(client, "GET", suggestions, data={param: value})
            assert response.status_code in (200, 400), (param, value)
    reveal = reverse("interactions:customer-reveal-phone")
    before = AccessLog.objects.count()
    for value in [*JUNK_VALUES, "9" * 18, ""]:
        response = send(client, "POST", reveal, data={"customer": value})
        assert response.status_code in (400, 404), value
    assert AccessLog.objects.count() == before


# --- The API ----------------------------------------------------------------------------


API = "/api/v1"


def interaction_body(w, **overrides) -> dict:
    body = {
        "customer": w["customer"].pk,
        "occurred_at": NOW.isoformat(),
        "channel": "phone",
        "emotion_start": "anger",
        "emotion_end": "neutral",
        "intensity": 4,
        "cues": ["words"],
        "summary": "Parcel late",
        "response_text": "We send it today.",
    }
    return body | overrides


def api(w, method: str, path: str, body=None, *, actor="token", raw: str | None = None):
    client = w["clients"][actor]
    if method == "GET":
        return send(client, "GET", f"{API}{path}", data=body or {})
    data = raw if raw is not None else json.dumps(body)
    return send(client, method, f"{API}{path}", data=data, content_type="application/json")


API_TEXT_FIELDS = [
    ("/interactions/", interaction_body, "summary", TEXT_MAX),
    ("/interactions/", interaction_body, "response_text", TEXT_MAX),
    ("/customers/", lambda w, **o: {"name": "박민수"} | o, "name", 120),
    ("/customers/", lambda w, **o: {"name": "박민수"} | o, "notes", TEXT_MAX),
    ("/customers/", lambda w, **o: {"name": "박민수"} | o, "external_ref", 64),
    ("/customers/", lambda w, **o: {"name": "박민수", "phone": "010"} | o, "phone", 32),
]
MODEL_OF = {"/interactions/": Interaction, "/customers/": Customer}


@pytest.mark.parametrize(("path", "body", "field", "limit"), API_TEXT_FIELDS)
def test_api_text_fields(world, path, body, field, limit):
    """Odd text stored exactly; the maximum kept, one more refused naming the field; NUL
    and lone surrogates refused; nothing written by a refusal."""
    model = MODEL_OF[path]
    odd = ODD_TEXT.values() if field != "phone" else ["+82 (10) 1234-5678", "010.1234.5678"]
    for value in odd:
        response = api(world, "POST", path, body(world, **{field: value}))
        assert response.status_code == 201, (value, response.content)
        stored = model.objects.get(pk=response.json()["id"])
        assert getattr(stored, field) == value
        if field == "external_ref":  # unique: free it for the next value
            model.objects.filter(pk=stored.pk).update(external_ref="")
    digit = "1" if field == "phone" else "가"
    response = api(world, "POST", path, body(world, **{field: digit * limit}))
    assert response.status_code == 201, response.content
    before = model.objects.count()
    bad_values = [digit * (limit + 1), NUL, ["x"], {"x": 1}, True]  # (a number is text)
    if field == "name":
        bad_values += ["", "   ", None]
    for value in bad_values:
        response = api(world, "POST", path, body(world, **{field: value}))
        assert response.status_code == 400, (value, response.content)
        assert field in response.json(), response.json()
    raw = json.dumps(body(world, **{field: "PLACEHOLDER"})).replace("PLACEHOLDER", "a\\ud800b")
    response = api(world, "POST", path, raw=raw)
    assert response.status_code == 400
    assert model.objects.count() == before


def test_api_naive_and_invalid_times_are_400_naming_the_field(world):
    before = Interaction.objects.count()
    naive = NOW.replace(tzinfo=None).isoformat()
    for value in [
        naive,
        "2025-03-01 14:30",
        "2025-03-01",
        "2025-13-01T10:00:00+09:00",
        "2025-02-30T10:00:00+09:00",
        "2025-03-01T25:00:00+09:00",
        "2025-03-01T10:00:00+24:00",
        "0001-01-01T00:00:00+09:00",
        "9999-12-31T23:59:59-14:00",
        "yesterday",
        "",
        NUL,
        None,
        0,
        1e308,
        [],
        "x" * 1000,
    ]:
        response = api(world, "POST", "/interactions/", interaction_body(world, occurred_at=value))
        assert response.status_code == 400, (value, response.content)
        assert "occurred_at" in response.json(), (value, response.json())
    for value in ["2025-02-30", "0000-01-01", "junk", NUL, 5, naive]:
        response = api(world, "POST", "/interactions/", interaction_body(world, follow_up_on=value))
        assert response.status_code == 400, (value, response.content)
        assert "follow_up_on" in response.json()
    assert Interaction.objects.count() == before


def test_api_times_long_ago_break_no_page(world):
    """A time the API accepts, however far back, is shown by every page and export."""
    for value in ("1000-01-01T00:00:00+09:00", "1900-01-01T00:00:00+00:00"):
        response = api(world, "POST", "/interactions/", interaction_body(world, occurred_at=value))
        assert response.status_code in (201, 400), response.content
        if response.status_code == 201:
            pk = response.json()["id"]
            for url in (
                reverse("interactions:detail", args=[pk]),
                reverse("interactions:list") + "?sort=occurred_at",
                reverse("interactions:customer-detail", args=[world["customer"].pk]),
            ):
                send(world["clients"]["agent_a"], "GET", url)
            for url in (reverse("interactions:export"), reverse("interactions:dashboard")):
                send(world["clients"]["lead"], "GET", url)
            assert api(world, "GET", f"/interactions/{pk}/").status_code == 200


def test_api_bad_references_and_choices_are_400_naming_the_field(world):
    before = Interaction.objects.count()
    cases = {
        "customer": [-1, 0, 2**63, 2**64, "abc", "1.5", None, [], {}, True, 1.5],
        "channel": ["PHONE ", "<script>", "", None, 123, NUL, "x" * 100],
        "emotion_start": ["rage", "", None, ["anger"]],
        "emotion_end": ["rage", 7],
        "touchpoint": ["nowhere", 3],
        "intensity": [0, 6, -1, 3.5, "three", None, 2**63, True],
        "cues": ["words", ["words", "words"], ["x"], [None], ["words"] * 50, {}],
        "is_complaint": ["maybe", 2, [], None],
        "complaint_status": ["closed", NUL, 1],
        "outcome": ["great", NUL],
        "response_template": [-1, 0, 2**63, "abc", world["personal_template"].pk + 10**6],
    }
    for field, values in cases.items():
        for value in values:
            response = api(
                world, "POST", "/interactions/", interaction_body(world, **{field: value})
            )
            assert response.status_code == 400, (field, value, response.content)
            assert field in response.json(), (field, value, response.json())
    # Agent B cannot use agent A's personal template.
    body = interaction_body(world, response_template=world["personal_template"].pk)
    response = api(world, "POST", "/interactions/", body, actor="agent_b")
    assert response.status_code == 400 and "response_template" in response.json()
    assert Interaction.objects.count() == before


def test_api_malformed_bodies_are_4xx(world):
    before = Interaction.objects.count(), Customer.objects.count()
    for raw in ["", "{", "[]", '"x"', "1", "null", "NaN", '{"a": Infinity}', "{'a': 1}"]:
        for path in ("/interactions/", "/customers/"):
            response = api(world, "POST", path, raw=raw)
            assert response.status_code == 400, (raw, response.status_code)
    deep = "[" * 100_000 + "]" * 100_000
    assert api(world, "POST", "/interactions/", raw=deep).status_code == 400
    client = world["clients"]["token"]
    response = send(client, "POST", f"{API}/interactions/", data={"summary": "form-encoded"})
    assert response.status_code == 415
    response = send(
        client, "POST", f"{API}/customers/", data=b"\xff\xfe\x00", content_type="application/json"
    )
    assert response.status_code == 400
    assert (Interaction.objects.count(), Customer.objects.count()) == before


def test_api_bad_idempotency_keys_are_400_and_write_nothing(world):
    client, before = world["clients"]["token"], Interaction.objects.count()
    body = json.dumps(interaction_body(world))
    for key in [" ", "x" * 256, "a\x00b", "ключ", "a b\tc"]:
        response = send(
            client,
            "POST",
            f"{API}/interactions/",
            data=body,
            content_type="application/json",
            headers={"Idempotency-Key": key},
        )
        assert response.status_code == 400, (key, response.status_code)
    assert Interaction.objects.count() == before


def test_api_patches_with_bad_values_change_nothing(world):
    interaction, customer = world["interaction"], world["customer"]
    path = f"/interactions/{interaction.pk}/"
    snapshot = Interaction.objects.filter(pk=interaction.pk).values().get()
    for body in [
        {"occurred_at": NOW.replace(tzinfo=None).isoformat()},
        {"summary": "가" * (TEXT_MAX + 1)},
        {"summary": NUL},
        {"intensity": 9},
        {"customer": 2**63},
        {"channel": "<script>"},
        {"follow_up_on": (NOW - timedelta(days=400)).date().isoformat()},
        {"summary": "ok", "intensity": 0},  # one bad field: nothing of the rest either
    ]:
        response = api(world, "PATCH", path, body)
        assert response.status_code == 400, (body, response.content)
    assert Interaction.objects.filter(pk=interaction.pk).values().get() == snapshot
    customer_path = f"/customers/{customer.pk}/"
    before = Customer.objects.filter(pk=customer.pk).values().get()
    for body in [{"name": ""}, {"phone": "call me"}, {"email": "x@"}, {"notes": NUL}]:
        response = api(world, "PATCH", customer_path, body)
        assert response.status_code == 400, (body, response.content)
    assert Customer.objects.filter(pk=customer.pk).values().get() == before
    response = api(world, "PATCH", customer_path, {"notes": ODD_TEXT["nfd_korean"]})
    assert response.status_code == 200
    assert Customer.objects.get(pk=customer.pk).notes == ODD_TEXT["nfd_korean"]


def test_api_query_filters_refuse_junk_naming_the_parameter(world):
    naive = NOW.replace(tzinfo=None).isoformat()
    for param, values in {
        "since": [naive, "junk", "2025-02-30T00:00:00+09:00", NUL, "x" * 100],
        "until": [naive, "0001-01-01"],
        "customer": ["abc", "-1", "0", str(2**63), "1.5", NUL],
        "agent": ["abc", str(2**64)],
        "channel": ["<script>", "nowhere", NUL],
        "emotion_start": ["rage"],
        "emotion_end": ["%"],
        "cursor": ["junk", "eyJ4IjoxfQ==", NUL],
        "page_size": ["0", "-1", "abc", "100000", str(2**63)],
    }.items():
        for value in values:
            response = api(world, "GET", "/interactions/", {param: value})
            assert response.status_code == 400, (param, value, response.status_code)
            assert param in response.json() or "detail" in response.json(), response.json()
    for path, params in {
        "/customers/": {"q": [NUL, "x" * 201], "page": ["0", "-1", "abc", str(2**63)]},
        "/emotions/": {"page": ["0", "abc"], "page_size": ["0", "abc"]},
        "/templates/": {"page": ["-1"]},
        "/templates/suggest/": {"emotion": ["", "rage", NUL], "customer": ["abc", "-1"]},
    }.items():
        for param, values in params.items():
            for value in values:
                query = {param: value}
                if path == "/templates/suggest/" and param != "emotion":
                    query["emotion"] = "anger"
                response = api(world, "GET", path, query)
                assert response.status_code in (400, 404), (path, param, value)
    for value in ["junk", naive, NUL]:
        response = api(world, "GET", "/stats/summary/", {"since": value}, actor="lead")
        assert response.status_code == 400 and "since" in response.json()
    for value in ODD_TEXT.values():
        response = api(world, "GET", "/customers/", {"q": value})
        assert response.status_code == 200


# --- The CSV import -----------------------------------------------------------------------

IMPORT_COLUMNS = "customer_ref,customer_name,occurred_at,agent,channel,emotion_start,summary"


def import_row(ref="H-1", summary="배송 지연", occurred="2025-03-03T09:15:00+09:00"):
    return f"{ref},김영희,{occurred},agent_a,phone,anger,{summary}"


def upload(w, data: bytes, *, dry_run=False, name="history.csv", encoding="auto"):
    form = {"file": SimpleUploadedFile(name, data, content_type="text/csv"), "encoding": encoding}
    if dry_run:
        form["dry_run"] = "on"
    return send(w["clients"]["lead"], "POST", reverse("interactions:import"), data=form)


def import_counts():
    return Interaction.objects.count(), Customer.objects.count(), ImportBatch.objects.count()


GOOD_CSV = f"{IMPORT_COLUMNS}\r\n{import_row()}\r\n".encode()
MALFORMED_FILES = {
    "empty": b"",
    "only_bom": b"\xef\xbb\xbf",
    "header_only": f"{IMPORT_COLUMNS}\r\n".encode(),
    "wrong_header": b"who,when,what\r\nx,y,z\r\n",
    "unknown_column": f"{IMPORT_COLUMNS},secret\r\n{import_row()},x\r\n".encode(),
    "repeated_column": f"{IMPORT_COLUMNS},summary\r\n{import_row()},x\r\n".encode(),
    "semicolons": IMPORT_COLUMNS.replace(",", ";").encode() + b"\r\n",
    "ragged_long": f"{IMPORT_COLUMNS}\r\n{import_row()},extra,cells\r\n".encode(),
    "ragged_short": f"{IMPORT_COLUMNS}\r\nH-1,김영희,2025-03-03T09:15:00+09:00\r\n".encode(),
    "bad_quotes": f'{IMPORT_COLUMNS}\r\nH-1,"김영희,2025-03-03T09:15:00+09:00,a"b\r\n'.encode(),
    "utf16": GOOD_CSV.decode().encode("utf-16"),
    "utf16_no_bom": GOOD_CSV.decode().encode("utf-16-le"),
    "utf32": GOOD_CSV.decode().encode("utf-32"),
    "binary": bytes(range(256)) * 8,
    "png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
    "xlsx": b"PK\x03\x04" + b"\x00" * 64,
    "nul_in_cell": f"{IMPORT_COLUMNS}\r\n{import_row(summary='a')}\x00b\r\n".encode(),
    "invalid_utf8_and_cp949": f"{IMPORT_COLUMNS}\r\n".encode() + b"H-1,\xff\xff\xff,x\r\n",
    "naive_date_only": import_row(occurred="2025-03-03")
    .join([f"{IMPORT_COLUMNS}\r\n", "\r\n"])
    .encode(),
    "bad_date": import_row(occurred="2025-02-30T10:00:00+09:00")
    .join([f"{IMPORT_COLUMNS}\r\n", "\r\n"])
    .encode(),
    "control_chars": import_row(summary="a\x07b").join([f"{IMPORT_COLUMNS}\r\n", "\r\n"]).encode(),
    "overlong_summary": import_row(summary="가" * (TEXT_MAX + 1))
    .join([f"{IMPORT_COLUMNS}\r\n", "\r\n"])
    .encode(),
    "one_bad_row_among_good": (
        f"{IMPORT_COLUMNS}\r\n{import_row('H-1')}\r\n{import_row('H-2')}\r\n"
        f"H-3,김영희,2025-03-03T09:15:00+09:00,agent_a,phone,rage,x\r\n{import_row('H-4')}\r\n"
    ).encode(),
    "future": import_row(occurred="2999-01-01T00:00:00+09:00")
    .join([f"{IMPORT_COLUMNS}\r\n", "\r\n"])
    .encode(),
}


@pytest.mark.parametrize("kind", sorted(MALFORMED_FILES))
def test_malformed_csv_files_are_refused_whole(world, kind):
    before = import_counts()
    for dry_run in (True, False):
        response = upload(world, MALFORMED_FILES[kind], dry_run=dry_run)
        assert response.status_code == 400, (kind, dry_run, response.status_code)
    assert import_counts() == before


def test_an_oversized_csv_file_is_refused_before_it_is_read(world, settings):
    settings.EMOTIONCARE_IMPORT_MAX_BYTES = 1024
    before = import_counts()
    big = GOOD_CSV + (import_row("H-9") + "\r\n").encode() * 50
    response = upload(world, big)
    assert response.status_code == 400
    assert import_counts() == before


def test_cp949_and_odd_text_import_exactly_as_given(world):
    """A Korean Excel file (CP949) imports with its Hangul intact; decomposed Korean, emoji,
    a right-to-left override, markup and formula prefixes in UTF-8 are stored as given."""
    before = import_counts()
    cp949 = f"{IMPORT_COLUMNS}\r\n{import_row('K-1', summary='환불 요청 고객')}\r\n"
    response = upload(world, cp949.encode("cp949"))
    assert response.status_code == 302, html_of(response)[-2000:]
    assert Interaction.objects.order_by("-pk")[0].summary == "환불 요청 고객"
    odd = list(ODD_TEXT.values()) + ["+82 10", "-5 stars", "@everyone", "=1+1"]
    lines = [IMPORT_COLUMNS]
    for index, value in enumerate(odd):
        cell = '"' + value.replace('"', '""') + '"'
        hour = f"{index % 24:02d}"
        lines.append(import_row(f"O-{index}", cell, f"2025-03-04T{hour}:00:00+09:00"))
    response = upload(world, ("\r\n".join(lines) + "\r\n").encode("utf-8"))
    assert response.status_code == 302, html_of(response)[-2000:]
    stored = set(
        Interaction.objects.filter(customer__external_ref__startswith="O-").values_list(
            "summary", flat=True
        )
    )
    assert stored == set(odd)
    assert import_counts()[0] == before[0] + 1 + len(odd)


# --- Exports neutralise formulas -----------------------------------------------------------

FORMULAS = ["=1+1", "+82 10", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd"]


def test_formula_prefixes_are_neutralised_in_every_export_format(world):
    customer = Customer.objects.create(name="=HYPERLINK(1)", phone="+82 10 1234 5678")
    for value in FORMULAS[:4]:  # through the API: stored as given
        body = interaction_body(world, customer=customer.pk, summary=value, response_text=value)
        assert api(world, "POST", "/interactions/", body).status_code == 201
    stored = set(Interaction.objects.filter(customer=customer).values_list("summary", flat=True))
    assert stored == set(FORMULAS[:4])
    # A leading tab or CR is trimmed by the API and the forms; the import keeps it.
    for value in FORMULAS[4:]:
        Interaction.objects.create(
            customer=customer,
            agent=world["agent_a"],
            occurred_at=timezone.now(),
            channel=channel("phone"),
            emotion_start=emotion("anger"),
            summary=value,
            response_text=value,
        )
    client = world["clients"]["lead"]
    query = {"customer": customer.pk}
    response = send(client, "GET", reverse("interactions:export"), data=query)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert len(rows) == len(FORMULAS)
    for item in rows:  # shown as text by a spreadsheet, never run
        assert item["summary"].startswith("'") and item["response_text"].startswith("'")
        assert item["customer_name"] == "'=HYPERLINK(1)"
        assert item["customer_phone"][:1] not in "=+-@"  # masked, and no formula
    response = send(client, "GET", reverse("interactions:export-xlsx"), data=query)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [cell for line in sheet.iter_rows(min_row=2, values_only=True) for cell in line]
    assert cells
    for cell in cells:
        if isinstance(cell, str) and cell:
            assert cell[0] not in "=+-@\t\r", cell
