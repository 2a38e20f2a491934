"""Exports (interactions/exports.py and its callers): CSV streams with a BOM, XLSX stops at
its row limit with a clear page, formulas are neutralised, phones masked, and every
export is recorded in the access log."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from interactions.exports import TooManyRows, csv_rows, neutralise, xlsx_bytes, xlsx_cell
from interactions.models import AccessLog
from tests.factories import CustomerFactory, InteractionFactory


@pytest.mark.parametrize("value", ["=1+1", "+82", "-3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(value):
    assert neutralise(value) == "'" + value


def test_plain_cells_are_kept():
    assert neutralise("김영희") == "김영희"
    assert neutralise(None) == ""
    assert neutralise(3) == "3"


def test_csv_starts_with_a_bom_so_excel_reads_korean():
    text = "".join(csv_rows(["name"], [["김영희"], ["=cmd"]]))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [["name"], ["김영희"], ["'=cmd"]]


# --- Every export of the app: streaming, BOM, formulas, masking, limits, access log -------


FORMULA = '=HYPERLINK("http://evil","x")'
TODAY = timezone.localdate()
DASHBOARD_RANGE = {
    "date_from": (TODAY - timedelta(days=30)).isoformat(),
    "date_to": TODAY.isoformat(),
}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


@pytest.fixture
def rows(agent):
    """Three interactions of a customer whose name and phone a spreadsheet would misread."""
    customer = CustomerFactory(name=FORMULA, phone="010-1234-5678", email="kim@example.com")
    return [
        InteractionFactory(agent=agent, customer=customer, summary=text)
        for text in ("@SUM(A1:A9)", "-2+3", "\tindent")
    ]


def read_csv_response(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # Excel reads the Korean
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


def read_xlsx_response(response) -> list[list]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_xlsx_cells_are_neutralised_after_dropping_characters_xml_cannot_hold():
    assert xlsx_cell("\x01=cmd") == "'=cmd"
    assert xlsx_cell("=1+1") == "'=1+1"
    assert xlsx_cell(-3) == -3
    assert xlsx_cell("김영희") == "김영희"


def test_xlsx_stops_past_its_limit_reading_one_row_more():
    consumed = []

    def rows():
        for n in range(10):
            consumed.append(n)
            yield [n]

    with pytest.raises(TooManyRows):
        xlsx_bytes("t", ["n"], rows(), max_rows=3)
    assert len(consumed) == 4
    _content, count = xlsx_bytes("t", ["n"], rows(), max_rows=10)
    assert count == 10


@pytest.mark.django_db
def test_the_interactions_csv_streams_masks_and_neutralises(lead_client, rows):
    response = lead_client.get(reverse("interactions:export"))
    data = read_csv_response(response)
    header, body = data[0], data[1:]
    name, phone, summary = (header.index(c) for c in ("customer_name", "customer_phone", "summary"))
    assert {r[name] for r in body} == {"'" + FORMULA}
    assert {r[phone] for r in body} == {"010-****-5678"}
    assert sorted(r[summary] for r in body) == ["'\tindent", "'-2+3", "'@SUM(A1:A9)"]
    assert "kim@example.com" not in "".join(",".join(r) for r in data)


@pytest.mark.django_db
def test_the_interactions_xlsx_masks_neutralises_and_is_recorded(lead_client, lead, rows):
    response = lead_client.get(reverse("interactions:export-xlsx"))
    assert response.status_code == 200
    sheet = read_xlsx_response(response)
    header = sheet[0]
    name, phone = header.index("customer_name"), header.index("customer_phone")
    assert {r[name] for r in sheet[1:]} == {"'" + FORMULA}
    assert {r[phone] for r in sheet[1:]} == {"010-****-5678"}
    entry = AccessLog.objects.get()
    assert (entry.user, entry.action, entry.rows) == (lead, AccessLog.Action.EXPORT, 3)


@pytest.mark.django_db
def test_the_interactions_xlsx_past_its_limit_is_a_clear_400_with_the_csv_offered(
    lead_client, rows, settings
):
    settings.EMOTIONCARE_XLSX_MAX_ROWS = 2
    response = lead_client.get(reverse("interactions:export-xlsx"), {"channel": "phone"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "This export has more than 2 rows" in html
    assert f'href="{reverse("interactions:export")}?channel=phone"' in html
    assert not AccessLog.objects.exists()  # nothing was exported
    settings.EMOTIONCARE_XLSX_MAX_ROWS = 3
    assert lead_client.get(reverse("interactions:export-xlsx")).status_code == 200


@pytest.mark.django_db
def test_each_export_records_one_access_log_entry(lead_client, lead, rows):
    read_csv_response(lead_client.get(reverse("interactions:export")))
    url = reverse("interactions:dashboard-export-csv", args=["load"])
    read_csv_response(lead_client.get(url, DASHBOARD_RANGE))
    url = reverse("interactions:dashboard-export-xlsx", args=["load"])
    read_xlsx_response(lead_client.get(url, DASHBOARD_RANGE))
    entries = list(AccessLog.objects.order_by("id").values_list("action", "rows", "path"))
    assert [action for action, _rows, _path in entries] == ["export"] * 3
    assert entries[0][1] is None  # a streamed query is not counted
    assert entries[1][1] == entries[2][1] == 1  # one agent in the load table
    assert entries[1][2].startswith("/dashboard/export/load.csv?")


@pytest.mark.django_db
def test_dashboard_exports_stream_csv_and_stop_xlsx_at_the_limit(lead_client, rows, settings):
    url = reverse("interactions:dashboard-export-csv", args=["overdue"])
    assert read_csv_response(lead_client.get(url, DASHBOARD_RANGE))[0][0] == "id"
    settings.EMOTIONCARE_XLSX_MAX_ROWS = 0
    url = reverse("interactions:dashboard-export-xlsx", args=["load"])
    response = lead_client.get(url, DASHBOARD_RANGE)
    assert response.status_code == 400
    html = response.content.decode()
    assert "This export has more than 0 rows" in html
    assert reverse("interactions:dashboard-export-csv", args=["load"]) in html


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["interactions:export", "interactions:export-xlsx"])
def test_agents_cannot_export(client, agent, name):
    client.force_login(agent)
    assert client.get(reverse(name)).status_code == 403
    assert not AccessLog.objects.exists()
