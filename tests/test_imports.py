"""CSV import of historical interactions (interactions/imports.py, docs/import.md): the
file checks, row validation, all-or-nothing writing, derived data and the command."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.utils import timezone

from interactions import imports
from interactions.imports import COLUMNS, ImportFileError, decode, read_csv, run_import
from interactions.models import (
    ArchetypeChange,
    Customer,
    ImportBatch,
    Interaction,
    ResponseTemplate,
)
from tests.factories import CustomerFactory, InteractionFactory

pytestmark = pytest.mark.django_db

SEOUL = timezone.get_fixed_timezone(9 * 60)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The users of these tests never log in with a password: a quick hasher keeps setup
    fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def row(**values) -> dict:
    """A valid row; keyword arguments change or add cells."""
    base = {
        "customer_ref": "R-1",
        "customer_name": "김영희",
        "customer_phone": "010-1234-5678",
        "customer_email": "kim@example.com",
        "occurred_at": "2025-03-03T09:15:00+09:00",
        "agent": "agent_a",
        "channel": "phone",
        "emotion_start": "anger",
        "emotion_end": "neutral",
        "intensity": "4",
        "summary": "배송 지연 항의",
        "is_complaint": "no",
    }
    return base | values


def to_csv(rows, header=COLUMNS, encoding="utf-8-sig", newline="\r\n") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(header)
    for item in rows:
        writer.writerow([item.get(column, "") for column in header])
    return buffer.getvalue().encode(encoding)


def do_import(data: bytes, user=None, dry_run=False, **kwargs):
    return run_import(
        data, filename="test.csv", user=user, source="command", dry_run=dry_run, **kwargs
    )


def counts():
    return (
        Interaction.objects.count(),
        Customer.objects.count(),
        ImportBatch.objects.count(),
        LogEntry.objects.count(),
    )


def messages_of(result):
    return [(e.line, e.column, e.message) for e in result.errors]


# --- Encodings and file-level checks ---------------------------------------------------


def test_decode_reads_utf8_with_and_without_bom_and_cp949():
    text = "customer_name\n김영희\n"
    assert decode(text.encode("utf-8")) == (text, "utf-8")
    assert decode(text.encode("utf-8-sig")) == (text, "utf-8-sig")
    assert decode(text.encode("cp949")) == (text, "cp949")
    assert decode(text.encode("cp949"), "euc-kr") == (text, "cp949")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", imports.ERR_EMPTY),
        (b"\xef\xbb\xbf", imports.ERR_EMPTY),
        (b"  \r\n\r\n", imports.ERR_EMPTY),
        ("customer_name\n김영희\n".encode("utf-16"), imports.ERR_UTF16),
        ("customer_name\nKim\n".encode("utf-16-le"), imports.ERR_UTF16),
        ("customer_name\n".encode("utf-32"), imports.ERR_UTF16),
        (b"PK\x03\x04\x14\x00\x06\x00", imports.ERR_WORKBOOK),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", imports.ERR_WORKBOOK),
    ],
)
def test_unreadable_files_are_refused_with_a_clear_message(data, expected):
    with pytest.raises(ImportFileError) as error:
        decode(data)
    assert str(error.value) == str(expected)


def test_binary_and_nul_bytes_are_refused_with_the_line():
    data = b"customer_name,channel\nKim,phone\nLee\x00,phone\n"
    with pytest.raises(ImportFileError, match="Line 3 holds NUL bytes"):
        decode(data)
    with pytest.raises(ImportFileError, match="NUL bytes"):
        decode(bytes(range(256)) * 4)


def test_undecodable_bytes_name_the_line_and_the_encodings_tried():
    data = b"customer_name\nKim\n\xff\xfe\xfd\xff\n"
    with pytest.raises(ImportFileError, match="Line 3 cannot be read as UTF-8 / CP949"):
        decode(data)
    with pytest.raises(ImportFileError, match="Line 2 cannot be read as UTF-8"):
        decode("customer_name\n김영희\n".encode("cp949"), "utf-8")


def test_an_unknown_encoding_is_refused():
    with pytest.raises(ImportFileError, match="Unknown encoding"):
        decode(b"x", "latin-1")


def test_an_oversized_file_is_refused_before_it_is_read(settings):
    settings.EMOTIONCARE_IMPORT_MAX_BYTES = 1000
    with pytest.raises(ImportFileError, match=r"too large: 1\.2 KB\. The limit is 1000 B"):
        decode(b"x" * 1200)


# --- CSV syntax and the header -----------------------------------------------------------


def test_header_is_case_insensitive_in_any_order_and_optional_columns_may_be_left_out():
    header, records, errors = read_csv(
        " Channel ,EMOTION_START,occurred_at,customer_name\r\nphone,anger,2025-03-03T09:00,Kim\r\n"
    )
    assert header == ["channel", "emotion_start", "occurred_at", "customer_name"]
    assert records == [(2, ["phone", "anger", "2025-03-03T09:00", "Kim"])]
    assert errors == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,channel\nKim,phone\n", "Line 1: unknown column(s) name"),
        ("customer_name,channel,emotion_start\nKim,phone,anger\n", "missing: occurred_at"),
        (
            "customer_name,occurred_at,channel,emotion_start,channel\n",
            "column(s) given twice: channel",
        ),
        ("occurred_at,channel,emotion_start\n2025-03-03T09:00,phone,anger\n", "customer_ref or"),
        ("customer_name;occurred_at;channel;emotion_start\n", "separated by semicolons"),
        ("\n\n", "no header"),
        ("customer_name,occurred_at,channel,emotion_start\n", "a header but no rows"),
    ],
)
def test_a_wrong_header_is_a_clear_error(text, message):
    with pytest.raises(ImportFileError) as error:
        read_csv(text)
    assert message in str(error.value)


def test_bad_quotes_are_reported_with_their_line():
    text = 'customer_name,occurred_at,channel,emotion_start\nKim,x,phone,anger\n"Lee"x,y,z,w\n'
    with pytest.raises(ImportFileError, match="Line 3 is not valid CSV"):
        read_csv(text)
    with pytest.raises(ImportFileError, match="Line 2 is not valid CSV"):
        read_csv('customer_name,occurred_at,channel,emotion_start\n"Kim,x,phone,anger\n')


def test_ragged_rows_are_reported_by_line_and_trailing_empty_cells_ignored():
    text = (
        "customer_name,occurred_at,channel,emotion_start\n"
        "Kim,2025-03-03T09:00,phone,anger\n"
        "Lee,2025-03-03T09:00,phone\n"
        "Park,2025-03-03T09:00,phone,anger,,\n"
        "Choi,2025-03-03T09:00,phone,anger,extra\n"
    )
    _header, records, errors = read_csv(text)
    assert [line for line, _ in records] == [2, 4]
    assert [(e.line, e.message) for e in errors] == [
        (3, "This row has 3 fields; the header has 4."),
        (5, "This row has 5 fields; the header has 4."),
    ]


def test_line_numbers_follow_multi_line_cells_and_skip_blank_lines():
    text = (
        "customer_name,summary,occurred_at,channel,emotion_start\n"
        'Kim,"first line\nsecond line",2025-03-03T09:00,phone,anger\n'
        "\n"
        "Lee,,bad,phone,anger\n"
    )
    _header, records, _errors = read_csv(text)
    assert [line for line, _ in records] == [2, 5]
    assert records[0][1][1] == "first line\nsecond line"


# --- Rows -----------------------------------------------------------------------------------


def test_a_valid_file_imports_with_derived_columns_set(agent, lead):
    result = do_import(to_csv([row(cues="words; tone;words", follow_up_on="2025-03-05")]), lead)
    assert result.ok, result.errors
    item = Interaction.objects.get()
    assert (item.agent, item.customer.name, item.customer.external_ref) == (agent, "김영희", "R-1")
    assert item.occurred_at == datetime(2025, 3, 3, 0, 15, tzinfo=UTC)
    assert (item.start_valence, item.end_valence, item.recovered) == ("negative", "neutral", True)
    assert item.cues == ["words", "tone"]
    assert item.intensity == 4
    assert item.follow_up_on == date(2025, 3, 5)
    assert item.import_batch == result.batch
    assert item.customer.phone_digits == "01012345678"
    assert item.customer.created_by == lead


def test_the_derived_columns_match_what_a_save_computes(agent, lead):
    do_import(to_csv([row(emotion_end=""), row(occurred_at="2025-03-04T10:00:00+09:00")]), lead)
    for item in Interaction.objects.all():
        stored = (item.start_valence, item.end_valence, item.recovered)
        item.refresh_derived()
        assert stored == (item.start_valence, item.end_valence, item.recovered)


def test_korean_text_survives_a_cp949_file(agent, lead):
    data = to_csv([row(summary="고객이 매우 화가 났어요. 환불 요청: 3만 원")], encoding="cp949")
    result = do_import(data, lead)
    assert result.ok and result.encoding == "cp949"
    item = Interaction.objects.get()
    assert item.summary == "고객이 매우 화가 났어요. 환불 요청: 3만 원"
    assert item.customer.name == "김영희"
    assert result.batch.encoding == "cp949"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_utf8_with_and_without_bom_imports(agent, lead, encoding):
    result = do_import(to_csv([row()], encoding=encoding), lead)
    assert result.ok and result.encoding == encoding
    assert Interaction.objects.get().customer.name == "김영희"


def test_formula_prefixed_cells_are_stored_as_plain_text(agent, lead):
    formulas = {
        "customer_name": '=HYPERLINK("http://evil","x")',
        "summary": "+82 said -1 @home",
        "response_text": "@SUM(A1:A2)",
    }
    assert do_import(to_csv([row(**formulas)]), lead).ok
    item = Interaction.objects.select_related("customer").get()
    assert item.customer.name == formulas["customer_name"]
    assert item.summary == formulas["summary"]
    assert item.response_text == formulas["response_text"]


def test_a_time_without_offset_is_read_in_the_local_time_zone(agent, lead):
    result = do_import(to_csv([row(occurred_at="2025-03-03 09:15")]), lead)
    assert result.ok and result.local_times == 1
    assert Interaction.objects.get().occurred_at == datetime(2025, 3, 3, 0, 15, tzinfo=UTC)


INVALID_DATES = [
    ("2025-03-03", "is not a date and time"),
    ("03/03/2025 09:15", "is not a date and time"),
    ("2025-02-30T09:00:00+09:00", "is not a date and time"),
    ("yesterday", "is not a date and time"),
    ("0999-01-01T00:00:00+00:00", "before 1900"),
    ((timezone.now() + timedelta(days=1)).isoformat(), "cannot be in the future"),
    ("", "Required."),
]


def test_invalid_dates_are_reported_by_line(agent, lead):
    rows = [
        row(customer_ref=f"R-{n}", occurred_at=value)
        for n, (value, _message) in enumerate(INVALID_DATES)
    ]
    result = do_import(to_csv(rows), lead)
    assert [(e.line, e.column) for e in result.errors] == [
        (line, "occurred_at") for line in range(2, 2 + len(INVALID_DATES))
    ]
    for error, (_value, message) in zip(result.errors, INVALID_DATES, strict=True):
        assert message in error.message


# (column, bad value, what the message says): one bad cell per row.
BAD_CELLS = [
    ("channel", "fax", "Unknown code “fax”"),
    ("emotion_start", "furious", "Unknown code “furious”"),
    ("emotion_end", "ANGRY", "Unknown code “angry”"),
    ("touchpoint", "moon", "Unknown code"),
    ("cues", "words;smell", "Unknown code “smell”"),
    ("complaint_status", "closed", "Unknown code"),
    ("outcome", "happy", "Unknown code"),
    ("response_template", "no_such_template", "Unknown code"),
    ("agent", "ghost", "No user is called “ghost”."),
    ("intensity", "6", "between 1 and 5"),
    ("intensity", "three", "between 1 and 5"),
    ("is_complaint", "maybe", "is not yes or no"),
    ("follow_up_on", "next week", "is not a date"),
    ("follow_up_on", "2025-03-01", "cannot be before the interaction"),
    ("customer_phone", "call me", "Enter a phone number"),
    ("customer_email", "not-an-email", "valid e-mail"),
    ("customer_name", "x" * 121, "Too long: 121 characters, at most 120."),
    ("customer_ref", "r" * 65, "at most 64"),
    ("summary", "x" * 4001, "at most 4000"),
    ("summary", "bell\x07", "control characters"),
    ("channel", "", "Required."),
]


def test_bad_cells_are_reported_by_line_column_and_reason(agent, lead):
    rows = [row()]  # line 2 is good
    for n, (column, value, _message) in enumerate(BAD_CELLS):
        cells = {"customer_ref": f"R-{n + 10}", "occurred_at": "2025-03-04T09:00:00+09:00"}
        rows.append(row(**(cells | {column: value})))
    result = do_import(to_csv(rows), lead)
    assert [(e.line, e.column) for e in result.errors] == [
        (line, column) for line, (column, _v, _m) in enumerate(BAD_CELLS, start=3)
    ]
    for error, (_column, _value, message) in zip(result.errors, BAD_CELLS, strict=True):
        assert message in error.message, (error, message)
    assert Interaction.objects.count() == Customer.objects.count() == 0


def test_codes_and_booleans_are_read_leniently(agent, lead):
    data = to_csv([row(channel=" Phone ", emotion_start="ANGER", is_complaint="TRUE")])
    result = do_import(data, lead)
    assert result.ok, result.errors
    item = Interaction.objects.get()
    assert (item.channel.code, item.is_complaint, item.complaint_status) == ("phone", True, "open")


def test_complaint_status_and_resolution_time_follow_the_complaint(agent, lead):
    good = row(
        is_complaint="yes",
        complaint_status="resolved",
        resolved_at="2025-03-03T12:00:00+09:00",
    )
    bad = [
        row(occurred_at="2025-03-04T09:00:00+09:00", is_complaint="no", complaint_status="open"),
        row(
            occurred_at="2025-03-05T09:00:00+09:00",
            is_complaint="yes",
            complaint_status="open",
            resolved_at="2025-03-05T12:00:00+09:00",
        ),
        row(
            occurred_at="2025-03-06T09:00:00+09:00",
            is_complaint="yes",
            complaint_status="resolved",
            resolved_at="2025-03-06T08:00:00+09:00",
        ),
    ]
    result = do_import(to_csv([good, *bad]), lead)
    assert [(e.line, e.column) for e in result.errors] == [
        (3, "complaint_status"),
        (4, "resolved_at"),
        (5, "resolved_at"),
    ]
    assert do_import(to_csv([good]), lead).ok
    item = Interaction.objects.get()
    assert item.complaint_status == "resolved"
    assert item.resolved_at == datetime(2025, 3, 3, 3, 0, tzinfo=UTC)


def test_a_template_code_picks_the_language_of_the_response(agent, lead):
    rows = [
        row(response_template="apology_and_reservice", response_text="정말 죄송합니다."),
        row(
            occurred_at="2025-03-04T09:00:00+09:00",
            response_template="apology_and_reservice",
            response_text="We are so sorry.",
        ),
        row(occurred_at="2025-03-05T09:00:00+09:00", response_template="apology_and_reservice:ko"),
    ]
    assert do_import(to_csv(rows), lead).ok
    languages = [i.response_template.language for i in Interaction.objects.order_by("occurred_at")]
    assert languages == ["ko", "en", "ko"]
    assert ResponseTemplate.objects.filter(code="apology_and_reservice").count() == 2


def test_phrase_warnings_are_stored_as_the_save_path_would(agent, lead):
    text = "I don't know, sorry."
    assert do_import(to_csv([row(response_text=text)]), lead).ok
    item = Interaction.objects.get()
    from interactions.phrase_guide import check_text, hits_for_storage

    assert item.phrase_warnings == hits_for_storage(check_text(text))
    assert item.phrase_warnings and item.phrase_warnings[0]["code"] == "dont_know"


def test_rows_without_an_agent_are_the_importing_users_or_an_error(agent, lead):
    assert do_import(to_csv([row(agent="")]), lead).ok
    assert Interaction.objects.get().agent == lead
    result = do_import(to_csv([row(agent="", occurred_at="2025-03-04T09:00:00+09:00")]), None)
    assert messages_of(result) == [(2, "agent", str(imports.ERR_NO_AGENT))]


# --- Customers -------------------------------------------------------------------------------


def test_customers_are_matched_by_reference_or_created_once_per_new_reference(agent, lead):
    existing = CustomerFactory(name="Existing", external_ref="R-OLD", phone="010-0000-0000")
    rows = [
        row(customer_ref="R-OLD", customer_name="Other name", customer_phone=""),
        row(customer_ref="R-NEW", customer_name="New One"),
        row(customer_ref="R-NEW", customer_name="", occurred_at="2025-03-04T09:00:00+09:00"),
        row(customer_ref="R-NEW", customer_name="New One", occurred_at="2025-03-05T09:00:00+09:00"),
        row(customer_ref="", customer_name="No Ref", customer_phone="010-9999-0000"),
        row(
            customer_ref="",
            customer_name="No Ref",
            customer_phone="010 9999 0000",
            occurred_at="2025-03-04T09:00:00+09:00",
        ),
    ]
    dry = do_import(to_csv(rows), lead, dry_run=True)
    assert (dry.rows, dry.customers_created, dry.customers_matched) == (6, 2, 1)
    result = do_import(to_csv(rows), lead)
    assert result.ok, result.errors
    existing.refresh_from_db()
    assert existing.name == "Existing"  # an existing customer is not changed
    assert existing.interactions.count() == 1
    assert Customer.objects.get(external_ref="R-NEW").interactions.count() == 3
    assert Customer.objects.get(name="No Ref").interactions.count() == 2
    assert result.batch.customers_created == 2


def test_conflicting_details_for_one_new_customer_are_an_error(agent, lead):
    rows = [
        row(customer_ref="R-NEW", customer_name="New One"),
        row(customer_ref="R-NEW", customer_name="Someone Else", occurred_at="2025-03-04T09:00"),
    ]
    result = do_import(to_csv(rows), lead)
    assert [(e.line, e.column) for e in result.errors] == [(3, "customer_name")]
    assert "line 2" in result.errors[0].message


def test_a_new_reference_needs_a_name_and_an_erased_customer_is_not_reused(agent, lead):
    CustomerFactory(name="Erased", external_ref="R-GONE", erased_at=timezone.now())
    rows = [row(customer_ref="R-NEW", customer_name=""), row(customer_ref="R-GONE")]
    result = do_import(to_csv(rows), lead)
    assert [(e.line, e.column) for e in result.errors] == [
        (2, "customer_name"),
        (3, "customer_ref"),
    ]


# --- All or nothing, dry run, the batch ----------------------------------------------------


def test_one_bad_row_among_good_ones_writes_nothing_not_even_customers(agent, lead):
    good = [row(customer_ref=f"R-{n}", occurred_at=f"2025-03-0{n}T09:00:00+09:00") for n in (1, 2)]
    bad = row(customer_ref="R-3", channel="fax")
    before = counts()
    result = do_import(to_csv([*good, bad]), lead)
    assert not result.ok
    assert [(e.line, e.column) for e in result.errors] == [(4, "channel")]
    assert counts() == before


def stored():
    return (Interaction.objects.count(), Customer.objects.count(), ImportBatch.objects.count())


def test_a_reference_taken_between_check_and_write_leaves_nothing(agent, lead):
    def taken_meanwhile(plan):
        Customer.objects.create(name="Quick", external_ref="R-2")

    with mock.patch.object(imports, "_check_duplicates", side_effect=taken_meanwhile):
        result = do_import(to_csv([row(), row(customer_ref="R-2")]), lead)
    assert result.file_error.startswith("The data changed while importing")
    assert stored() == (0, 1, 0)  # only the customer created meanwhile


def test_an_agent_deleted_between_check_and_write_leaves_nothing(agent, lead):
    def deleted_meanwhile(plan):
        agent.delete()

    with mock.patch.object(imports, "_check_duplicates", side_effect=deleted_meanwhile):
        result = do_import(to_csv([row()]), lead)
    assert result.file_error.startswith("The data changed while importing")
    assert stored() == (0, 0, 0)


def test_a_dry_run_reports_and_writes_nothing(agent, lead):
    before = counts()
    result = do_import(to_csv([row(), row(customer_ref="R-2")]), lead, dry_run=True)
    assert result.ok and result.batch is None
    assert (result.rows, result.customers_created) == (2, 2)
    assert result.first_at == datetime(2025, 3, 3, 9, 15, tzinfo=SEOUL)
    assert counts() == before


def test_the_batch_is_one_audit_entry_and_the_rows_none(agent, lead):
    rows = [row(customer_ref=f"R-{n}", occurred_at=f"2025-03-0{n}T09:00:00+09:00") for n in (1, 2)]
    before = LogEntry.objects.count()
    result = do_import(to_csv(rows), lead)
    assert LogEntry.objects.count() == before + 1
    entry = LogEntry.objects.get_for_object(result.batch).get()
    assert entry.action == LogEntry.Action.CREATE
    batch = result.batch
    assert (batch.created_by, batch.filename, batch.rows, batch.customers_created) == (
        lead,
        "test.csv",
        2,
        2,
    )
    assert batch.source == ImportBatch.Source.COMMAND
    assert batch.encoding == "utf-8-sig"


def test_importing_the_same_rows_twice_is_refused(agent, lead):
    data = to_csv([row()])
    first = do_import(data, lead)
    assert first.ok
    second = do_import(data, lead)
    assert [(e.line, e.column) for e in second.errors] == [(2, "occurred_at")]
    assert "Already stored" in second.errors[0].message
    assert Interaction.objects.count() == 1


# --- Derived data ---------------------------------------------------------------------------


def test_last_contact_and_archetypes_are_refreshed_for_touched_customers(agent, lead):
    customer = CustomerFactory(external_ref="R-1")
    InteractionFactory(customer=customer, agent=agent, occurred_at=timezone.now() - timedelta(1))
    untouched = CustomerFactory(external_ref="R-X")
    # Five contacts, all negative despite a response: the rules call it an active hater.
    rows = [
        row(
            occurred_at=f"2025-03-0{n}T09:00:00+09:00",
            emotion_start="anger",
            emotion_end="anger",
            response_text="We are sorry.",
            customer_ref="R-NEW",
            customer_name="New",
        )
        for n in range(1, 7)
    ]
    rows.append(row(occurred_at="2025-03-01T09:00:00+09:00"))  # older than R-1's last contact
    assert do_import(to_csv(rows), lead).ok
    new = Customer.objects.get(external_ref="R-NEW")
    assert new.last_contact_at == datetime(2025, 3, 6, 0, 0, tzinfo=UTC)
    assert new.suggested_archetype == new.archetype == "active_hater"
    assert new.archetype_source == Customer.ArchetypeSource.SUGGESTED
    assert ArchetypeChange.objects.filter(customer=new).count() == 1
    customer.refresh_from_db()
    assert customer.last_contact_at > datetime(2025, 3, 2, tzinfo=UTC)  # the newest stays
    assert customer.archetype_basis  # recomputed
    untouched.refresh_from_db()
    assert untouched.last_contact_at is None and untouched.archetype_basis == {}


def test_refresh_after_import_is_the_single_place_for_derived_data(agent, lead):
    with mock.patch.object(imports, "refresh_after_import") as refresh:
        result = do_import(to_csv([row()]), lead)
    refresh.assert_called_once()
    batch, customer_ids = refresh.call_args.args
    assert batch == result.batch
    assert set(customer_ids) == {Customer.objects.get(external_ref="R-1").pk}


# --- The sample and the column descriptions ----------------------------------------------------


def test_the_sample_file_imports_cleanly(lead):
    data = ("\ufeff" + imports.sample_csv(agent="lead")).encode("utf-8")
    result = do_import(data, lead)
    assert result.ok, result.errors
    assert result.rows == len(imports.SAMPLE_ROWS)
    names = set(Customer.objects.values_list("name", flat=True))
    assert {"김민준", "Emily Carter"} <= names


def test_column_descriptions_list_the_codes_of_the_reference_data(reference):
    columns = {c["name"]: c for c in imports.describe_columns()}
    assert list(columns) == list(COLUMNS)
    assert "in_person" in columns["channel"]["help"]
    assert "anger" in columns["emotion_start"]["help"]
    assert "Asia/Seoul" in columns["occurred_at"]["help"]
    assert columns["occurred_at"]["required"] and not columns["summary"]["required"]


# --- The command --------------------------------------------------------------------------------


def write_file(tmp_path, data: bytes, name="import.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_the_command_imports_and_reports(tmp_path, agent, lead):
    path = write_file(tmp_path, to_csv([row(), row(customer_ref="R-2")]))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_interactions", path, "--user", "lead", stdout=out, stderr=err)
    assert "Imported 2 interactions (utf-8-sig)" in out.getvalue()
    assert "2 new customers, 0 existing customers" in out.getvalue()
    assert "Import batch #" in out.getvalue()
    batch = ImportBatch.objects.get()
    assert (batch.source, batch.created_by, batch.filename) == ("command", lead, "import.csv")
    assert LogEntry.objects.get_for_object(batch).get().actor == lead


def test_the_command_dry_run_writes_nothing(tmp_path, agent, lead):
    path = write_file(tmp_path, to_csv([row(occurred_at="2025-03-03 09:15")]))
    out = io.StringIO()
    before = counts()
    call_command("import_interactions", path, "--dry-run", stdout=out)
    assert "Would import 1 interactions" in out.getvalue()
    assert "1 times had no offset and were read as local time (Asia/Seoul)" in out.getvalue()
    assert "Dry run: nothing was written." in out.getvalue()
    assert counts() == before


def test_the_command_lists_every_bad_row_and_fails(tmp_path, agent, settings):
    rows = [row(customer_ref=f"R-{n}", channel="fax") for n in range(150)]
    path = write_file(tmp_path, to_csv(rows))
    err = io.StringIO()
    with pytest.raises(CommandError, match="150 problem"):
        call_command("import_interactions", path, stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) == 150
    assert lines[0].startswith("line 2, channel: Unknown code “fax”")
    assert Interaction.objects.count() == 0


def test_the_command_refuses_bad_files_and_users(tmp_path, reference, settings):
    with pytest.raises(CommandError, match="UTF-16"):
        call_command("import_interactions", write_file(tmp_path, "a,b\n".encode("utf-16")))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_interactions", str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="No user is called 'ghost'"):
        call_command("import_interactions", write_file(tmp_path, b"x"), "--user", "ghost")
    settings.EMOTIONCARE_IMPORT_MAX_BYTES = 10
    with pytest.raises(CommandError, match="too large"):
        call_command("import_interactions", write_file(tmp_path, b"x" * 20))


def test_the_command_reads_a_cp949_file_when_told(tmp_path, agent, lead):
    path = write_file(tmp_path, to_csv([row()], encoding="cp949"))
    out = io.StringIO()
    call_command("import_interactions", path, "--user", "lead", "--encoding", "cp949", stdout=out)
    assert "(cp949)" in out.getvalue()
    assert Customer.objects.get().name == "김영희"
