"""CSV (streamed) and XLSX exports, safe against spreadsheet formula injection."""

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
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
    return ILLEGAL_CHARACTERS_RE.sub("", neutralise(value))


def xlsx_response(filename: str, title: str, header: list[str], rows: Iterable[Iterable]):
    """One worksheet of rows as an .xlsx download (built in memory: for summary tables,
    not for the full interaction log)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=ILLEGAL_SHEET_CHARS.sub("", title)[:31] or "Sheet")
    sheet.append([xlsx_cell(h) for h in header])
    for row in rows:
        sheet.append([xlsx_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
