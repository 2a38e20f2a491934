"""The interactions list, its filters and export; the customer pages; search-as-you-type."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from interactions.models import Customer
from tests.factories import CustomerFactory, InteractionFactory, UserFactory, channel, emotion

pytestmark = pytest.mark.django_db

LIST = reverse("interactions:list")


def rows(response):
    """The table's rows on the page shown (numbered pages or, in the default order,
    the keyset page: then the table holds exactly the page's rows)."""
    table = response.context["table"]
    return list(table.page.object_list if hasattr(table, "page") else table.rows)


def pks(response):
    return {row.record.pk for row in rows(response)}


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


def test_the_seed_tables_columns_come_first(lead_client, interaction):
    table = lead_client.get(LIST).context["table"]
    assert [c.name for c in table.columns][:3] == ["customer", "emotion", "response"]


def test_agents_see_their_own_by_default_and_can_widen_to_the_team(client, agent, other_agent):
    mine = InteractionFactory(agent=agent)
    theirs = InteractionFactory(agent=other_agent)
    client.force_login(agent)
    assert pks(client.get(LIST)) == {mine.pk}
    assert pks(client.get(LIST + "?scope=team")) == {mine.pk, theirs.pk}


def test_leads_see_the_team_by_default(lead_client, agent, other_agent):
    a, b = InteractionFactory(agent=agent), InteractionFactory(agent=other_agent)
    assert pks(lead_client.get(LIST)) == {a.pk, b.pk}


def test_filters_narrow_to_exactly_the_matching_rows(lead_client, agent, other_agent):
    now = timezone.now()
    target = InteractionFactory(
        agent=agent,
        channel=channel("email"),
        emotion_start=emotion("anger"),
        emotion_end=emotion("satisfaction"),
        is_complaint=True,
        complaint_status="open",
        occurred_at=now - datetime.timedelta(days=2),
    )
    target.customer.archetype = "loyal_annoyed"
    target.customer.save()
    InteractionFactory(
        agent=other_agent,
        channel=channel("phone"),
        emotion_start=emotion("gratitude"),
        emotion_end=emotion("gratitude"),
        occurred_at=now - datetime.timedelta(days=30),
    )
    InteractionFactory(
        agent=agent, emotion_start=emotion("anger"), emotion_end=emotion("anger"), occurred_at=now
    )
    day = timezone.localtime(target.occurred_at).date().isoformat()
    for query in [
        "channel=email",
        "emotion_start=anger&emotion_end=satisfaction",
        "valence=negative&recovered=true",
        "archetype=loyal_annoyed",
        "complaint_status=open",
        "complaint_status=any",
        f"date_from={day}&date_to={day}",
        f"agent={agent.pk}&channel=email",
        f"customer={target.customer_id}",
    ]:
        assert pks(lead_client.get(f"{LIST}?{query}")) == {target.pk}, query


def test_date_range_uses_the_local_day(lead_client, agent):
    # 23:30 in Seoul on the 1st is 14:30 UTC on the 1st; 00:30 on the 2nd is 15:30 UTC the 1st.
    seoul = timezone.get_current_timezone()
    late = InteractionFactory(
        agent=agent, occurred_at=datetime.datetime(2026, 3, 1, 23, 30, tzinfo=seoul)
    )
    early = InteractionFactory(
        agent=agent, occurred_at=datetime.datetime(2026, 3, 2, 0, 30, tzinfo=seoul)
    )
    assert pks(lead_client.get(LIST + "?date_from=2026-03-01&date_to=2026-03-01")) == {late.pk}
    assert pks(lead_client.get(LIST + "?date_from=2026-03-02&date_to=2026-03-02")) == {early.pk}


def test_invalid_filter_values_give_a_message_not_a_500(lead_client, interaction):
    response = lead_client.get(LIST + "?channel=fax&date_from=not-a-date&recovered=maybe")
    assert response.status_code == 200
    assert response.context["filter"].errors


@pytest.mark.parametrize(
    "sort",
    [
        "customer",
        "-emotion",
        "response",
        "channel",
        "-agent",
        "intensity",
        "touchpoint",
        "outcome",
        "'; DROP TABLE x;--",
    ],
)
def test_every_sort_works_and_junk_sorts_are_ignored(lead_client, interaction, sort):
    assert lead_client.get(LIST, {"sort": sort}).status_code == 200


def test_sorting_by_customer_orders_the_rows_in_the_database(lead_client, agent):
    for name in ["최지우", "김영희", "박민수"]:
        InteractionFactory(agent=agent, customer=CustomerFactory(name=name))
    names = [row.record.customer.name for row in rows(lead_client.get(LIST, {"sort": "customer"}))]
    assert names == ["김영희", "박민수", "최지우"]
    names = [row.record.customer.name for row in rows(lead_client.get(LIST, {"sort": "-customer"}))]
    assert names == ["최지우", "박민수", "김영희"]


def test_pagination_never_counts_the_whole_table(
    lead_client, agent, settings, django_assert_max_num_queries
):
    settings.EMOTIONCARE_PAGE_SIZE = 5
    InteractionFactory.create_batch(12, agent=agent)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = lead_client.get(LIST + "?sort=customer&page=2")
    assert len(rows(response)) == 5
    assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)


def seed(count, agent):
    customers = CustomerFactory.create_batch(5)
    for index in range(count):
        InteractionFactory(
            agent=agent,
            customer=customers[index % 5],
            is_complaint=index % 3 == 0,
            complaint_status="open" if index % 3 == 0 else "",
        )


def test_list_query_count_is_the_same_at_10_and_500(
    client, lead, agent, django_assert_max_num_queries
):
    client.force_login(lead)
    seed(10, agent)
    # The page's rows with customer and agent, plus one query per reference table.
    with django_assert_max_num_queries(20) as small:
        client.get(LIST + "?scope=team&sort=customer")
    seed(490, agent)
    with django_assert_max_num_queries(20) as large:
        client.get(LIST + "?scope=team&sort=customer")
    assert len(small.captured_queries) == len(large.captured_queries)


def test_customer_page_query_count_is_the_same_at_10_and_500(
    client, lead, agent, django_assert_max_num_queries
):
    client.force_login(lead)
    customer = CustomerFactory()
    url = reverse("interactions:customer-detail", args=[customer.pk])
    for _ in range(10):
        InteractionFactory(agent=agent, customer=customer)
    # 15: the page's reads, plus the access-log entry it writes (docs/privacy.md).
    with django_assert_max_num_queries(15) as small:
        client.get(url)
    for _ in range(490):
        InteractionFactory(agent=agent, customer=customer)
    with django_assert_max_num_queries(15) as large:
        response = client.get(url)
    assert len(small.captured_queries) == len(large.captured_queries)
    assert len(response.context["timeline"]) == 60


def test_customer_list_query_count_is_constant(client, lead, django_assert_max_num_queries):
    client.force_login(lead)
    CustomerFactory.create_batch(10)
    with django_assert_max_num_queries(10) as small:
        client.get(reverse("interactions:customer-list"))
    CustomerFactory.create_batch(200)
    with django_assert_max_num_queries(10) as large:
        client.get(reverse("interactions:customer-list"))
    assert len(small.captured_queries) == len(large.captured_queries)


def test_no_filter_lists_every_agent_or_customer(lead_client, agent):
    before = lead_client.get(LIST).content.decode().count("<option")
    UserFactory.create_batch(30, role="agent")
    CustomerFactory.create_batch(30)
    html = lead_client.get(LIST).content.decode()
    assert html.count("<option") == before  # reference lists only: emotions, channels, ...
    assert 'data-url="/agents/search/"' in html and 'data-url="/customers/search/"' in html


def test_the_list_masks_nothing_it_does_not_show_and_links_to_customers(lead_client, interaction):
    html = lead_client.get(LIST).content.decode()
    assert interaction.customer.get_absolute_url() in html
    assert interaction.customer.phone not in html


def test_export_streams_the_filtered_rows_as_csv(lead_client, agent, other_agent):
    keep = InteractionFactory(agent=agent, channel=channel("email"), summary="=HYPERLINK(x)")
    InteractionFactory(agent=other_agent, channel=channel("phone"))
    response = lead_client.get(reverse("interactions:export") + "?channel=email")
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    data = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert [int(r["id"]) for r in data] == [keep.pk]
    assert data[0]["summary"] == "'=HYPERLINK(x)"
    assert data[0]["customer_phone"].count("*") >= 4  # masked
    assert data[0]["channel"] == "email" and data[0]["recovered"] == "yes"


def test_customer_page_shows_full_contact_details_and_the_timeline(lead_client, agent, customer):
    InteractionFactory(
        agent=agent,
        customer=customer,
        emotion_start=emotion("anger"),
        emotion_end=emotion("gratitude"),
    )
    response = lead_client.get(reverse("interactions:customer-detail", args=[customer.pk]))
    html = response.content.decode()
    assert "010-1234-5678" in html and "kim@example.com" in html
    assert len(response.context["chart"]["points"]) == 1
    point = response.context["chart"]["points"][0]
    assert point["y_start"] > point["y_end"]  # negative (low) to positive (high)


def test_customer_list_masks_phone_and_email(lead_client, customer):
    html = lead_client.get(reverse("interactions:customer-list")).content.decode()
    assert "010-****-5678" in html and "k***@example.com" in html
    assert "010-1234-5678" not in html and "kim@example.com" not in html


def test_customer_search_returns_a_few_masked_matches(lead_client, customer):
    response = lead_client.get(reverse("interactions:customer-search"), {"q": "5678"})
    results = response.json()["results"]
    assert results == [
        {
            "id": customer.pk,
            "name": "김영희",
            "phone": "010-****-5678",
            "email": "k***@example.com",
            "external_ref": "",
            "archetype": "",
        }
    ]
    assert lead_client.get(reverse("interactions:customer-search")).json() == {"results": []}


def test_agent_search_finds_people_with_a_role(lead_client, agent, no_role_user):
    results = lead_client.get(reverse("interactions:agent-search"), {"q": "agent"}).json()
    assert [r["id"] for r in results["results"]] == [agent.pk]


def test_customers_can_be_created_on_their_own_page(client, agent):
    client.force_login(agent)
    response = client.post(
        reverse("interactions:customer-new"), {"name": "  이수진 ", "phone": "010-3333-4444"}
    )
    customer = Customer.objects.get()
    assert response.url == customer.get_absolute_url()
    assert customer.name == "이수진" and customer.created_by == agent


def test_an_empty_customer_name_is_refused(client, agent):
    client.force_login(agent)
    response = client.post(reverse("interactions:customer-new"), {"name": "   "})
    assert response.status_code == 200 and "name" in response.context["form"].errors
    assert not Customer.objects.exists()


def test_history_shows_who_changed_what(client, agent, interaction):
    client.force_login(agent)
    data = {
        "customer": interaction.customer_id,
        "occurred_at": timezone.localtime(interaction.occurred_at).strftime("%Y-%m-%dT%H:%M"),
        "channel": interaction.channel_id,
        "emotion_start": interaction.emotion_start_id,
        "intensity": "5",
        "summary": "corrected summary",
    }
    response = client.post(reverse("interactions:edit", args=[interaction.pk]), data)
    assert response.status_code == 302
    page = client.get(reverse("interactions:detail", args=[interaction.pk]))
    history = list(page.context["history"])
    assert history[0].actor == agent
    assert "corrected summary" in page.content.decode()
