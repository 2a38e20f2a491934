"""The CSV import page (/imports/) and its sample file: who may use it, what it shows for
a check, for problems and after an import (docs/import.md)."""

import csv
import io
from unittest import mock

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from interactions import imports
from interactions.models import Customer, ImportBatch, Interaction
from tests.test_imports import row, to_csv

pytestmark = pytest.mark.django_db

PAGE = reverse("interactions:import")
SAMPLE = reverse("interactions:import-sample")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


def upload(client, data: bytes, *, dry_run=False, name="history.csv", encoding="auto"):
    form = {"file": SimpleUploadedFile(name, data, content_type="text/csv"), "encoding": encoding}
    if dry_run:
        form["dry_run"] = "on"
    return client.post(PAGE, form)


@pytest.mark.parametrize("url", [PAGE, SAMPLE])
def test_agents_get_403(client, agent, url):
    client.force_login(agent)
    assert client.get(url).status_code == 403
    data = {"file": SimpleUploadedFile("x.csv", to_csv([row()])), "encoding": "auto"}
    assert client.post(PAGE, data).status_code == 403
    assert Interaction.objects.count() == 0


@pytest.mark.parametrize("url", [PAGE, SAMPLE])
def test_anonymous_users_are_sent_to_login(client, reference, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role_user", ["lead", "admin_user"])
def test_leads_and_admins_see_the_page_with_the_columns(client, request, role_user):
    client.force_login(request.getfixturevalue(role_user))
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "customer_ref" in html and "follow_up_on" in html
    assert "in_person" in html  # the channel codes of the reference data
    assert SAMPLE in html
    assert f'href="{PAGE}"' in html  # the navigation link


def test_the_navigation_link_is_for_leads_and_admins_only(client, agent):
    client.force_login(agent)
    html = client.get(reverse("interactions:list")).content.decode()
    assert f'href="{PAGE}"' not in html


def test_the_sample_is_utf8_with_bom_and_imports_as_the_downloading_user(lead_client, lead):
    response = lead_client.get(SAMPLE)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r["agent"] for r in rows} == {"lead"}
    assert any("김민준" == r["customer_name"] for r in rows)
    assert any("Emily Carter" == r["customer_name"] for r in rows)
    result = upload(lead_client, response.content)
    assert result.status_code == 302
    assert Interaction.objects.filter(agent=lead).count() == len(rows)


def test_a_dry_run_shows_what_would_be_imported_and_writes_nothing(lead_client, agent):
    data = to_csv([row(), row(customer_ref="R-2", occurred_at="2025-03-04 10:00")])
    before = (Interaction.objects.count(), Customer.objects.count(), LogEntry.objects.count())
    response = upload(lead_client, data, dry_run=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The file is valid. Nothing has been written yet." in html
    assert "<dt>Interactions to import</dt><dd>2</dd>" in html
    assert "<dt>New customers to create</dt><dd>2</dd>" in html
    assert "1 time had no offset and was read as local time (Asia/Seoul)." in html
    after = (Interaction.objects.count(), Customer.objects.count(), LogEntry.objects.count())
    assert after == before


def test_an_import_writes_the_rows_and_one_batch_then_says_so(lead_client, lead, agent):
    response = upload(lead_client, to_csv([row(), row(customer_ref="R-2")]), name="march.csv")
    assert response.status_code == 302 and response["Location"] == PAGE
    batch = ImportBatch.objects.get()
    assert (batch.source, batch.created_by, batch.filename, batch.rows) == (
        "page",
        lead,
        "march.csv",
        2,
    )
    assert LogEntry.objects.get_for_object(batch).get().actor == lead
    assert not LogEntry.objects.get_for_model(Interaction).exists()
    page = lead_client.get(PAGE).content.decode()
    assert "Imported 2 interactions from march.csv." in page
    assert "New customers: 2. Existing customers: 0." in page
    assert "march.csv" in page  # in the recent imports


def test_problems_are_listed_by_line_and_column_and_nothing_is_written(lead_client, agent):
    data = to_csv([row(), row(customer_ref="R-2", channel="fax", intensity="9")])
    response = upload(lead_client, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "2 problems found. Nothing was imported" in html
    assert '<td class="num">3</td><td class="mono">channel</td>' in html
    assert '<td class="num">3</td><td class="mono">intensity</td>' in html
    assert Interaction.objects.count() == Customer.objects.count() == 0


def test_the_page_lists_at_most_the_configured_number_of_problems(lead_client, agent, settings):
    settings.EMOTIONCARE_IMPORT_ERRORS_SHOWN = 3
    rows = [row(customer_ref=f"R-{n}", channel="fax") for n in range(5)]
    html = upload(lead_client, to_csv(rows)).content.decode()
    assert html.count('<td class="mono">channel</td>') == 3
    assert "and 2 more" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("customer_name,channel\n김영희,phone\n".encode("utf-16"), "UTF-16"),
        (b"\x00\x01\x02binary\x00" * 20, "NUL bytes"),
        (b"PK\x03\x04rest-of-a-zip", "Excel workbook"),
        (b"name,channel\nKim,phone\n", "unknown column"),
        (b'customer_name,occurred_at,channel,emotion_start\n"Kim"x,y,z,w\n', "not valid CSV"),
        (b"\xef\xbb\xbf\r\n", "The file is empty."),
    ],
)
def test_unreadable_files_get_a_clear_400(lead_client, reference, data, message):
    response = upload(lead_client, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Nothing was imported." in html


def test_an_empty_upload_and_a_missing_file_are_form_errors(lead_client, reference):
    assert upload(lead_client, b"").status_code == 400
    response = lead_client.post(PAGE, {"encoding": "auto"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_an_oversized_upload_is_refused(lead_client, reference, settings):
    settings.EMOTIONCARE_IMPORT_MAX_BYTES = 100
    response = upload(lead_client, to_csv([row()]))
    assert response.status_code == 400
    assert "The file is too large" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_a_cp949_upload_keeps_its_korean(lead_client, agent):
    response = upload(lead_client, to_csv([row(summary="환불 요청")], encoding="cp949"))
    assert response.status_code == 302
    assert Interaction.objects.get().summary == "환불 요청"
    assert ImportBatch.objects.get().encoding == "cp949"


def test_the_page_renders_in_korean(lead_client, agent):
    response = lead_client.get(PAGE, HTTP_ACCEPT_LANGUAGE="ko")
    assert response.status_code == 200
    assert 'lang="ko"' in response.content.decode()


def test_a_conflict_during_the_write_is_a_400_and_leaves_nothing(lead_client, agent):
    """A reference taken between the check and the write: the page says so; the request's
    own transaction stays usable (no 500) and nothing of the file is stored."""

    def taken_meanwhile(plan):
        Customer.objects.create(name="Quick", external_ref="R-1")

    with mock.patch.object(imports, "_check_duplicates", side_effect=taken_meanwhile):
        response = upload(lead_client, to_csv([row()]))
    assert response.status_code == 400
    assert "The data changed while importing" in response.content.decode()
    assert Interaction.objects.count() == ImportBatch.objects.count() == 0


def test_the_page_runs_a_fixed_number_of_queries(lead_client, lead, django_assert_max_num_queries):
    lead_client.get(PAGE)  # warm the session and the role cache
    with django_assert_max_num_queries(12) as few:
        lead_client.get(PAGE)
    for n in range(15):
        ImportBatch.objects.create(
            created_by=lead, filename=f"{n}.csv", encoding="utf-8", source="command"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert lead_client.get(PAGE).status_code == 200
