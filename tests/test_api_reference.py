"""/api/v1/emotions/, /channels/, /templates/, /templates/suggest/ and /stats/summary/."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from interactions.models import Archetype, Emotion
from tests.api_support import API, session_client, token_client
from tests.factories import CustomerFactory, InteractionFactory, ResponseTemplateFactory, emotion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Users are created with a password: hash it quickly in tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clients(agent, other_agent, lead, admin_user):
    return {
        "agent": session_client(agent),
        "other_agent": session_client(other_agent),
        "lead": session_client(lead),
        "admin": session_client(admin_user),
        "token": token_client(agent),
    }


def test_every_role_reads_the_emotions_with_their_codes(clients):
    for role, client in clients.items():
        body = client.get(f"{API}/emotions/").json()
        codes = [row["code"] for row in body["results"]]
        assert set(codes) == set(Emotion.objects.values_list("code", flat=True)), role
        anger = next(row for row in body["results"] if row["code"] == "anger")
        assert anger["valence"] == "negative"
        assert anger["name_ko"] and anger["name_en"] == "Anger"
        assert body["next"] is None and body["previous"] is None


def test_names_follow_the_requests_language(clients):
    english = clients["agent"].get(f"{API}/emotions/").json()["results"][0]
    korean = clients["agent"].get(f"{API}/emotions/", HTTP_ACCEPT_LANGUAGE="ko").json()
    assert korean["results"][0]["name"] == english["name_ko"]


def test_every_role_reads_the_channels(clients):
    for role, client in clients.items():
        rows = client.get(f"{API}/channels/").json()["results"]
        phone = next(row for row in rows if row["code"] == "phone")
        assert phone["response_target_hours"] == 24, role
        codes = {row["code"] for row in rows}
        assert codes >= {"phone", "email", "sms", "chat", "in_person", "letter"}


def test_reference_lists_are_read_only_and_need_a_login(clients):
    for path in ["/emotions/", "/channels/", "/templates/"]:
        assert clients["admin"].post(API + path, {"code": "x"}).status_code == 405, path
    for path in ["/emotions/", "/channels/", "/templates/", "/stats/summary/"]:
        assert APIClient().get(API + path).status_code == 401, path


# --- Templates --------------------------------------------------------------------


def test_templates_are_the_teams_and_the_callers_own_never_anothers(clients, agent, other_agent):
    mine = ResponseTemplateFactory(owner=agent, title="Mine")
    theirs = ResponseTemplateFactory(owner=other_agent, title="Theirs")
    team = ResponseTemplateFactory(title="Team", is_active=False)
    team.emotions.set([emotion("anger")])
    client = clients["agent"]
    rows = []
    url = f"{API}/templates/"
    while url:
        page = client.get(url).json()
        rows += page["results"]
        url = page["next"]
    by_id = {row["id"]: row for row in rows}
    assert mine.pk in by_id and team.pk in by_id
    assert theirs.pk not in by_id
    assert by_id[mine.pk]["personal"] is True and by_id[team.pk]["personal"] is False
    assert by_id[team.pk]["emotions"] == ["anger"]
    assert by_id[team.pk]["is_active"] is False
    lead_rows = clients["lead"].get(f"{API}/templates/", {"page_size": 200}).json()["results"]
    assert mine.pk not in {row["id"] for row in lead_rows}  # not even for a lead


def test_the_template_list_runs_a_fixed_number_of_queries(agent, django_assert_max_num_queries):
    client = token_client(agent)
    with django_assert_max_num_queries(12) as small:
        client.get(f"{API}/templates/", {"page_size": 200})
    for n in range(30):
        template = ResponseTemplateFactory(owner=agent if n % 2 else None)
        template.emotions.set([emotion("anger"), emotion("annoyance")])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(f"{API}/templates/", {"page_size": 200})


# --- Suggestions ------------------------------------------------------------------


def test_suggest_returns_ranked_rendered_templates(clients, customer):
    response = clients["token"].get(
        f"{API}/templates/suggest/",
        {"emotion": "anger", "customer": customer.pk, "channel": "phone"},
    )
    assert response.status_code == 200
    suggestions = response.json()
    assert suggestions, "the shipped templates suit anger"
    first = suggestions[0]
    assert set(first) == {"template", "title", "text", "recovery_rate", "sample_size"}
    assert "{customer_name}" not in first["text"]
    assert first["recovery_rate"] is None and first["sample_size"] == 0  # no history yet


def test_suggest_reports_a_recovery_rate_from_the_minimum_sample(clients, customer, settings):
    settings.EMOTIONCARE_RECOMMENDATION_MIN_SAMPLE = 2
    template = ResponseTemplateFactory(title="Apology")
    template.emotions.set([emotion("anger")])
    for end in ("neutral", "gratitude", "anger"):
        InteractionFactory(
            customer=customer,
            emotion_start=emotion("anger"),
            emotion_end=emotion(end),
            response_template=template,
        )
    rows = clients["agent"].get(f"{API}/templates/suggest/", {"emotion": "anger"}).json()
    row = next(item for item in rows if item["template"] == template.pk)
    assert row["sample_size"] == 3
    assert row["recovery_rate"] == pytest.approx(2 / 3)


def test_suggest_names_a_bad_parameter(clients):
    for params, field in [
        ({}, "emotion"),
        ({"emotion": "furious"}, "emotion"),
        ({"emotion": "anger", "customer": "junk"}, "customer"),
        ({"emotion": "anger", "customer": str(2**63)}, "customer"),
        ({"emotion": "anger", "customer": "999999"}, "customer"),
        ({"emotion": "anger", "channel": "pigeon"}, "channel"),
    ]:
        response = clients["agent"].get(f"{API}/templates/suggest/", params)
        assert response.status_code == 400, params
        assert field in response.json(), params


# --- Statistics -------------------------------------------------------------------


def test_the_summary_is_for_leads_and_admins(clients):
    expected = {"agent": 403, "other_agent": 403, "token": 403, "lead": 200, "admin": 200}
    for role, client in clients.items():
        assert client.get(f"{API}/stats/summary/").status_code == expected[role], role


def test_the_summary_counts_in_the_database(clients, settings):
    settings.EMOTIONCARE_DASHBOARD_MIN_SAMPLE = 2
    moment = dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC)

    def log(start, end, days=0):
        InteractionFactory(
            occurred_at=moment + dt.timedelta(days=days),
            emotion_start=emotion(start),
            emotion_end=emotion(end) if end else None,
        )

    log("anger", "neutral")  # recovered
    log("anger", "anger")  # attempt, not recovered
    log("annoyance", None)  # no end: out of the rate
    log("gratitude", "gratitude")
    log("neutral", "neutral")
    log("anger", "gratitude", days=10)  # outside the period below
    CustomerFactory(archetype=Archetype.LOYAL_ANNOYED)
    CustomerFactory(archetype=Archetype.LOYAL_ANNOYED)
    CustomerFactory(archetype=Archetype.ACTIVE_HATER)

    response = clients["admin"].get(
        f"{API}/stats/summary/",
        {"since": "2025-03-01T00:00:00Z", "until": "2025-03-05T00:00:00+09:00"},
    )
    assert response.status_code == 200
    assert response.json() == {
        "total": 5,
        "by_valence": {"positive": 1, "neutral": 1, "negative": 3},
        "recovery_rate": 0.5,
        "by_archetype": {
            "active_hater": 1,
            "extreme_critic": 0,
            "loyal_annoyed": 2,
            "loyal_enthusiast": 0,
        },
    }
    everything = clients["admin"].get(f"{API}/stats/summary/").json()
    assert everything["total"] == 6
    assert everything["recovery_rate"] == pytest.approx(2 / 3)


def test_the_rate_is_null_below_the_minimum_sample(clients, settings):
    settings.EMOTIONCARE_DASHBOARD_MIN_SAMPLE = 5
    InteractionFactory(emotion_start=emotion("anger"), emotion_end=emotion("neutral"))
    assert clients["lead"].get(f"{API}/stats/summary/").json()["recovery_rate"] is None


def test_the_summary_refuses_times_without_an_offset(clients):
    for params in [{"since": "2025-03-01T00:00:00"}, {"until": "2025-03-01"}, {"since": "x"}]:
        response = clients["lead"].get(f"{API}/stats/summary/", params)
        assert response.status_code == 400, params
        assert set(response.json()) == set(params)


def test_the_summary_runs_two_queries_whatever_the_data(lead, django_assert_max_num_queries):
    client = token_client(lead)
    with django_assert_max_num_queries(9) as small:
        client.get(f"{API}/stats/summary/")
    InteractionFactory.create_batch(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(f"{API}/stats/summary/")


def test_reference_lists_run_a_fixed_number_of_queries(agent, django_assert_max_num_queries):
    from interactions.models import Channel

    client = token_client(agent)
    with django_assert_max_num_queries(14) as small:  # two requests
        client.get(f"{API}/emotions/")
        client.get(f"{API}/channels/")
    for n in range(30):
        Emotion.objects.create(code=f"extra{n}", valence="neutral", name_en=f"E{n}", name_ko="감정")
        Channel.objects.create(code=f"extra{n}", name_en=f"C{n}", name_ko="채널")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(f"{API}/emotions/").json()["results"]) == 39
        assert len(client.get(f"{API}/channels/").json()["results"]) == 36
