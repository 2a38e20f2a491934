"""A customer's data export and erasure, and the retention purge (interactions/privacy.py,
privacy_views.py, purge_personal_data)."""

import datetime
import json

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from interactions import privacy, services
from interactions.access import Action, record_access
from interactions.models import (
    AccessLog,
    ArchetypeChange,
    Customer,
    IdempotencyKey,
    Interaction,
)
from tests.factories import CustomerFactory, InteractionFactory, emotion

pytestmark = pytest.mark.django_db

PHONE, EMAIL = "010-1234-5678", "kim@example.com"


def export_url(customer):
    return reverse("interactions:customer-export-data", args=[customer.pk])


def erase_url(customer):
    return reverse("interactions:customer-erase", args=[customer.pk])


@pytest.fixture
def history(agent, lead, customer):
    """Two contacts with personal text, a phrase-guide hit, a praise note, an archetype
    note, audit entries and access-log entries naming the customer."""
    services.customer_update(
        customer=customer,
        user=lead,
        data={"notes": "Prefers calls after 6 pm", "external_ref": "CRM-77"},
    )
    first = InteractionFactory(
        agent=agent, customer=customer, summary="김영희 called about a refund"
    )
    services.interaction_update(
        interaction=first,
        user=agent,
        data={
            "response_text": "김영희 고객님, 안타깝게도 환불은 어렵습니다.",
            "summary": "Refund, 김영희",
        },
    )
    second = InteractionFactory(
        agent=agent,
        customer=customer,
        emotion_start=emotion("anger"),
        emotion_end=emotion("gratitude"),
    )
    services.praise_mark(interaction=second, user=agent, note="김영희 said thank you")
    services.customer_set_archetype(
        customer=customer, user=lead, archetype="loyal_annoyed", note="김영희 is a VIP"
    )
    customer.save()
    record_access(None, Action.VIEW_CUSTOMER, customer=customer, user=lead)
    record_access(None, Action.VIEW_INTERACTION, customer=customer, obj=first, user=agent)
    return first, second


def personal_strings():
    return ["김영희", "1234", "kim@example", "CRM-77", "6 pm", "refund", "환불", "thank you", "VIP"]


def dump_audit(customer, interactions):
    rows = LogEntry.objects.filter(
        Q(content_type__model="customer", object_id=customer.pk)
        | Q(content_type__model="interaction", object_id__in=[i.pk for i in interactions])
    ).values_list("object_repr", "changes", "changes_text", "serialized_data")
    return json.dumps(list(rows), ensure_ascii=False, default=str)


def statistics():
    return list(
        Interaction.objects.values("start_valence", "end_valence", "recovered")
        .annotate(n=Count("id"))
        .order_by("start_valence", "end_valence", "recovered")
    )


# --- Pure rules ---------------------------------------------------------------------


def test_phrase_warnings_keep_only_the_rule():
    hits = [
        {
            "rule_id": 3,
            "code": "unfortunately",
            "language": "ko",
            "start": 4,
            "end": 9,
            "text": "안타깝게도",
        }
    ]
    assert privacy.redact_phrase_warnings(hits) == [
        {"rule_id": 3, "code": "unfortunately", "language": "ko"}
    ]
    assert privacy.redact_phrase_warnings(None) == []


def test_audit_changes_are_redacted_field_by_field():
    changes = {
        "name": ["김영희", "이영희"],
        "phone": ["", "010-****-5678"],
        "archetype": ["None", "x"],
    }
    fields = privacy.CUSTOMER_PERSONAL_FIELDS
    assert privacy.redact_changes(changes, fields) == {
        "name": ["[erased]", "[erased]"],
        "phone": ["", "[erased]"],
        "archetype": ["None", "x"],
    }


def test_stored_api_responses_lose_the_personal_values():
    body = {"id": 5, "name": "김영희", "phone": PHONE, "email": EMAIL, "archetype": None}
    assert privacy.redact_response(body, "Erased customer #5") == {
        "id": 5,
        "name": "Erased customer #5",
        "phone": "",
        "email": "",
        "archetype": None,
    }
    interaction = {
        "id": 9,
        "customer": 5,
        "summary": "김영희",
        "phrase_warnings": [{"code": "a", "text": "b"}],
    }
    assert privacy.redact_response(interaction, "x")["summary"] == ""
    assert privacy.redact_response(interaction, "x")["phrase_warnings"] == [{"code": "a"}]


# --- Export -------------------------------------------------------------------------


def test_leads_export_everything_held_about_a_customer(client, lead, customer, history):
    first, second = history
    client.force_login(lead)
    response = client.post(export_url(customer))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="customer-{customer.pk}.json"'
    data = json.loads(response.content)
    assert data["format"] == "emotioncare-customer-export"
    assert data["exported_by"] == "lead"
    assert {
        key: data["customer"][key] for key in ("id", "name", "phone", "email", "external_ref")
    } == {
        "id": customer.pk,
        "name": "김영희",
        "phone": PHONE,
        "email": EMAIL,
        "external_ref": "CRM-77",
    }
    assert data["customer"]["notes"] == "Prefers calls after 6 pm"
    assert [item["id"] for item in data["interactions"]] == sorted([first.pk, second.pk])
    by_id = {item["id"]: item for item in data["interactions"]}
    assert by_id[first.pk]["summary"] == "Refund, 김영희"
    assert by_id[first.pk]["emotion_start"] == "annoyance"
    assert by_id[first.pk]["channel"] == "phone"
    assert by_id[second.pk]["praise_note"] == "김영희 said thank you"
    assert data["archetype_history"][-1]["archetype"] == "loyal_annoyed"
    log = AccessLog.objects.filter(action=Action.EXPORT_CUSTOMER).get()
    assert (log.user, log.customer, log.rows) == (lead, customer, 2)


def test_the_export_runs_a_fixed_number_of_queries(
    client, lead, customer, agent, django_assert_max_num_queries
):
    client.force_login(lead)
    InteractionFactory(agent=agent, customer=customer)
    with django_assert_max_num_queries(12) as few:
        client.post(export_url(customer))
    InteractionFactory.create_batch(30, agent=agent, customer=customer)
    with django_assert_max_num_queries(12) as many:
        response = client.post(export_url(customer))
    assert len(json.loads(response.content)["interactions"]) == 31
    assert len(many.captured_queries) == len(few.captured_queries)


def test_agents_cannot_export_a_customer(client, agent, customer):
    client.force_login(agent)
    assert client.post(export_url(customer)).status_code == 403
    assert not AccessLog.objects.exists()


def test_the_export_is_post_only_and_404_for_a_missing_customer(client, admin_user, customer):
    client.force_login(admin_user)
    assert client.get(export_url(customer)).status_code == 405
    missing = reverse("interactions:customer-export-data", args=[99999])
    assert client.post(missing).status_code == 404


def test_the_customer_page_offers_export_and_erase_by_role(
    client, agent, lead, admin_user, customer
):
    url = reverse("interactions:customer-detail", args=[customer.pk])
    expected = {agent: (False, False), lead: (True, False), admin_user: (True, True)}
    for user, (export, erase) in expected.items():
        client.force_login(user)
        page = client.get(url).content.decode()
        assert (export_url(customer) in page, erase_url(customer) in page) == (export, erase)


# --- Erasure ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["agent", "lead"])
def test_only_admins_erase(client, request, role, customer):
    client.force_login(request.getfixturevalue(role))
    assert client.get(erase_url(customer)).status_code == 403
    assert client.post(erase_url(customer), {"confirm": "on"}).status_code == 403
    customer.refresh_from_db()
    assert customer.erased_at is None


def test_erasure_needs_the_confirmation_box(client, admin_user, customer):
    client.force_login(admin_user)
    page = client.get(erase_url(customer))
    assert page.status_code == 200 and "김영희" in page.content.decode()
    response = client.post(erase_url(customer), {})
    assert response.status_code == 200
    assert str(privacy.ERR_CONFIRM_ERASE) in response.content.decode()
    customer.refresh_from_db()
    assert customer.name == "김영희" and customer.erased_at is None


def test_erasure_anonymises_the_customer_and_keeps_statistics(
    client, admin_user, customer, history
):
    first, second = history
    before = statistics()
    client.force_login(admin_user)
    response = client.post(erase_url(customer), {"confirm": "on"})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.name == f"Erased customer #{customer.pk}"
    assert (customer.phone, customer.email, customer.external_ref, customer.notes) == ("",) * 4
    assert customer.archetype_reason == "" and customer.archetype == "loyal_annoyed"
    assert customer.erased_at is not None
    assert Interaction.objects.filter(customer=customer).count() == 2
    assert statistics() == before
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.summary, first.response_text) == ("", "")
    assert first.phrase_warnings and all(
        set(hit) <= {"rule_id", "code", "language"} for hit in first.phrase_warnings
    )
    assert second.praise_note == "" and second.praised_at is not None
    assert not ArchetypeChange.objects.filter(customer=customer).exclude(reason="").exists()


def test_erasure_reaches_the_audit_copies_and_the_access_log(client, admin_user, customer, history):
    dumped = dump_audit(customer, history)
    assert "김영희" in dumped and "CRM-77" in dumped  # there before
    client.force_login(admin_user)
    client.post(erase_url(customer), {"confirm": "on"})
    dumped = dump_audit(customer, history)
    for text in personal_strings():
        assert text not in dumped, text
    assert "[erased]" in dumped
    reprs = list(AccessLog.objects.filter(customer=customer).values_list("object_repr", flat=True))
    assert reprs and all("김영희" not in text for text in reprs)
    erase = AccessLog.objects.filter(action=Action.ERASE_CUSTOMER).get()
    assert (erase.user, erase.customer, erase.rows) == (admin_user, customer, 2)
    assert erase.object_repr == f"Erased customer #{customer.pk}"


def test_the_erased_customers_history_still_says_who_erased_it(
    client, admin_user, customer, history
):
    client.force_login(admin_user)
    client.post(erase_url(customer), {"confirm": "on"})
    newest = LogEntry.objects.get_for_object(customer).order_by("-timestamp", "-id").first()
    assert newest.actor == admin_user
    assert newest.changes["name"] == ["[erased]", f"Erased customer #{customer.pk}"]
    assert "erased_at" in newest.changes


def test_erasure_is_all_or_nothing(admin_user, customer, history, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(privacy, "redact_audit_entries", broken)
    with pytest.raises(RuntimeError):
        privacy.customer_erase(customer=customer, user=admin_user)
    customer.refresh_from_db()
    assert customer.name == "김영희" and customer.erased_at is None
    first, _second = history
    first.refresh_from_db()
    assert first.summary == "Refund, 김영희"
    assert not AccessLog.objects.filter(action=Action.ERASE_CUSTOMER).exists()


def test_erasure_redacts_stored_api_responses_naming_the_customer(admin_user, customer, agent):
    stored = IdempotencyKey.objects.create(
        user=agent,
        key="k1",
        method="POST",
        path="/api/v1/customers/",
        request_hash="x",
        status_code=201,
        response_body={"id": customer.pk, "name": "김영희", "phone": PHONE, "email": EMAIL},
    )
    other = IdempotencyKey.objects.create(
        user=agent,
        key="k2",
        method="POST",
        path="/api/v1/interactions/",
        request_hash="y",
        status_code=201,
        response_body={"id": customer.pk, "customer": customer.pk + 1, "summary": "keep"},
    )
    privacy.customer_erase(customer=customer, user=admin_user)
    stored.refresh_from_db()
    other.refresh_from_db()
    assert "김영희" not in json.dumps(stored.response_body, ensure_ascii=False)
    assert stored.response_body["phone"] == ""
    assert other.response_body["summary"] == "keep"


def test_an_erased_customer_cannot_be_brought_back(client, admin_user, agent, customer):
    privacy.customer_erase(customer=customer, user=admin_user)
    customer.refresh_from_db()
    with pytest.raises(ValidationError):
        services.customer_update(customer=customer, user=agent, data={"name": "김영희"})
    with pytest.raises(ValidationError):
        privacy.customer_erase(customer=customer, user=admin_user)
    with pytest.raises(ValidationError) as error:
        services.interaction_create(
            agent=agent,
            data={
                "customer": customer,
                "channel": customer_channel(),
                "emotion_start": emotion("anger"),
            },
        )
    assert "customer" in error.value.error_dict
    client.force_login(agent)
    assert client.get(reverse("interactions:customer-edit", args=[customer.pk])).status_code == 403
    page = client.get(reverse("interactions:customer-detail", args=[customer.pk])).content.decode()
    assert "personal data was erased" in page
    assert reverse("interactions:customer-edit", args=[customer.pk]) not in page
    search = client.get(reverse("interactions:customer-search"), {"q": "Erased"}).json()
    assert search["results"] == []
    with pytest.raises(ValidationError):
        services.customer_override_archetype(
            customer=customer, user=admin_user, archetype="active_hater", note="김영희"
        )
    client.force_login(admin_user)
    admin_change = reverse("admin:interactions_customer_change", args=[customer.pk])
    assert client.post(admin_change, {"name": "김영희"}).status_code == 403
    customer.refresh_from_db()
    assert customer.name == f"Erased customer #{customer.pk}"


def customer_channel():
    from tests.factories import channel

    return channel("phone")


def test_erasing_twice_from_the_page_is_a_message_not_an_error(client, admin_user, customer):
    client.force_login(admin_user)
    client.post(erase_url(customer), {"confirm": "on"})
    response = client.post(erase_url(customer), {"confirm": "on"}, follow=True)
    assert response.status_code == 200
    assert escape(str(privacy.ERR_ALREADY_ERASED)) in response.content.decode()
    assert AccessLog.objects.filter(action=Action.ERASE_CUSTOMER).count() == 1


def test_the_erased_name_follows_the_language_of_whoever_erases(client, admin_user, customer):
    client.force_login(admin_user)
    client.post(erase_url(customer), {"confirm": "on"}, HTTP_ACCEPT_LANGUAGE="ko")
    customer.refresh_from_db()
    assert str(customer.pk) in customer.name and "김영희" not in customer.name


# --- Retention ----------------------------------------------------------------------


def test_the_retention_defaults_are_a_year_and_five_years(settings):
    assert settings.EMOTIONCARE_ACCESS_LOG_RETENTION_DAYS == 365
    assert settings.EMOTIONCARE_CUSTOMER_RETENTION_DAYS == 1825


@pytest.fixture
def aged(agent, reference):
    """An old and a recent access-log entry; a customer without contact for six years, one
    who was created long ago but called last month, and one seen recently."""
    now = timezone.now()
    long_ago = now - datetime.timedelta(days=6 * 365)
    old_entry = record_access(None, Action.EXPORT, user=agent)
    AccessLog._base_manager.filter(pk=old_entry.pk).update(at=now - datetime.timedelta(days=400))
    new_entry = record_access(None, Action.EXPORT, user=agent)
    gone = CustomerFactory(name="오래된 고객", created_at=long_ago)
    InteractionFactory(agent=agent, customer=gone, occurred_at=long_ago, summary="old call")
    Customer.objects.filter(pk=gone.pk).update(last_contact_at=long_ago)
    returning = CustomerFactory(name="돌아온 고객", created_at=long_ago)
    InteractionFactory(
        agent=agent, customer=returning, occurred_at=now - datetime.timedelta(days=30)
    )
    Customer.objects.filter(pk=returning.pk).update(last_contact_at=None)
    recent = CustomerFactory(name="최근 고객")
    return old_entry, new_entry, gone, returning, recent


def test_dry_run_counts_and_changes_nothing(aged, capsys):
    old_entry, _new, gone, _returning, _recent = aged
    call_command("purge_personal_data", "--dry-run")
    out = capsys.readouterr().out
    assert "Would delete 1 access-log entries" in out
    assert "Would erase 1 customers" in out
    assert AccessLog.objects.filter(pk=old_entry.pk).exists()
    gone.refresh_from_db()
    assert gone.erased_at is None


def test_the_purge_deletes_old_entries_and_erases_customers_without_contact(aged, capsys):
    old_entry, new_entry, gone, returning, recent = aged
    call_command("purge_personal_data")
    assert "Deleted 1 access-log entries" in capsys.readouterr().out
    assert not AccessLog.objects.filter(pk=old_entry.pk).exists()
    assert AccessLog.objects.filter(pk=new_entry.pk).exists()
    for customer in (gone, returning, recent):
        customer.refresh_from_db()
    assert gone.erased_at is not None and gone.name == f"Erased customer #{gone.pk}"
    assert Interaction.objects.get(customer=gone).summary == ""
    assert returning.erased_at is None and recent.erased_at is None
    erase = AccessLog.objects.get(action=Action.ERASE_CUSTOMER)
    assert (erase.user, erase.username, erase.customer) == (None, "", gone)


def test_the_purge_deletes_old_login_records_under_the_same_retention(reference, capsys):
    from axes.models import AccessFailureLog
    from axes.models import AccessLog as LoginLog

    now = timezone.now()
    for model in (LoginLog, AccessFailureLog):
        old = model.objects.create(username="kim", ip_address="10.0.0.1", user_agent="x")
        model.objects.filter(pk=old.pk).update(attempt_time=now - datetime.timedelta(days=400))
        model.objects.create(username="kim", ip_address="10.0.0.1", user_agent="x")
    call_command("purge_personal_data", "--dry-run")
    assert "Would delete 2 login records" in capsys.readouterr().out
    assert LoginLog.objects.count() == AccessFailureLog.objects.count() == 2
    call_command("purge_personal_data")
    assert "Deleted 2 login records" in capsys.readouterr().out
    assert LoginLog.objects.count() == AccessFailureLog.objects.count() == 1
    assert all(
        row.attempt_time > now - datetime.timedelta(days=1)
        for model in (LoginLog, AccessFailureLog)
        for row in model.objects.all()
    )


def test_the_retention_periods_come_from_settings(aged, settings):
    settings.EMOTIONCARE_ACCESS_LOG_RETENTION_DAYS = 500
    settings.EMOTIONCARE_CUSTOMER_RETENTION_DAYS = 10 * 365
    result = privacy.purge_personal_data()
    assert result.access_entries == 0 and result.customers == []


@pytest.mark.parametrize("pk", [0, 2**63, 2**63 - 1])
def test_export_and_erase_of_missing_ids_are_404(client, admin_user, pk):
    client.force_login(admin_user)
    assert client.post(f"/customers/{pk}/export/").status_code == 404
    assert client.get(f"/customers/{pk}/erase/").status_code == 404
    assert client.post(f"/customers/{pk}/erase/", {"confirm": "on"}).status_code == 404
