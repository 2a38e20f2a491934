"""CSV import of historical interactions (docs/import.md).

The page (import_views.py) and `manage.py import_interactions` both call `run_import`,
which chains small steps, each testable without HTTP:

- `decode(data, encoding)`: file-level checks (empty, too large, binary, UTF-16) and the
  encoding (UTF-8 with or without BOM, then CP949, the default of Korean Excel);
- `read_csv(text)`: the header and the CSV syntax (bad quotes, NUL bytes, ragged rows);
- `validate(columns, records, ...)`: every row checked against the reference data and
  the model's rules, with the codes, users and existing customers read in a few queries;
  nothing is written, every bad cell is reported by line, column and reason;
- `write(plan, ...)`: one `ImportBatch` (the batch's single audit entry), the new
  customers and the interactions in bulk, with the derived columns set as
  `Interaction.refresh_derived` and the phrase check on save would set them;
- `refresh_after_import(batch, customer_ids)`: the one place that brings derived data
  (last contact, archetypes) up to date afterwards.

All or nothing: `run_import` validates every row first and writes in one transaction.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import bulk
from .forms import (
    EARLIEST_YEAR,
    ERR_FOLLOW_UP_BEFORE,
    ERR_IN_FUTURE,
    ERR_PHONE,
    ERR_TOO_OLD,
    FUTURE_TOLERANCE,
    phone_validator,
)
from .models import (
    NAME_MAX,
    TEXT_MAX,
    Channel,
    ComplaintStatus,
    Cue,
    Customer,
    Emotion,
    ImportBatch,
    Interaction,
    Outcome,
    ResponseTemplate,
    Touchpoint,
    compute_recovered,
)

# --- The file format ------------------------------------------------------------------

# Every column the import reads, in the order of the sample file. A file may leave out
# optional columns and order them as it likes; it may not add others.
COLUMNS = (
    "customer_ref",
    "customer_name",
    "customer_phone",
    "customer_email",
    "occurred_at",
    "agent",
    "channel",
    "touchpoint",
    "emotion_start",
    "emotion_end",
    "intensity",
    "cues",
    "summary",
    "is_complaint",
    "complaint_status",
    "resolved_at",
    "response_template",
    "response_text",
    "outcome",
    "follow_up_on",
)
REQUIRED_COLUMNS = ("occurred_at", "channel", "emotion_start")
CUSTOMER_COLUMNS = ("customer_ref", "customer_name")  # at least one of them

REF_MAX = Customer._meta.get_field("external_ref").max_length
PHONE_MAX = Customer._meta.get_field("phone").max_length
EMAIL_MAX = Customer._meta.get_field("email").max_length
DEFAULT_INTENSITY = Interaction._meta.get_field("intensity").default

TRUE_WORDS = {"yes", "y", "true", "t", "1", "예", "네"}
FALSE_WORDS = {"no", "n", "false", "f", "0", "아니오", "아니요", ""}
CUE_SEPARATORS = re.compile(r"[;,\s]+")
PHONE_RE = phone_validator.regex
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
HANGUL = re.compile(r"[\uac00-\ud7a3]")

ENCODINGS = ("auto", "utf-8", "cp949")
ENCODING_ALIASES = {"utf8": "utf-8", "utf-8-sig": "utf-8", "euc-kr": "cp949", "euckr": "cp949"}
WRITE_BATCH = 1000

# What each column holds: shown on the import page and in docs/import.md.
COLUMN_HELP = {
    "customer_ref": _(
        "The customer's reference in your CRM (up to 64 characters). An existing customer "
        "with this reference is used as they are; otherwise one new customer is created "
        "for all rows with this reference."
    ),
    "customer_name": _(
        "The customer's name (up to 120 characters). Needed for a new customer; ignored for "
        "an existing one."
    ),
    "customer_phone": _("A new customer's phone: digits, spaces, +, - and brackets."),
    "customer_email": _("A new customer's e-mail address."),
    "occurred_at": _(
        "When it happened, ISO 8601: 2025-03-14T09:30:00+09:00. A time without an offset "
        "(2025-03-14 09:30) is read as local time in %(zone)s. Not in the future."
    ),
    "agent": _("The user name of the agent who handled it. Empty: the person importing the file."),
    "channel": _("Channel code: %(codes)s."),
    "touchpoint": _("Touchpoint code, or empty: %(codes)s."),
    "emotion_start": _("Emotion code at the start: %(codes)s."),
    "emotion_end": _("Emotion code at the end, or empty when not known."),
    "intensity": _("1 to 5; empty means 3."),
    "cues": _("Cue codes separated by ; (%(codes)s), or empty."),
    "summary": _("Free text, up to 4,000 characters."),
    "is_complaint": _("yes or no (also true/false, 1/0, 예/아니요); empty means no."),
    "complaint_status": _(
        "For a complaint: %(codes)s; empty means open. Must be empty for other contacts."
    ),
    "resolved_at": _(
        "For a resolved complaint, when it was resolved (like occurred_at), or empty when "
        "not known."
    ),
    "response_template": _(
        "The code of the response template used, or empty. A code with both languages picks "
        "the Korean one for a Korean response text and the English one otherwise; write "
        "code:ko or code:en to choose."
    ),
    "response_text": _("The response given, up to 4,000 characters."),
    "outcome": _("Outcome code, or empty: %(codes)s."),
    "follow_up_on": _("Follow-up date, YYYY-MM-DD, or empty. Not before the interaction."),
}

# --- Messages ----------------------------------------------------------------------------

ERR_EMPTY = _("The file is empty.")
ERR_TOO_LARGE = _(
    "The file is too large: %(size)s. The limit is %(limit)s; split it into smaller files."
)
ERR_UTF16 = _(
    "The file is in UTF-16, which the import does not read. Save it as “CSV UTF-8” "
    "(or as CSV in Korean Excel) and try again."
)
ERR_WORKBOOK = _("This is an Excel workbook, not a CSV file. Save it as “CSV UTF-8” and try again.")
ERR_BINARY = _("Line %(line)d holds NUL bytes: this is not a text CSV file.")
ERR_ENCODING = _(
    "Line %(line)d cannot be read as %(encodings)s. Save the file as “CSV UTF-8” and try again."
)
ERR_UNKNOWN_ENCODING = _("Unknown encoding “%(encoding)s”; use one of: %(choices)s.")
ERR_MALFORMED = _("Line %(line)d is not valid CSV (%(detail)s). Check the quotes on that line.")
ERR_NO_HEADER = _("The file has no header line.")
ERR_NO_ROWS = _("The file has a header but no rows.")
ERR_UNKNOWN_COLUMNS = _("Line 1: unknown column(s) %(columns)s. The columns are: %(expected)s.")
ERR_MISSING_COLUMNS = _("Line 1: required column(s) missing: %(columns)s.")
ERR_DUPLICATE_COLUMNS = _("Line 1: column(s) given twice: %(columns)s.")
ERR_NO_CUSTOMER_COLUMN = _("Line 1: the file needs a customer_ref or a customer_name column.")
ERR_SEMICOLONS = _(
    "Line 1: the columns look separated by semicolons; the import reads comma-separated files."
)
ERR_FIELD_COUNT = _("This row has %(found)d fields; the header has %(expected)d.")
ERR_REQUIRED = _("Required.")
ERR_TOO_LONG = _("Too long: %(length)d characters, at most %(limit)d.")
ERR_CONTROL = _("Contains control characters.")
ERR_UNKNOWN_CODE = _("Unknown code “%(value)s”. Known: %(codes)s.")
ERR_UNKNOWN_AGENT = _("No user is called “%(value)s”.")
ERR_NO_AGENT = _("Give the agent's user name (no importing user to default to).")
ERR_DATETIME = _(
    "“%(value)s” is not a date and time. Write ISO 8601, e.g. 2025-03-14T09:30:00+09:00."
)
ERR_DATE = _("“%(value)s” is not a date. Write YYYY-MM-DD, e.g. 2025-03-20.")
ERR_INTENSITY = _("Intensity must be between 1 and 5.")
ERR_BOOLEAN = _("“%(value)s” is not yes or no.")
ERR_STATUS_NOT_COMPLAINT = _("A complaint status needs is_complaint = yes.")
ERR_RESOLVED_AT_STATUS = _("A resolution time needs complaint_status = resolved.")
ERR_RESOLVED_BEFORE = _("The resolution cannot be before the interaction.")
ERR_EMAIL = _("Enter a valid e-mail address.")
ERR_NEW_CUSTOMER_NAME = _("A new customer needs a name (no customer with this reference yet).")
ERR_NO_CUSTOMER = _("Give a customer_ref or a customer_name.")
ERR_CUSTOMER_ERASED = _("This customer's data was erased; their reference cannot be reused.")
ERR_CUSTOMER_CONFLICT = _(
    "Differs from line %(line)d, which gives this new customer's details. Leave it empty "
    "or repeat the same value."
)
ERR_TEMPLATE_LANGUAGE = _("Template “%(value)s” has no %(language)s version.")
ERR_DUPLICATE = _(
    "Already stored: interaction #%(id)d has the same customer, time and channel. Was this "
    "file imported before?"
)
ERR_CONFLICT = _("The data changed while importing (%(detail)s). Nothing was imported; try again.")


class ImportFileError(Exception):
    """The file as a whole cannot be read: nothing of it is checked further."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class RowError:
    line: int
    column: str  # empty for the row as a whole
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class NewCustomer:
    line: int
    name: str
    phone: str
    email: str
    external_ref: str


@dataclass
class Plan:
    """What a valid file would write: the rows as plain values, the customers to create."""

    encoding: str = ""
    rows: list[tuple] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # the line of each row
    errors: list[RowError] = field(default_factory=list)
    new_customers: dict[tuple, NewCustomer] = field(default_factory=dict)
    matched_customers: set[int] = field(default_factory=set)
    local_times: int = 0  # times without an offset, read in TIME_ZONE
    first_at: datetime | None = None
    last_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


@dataclass
class ImportResult:
    """What the page and the command report."""

    dry_run: bool
    filename: str = ""
    encoding: str = ""
    file_error: str = ""
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    customers_created: int = 0
    customers_matched: int = 0
    local_times: int = 0
    first_at: datetime | None = None
    last_at: datetime | None = None
    batch: ImportBatch | None = None

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.errors


# --- Step 1: bytes to text -----------------------------------------------------------


def human_size(size: int) -> str:
    """1.5 MB, 64 MB, 1.2 KB, 900 B."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} B"


def check_size(size: int) -> None:
    limit = settings.EMOTIONCARE_IMPORT_MAX_BYTES
    if size > limit:
        raise ImportFileError(
            ERR_TOO_LARGE % {"size": human_size(size), "limit": human_size(limit)}
        )


def normalise_encoding(encoding: str | None) -> str:
    name = (encoding or "auto").strip().lower().replace("_", "-")
    name = ENCODING_ALIASES.get(name, name)
    if name not in ENCODINGS:
        raise ImportFileError(
            ERR_UNKNOWN_ENCODING % {"encoding": encoding, "choices": ", ".join(ENCODINGS)}
        )
    return name


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes, encoding: str = "auto") -> tuple[str, str]:
    """The file's text and the encoding it was read with ("utf-8-sig" when it starts with
    a byte order mark, "utf-8" or "cp949"). Raises ImportFileError for an empty, oversized,
    UTF-16 or binary file, or one that the encoding(s) cannot read."""
    encoding = normalise_encoding(encoding)
    check_size(len(data))
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise ImportFileError(ERR_UTF16)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError(ERR_UTF16)
    if not data.removeprefix(codecs.BOM_UTF8).strip():
        raise ImportFileError(ERR_EMPTY)
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(ERR_WORKBOOK)
    nul = data.find(b"\x00")
    if nul >= 0:
        head = data[:200]
        if head.count(b"\x00") * 3 >= len(head):  # every other byte: UTF-16 without a BOM
            raise ImportFileError(ERR_UTF16)
        raise ImportFileError(ERR_BINARY % {"line": _line_of(data, nul)})
    candidates = ("utf-8", "cp949") if encoding == "auto" else (encoding,)
    first_failure = None
    for candidate in candidates:
        try:
            if candidate == "utf-8":
                bom = data.startswith(codecs.BOM_UTF8)
                return data.decode("utf-8-sig"), "utf-8-sig" if bom else "utf-8"
            return data.decode(candidate), candidate
        except UnicodeDecodeError as error:
            first_failure = first_failure or error
    raise ImportFileError(
        ERR_ENCODING
        % {
            "line": _line_of(data, first_failure.start),
            "encodings": " / ".join("UTF-8" if c == "utf-8" else "CP949" for c in candidates),
        }
    )


# --- Step 2: text to records ---------------------------------------------------------


def _header_name(cell: str) -> str:
    return cell.strip().lstrip("\ufeff").strip().lower()


def read_csv(text: str) -> tuple[list[str], list[tuple[int, list[str]]], list[RowError]]:
    """The header (canonical column names in file order), the data records with the line
    each starts on, and the rows whose field count does not match the header. Blank lines
    are skipped; empty cells after the last column are ignored."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    errors: list[RowError] = []
    header: list[str] | None = None
    width = 0
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise ImportFileError(ERR_MALFORMED % {"line": start, "detail": error}) from error
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header = _check_header(record)
            width = len(header)
            continue
        if len(record) > width and not any(cell.strip() for cell in record[width:]):
            record = record[:width]
        if len(record) != width:
            errors.append(
                RowError(start, "", ERR_FIELD_COUNT % {"found": len(record), "expected": width})
            )
            continue
        records.append((start, record))
    if header is None:
        raise ImportFileError(ERR_NO_HEADER)
    if not records and not errors:
        raise ImportFileError(ERR_NO_ROWS)
    return header, records, errors


def _check_header(record: list[str]) -> list[str]:
    names = [_header_name(cell) for cell in record]
    while names and not names[-1]:  # trailing empty header cells (a stray comma)
        names.pop()
    if len(names) == 1 and ";" in names[0]:
        raise ImportFileError(ERR_SEMICOLONS)
    unknown = [name or '""' for name in names if name not in COLUMNS]
    if unknown:
        raise ImportFileError(
            ERR_UNKNOWN_COLUMNS
            % {"columns": ", ".join(unknown[:10]), "expected": ", ".join(COLUMNS)}
        )
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ImportFileError(ERR_DUPLICATE_COLUMNS % {"columns": ", ".join(duplicates)})
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        raise ImportFileError(ERR_MISSING_COLUMNS % {"columns": ", ".join(missing)})
    if not any(name in names for name in CUSTOMER_COLUMNS):
        raise ImportFileError(ERR_NO_CUSTOMER_COLUMN)
    return names


# --- Step 3: validate ------------------------------------------------------------------


@dataclass
class Lookups:
    """The reference data and the users and customers a file names, read once."""

    emotions: dict[str, int]
    channels: dict[str, int]
    touchpoints: dict[str, int]
    templates: dict[str, dict[str, int]]  # code -> {language: id}
    users: dict[str, int]  # username -> id
    customers: dict[str, tuple[int, bool]]  # external_ref -> (id, erased)

    @classmethod
    def load(cls, *, usernames: Iterable[str], refs: Iterable[str], chunk: int = 5000) -> Lookups:
        templates: dict[str, dict[str, int]] = {}
        rows = ResponseTemplate.objects.filter(code__isnull=False, owner__isnull=True)
        for code, language, pk in rows.order_by("id").values_list("code", "language", "id"):
            templates.setdefault(code.lower(), {}).setdefault(language, pk)
        users = dict(
            get_user_model()
            .objects.filter(username__in=set(usernames))
            .values_list("username", "id")
        )
        refs = sorted(set(refs))
        customers: dict[str, tuple[int, bool]] = {}
        for start in range(0, len(refs), chunk):
            found = Customer.objects.filter(external_ref__in=refs[start : start + chunk])
            for ref, pk, erased_at in found.values_list("external_ref", "id", "erased_at"):
                customers[ref] = (pk, erased_at is not None)
        return cls(
            emotions={c.lower(): pk for c, pk in Emotion.objects.values_list("code", "id")},
            channels={c.lower(): pk for c, pk in Channel.objects.values_list("code", "id")},
            touchpoints={c.lower(): pk for c, pk in Touchpoint.objects.values_list("code", "id")},
            templates=templates,
            users=users,
            customers=customers,
        )


def _known(codes: Iterable[str]) -> str:
    return ", ".join(sorted(codes))


def parse_datetime(value: str, zone) -> tuple[datetime, bool]:
    """An ISO 8601 date and time; one without an offset is read in `zone`. Returns the
    aware datetime and whether it was local. Raises ValueError."""
    text = value.strip()
    if len(text) <= 10:  # a date alone: the time of day matters here
        raise ValueError(text)
    parsed = datetime.fromisoformat(text)
    if parsed.year < EARLIEST_YEAR:
        raise OverflowError(text)
    if timezone.is_naive(parsed):
        return timezone.make_aware(parsed, zone), True
    return parsed, False


def _boolean(value: str) -> bool | None:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


class _Row:
    """One record's cells by column name, with the errors found in it."""

    __slots__ = ("line", "cells", "errors", "controls")

    def __init__(self, line: int, cells: dict[str, str], errors: list[RowError], controls: bool):
        self.line, self.cells, self.errors = line, cells, errors
        self.controls = controls  # whether the record holds control characters at all

    def error(self, column: str, message) -> None:
        self.errors.append(RowError(self.line, column, str(message)))

    def text(self, column: str, limit: int | None = None) -> str:
        value = self.cells.get(column, "").strip()
        if limit is not None and len(value) > limit:
            self.error(column, ERR_TOO_LONG % {"length": len(value), "limit": limit})
        if self.controls and CONTROL_CHARS.search(value):
            self.error(column, ERR_CONTROL)
        return value

    def code(self, column: str, known: dict, *, required: bool = False):
        value = self.text(column).lower()
        if not value:
            if required:
                self.error(column, ERR_REQUIRED)
            return None
        if value not in known:
            self.error(column, ERR_UNKNOWN_CODE % {"value": value[:40], "codes": _known(known)})
            return None
        return known[value]


def validate(
    header: list[str],
    records: list[tuple[int, list[str]]],
    *,
    default_agent=None,
    now: datetime | None = None,
    errors: list[RowError] | None = None,
) -> Plan:
    """Check every record; return the plan of what would be written and every error.
    Reads the reference data, the named users and the existing customers in a few
    queries; writes nothing."""
    now = now or timezone.now()
    zone = timezone.get_current_timezone()
    plan = Plan(errors=list(errors or []))
    positions = {name: index for index, name in enumerate(header)}

    def column_values(name):
        index = positions.get(name)
        if index is None:
            return []
        return [record[index].strip() for _line, record in records if record[index].strip()]

    ref = Lookups.load(usernames=column_values("agent"), refs=column_values("customer_ref"))
    statuses = {s: s for s in ComplaintStatus.values}
    outcomes = {o: o for o in Outcome.values}
    cue_codes = set(Cue.values)
    default_agent_id = getattr(default_agent, "pk", None)
    customer_keys: dict[tuple, NewCustomer] = plan.new_customers
    email_validator = EmailValidator()

    for line, record in records:
        cells = dict(zip(header, record, strict=True))
        controls = CONTROL_CHARS.search("".join(record)) is not None
        row = _Row(line, cells, plan.errors, controls)
        errors_before = len(plan.errors)

        customer_key = _customer(row, ref, customer_keys, email_validator, plan)

        username = row.text("agent")
        agent_id = default_agent_id
        if username:
            agent_id = ref.users.get(username)
            if agent_id is None:
                row.error("agent", ERR_UNKNOWN_AGENT % {"value": username[:60]})
        elif agent_id is None:
            row.error("agent", ERR_NO_AGENT)

        occurred_at = _when(row, "occurred_at", zone, now, plan, required=True)

        channel_id = row.code("channel", ref.channels, required=True)
        touchpoint_id = row.code("touchpoint", ref.touchpoints)
        start_id = row.code("emotion_start", ref.emotions, required=True)
        end_id = row.code("emotion_end", ref.emotions)

        intensity = DEFAULT_INTENSITY
        raw = row.text("intensity")
        if raw:
            try:
                intensity = int(raw)
            except ValueError:
                intensity = 0
            if not 1 <= intensity <= 5:
                row.error("intensity", ERR_INTENSITY)

        cues = []
        for cue in CUE_SEPARATORS.split(row.text("cues").lower()):
            if cue and cue not in cue_codes:
                row.error(
                    "cues", ERR_UNKNOWN_CODE % {"value": cue[:40], "codes": _known(cue_codes)}
                )
            elif cue and cue not in cues:
                cues.append(cue)

        summary = row.text("summary", TEXT_MAX)
        response_text = row.text("response_text", TEXT_MAX)

        is_complaint = _boolean(row.text("is_complaint"))
        if is_complaint is None:
            row.error("is_complaint", ERR_BOOLEAN % {"value": row.cells["is_complaint"][:20]})
            is_complaint = False
        status = row.code("complaint_status", statuses) or ""
        if status and not is_complaint:
            row.error("complaint_status", ERR_STATUS_NOT_COMPLAINT)
        if is_complaint and not status:
            status = ComplaintStatus.OPEN.value
        resolved_at = _when(row, "resolved_at", zone, now, plan)
        if resolved_at is not None:
            if status != ComplaintStatus.RESOLVED:
                row.error("resolved_at", ERR_RESOLVED_AT_STATUS)
            elif occurred_at is not None and resolved_at < occurred_at:
                row.error("resolved_at", ERR_RESOLVED_BEFORE)

        template_id = _template(row, ref.templates, response_text)
        outcome = row.code("outcome", outcomes) or ""

        follow_up_on = None
        raw = row.text("follow_up_on")
        if raw:
            try:
                follow_up_on = date.fromisoformat(raw)
            except ValueError:
                row.error("follow_up_on", ERR_DATE % {"value": raw[:40]})
            else:
                if occurred_at and follow_up_on < timezone.localtime(occurred_at, zone).date():
                    row.error("follow_up_on", ERR_FOLLOW_UP_BEFORE)

        if len(plan.errors) > errors_before:
            continue
        plan.lines.append(line)
        plan.rows.append(
            (
                customer_key,
                agent_id,
                occurred_at,
                channel_id,
                touchpoint_id,
                start_id,
                end_id,
                intensity,
                cues,
                summary,
                is_complaint,
                status,
                resolved_at,
                template_id,
                response_text,
                outcome,
                follow_up_on,
            )
        )
        if plan.first_at is None or occurred_at < plan.first_at:
            plan.first_at = occurred_at
        if plan.last_at is None or occurred_at > plan.last_at:
            plan.last_at = occurred_at

    _check_duplicates(plan)
    return plan


def _check_duplicates(plan: Plan, chunk: int = 2000) -> None:
    """Rows of existing customers that are already stored (same customer, time and
    channel): importing a file twice is refused rather than doubling the history."""
    if not plan.matched_customers or not plan.rows:
        return
    ids = sorted(plan.matched_customers)
    stored: dict[tuple, int] = {}
    for start in range(0, len(ids), chunk):
        found = Interaction.objects.filter(
            customer_id__in=ids[start : start + chunk],
            occurred_at__gte=plan.first_at,
            occurred_at__lte=plan.last_at,
        ).values_list("customer_id", "occurred_at", "channel_id", "id")
        for customer_id, occurred_at, channel_id, pk in found:
            stored.setdefault((customer_id, occurred_at, channel_id), pk)
    if not stored:
        return
    for line, row in zip(plan.lines, plan.rows, strict=True):
        key, _agent, occurred_at, channel_id = row[:4]
        if key[0] == "id" and (key[1], occurred_at, channel_id) in stored:
            pk = stored[(key[1], occurred_at, channel_id)]
            plan.errors.append(RowError(line, "occurred_at", str(ERR_DUPLICATE % {"id": pk})))


def _when(row: _Row, column: str, zone, now, plan: Plan, *, required: bool = False):
    raw = row.text(column)
    if not raw:
        if required:
            row.error(column, ERR_REQUIRED)
        return None
    try:
        value, local = parse_datetime(raw, zone)
    except OverflowError:
        row.error(column, ERR_TOO_OLD)
        return None
    except ValueError:
        row.error(column, ERR_DATETIME % {"value": raw[:40]})
        return None
    if value > now + FUTURE_TOLERANCE:
        row.error(column, ERR_IN_FUTURE)
        return None
    plan.local_times += local
    return value


def _customer(row: _Row, ref: Lookups, new: dict, email_validator, plan: Plan):
    """The customer key of a row: ("id", pk) for an existing customer, ("ref", ref) or
    ("name", name, phone digits, e-mail) for one to create."""
    external_ref = row.text("customer_ref", REF_MAX)
    name = row.text("customer_name", NAME_MAX)
    phone = row.text("customer_phone", PHONE_MAX)
    email = row.text("customer_email", EMAIL_MAX)
    if external_ref in ref.customers:
        pk, erased = ref.customers[external_ref]
        if erased:
            row.error("customer_ref", ERR_CUSTOMER_ERASED)
            return None
        plan.matched_customers.add(pk)
        return ("id", pk)
    if not external_ref and not name:
        row.error(
            "customer_name" if "customer_name" in row.cells else "customer_ref", ERR_NO_CUSTOMER
        )
        return None
    digits = "".join(ch for ch in phone if ch.isdigit())
    key = ("ref", external_ref) if external_ref else ("name", name, digits, email.lower())
    first = new.get(key)
    if first is None:
        problems = len(row.errors)
        if not name:
            row.error("customer_name", ERR_NEW_CUSTOMER_NAME)
        if phone and not PHONE_RE.match(phone):
            row.error("customer_phone", ERR_PHONE)
        if email:
            try:
                email_validator(email)
            except ValidationError:
                row.error("customer_email", ERR_EMAIL)
        if len(row.errors) > problems:
            return None
        new[key] = NewCustomer(row.line, name, phone, email, external_ref)
        return key
    # Later rows of the same new customer: empty or the same details.
    for column, value, known in (
        ("customer_name", name, first.name),
        ("customer_phone", digits, "".join(ch for ch in first.phone if ch.isdigit())),
        ("customer_email", email.lower(), first.email.lower()),
    ):
        if value and value != known:
            row.error(column, ERR_CUSTOMER_CONFLICT % {"line": first.line})
    return key


def _template(row: _Row, templates: dict[str, dict[str, int]], response_text: str):
    raw = row.text("response_template").lower()
    if not raw:
        return None
    code, _sep, language = raw.partition(":")
    versions = templates.get(code.strip())
    if not versions:
        row.error(
            "response_template",
            ERR_UNKNOWN_CODE % {"value": raw[:40], "codes": _known(templates)},
        )
        return None
    language = language.strip()
    if language:
        if language not in versions:
            row.error(
                "response_template",
                ERR_TEMPLATE_LANGUAGE % {"value": code, "language": language},
            )
            return None
        return versions[language]
    if len(versions) == 1:
        return next(iter(versions.values()))
    wanted = "ko" if HANGUL.search(response_text) else "en"
    return versions.get(wanted) or next(iter(versions.values()))


# --- Step 4: write -------------------------------------------------------------------


def write(plan: Plan, *, user, filename: str, source: str, now=None) -> ImportBatch:
    """Write a valid plan: the batch, its new customers and its interactions, in one
    transaction. Bulk inserts send no signals, so the batch row is the import's one audit
    entry. Raises ImportFileError if the database refuses (e.g. a reference taken
    meanwhile); nothing is written then."""
    from .phrase_guide import active_rules, hits_for_storage
    from .rules.phrases import check_phrases

    if not plan.ok:
        raise ValueError("only a plan without errors can be written")
    now = now or timezone.now()
    user = user if getattr(user, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                created_by=user,
                created_at=now,
                filename=filename[:255],
                encoding=plan.encoding,
                source=source,
                rows=len(plan.rows),
                customers_created=len(plan.new_customers),
            )
            customer_ids = _create_customers(plan, user=user, now=now)
            emotions = dict(Emotion.objects.values_list("id", "valence"))
            rules = active_rules()
            warnings: dict[str, list] = {}

            def phrase_warnings(text: str) -> list:
                if not text:
                    return []
                if text not in warnings:
                    warnings[text] = hits_for_storage(check_phrases(text, rules))
                return warnings[text]

            touched: set[int] = set()

            def values():
                """Each row's column values (INTERACTION_COLUMNS), the derived ones set as
                Interaction.refresh_derived and services._record_phrase_warnings do."""
                for row in plan.rows:
                    (key, agent_id, occurred_at, channel_id, touchpoint_id, start_id, end_id,
                     intensity, cues, summary, is_complaint, status, resolved_at, template_id,
                     response_text, outcome, follow_up_on) = row  # fmt: skip
                    customer_id = key[1] if key[0] == "id" else customer_ids[key]
                    touched.add(customer_id)
                    start_valence = emotions[start_id]
                    end_valence = emotions[end_id] if end_id else ""
                    yield (
                        customer_id,
                        agent_id,
                        occurred_at,
                        channel_id,
                        touchpoint_id,
                        start_id,
                        end_id,
                        start_valence,
                        end_valence,
                        compute_recovered(start_valence, end_valence or None),
                        intensity,
                        cues,
                        summary,
                        is_complaint,
                        status,
                        resolved_at,
                        template_id,
                        response_text,
                        phrase_warnings(response_text),
                        outcome,
                        follow_up_on,
                        now,
                        now,
                        False,
                        batch.pk,
                    )

            if bulk.copy_usable():
                bulk.copy_rows(Interaction, INTERACTION_COLUMNS, values())
            else:
                _bulk_create_interactions(values())
            # Foreign keys are checked at commit (deferred); check them here instead, so a
            # row whose agent or customer vanished meanwhile is this clear error, not a
            # failure at the end of the request.
            connection.check_constraints(
                table_names=[Interaction._meta.db_table, Customer._meta.db_table]
            )
            refresh_after_import(batch, touched)
    except IntegrityError as error:
        detail = str(error).splitlines()[0][:200] if str(error) else error.__class__.__name__
        raise ImportFileError(ERR_CONFLICT % {"detail": detail}) from error
    return batch


# The columns an imported interaction is written with; the others keep their defaults.
INTERACTION_COLUMNS = (
    "customer_id",
    "agent_id",
    "occurred_at",
    "channel_id",
    "touchpoint_id",
    "emotion_start_id",
    "emotion_end_id",
    "start_valence",
    "end_valence",
    "recovered",
    "intensity",
    "cues",
    "summary",
    "is_complaint",
    "complaint_status",
    "resolved_at",
    "response_template_id",
    "response_text",
    "phrase_warnings",
    "outcome",
    "follow_up_on",
    "created_at",
    "updated_at",
    "is_demo",
    "import_batch_id",
)


def _bulk_create_interactions(rows: Iterable[tuple]) -> None:
    """Any database: bulk_create in batches (no save(), so no signals, no audit entries)."""
    batch = []
    for values in rows:
        batch.append(Interaction(**dict(zip(INTERACTION_COLUMNS, values, strict=True))))
        if len(batch) >= WRITE_BATCH:
            Interaction.objects.bulk_create(batch)
            batch = []
    if batch:
        Interaction.objects.bulk_create(batch)


def _create_customers(plan: Plan, *, user, now) -> dict[tuple, int]:
    keys = list(plan.new_customers)
    objects = [
        Customer(
            name=new.name,
            phone=new.phone,
            phone_digits="".join(ch for ch in new.phone if ch.isdigit()),
            email=new.email,
            external_ref=new.external_ref,
            created_by=user,
            created_at=now,
        )
        for new in plan.new_customers.values()
    ]
    created = Customer.objects.bulk_create(objects, batch_size=WRITE_BATCH)
    return {key: customer.pk for key, customer in zip(keys, created, strict=True)}


def refresh_after_import(batch: ImportBatch, customer_ids: Iterable[int]) -> None:
    """Bring everything derived from the interactions up to date for the customers an
    import touched, in the import's transaction: the dashboard's rollups, each customer's
    last contact and archetype suggestion. The single place to extend."""
    from . import rollups, services

    ids = sorted(set(customer_ids))
    if not ids:
        return
    rollups.add(Interaction.objects.filter(import_batch=batch))
    # The newest contact of each touched customer: one UPDATE with a correlated subquery
    # (ix_customer_time), the touched customers found through the batch.
    newest = (
        Interaction.objects.filter(customer_id=OuterRef("pk"))
        .order_by("-occurred_at", "-id")
        .values("occurred_at")[:1]
    )
    Customer.objects.filter(
        pk__in=Interaction.objects.filter(import_batch=batch).values("customer_id")
    ).update(last_contact_at=Subquery(newest))
    # Their archetype suggestions, in bulk (no audit entry per customer).
    services.recompute_archetypes(customer_ids=ids)


# --- Both steps together, for the page and the command ------------------------------------


def run_import(
    data: bytes,
    *,
    filename: str,
    user,
    source: str,
    dry_run: bool,
    encoding: str = "auto",
    now: datetime | None = None,
) -> ImportResult:
    """Read, check and (unless `dry_run`) write a whole file: all or nothing. `user` is
    who imports (the batch's author and the agent of rows that name none)."""
    result = ImportResult(dry_run=dry_run, filename=filename)
    try:
        text, result.encoding = decode(data, encoding)
        header, records, errors = read_csv(text)
    except ImportFileError as error:
        result.file_error = str(error.message)
        return result
    user = user if getattr(user, "is_authenticated", False) else None
    plan = validate(header, records, default_agent=user, now=now, errors=errors)
    plan.encoding = result.encoding
    result.errors = sorted(plan.errors, key=lambda e: (e.line, _column_order(e.column)))
    result.rows = len(plan.rows)
    result.customers_created = len(plan.new_customers)
    result.customers_matched = len(plan.matched_customers)
    result.local_times = plan.local_times
    result.first_at, result.last_at = plan.first_at, plan.last_at
    if result.errors or dry_run:
        return result
    try:
        result.batch = write(plan, user=user, filename=filename, source=source, now=now)
    except ImportFileError as error:
        result.file_error = str(error.message)
    return result


def _column_order(column: str) -> int:
    return COLUMNS.index(column) if column in COLUMNS else -1


def describe_columns() -> list[dict]:
    """Every column with whether it is required and what it holds, with the codes of the
    reference data as the database has them (three small queries), for the page."""
    codes = {
        "channel": Channel.objects.order_by("order", "code").values_list("code", flat=True),
        "touchpoint": Touchpoint.objects.order_by("order", "code").values_list("code", flat=True),
        "emotion_start": Emotion.objects.order_by("order", "code").values_list("code", flat=True),
        "cues": Cue.values,
        "complaint_status": ComplaintStatus.values,
        "outcome": Outcome.values,
    }
    zone = timezone.get_current_timezone_name()
    rows = []
    for name in COLUMNS:
        text = str(COLUMN_HELP[name])
        if "%(" in text:
            text = text % {"codes": ", ".join(codes.get(name, [])), "zone": zone}
        if name in REQUIRED_COLUMNS:
            required = _("required")
        elif name in CUSTOMER_COLUMNS:
            required = _("ref or name")
        else:
            required = ""
        rows.append({"name": name, "required": required, "help": text})
    return rows


# --- The sample file -----------------------------------------------------------------

SAMPLE_ROWS = [
    {
        "customer_ref": "CRM-1001",
        "customer_name": "김민준",
        "customer_phone": "010-2345-6789",
        "customer_email": "minjun.kim@example.com",
        "occurred_at": "2025-03-03T09:15:00+09:00",
        "channel": "phone",
        "touchpoint": "delivery",
        "emotion_start": "anger",
        "emotion_end": "neutral",
        "intensity": "4",
        "cues": "words;tone",
        "summary": "배송이 사흘째 지연되어 항의",
        "is_complaint": "yes",
        "complaint_status": "resolved",
        "resolved_at": "2025-03-03T15:40:00+09:00",
        "response_template": "apology_and_reservice",
        "response_text": "불편을 드려 정말 죄송합니다. 오늘 안에 재배송해 드리겠습니다.",
        "outcome": "indifferent",
        "follow_up_on": "2025-03-05",
    },
    {
        "customer_ref": "CRM-1001",
        "occurred_at": "2025-03-05T10:02:00+09:00",
        "channel": "phone",
        "touchpoint": "delivery",
        "emotion_start": "annoyance",
        "emotion_end": "satisfaction",
        "intensity": "2",
        "cues": "tone",
        "summary": "재배송 확인 전화",
        "is_complaint": "no",
        "response_text": "받으신 물건은 괜찮으신지 확인차 연락드렸습니다.",
        "outcome": "satisfied",
    },
    {
        "customer_ref": "CRM-2002",
        "customer_name": "Emily Carter",
        "customer_email": "emily.carter@example.com",
        "occurred_at": "2025-03-04T14:30:00+09:00",
        "channel": "email",
        "touchpoint": "billing",
        "emotion_start": "confusion",
        "emotion_end": "gratitude",
        "intensity": "2",
        "cues": "words",
        "summary": "Asked why she was charged twice",
        "is_complaint": "no",
        "response_text": "Thank you for checking with us. The second charge was a hold and "
        "has been released.",
        "outcome": "satisfied",
    },
    {
        "customer_ref": "CRM-3003",
        "customer_name": "박서연",
        "customer_phone": "010-8765-4321",
        "occurred_at": "2025-03-06T18:45:00+09:00",
        "channel": "chat",
        "touchpoint": "mobile_app",
        "emotion_start": "disappointment",
        "intensity": "3",
        "summary": "앱 결제 오류 문의, 답변 대기 중",
        "is_complaint": "yes",
        "complaint_status": "open",
    },
    {
        "customer_ref": "CRM-4004",
        "customer_name": "Daniel Lee",
        "customer_phone": "+82 10 5555 0101",
        "occurred_at": "2025-03-07T11:20:00+09:00",
        "channel": "in_person",
        "touchpoint": "store",
        "emotion_start": "gratitude",
        "emotion_end": "affection",
        "intensity": "3",
        "cues": "facial_expression;behaviour",
        "summary": "Came in to thank the store team",
        "is_complaint": "no",
        "response_template": "special_thanks_benefit:en",
        "response_text": "Thank you so much for coming by to tell us.",
        "outcome": "satisfied",
    },
]


def sample_csv(agent: str = "") -> str:
    """The sample file as text (the page serves it as UTF-8 with a BOM): every column,
    Korean and English rows, `agent` filled with the given user name."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in SAMPLE_ROWS:
        writer.writerow([{**row, "agent": agent}.get(column, "") for column in COLUMNS])
    return buffer.getvalue()
