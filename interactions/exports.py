"""CSV (streamed) and XLSX exports, safe against spreadsheet formula injection.

Every export of the app goes through `csv_export` or `xlsx_export`, which also write the
access-log entry of the export (docs/import.md, "Exports"):
- CSV streams (StreamingHttpResponse), starts with a UTF-8 BOM so Excel reads Korean,
  and has no row limit;
- XLSX is built in memory and stops at EMOTIONCARE_XLSX_MAX_ROWS rows: above it the user
  gets a page saying so (400) with a link to the CSV, never a silently cut file;
- in both, a text cell starting with = + - @, tab or carriage return gets a leading quote,
  so a spreadsheet shows it as text instead of running it.
"""

import csv
import datetime
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Sized
from decimal import Decimal

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ILLEGAL_SHEET_CHARS = re.compile(r"[\\/*?:\[\]]")
BOM = "\ufeff"


def neutralise(value) -> str:
    """Prefix a quote to a cell a spreadsheet would run as a formula. Numbers are kept
    as they are: -3 is a number, not a formula."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return text
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def csv_rows(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([neutralise(h) for h in header])
    for row in rows:
        yield writer.writerow([neutralise(v) for v in row])


def streaming_csv_response(filename: str, header: list[str], rows: Iterable[Iterable]):
    response = StreamingHttpResponse(csv_rows(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def local_iso(value) -> str:
    return timezone.localtime(value).isoformat(timespec="minutes") if value else ""


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_cell(value):
    """A cell for openpyxl: numbers and dates as themselves, text neutralised like the
    CSV (a leading quote before = + - @ tab CR) and without the control characters
    XML cannot hold."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None:
        return None
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
    if isinstance(value, int | float | Decimal | datetime.date) and not isinstance(value, bool):
        return value
    # Drop what XML cannot hold first, then neutralise: "\x01=cmd" must not become "=cmd".
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


class TooManyRows(Exception):
    """An XLSX export would hold more than its limit of rows."""

    def __init__(self, limit: int):
        super().__init__(f"more than {limit} rows")
        self.limit = limit


def xlsx_max_rows() -> int:
    return settings.EMOTIONCARE_XLSX_MAX_ROWS


def xlsx_bytes(
    title: str, header: list[str], rows: Iterable[Iterable], *, max_rows: int | None = None
) -> tuple[bytes, int]:
    """One worksheet of rows as .xlsx bytes, and the number of rows. Raises TooManyRows
    past `max_rows` (EMOTIONCARE_XLSX_MAX_ROWS): reads at most one row more than that."""
    from openpyxl import Workbook

    limit = xlsx_max_rows() if max_rows is None else max_rows
    # Checked before the workbook exists, so a refusal leaves no half-written file behind.
    head = list(itertools.islice(rows, limit + 1))
    if len(head) > limit:
        raise TooManyRows(limit)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=ILLEGAL_SHEET_CHARS.sub("", title)[:31] or "Sheet")
    sheet.append([xlsx_cell(h) for h in header])
    for row in head:
        sheet.append([xlsx_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), len(head)


def xlsx_response(filename: str, title: str, header: list[str], rows: Iterable[Iterable]):
    """One worksheet of rows as an .xlsx download (built in memory). Raises TooManyRows
    past EMOTIONCARE_XLSX_MAX_ROWS; `xlsx_export` turns that into a page."""
    content, _count = xlsx_bytes(title, header, rows)
    return _xlsx_http_response(filename, content)


def _xlsx_http_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


# --- Exports as the views use them: the file and its access-log entry ----------------


def csv_export(request, filename: str, header: list[str], rows: Iterable[Iterable]):
    """Stream rows as CSV and record the export in the access log (with the number of
    rows when `rows` is a list; a streamed query is not counted)."""
    from .access import Action, record_access

    record_access(request, Action.EXPORT, rows=len(rows) if isinstance(rows, Sized) else None)
    return streaming_csv_response(filename, header, rows)


def xlsx_export(
    request,
    filename: str,
    title: str,
    header: list[str],
    rows: Iterable,
    *,
    csv_url: str = "",
    back_url: str = "",
):
    """The rows as an .xlsx download and its access-log entry; past the row limit, a page
    that says so (400) and offers the CSV (`csv_url`), which has no limit, and a way back
    (`back_url`, the page the export was taken from)."""
    from .access import Action, record_access

    try:
        content, count = xlsx_bytes(title, header, rows)
    except TooManyRows as error:
        return render(
            request,
            "exports/too_many_rows.html",
            {"limit": error.limit, "csv_url": csv_url, "back_url": back_url},
            status=400,
        )
    record_access(request, Action.EXPORT, rows=count)
    return _xlsx_http_response(filename, content)
