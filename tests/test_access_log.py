"""The access log of personal data (interactions/access.py, privacy_views.py): what is
recorded, who reads it, and that nobody changes it."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from interactions.access import Action, record_access
from interactions.models import AccessLog, AccessLogImmutable
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

ACCESS_LOG = reverse("interactions:access-log")
EXPORT = reverse("interactions:access-log-export")
REVEAL = reverse("interactions:customer-reveal-phone")


def entry(user, action=Action.VIEW_CUSTOMER, customer=None, at=None):
    log = record_access(None, action, customer=customer, user=user)
    if at is not None:  # backdate (tests only): the model refuses updates
        AccessLog._base_manager.filter(pk=log.pk).update(at=at)
    return log


# --- What is recorded ---------------------------------------------------------------


def test_the_customer_page_records_one_view(client, agent, customer):
    client.force_login(agent)
    url = reverse("interactions:customer-detail", args=[customer.pk])
    assert client.get(url, REMOTE_ADDR="10.0.0.7").status_code == 200
    log = AccessLog.objects.get()
    assert (log.user, log.username, log.action) == (agent, "agent_a", Action.VIEW_CUSTOMER)
    assert (log.customer, log.object_repr, log.path, log.ip) == (
        customer,
        "김영희",
        url,
        "10.0.0.7",
    )


def test_the_interaction_page_records_one_view_with_its_customer(client, lead, interaction):
    client.force_login(lead)
    assert client.get(reverse("interactions:detail", args=[interaction.pk])).status_code == 200
    log = AccessLog.objects.get()
    assert (log.action, log.customer_id, log.user) == (
        Action.VIEW_INTERACTION,
        interaction.customer_id,
        lead,
    )
    assert log.object_repr == str(interaction)


def test_the_customer_edit_form_shows_contact_details_and_records_a_view(client, agent, customer):
    client.force_login(agent)
    client.get(reverse("interactions:customer-edit", args=[customer.pk]))
    assert AccessLog.objects.get().action == Action.VIEW_CUSTOMER


@pytest.mark.parametrize(
    "url",
    [
        reverse("interactions:list"),
        reverse("interactions:customer-list"),
        reverse("interactions:customer-search") + "?q=김",
        reverse("interactions:home"),
    ],
)
def test_lists_and_search_record_nothing(client, agent, interaction, url):
    client.force_login(agent)
    assert client.get(url).status_code == 200
    assert not AccessLog.objects.exists()


def test_a_missing_customer_records_nothing(client, agent):
    client.force_login(agent)
    assert client.get(reverse("interactions:customer-detail", args=[999])).status_code == 404
    assert not AccessLog.objects.exists()


# --- Revealing a masked phone ---------------------------------------------------------


def test_revealing_a_phone_returns_it_and_records_the_reveal(client, agent, customer):
    client.force_login(agent)
    response = client.post(REVEAL, {"customer": customer.pk})
    assert response.status_code == 200
    assert response.json() == {"phone": "010-1234-5678"}
    assert "no-store" in response["Cache-Control"]
    log = AccessLog.objects.get()
    assert (log.action, log.customer, log.user) == (Action.REVEAL_PHONE, customer, agent)


@pytest.mark.parametrize(("value", "status"), [("", 400), ("abc", 400), ("-1", 400), ("999", 404)])
def test_revealing_an_unknown_customer_is_a_4xx(client, agent, value, status):
    client.force_login(agent)
    assert client.post(REVEAL, {"customer": value}).status_code == status
    assert not AccessLog.objects.exists()


def test_revealing_is_post_only_and_needs_a_role(client, agent, no_role_user, customer):
    client.force_login(agent)
    assert client.get(REVEAL, {"customer": customer.pk}).status_code == 405
    client.force_login(no_role_user)
    assert client.post(REVEAL, {"customer": customer.pk}).status_code == 403
    client.logout()
    assert client.post(REVEAL, {"customer": customer.pk}).status_code == 302
    assert not AccessLog.objects.exists()


def test_a_customer_without_a_phone_reveals_nothing_and_records_nothing(client, agent):
    customer = CustomerFactory(phone="")
    client.force_login(agent)
    assert client.post(REVEAL, {"customer": customer.pk}).json() == {"phone": ""}
    assert not AccessLog.objects.exists()


def test_the_log_form_offers_show_number_for_a_chosen_customer(client, agent, customer):
    client.force_login(agent)
    page = client.get(reverse("interactions:new") + f"?customer={customer.pk}").content.decode()
    assert "010-****-5678" in page and "010-1234-5678" not in page
    assert "data-reveal-phone" in page and f'data-url="{REVEAL}"' in page
    assert 'data-has-phone="1"' in page


# --- The access-log page ------------------------------------------------------------------


def test_agents_get_403_on_the_access_log_and_its_export(client, agent):
    client.force_login(agent)
    assert client.get(ACCESS_LOG).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_leads_and_admins_read_the_access_log(client, lead, admin_user, customer):
    entry(lead, customer=customer)
    for user in (lead, admin_user):
        client.force_login(user)
        response = client.get(ACCESS_LOG)
        assert response.status_code == 200
        assert "김영희" in response.content.decode()


def test_the_access_log_link_is_in_the_nav_for_leads_only(client, agent, lead):
    client.force_login(agent)
    assert ACCESS_LOG not in client.get(reverse("interactions:list")).content.decode()
    client.force_login(lead)
    assert ACCESS_LOG in client.get(reverse("interactions:list")).content.decode()


def test_the_access_log_is_newest_first_and_filters(client, lead, agent, other_agent, customer):
    now = timezone.now()
    old = entry(agent, customer=customer, at=now - datetime.timedelta(days=10))
    reveal = entry(other_agent, Action.REVEAL_PHONE, customer=customer)
    other = entry(agent, Action.EXPORT)
    client.force_login(lead)

    def shown(**params):
        table = client.get(ACCESS_LOG, params).context["table"]
        return [row.record.pk for row in table.paginated_rows]

    assert shown() == [other.pk, reveal.pk, old.pk]
    assert shown(user=agent.pk) == [other.pk, old.pk]
    assert shown(action=Action.REVEAL_PHONE) == [reveal.pk]
    assert shown(customer=customer.pk) == [reveal.pk, old.pk]
    today = timezone.localdate()
    assert shown(date_from=today.isoformat()) == [other.pk, reveal.pk]
    assert shown(date_to=(today - datetime.timedelta(days=5)).isoformat()) == [old.pk]


def test_bad_filters_are_a_message_not_an_error(client, lead):
    client.force_login(lead)
    response = client.get(ACCESS_LOG, {"date_from": "yesterday", "action": "nope", "user": "x"})
    assert response.status_code == 200
    assert client.get(EXPORT, {"date_from": "yesterday"}).status_code == 400


def test_the_access_log_query_count_does_not_grow(
    client, lead, agent, customer, django_assert_max_num_queries
):
    client.force_login(lead)
    for _ in range(3):
        entry(agent, customer=customer)
    with django_assert_max_num_queries(12) as few:
        client.get(ACCESS_LOG, {"customer": customer.pk, "user": agent.pk})
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                user=agent, username="agent_a", action=Action.VIEW_CUSTOMER, customer=customer
            )
            for _ in range(120)
        ]
    )
    with django_assert_max_num_queries(12) as many:
        response = client.get(ACCESS_LOG, {"customer": customer.pk, "user": agent.pk})
    assert len(response.context["table"].paginated_rows) == 50
    assert len(many.captured_queries) == len(few.captured_queries)
    assert not any("COUNT(" in q["sql"].upper() for q in many.captured_queries)


def test_the_csv_export_lists_the_filtered_entries_and_is_itself_recorded(
    client, lead, agent, customer
):
    entry(agent, Action.REVEAL_PHONE, customer=customer)
    entry(agent, Action.VIEW_INTERACTION, customer=customer)
    client.force_login(lead)
    response = client.get(EXPORT, {"action": Action.REVEAL_PHONE})
    assert response["Content-Disposition"] == 'attachment; filename="access-log.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["at", "user", "action", "customer_id", "object", "rows", "path", "ip"]
    assert [row[1:5] for row in rows[1:]] == [
        ["agent_a", "reveal_phone", str(customer.pk), "김영희"]
    ]
    export = AccessLog.objects.filter(action=Action.EXPORT).get()
    assert export.user == lead and export.path.startswith(EXPORT)


# --- Nobody changes it --------------------------------------------------------------------


def test_an_entry_cannot_be_changed_or_deleted(agent, customer):
    log = entry(agent, customer=customer)
    log.object_repr = "someone else"
    with pytest.raises(AccessLogImmutable):
        log.save()
    with pytest.raises(AccessLogImmutable):
        log.delete()
    with pytest.raises(AccessLogImmutable):
        AccessLog.objects.all().delete()
    with pytest.raises(AccessLogImmutable):
        AccessLog.objects.update(username="x")
    with pytest.raises(AccessLogImmutable):
        AccessLog.objects.update(erasure=True, username="x")  # erasure blanks names only
    log.refresh_from_db()
    assert log.object_repr == "김영희" and AccessLog.objects.count() == 1


def test_deleting_a_user_or_customer_keeps_their_entries(agent):
    customer = CustomerFactory(name="지나")
    entry(agent, customer=customer)
    customer.delete()
    agent.delete()
    log = AccessLog.objects.get()
    assert (log.user, log.customer, log.username, log.object_repr) == (
        None,
        None,
        "agent_a",
        "지나",
    )


def test_the_django_admin_shows_the_access_log_read_only(client, admin_user, agent, customer):
    log = entry(agent, customer=customer)
    client.force_login(admin_user)
    assert client.get(reverse("admin:interactions_accesslog_changelist")).status_code == 200
    assert client.get(reverse("admin:interactions_accesslog_add")).status_code == 403
    change = client.get(reverse("admin:interactions_accesslog_change", args=[log.pk]))
    assert change.status_code == 200 and b'name="_save"' not in change.content
    posted = client.post(
        reverse("admin:interactions_accesslog_change", args=[log.pk]), {"username": "x"}
    )
    assert posted.status_code == 403
    delete = reverse("admin:interactions_accesslog_delete", args=[log.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AccessLog.objects.get().username == "agent_a"


def test_no_view_changes_an_entry(client, lead, agent, customer):
    log = entry(agent, customer=customer)
    client.force_login(lead)
    for method in (client.post, client.put, client.delete):
        assert method(ACCESS_LOG).status_code == 405
    assert AccessLog.objects.get().pk == log.pk
