"""/api/v1/interactions/: logging and correcting through the services (phrase warnings,
archetype, nudges), who may change what, filters, times with offsets, the cursor, the
access log and a fixed number of queries."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from interactions.models import AccessLog, BreakNudge, Customer, Interaction
from tests.api_support import API, interaction_body, session_client, token_client
from tests.factories import (
    CustomerFactory,
    InteractionFactory,
    ResponseTemplateFactory,
    channel,
    emotion,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Users are created with a password: hash it quickly in tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


LIST = f"{API}/interactions/"
FIELDS = {
    "id",
    "customer",
    "agent",
    "occurred_at",
    "channel",
    "touchpoint",
    "emotion_start",
    "emotion_end",
    "intensity",
    "cues",
    "summary",
    "is_complaint",
    "complaint_status",
    "response_template",
    "response_text",
    "outcome",
    "follow_up_on",
    "created_at",
    "recovered",
    "phrase_warnings",
}


def detail(pk) -> str:
    return f"{API}/interactions/{pk}/"


@pytest.fixture
def clients(agent, other_agent, lead, admin_user):
    return {
        "agent": session_client(agent),
        "other_agent": session_client(other_agent),
        "lead": session_client(lead),
        "admin": session_client(admin_user),
        "token": token_client(agent),
    }


# --- Writing ----------------------------------------------------------------------


def test_every_role_logs_an_interaction_for_themselves(clients, customer):
    expected_agent = {"token": "agent_a", "agent": "agent_a", "other_agent": "agent_b"}
    expected_agent |= {"lead": "lead", "admin": "boss"}
    for role, client in clients.items():
        response = client.post(LIST, interaction_body(customer))
        assert response.status_code == 201, (role, response.content)
        body = response.json()
        assert set(body) == FIELDS
        saved = Interaction.objects.get(pk=body["id"])
        assert body["agent"] == saved.agent_id
        assert saved.agent.username == expected_agent[role]
        assert (saved.channel.code, saved.emotion_start.code, saved.emotion_end.code) == (
            "phone",
            "anger",
            "neutral",
        )
        assert body["recovered"] is True and saved.recovered is True
        assert saved.cues == ["words", "tone"]


def test_the_answer_carries_codes_and_times_with_offsets(clients, customer):
    body = interaction_body(
        customer, occurred_at="2025-03-01T05:30:00Z", touchpoint="delivery", cues=[]
    )
    created = clients["agent"].post(LIST, body).json()
    assert created["touchpoint"] == "delivery"
    assert created["occurred_at"] == "2025-03-01T14:30:00+09:00"  # the same moment, local
    saved = Interaction.objects.get(pk=created["id"])
    assert saved.occurred_at == dt.datetime(2025, 3, 1, 5, 30, tzinfo=dt.UTC)


def test_the_phrase_guide_warns_and_never_blocks(clients, customer):
    body = interaction_body(customer, response_text="Unfortunately we cannot do that.")
    response = clients["agent"].post(LIST, body)
    assert response.status_code == 201
    warnings = response.json()["phrase_warnings"]
    assert [w["code"] for w in warnings] == ["unfortunately"]
    assert set(warnings[0]) == {"rule_id", "code", "language", "start", "end", "text"}


def test_logging_refreshes_the_customers_archetype_suggestion(clients, customer):
    clients["agent"].post(LIST, interaction_body(customer))
    customer.refresh_from_db()
    assert customer.archetype_basis  # the rules looked at the new history
    assert customer.last_contact_at is not None


def test_a_run_of_negative_calls_offers_a_break_as_from_the_page(clients, customer, agent):
    for _ in range(3):
        body = interaction_body(customer, emotion_end="anger")
        assert clients["agent"].post(LIST, body).status_code == 201
    assert BreakNudge.objects.filter(agent=agent).count() == 1


def test_a_complaint_without_status_opens_and_other_contacts_have_none(clients, customer):
    complaint = clients["agent"].post(LIST, interaction_body(customer, is_complaint=True)).json()
    assert complaint["complaint_status"] == "open"
    plain = (
        clients["agent"].post(LIST, interaction_body(customer, complaint_status="resolved")).json()
    )
    assert plain["is_complaint"] is False and plain["complaint_status"] == ""


def test_templates_are_referenced_by_id_and_only_those_the_caller_may_use(
    clients, customer, other_agent
):
    team = ResponseTemplateFactory()
    private = ResponseTemplateFactory(owner=other_agent)
    ok = clients["agent"].post(LIST, interaction_body(customer, response_template=team.pk))
    assert ok.status_code == 201 and ok.json()["response_template"] == team.pk
    refused = clients["agent"].post(LIST, interaction_body(customer, response_template=private.pk))
    assert refused.status_code == 400 and "response_template" in refused.json()


BAD_INTERACTIONS = [
    ({"customer": None}, "customer"),
    ({"customer": 0}, "customer"),
    ({"customer": 2**63}, "customer"),
    ({"customer": 10**30}, "customer"),
    ({"customer": "junk"}, "customer"),
    ({"customer": True}, "customer"),
    ({"customer": 1.5}, "customer"),
    ({"occurred_at": "2025-03-01T14:30:00"}, "occurred_at"),
    ({"occurred_at": "2025-03-01"}, "occurred_at"),
    ({"occurred_at": "yesterday"}, "occurred_at"),
    ({"occurred_at": "2025-02-30T10:00:00+09:00"}, "occurred_at"),
    ({"occurred_at": "9999-12-31T23:59:59-23:59"}, "occurred_at"),
    ({"occurred_at": 1740787200}, "occurred_at"),
    ({"occurred_at": "2999-01-01T00:00:00+09:00"}, "occurred_at"),
    ({"channel": "pigeon"}, "channel"),
    ({"channel": "phone\x00"}, "channel"),
    ({"channel": 3}, "channel"),
    ({"touchpoint": "moon"}, "touchpoint"),
    ({"emotion_start": None}, "emotion_start"),
    ({"emotion_start": "furious"}, "emotion_start"),
    ({"emotion_end": ["anger"]}, "emotion_end"),
    ({"intensity": 0}, "intensity"),
    ({"intensity": 6}, "intensity"),
    ({"intensity": 2**63}, "intensity"),
    ({"intensity": "high"}, "intensity"),
    ({"cues": ["telepathy"]}, "cues"),
    ({"cues": "words"}, "cues"),
    ({"cues": ["words", "words"]}, "cues"),
    ({"summary": "s" * 4001}, "summary"),
    ({"response_text": "r" * 4001}, "response_text"),
    ({"complaint_status": "lost"}, "complaint_status"),
    ({"outcome": "ecstatic"}, "outcome"),
    ({"follow_up_on": "next week"}, "follow_up_on"),
    ({"follow_up_on": "2020-01-01"}, "follow_up_on"),
    ({"response_template": 2**63}, "response_template"),
    ({"is_complaint": "perhaps"}, "is_complaint"),
]


def test_bad_input_is_400_naming_the_field_and_writes_nothing(clients, customer):
    for overrides, field in BAD_INTERACTIONS:
        response = clients["token"].post(LIST, interaction_body(customer) | overrides)
        assert response.status_code == 400, (overrides, response.content)
        assert field in response.json(), (overrides, response.content)
    assert not Interaction.objects.exists()


def test_a_naive_time_is_refused_with_a_message_naming_the_offset(clients, customer):
    response = clients["agent"].post(
        LIST, interaction_body(customer, occurred_at="2025-03-01T14:30:00")
    )
    assert response.status_code == 400
    assert "offset" in response.json()["occurred_at"][0]


def test_a_time_before_1900_is_refused_as_by_the_log_form_and_the_import(clients, customer):
    before = Interaction.objects.count()
    response = clients["agent"].post(
        LIST, interaction_body(customer, occurred_at="1000-01-01T00:00:00+09:00")
    )
    assert response.status_code == 400
    assert "occurred_at" in response.json()
    assert Interaction.objects.count() == before


def test_maximum_lengths_are_accepted(clients, customer):
    body = interaction_body(customer, summary="가" * 4000, response_text="😀" * 4000)
    assert clients["agent"].post(LIST, body).status_code == 201


def test_a_body_that_is_not_json_is_400_or_415(clients):
    client = clients["agent"]
    assert client.post(LIST, "{not json", content_type="application/json").status_code == 400
    assert client.post(LIST, "a=b", content_type="text/plain").status_code == 415
    assert client.post(LIST, [1, 2]).status_code == 400


# --- Correcting -------------------------------------------------------------------


def test_an_agent_corrects_their_own_interaction(clients, interaction):
    response = clients["agent"].patch(detail(interaction.pk), {"emotion_end": "gratitude"})
    assert response.status_code == 200, response.content
    interaction.refresh_from_db()
    assert interaction.emotion_end.code == "gratitude"
    assert interaction.end_valence == "positive"
    assert response.json()["emotion_end"] == "gratitude"


def test_agent_b_cannot_change_agent_as_interaction(clients, interaction):
    before = Interaction.objects.values().get(pk=interaction.pk)
    response = clients["other_agent"].patch(detail(interaction.pk), {"summary": "changed by B"})
    assert response.status_code == 403
    assert "only change interactions you logged yourself" in response.json()["detail"]
    assert Interaction.objects.values().get(pk=interaction.pk) == before


def test_agent_b_gets_403_even_with_a_bad_body(clients, interaction):
    """The permission is checked before the input: B learns nothing from validation."""
    response = clients["other_agent"].patch(detail(interaction.pk), {"intensity": 99})
    assert response.status_code == 403


def test_leads_and_admins_change_anyones_interaction(clients, interaction):
    for role in ("lead", "admin"):
        summary = f"Checked by {role}"
        response = clients[role].patch(detail(interaction.pk), {"summary": summary})
        assert response.status_code == 200, role
        interaction.refresh_from_db()
        assert interaction.summary == summary
        assert interaction.agent.username == "agent_a"  # the agent stays who logged it


def test_a_correction_is_validated_against_the_stored_values(clients, interaction):
    stored_day = timezone.localtime(interaction.occurred_at).date()
    earlier = (stored_day - dt.timedelta(days=1)).isoformat()
    response = clients["agent"].patch(detail(interaction.pk), {"follow_up_on": earlier})
    assert response.status_code == 400 and "follow_up_on" in response.json()


def test_moving_an_interaction_to_another_customer(clients, interaction):
    other = CustomerFactory()
    response = clients["agent"].patch(detail(interaction.pk), {"customer": other.pk})
    assert response.status_code == 200
    interaction.refresh_from_db()
    assert interaction.customer == other


def test_put_and_delete_are_not_allowed(clients, interaction):
    assert clients["admin"].put(detail(interaction.pk), {}).status_code == 405
    assert clients["admin"].delete(detail(interaction.pk)).status_code == 405
    assert Interaction.objects.filter(pk=interaction.pk).exists()


# --- Reading ----------------------------------------------------------------------


def test_every_role_reads_every_interaction_and_the_view_is_logged(clients, interaction):
    for role, client in clients.items():
        response = client.get(detail(interaction.pk))
        assert response.status_code == 200, role
        assert set(response.json()) == FIELDS
        entry = AccessLog.objects.first()  # newest first
        assert entry.action == AccessLog.Action.VIEW_INTERACTION
        assert entry.customer_id == interaction.customer_id
    assert AccessLog.objects.count() == len(clients)


def test_anonymous_reads_nothing(interaction):
    assert APIClient().get(detail(interaction.pk)).status_code == 401
    assert APIClient().patch(detail(interaction.pk), {"summary": "x"}).status_code == 401


def test_ids_that_cannot_exist_are_404(clients):
    for bad_id in ["-1", "0", str(2**63), "junk"]:
        assert clients["lead"].get(f"{API}/interactions/{bad_id}/").status_code == 404
        assert clients["lead"].patch(f"{API}/interactions/{bad_id}/", {}).status_code == 404


# --- Filters ----------------------------------------------------------------------


@pytest.fixture
def logged(agent, other_agent, customer):
    """Four interactions a day apart, the newest first in this list."""
    now = timezone.now().replace(microsecond=0)
    other = CustomerFactory()
    return [
        InteractionFactory(agent=agent, customer=customer, occurred_at=now),
        InteractionFactory(
            agent=other_agent,
            customer=customer,
            occurred_at=now - dt.timedelta(days=1),
            channel=channel("email"),
            emotion_start=emotion("gratitude"),
            emotion_end=None,
        ),
        InteractionFactory(
            agent=agent,
            customer=other,
            occurred_at=now - dt.timedelta(days=2),
            emotion_end=emotion("anger"),
        ),
        InteractionFactory(
            agent=other_agent, customer=other, occurred_at=now - dt.timedelta(days=3)
        ),
    ]


def ids(client, **params) -> list[int]:
    response = client.get(LIST, params)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_filters(clients, logged, agent, customer):
    client = clients["lead"]
    a, b, c, d = (i.pk for i in logged)
    assert ids(client) == [a, b, c, d]
    assert ids(client, customer=customer.pk) == [a, b]
    assert ids(client, agent=agent.pk) == [a, c]
    assert ids(client, channel="email") == [b]
    assert ids(client, emotion_start="gratitude") == [b]
    assert ids(client, emotion_end="anger") == [c]
    since = (logged[2].occurred_at).isoformat()
    until = (logged[0].occurred_at).isoformat()
    assert ids(client, since=since, until=until) == [b, c]
    assert ids(client, since=since, agent=agent.pk) == [a, c]


def test_an_offset_written_with_a_bare_plus_still_parses(clients, logged):
    """A "+" that the client did not encode reaches us as a space."""
    moment = timezone.localtime(logged[1].occurred_at).strftime("%Y-%m-%dT%H:%M:%S")
    response = clients["agent"].get(f"{LIST}?since={moment}+09:00")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 2


BAD_FILTERS = [
    ({"since": "2025-03-01T00:00:00"}, "since"),
    ({"until": "2025-03-01"}, "until"),
    ({"since": "soon"}, "since"),
    ({"customer": "junk"}, "customer"),
    ({"customer": "-1"}, "customer"),
    ({"agent": str(2**63)}, "agent"),
    ({"channel": "pigeon"}, "channel"),
    ({"emotion_start": "x\x00"}, "emotion_start"),
    ({"emotion_end": "'; DROP TABLE x; --"}, "emotion_end"),
    ({"cursor": "older:junk"}, "cursor"),
    ({"cursor": "sideways:1.1"}, "cursor"),
    ({"cursor": "older:99999999999999999999999.1"}, "cursor"),
]


def test_a_bad_filter_is_400_naming_it(clients, logged):
    for params, field in BAD_FILTERS:
        response = clients["agent"].get(LIST, params)
        assert response.status_code == 400, params
        assert field in response.json(), params


def test_unknown_parameters_and_sort_injection_are_ignored(clients, logged):
    assert len(ids(clients["agent"], ordering="-id; DROP TABLE x", sort="id")) == 4


# --- Cursor pagination ------------------------------------------------------------


def test_the_cursor_walks_every_row_once_in_both_directions(clients, agent, customer):
    now = timezone.now()
    same_moment = now - dt.timedelta(hours=1)
    made = [InteractionFactory(agent=agent, customer=customer, occurred_at=same_moment)]
    made += [
        InteractionFactory(
            agent=agent, customer=customer, occurred_at=now - dt.timedelta(minutes=n)
        )
        for n in range(6)
    ]
    made += [InteractionFactory(agent=agent, customer=customer, occurred_at=same_moment)]
    expected = list(
        Interaction.objects.order_by("-occurred_at", "-id").values_list("id", flat=True)
    )
    client = clients["agent"]
    pages, url = [], f"{LIST}?page_size=3"
    while url:
        page = client.get(url).json()
        pages.append(page)
        url = page["next"]
    assert [row["id"] for page in pages for row in page["results"]] == expected
    assert [len(page["results"]) for page in pages] == [3, 3, 2]
    assert pages[0]["previous"] is None
    back = client.get(pages[2]["previous"]).json()
    assert back["results"] == pages[1]["results"]
    assert client.get(back["previous"]).json()["results"] == pages[0]["results"]


def test_a_row_logged_meanwhile_does_not_shift_the_next_page(clients, agent, customer):
    now = timezone.now()
    for n in range(4):
        InteractionFactory(agent=agent, customer=customer, occurred_at=now - dt.timedelta(hours=n))
    client = clients["agent"]
    first = client.get(LIST, {"page_size": 2}).json()
    InteractionFactory(agent=agent, customer=customer, occurred_at=now + dt.timedelta(minutes=1))
    second = client.get(first["next"]).json()
    first_ids = {row["id"] for row in first["results"]}
    assert len(second["results"]) == 2
    assert not first_ids & {row["id"] for row in second["results"]}


def test_the_list_runs_a_fixed_number_of_queries(agent, customer, django_assert_max_num_queries):
    client = token_client(agent)
    template = ResponseTemplateFactory()
    InteractionFactory.create_batch(3, agent=agent, customer=customer, response_template=template)
    with django_assert_max_num_queries(14) as small:
        assert (
            client.get(LIST, {"channel": "phone", "since": "2000-01-01T00:00:00Z"}).status_code
            == 200
        )
    for n in range(40):
        InteractionFactory(
            agent=agent,
            customer=CustomerFactory(),
            touchpoint=None,
            emotion_end=emotion("gratitude") if n % 2 else None,
            response_template=template,
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(
            LIST, {"channel": "phone", "since": "2000-01-01T00:00:00Z", "page_size": 50}
        )
    assert len(response.json()["results"]) == 43


def test_customers_of_listed_interactions_are_ids_not_masked_contacts(clients, interaction):
    row = clients["agent"].get(LIST).json()["results"][0]
    assert row["customer"] == interaction.customer_id
    assert "phone" not in row
    assert Customer.objects.count() == 1


def test_writes_with_a_token_name_the_caller_in_the_audit_trail(agent, lead, customer):
    from auditlog.models import LogEntry

    created = token_client(agent).post(LIST, interaction_body(customer)).json()
    token_client(lead).patch(detail(created["id"]), {"summary": "Reviewed"})
    interaction = Interaction.objects.get(pk=created["id"])
    entries = LogEntry.objects.get_for_object(interaction).order_by("timestamp", "id")
    assert [(e.action, e.actor) for e in entries] == [
        (LogEntry.Action.CREATE, agent),
        (LogEntry.Action.UPDATE, lead),
    ]
