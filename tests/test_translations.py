"""The Korean interface: the .po is complete, the committed .mo matches it, pages use it.

The .po is read with a small parser below (no polib dependency). If a test here
fails after someone adds or changes a string, run from the project root:

    .venv/bin/python manage.py makemessages -l ko --no-obsolete \
        --ignore=.venv --ignore=staticfiles --ignore=docs --ignore=tests --ignore=scripts
    (translate the new entries, remove any "#, fuzzy")
    .venv/bin/python manage.py compilemessages --ignore=.venv
"""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory

LOCALE_DIR = Path(settings.LOCALE_PATHS[0]) / "ko" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@dataclass
class Entry:
    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    def __str__(self):
        return f"{PO_PATH.name}:{self.line} {self.msgid!r}"


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def parse_po(text: str) -> list[Entry]:
    """Entries of a .po file, header included (msgid ""); obsolete (#~) entries skipped."""
    entries: list[Entry] = []
    current: Entry | None = None
    pending_flags: set[str] = set()
    target: tuple[str, int | None] | None = None

    def finish():
        nonlocal current, target
        if current is not None:
            entries.append(current)
        current, target = None, None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if current is not None and target is not None and target[0] == "msgstr":
                finish()
            pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            if current is not None and target is not None and target[0] == "msgstr":
                finish()
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, literal = match.groups()
            value = ast.literal_eval(literal)
            if keyword in ("msgctxt", "msgid") and current is not None and target[0] == "msgstr":
                finish()
            if current is None:
                current = Entry(line=number, flags=pending_flags)
                pending_flags = set()
            if keyword.startswith("msgstr"):
                slot = int(index) if index is not None else 0
                current.msgstr[slot] = value
                target = ("msgstr", slot)
            else:
                setattr(current, keyword, value)
                target = (keyword, None)
            continue
        if line.startswith('"') and current is not None and target is not None:
            value = ast.literal_eval(line)
            if target[0] == "msgstr":
                current.msgstr[target[1]] += value
            else:
                setattr(current, target[0], getattr(current, target[0]) + value)
            continue
        raise AssertionError(f"{PO_PATH.name}:{number}: cannot parse {raw!r}")
    finish()
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    assert PO_PATH.exists(), f"missing {PO_PATH}"
    return parse_po(PO_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def messages(po_entries) -> list[Entry]:
    return [entry for entry in po_entries if entry.msgid]


def _header(po_entries) -> dict[str, str]:
    header = next(entry for entry in po_entries if entry.msgid == "")
    fields = {}
    for line in header.msgstr[0].splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields


def test_parser_reads_multiline_plural_and_context_entries():
    text = "\n".join(
        [
            'msgid ""',
            'msgstr ""',
            '"Plural-Forms: nplurals=1; plural=0;\\n"',
            "",
            "#: a.py:1",
            "#, python-format",
            'msgctxt "menu"',
            'msgid ""',
            '"Two "',
            '"lines \\"quoted\\""',
            'msgid_plural "many"',
            'msgstr[0] "두 줄"',
            "",
            '#~ msgid "gone"',
            '#~ msgstr "없어짐"',
        ]
    )
    header, entry = parse_po(text)
    assert header.msgid == "" and "nplurals=1" in header.msgstr[0]
    assert entry.msgctxt == "menu"
    assert entry.msgid == 'Two lines "quoted"'
    assert entry.msgid_plural == "many"
    assert entry.msgstr == {0: "두 줄"}
    assert entry.flags == {"python-format"}


def test_po_header_is_korean_with_a_single_plural_form(po_entries):
    header = _header(po_entries)
    assert header["Language"] == "ko"
    assert header["Plural-Forms"] == "nplurals=1; plural=0;"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert "fuzzy" not in po_entries[0].flags


def test_every_entry_is_translated_and_none_is_fuzzy(messages):
    assert len(messages) > 100  # the whole UI, not a stub
    untranslated = [str(e) for e in messages if not e.msgstr or not all(e.msgstr.values())]
    fuzzy = [str(e) for e in messages if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


def test_plural_entries_have_exactly_one_form(messages):
    plurals = [e for e in messages if e.msgid_plural is not None]
    assert plurals, "expected at least one plural entry"
    assert [str(e) for e in plurals if sorted(e.msgstr) != [0]] == []


def test_placeholders_are_kept(messages):
    pattern = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}")
    for entry in messages:
        expected = set(pattern.findall(entry.msgid_plural or entry.msgid))
        for text in entry.msgstr.values():
            assert set(pattern.findall(text)) == expected, str(entry)


def test_compiled_catalog_matches_the_po(messages):
    """The committed .mo is in step with the .po: Korean gettext returns every msgstr."""
    assert MO_PATH.exists(), f"missing {MO_PATH}: run compilemessages"
    stale = []
    with translation.override("ko"):
        for entry in messages:
            if entry.msgid_plural is not None:
                for n in (1, 2, 5):
                    if entry.msgctxt is not None:
                        got = translation.npgettext(
                            entry.msgctxt, entry.msgid, entry.msgid_plural, n
                        )
                    else:
                        got = translation.ngettext(entry.msgid, entry.msgid_plural, n)
                    if got != entry.msgstr[0]:
                        stale.append(f"{entry} (n={n}) -> {got!r}")
            else:
                if entry.msgctxt is not None:
                    got = translation.pgettext(entry.msgctxt, entry.msgid)
                else:
                    got = translation.gettext(entry.msgid)
                if got != entry.msgstr[0]:
                    stale.append(f"{entry} -> {got!r}")
    assert stale == [], "django.mo is older than django.po; run compilemessages"


def _msgstr(messages, msgid: str) -> str:
    entry = next(e for e in messages if e.msgid == msgid and e.msgctxt is None)
    return entry.msgstr[0]


@pytest.fixture
def agent_client(client, reference):
    user = UserFactory(username="i18n_agent", role="agent")
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_pages_render_in_korean_for_a_korean_browser(agent_client, messages):
    korean = _msgstr(messages, "Log an interaction")
    assert HANGUL.search(korean)

    response = agent_client.get(reverse("interactions:home"), HTTP_ACCEPT_LANGUAGE="ko")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ko">' in html
    assert korean in html
    assert _msgstr(messages, "Save interaction") in html
    assert _msgstr(messages, "Emotion at start") in html
    assert "Log an interaction" not in html
    assert "Save interaction" not in html


@pytest.mark.django_db
def test_pages_render_in_english_for_an_english_browser(agent_client, messages):
    response = agent_client.get(reverse("interactions:home"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Log an interaction" in html
    assert "Save interaction" in html
    assert _msgstr(messages, "Log an interaction") not in html


@pytest.mark.django_db
def test_interaction_list_renders_in_korean(agent_client, messages):
    response = agent_client.get(reverse("interactions:list"), HTTP_ACCEPT_LANGUAGE="ko")

    assert response.status_code == 200
    html = response.content.decode()
    assert _msgstr(messages, "Apply filters") in html
    assert _msgstr(messages, "No interactions match these filters.") in html
    assert "Apply filters" not in html


@pytest.mark.django_db
def test_emotion_chips_name_the_valence_in_each_language_in_turn(reference):
    """The valence labels are translated once per language and kept: a process serving
    both languages must not keep the first one's."""
    from interactions.models import Emotion
    from interactions.templatetags.emotioncare import emotion_chip

    anger = Emotion.objects.get(code="anger")
    for language, label in [("en", "Negative"), ("ko", "부정"), ("en", "Negative")]:
        with translation.override(language):
            assert f'title="{label}"' in emotion_chip(anger)
