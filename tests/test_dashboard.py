"""The team-lead dashboard (docs/dashboard.md): who may open it, each panel's numbers on a
small hand-built data set, click-throughs that open exactly the rows behind a number,
CSV / XLSX exports, a fixed number of queries whatever the data size, and the
definitions at their boundaries (overdue, improved, phrase hits)."""

import csv
import datetime as dt
import html
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import openpyxl
import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation

from interactions import dashboard, rollups, selectors
from interactions.dashboard import Params, Reference
from interactions.filters import InteractionFilter
from interactions.models import Channel, Customer, Interaction, SkillReview, Touchpoint
from tests.factories import (
    ArchetypeChangeFactory,
    CustomerFactory,
    InteractionFactory,
    ResponseTemplateFactory,
    UserFactory,
    channel,
    emotion,
)

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("interactions:dashboard")
LIST = reverse("interactions:list")
SEOUL = timezone.get_fixed_timezone(9 * 60)
# Two ISO weeks: Monday 2 March to Sunday 15 March 2026.
FIRST, LAST = dt.date(2026, 3, 2), dt.date(2026, 3, 15)
RANGE = {"date_from": FIRST.isoformat(), "date_to": LAST.isoformat()}


def at(day: int, hour: int = 10, minute: int = 0, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SEOUL)


def touchpoint(code: str) -> Touchpoint:
    return Touchpoint.objects.get(code=code)


def warning(code: str) -> dict:
    return {"rule_id": 1, "code": code, "language": "en", "start": 0, "end": 4, "text": "x"}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The people of these tests log in by force (or once): a quick hasher keeps setup fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


@pytest.fixture
def data(agent, other_agent, lead, admin_user):
    """Five interactions in the range and two just outside it.

    agent (Minji): a1 annoyance -> neutral (recovered, improved), a2 anger -> anger
    (attempt, not recovered), both by phone on the website, template T.
    other_agent (Jisoo): a3 neutral -> gratitude (improved) by e-mail on billing,
    a4 gratitude -> gratitude (no touchpoint, no outcome), a5 anxiety with no end,
    at 23:30 on the last local day.
    """
    template = ResponseTemplateFactory(title="Apology")
    loyal = CustomerFactory(name="Loyal One", archetype="loyal_enthusiast")
    fan = CustomerFactory(name="Big Fan")
    plain = CustomerFactory(name="Plain")
    rows = {
        "a1": InteractionFactory(
            agent=agent,
            customer=loyal,
            occurred_at=at(2),
            channel=channel("phone"),
            touchpoint=touchpoint("website"),
            emotion_start=emotion("annoyance"),
            emotion_end=emotion("neutral"),
            outcome="satisfied",
            response_template=template,
        ),
        "a2": InteractionFactory(
            agent=agent,
            customer=loyal,
            occurred_at=at(3),
            channel=channel("phone"),
            touchpoint=touchpoint("website"),
            emotion_start=emotion("anger"),
            emotion_end=emotion("anger"),
            outcome="dissatisfied",
            response_template=template,
            phrase_warnings=[warning("dont_know"), warning("dont_know")],
        ),
        "a3": InteractionFactory(
            agent=other_agent,
            customer=fan,
            occurred_at=at(9),
            channel=channel("email"),
            touchpoint=touchpoint("billing"),
            emotion_start=emotion("neutral"),
            emotion_end=emotion("gratitude"),
            outcome="indifferent",
            phrase_warnings=[warning("unfortunately")],
        ),
        "a4": InteractionFactory(
            agent=other_agent,
            customer=fan,
            occurred_at=at(10),
            channel=channel("email"),
            emotion_start=emotion("gratitude"),
            emotion_end=emotion("gratitude"),
        ),
        "a5": InteractionFactory(
            agent=other_agent,
            customer=plain,
            occurred_at=at(15, 23, 30),
            channel=channel("chat"),
            touchpoint=touchpoint("website"),
            emotion_start=emotion("anxiety"),
            emotion_end=None,
        ),
    }
    # Outside the range on either side (local days).
    InteractionFactory(agent=agent, customer=plain, occurred_at=at(1, 23, 59))
    InteractionFactory(agent=agent, customer=plain, occurred_at=at(16, 0, 30))
    SkillReview.objects.create(interaction=rows["a1"], reviewer=lead, respect=4, patience=2)
    SkillReview.objects.create(interaction=rows["a1"], reviewer=admin_user, respect=2)
    classify(loyal, "loyal_annoyed", changed_at=at(5))
    classify(fan, "loyal_enthusiast", changed_at=at(20, month=2), source="manual")  # before
    return rows


def classify(customer, archetype, *, changed_at, source="suggested") -> None:
    """A change of the customer's archetype as the app writes it: the customer, their
    history and the board's counts."""
    ArchetypeChangeFactory(
        customer=customer, archetype=archetype, previous=customer.archetype, source=source,
        changed_at=changed_at,
    )  # fmt: skip
    with rollups.track(Interaction.objects.filter(customer=customer), rollups.ARCHETYPE_KINDS):
        Customer.objects.filter(pk=customer.pk).update(archetype=archetype, archetype_source=source)
    customer.archetype = archetype


def params(**kwargs) -> Params:
    return Params(date_from=FIRST, date_to=LAST, **kwargs)


def list_count(client, href: str) -> int:
    """How many rows the interactions list shows for a link (the page, rendered)."""
    response = client.get(href)
    assert response.status_code == 200, href
    assert not response.context["filter"].errors, (href, response.context["filter"].errors)
    return response.context["filter"].qs.count()


def filtered_count(user, href: str) -> int:
    """The same rows as `list_count`, through the list's filter set without rendering."""
    url = urlparse(href)
    assert url.path == LIST, href
    filterset = InteractionFilter(
        QueryDict(url.query), queryset=selectors.interaction_list(user=user), user=user
    )
    assert filterset.is_valid(), (href, filterset.errors)
    return filterset.qs.count()


# --- Who may open it -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", [DASHBOARD, reverse("interactions:dashboard-export-csv", args=["trend"])]
)
def test_anonymous_users_are_sent_to_login(client, reference, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "url",
    [
        DASHBOARD,
        reverse("interactions:dashboard-export-csv", args=["trend"]),
        reverse("interactions:dashboard-export-xlsx", args=["trend"]),
    ],
)
@pytest.mark.parametrize("role", ["agent", "no_role_user"])
def test_agents_and_users_without_a_role_get_403(client, request, url, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", ["lead", "admin_user"])
def test_leads_and_admins_open_the_dashboard(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert 'href="/dashboard/"' in response.content.decode()  # the nav link


def test_agents_see_no_dashboard_link(client, agent):
    client.force_login(agent)
    assert 'href="/dashboard/"' not in client.get(reverse("interactions:home")).content.decode()


@pytest.mark.parametrize(
    ("role", "landing"), [("lead", "dashboard"), ("admin_user", "dashboard"), ("agent", "home")]
)
def test_login_lands_leads_on_the_dashboard_and_agents_on_the_log_form(
    client, request, role, landing
):
    user = request.getfixturevalue(role)
    response = client.post(
        reverse("login"), {"username": user.username, "password": "correct-horse-battery"}
    )
    assert response.url == reverse("interactions:start")
    assert client.get(response.url).url == reverse(f"interactions:{landing}")


def test_the_log_form_stays_reachable_for_leads(lead_client):
    assert lead_client.get(reverse("interactions:home")).status_code == 200


# --- The numbers -----------------------------------------------------------------------


def test_summary_counts_the_range_in_local_days(data):
    totals = dashboard.summary(params())
    assert totals["total"] == 5  # 23:59 on the 1st and 00:30 on the 16th are outside
    assert (totals["positive"], totals["neutral"], totals["negative"]) == (1, 1, 3)
    assert (totals["ended"], totals["improved"]) == (4, 2)
    assert (totals["attempts"], totals["recovered"]) == (2, 1)


def test_rates_are_null_below_the_minimum_sample(data, settings):
    settings.EMOTIONCARE_DASHBOARD_MIN_SAMPLE = 5
    assert dashboard.summary(params())["recovery_rate"] is None  # 2 attempts
    settings.EMOTIONCARE_DASHBOARD_MIN_SAMPLE = 2
    totals = dashboard.summary(params())
    assert totals["recovery_rate"] == 0.5
    assert totals["improved_rate"] == 0.5  # 2 of 4 with an end


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("week", [(FIRST, 2, 2), (dt.date(2026, 3, 9), 3, 1)]),
        ("month", [(dt.date(2026, 3, 1), 5, 3)]),
    ],
)
def test_emotion_trend_per_period(data, period, expected):
    trend = dashboard.emotion_trend(params(period=period))
    assert [(row["start"], row["total"], row["negative"]) for row in trend] == expected


def test_daily_trend_has_every_local_day_even_empty_ones(data):
    trend = dashboard.emotion_trend(params(period="day"))
    assert len(trend) == 14
    by_day = {row["start"]: row["total"] for row in trend}
    assert by_day[dt.date(2026, 3, 15)] == 1  # 23:30 in Seoul is still the 15th
    assert by_day[dt.date(2026, 3, 4)] == 0


def test_a_month_period_is_clipped_to_the_range():
    (item,) = dashboard.periods(params(period="month"))
    assert (item["start"], item["date_from"], item["date_to"]) == (
        dt.date(2026, 3, 1),
        FIRST,
        LAST,
    )


def test_emotion_breakdown_counts_the_emotion_at_start(data):
    rows = {row["emotion"].code: row for row in dashboard.emotion_breakdown(params(), Reference())}
    assert rows["annoyance"]["total"] == 1 and rows["annoyance"]["improved"] == 1
    assert rows["anger"]["total"] == 1 and rows["anger"]["improved"] == 0
    assert rows["anxiety"]["ended"] == 0
    assert rows["affection"]["total"] == 0  # active emotions are listed even when unused


def test_recovery_by_agent_is_alphabetical_not_a_ranking(data, agent, other_agent, settings):
    settings.EMOTIONCARE_DASHBOARD_MIN_SAMPLE = 1
    better = CustomerFactory()
    for _ in range(3):  # Jisoo recovers everything, Minji half: Jisoo still comes first
        InteractionFactory(
            agent=other_agent,
            customer=better,
            occurred_at=at(11),
            emotion_start=emotion("anger"),
            emotion_end=emotion("satisfaction"),
        )
    rows = dashboard.recovery_by_agent(params())
    assert [row["label"] for row in rows] == ["Jisoo", "Minji"]
    assert [(row["recovered"], row["attempts"]) for row in rows] == [(3, 3), (1, 2)]


def test_recovery_by_template_channel_and_archetype(data, settings):
    settings.EMOTIONCARE_DASHBOARD_MIN_SAMPLE = 1
    by_template = dashboard.recovery_by_template(params())
    assert [(r["label"], r["recovered"], r["attempts"]) for r in by_template] == [("Apology", 1, 2)]
    by_channel = dashboard.recovery_by_channel(params(), Reference())
    assert [(r["key"], r["attempts"], r["rate"]) for r in by_channel] == [("phone", 2, 0.5)]
    by_archetype = dashboard.recovery_by_archetype(params())
    assert [(r["key"], r["attempts"]) for r in by_archetype] == [("loyal_annoyed", 2)]


def test_touchpoint_outcomes(data):
    rows = {
        (row["touchpoint"].code if row["touchpoint"] else None): row
        for row in dashboard.touchpoint_outcomes(params(), Reference())
    }
    website = rows["website"]
    assert (website["satisfied"], website["dissatisfied"], website["none"]) == (1, 1, 1)
    assert rows["billing"]["indifferent"] == 1
    assert rows[None]["total"] == 1 and rows[None]["none"] == 1  # a4: no touchpoint


def test_agent_load_per_agent_and_day(data):
    rows = {row["username"]: row for row in dashboard.agent_load(params())}
    minji, jisoo = rows["agent_a"], rows["agent_b"]
    assert (minji["total"], minji["negative"], minji["active_days"]) == (2, 2, 2)
    assert minji["daily_average"] == 1.0 and minji["busiest_total"] == 1
    assert (jisoo["total"], jisoo["negative"], jisoo["active_days"]) == (3, 1, 3)
    daily = dashboard.agent_load_bins(params(), dashboard.DAY, [jisoo["agent_id"]])
    assert dt.date(2026, 3, 15) in daily[jisoo["agent_id"]]
    weekly = dashboard.agent_load_bins(params(), dashboard.WEEK, [jisoo["agent_id"]])
    # Jisoo's three days fall in the weeks of Monday 2 and Monday 9 March.
    assert sum(total for total, _negative in weekly[jisoo["agent_id"]].values()) == 3
    assert set(weekly[jisoo["agent_id"]]) <= {dt.date(2026, 3, 2), dt.date(2026, 3, 9)}
    assert list(weekly) == [jisoo["agent_id"]]  # only the agents asked for
    assert [row["name"] for row in dashboard.agent_load(params())] == ["Jisoo", "Minji"]


@pytest.mark.parametrize("rollups_on", [True, False])
def test_agent_load_of_one_agent_and_of_a_page_of_people_is_their_row_of_everyone(
    settings, data, rollups_on
):
    settings.EMOTIONCARE_DASHBOARD_ROLLUPS = rollups_on
    everyone = {row["agent_id"]: row for row in dashboard.agent_load(params())}
    assert len(everyone) == 2
    for agent_id, row in everyone.items():
        assert dashboard.agent_load(params(agent_id=agent_id)) == [row]
    first, second = dashboard.agent_load_people(params())
    assert dashboard.agent_load(params(), [second]) == [everyone[second["agent_id"]]]
    # One agent's view lists no one else, even when asked for them.
    assert dashboard.agent_load(params(agent_id=first["agent_id"]), [second]) == []


def test_skill_averages_per_period(data):
    skills = dashboard.skill_averages(params())
    assert (skills["reviews"], skills["interactions"]) == (2, 1)
    averages = {skill["code"]: skill["average"] for skill in skills["skills"]}
    assert averages["respect"] == 3 and averages["patience"] == 2
    assert averages["empathy"] is None
    assert [item["start"] for item in skills["periods"]] == [FIRST]


def test_no_skill_panel_without_reviews(lead_client, agent):
    InteractionFactory(agent=agent, occurred_at=at(3))
    response = lead_client.get(DASHBOARD, RANGE)
    assert response.context["skills"]["reviews"] == 0
    assert 'id="skills-title"' not in response.content.decode()


def test_archetype_board(data):
    classify(CustomerFactory(), "extreme_critic", changed_at=at(6))
    board = dashboard.archetype_board(params(), Reference())
    groups = {group["code"]: group for group in board["groups"]}
    assert board["groups"][0]["code"] == "loyal_annoyed"  # the group at risk comes first
    assert board["unclassified"] == 1  # "Plain"
    annoyed = groups["loyal_annoyed"]
    assert (annoyed["count"], annoyed["entered"], annoyed["left"], annoyed["change"]) == (
        1,
        1,
        0,
        1,
    )
    enthusiast = groups["loyal_enthusiast"]
    assert (enthusiast["entered"], enthusiast["left"], enthusiast["change"]) == (0, 1, -1)
    (loyal,) = annoyed["customers"]
    assert loyal["name"] == "Loyal One"
    assert loyal["trend"] == ["neutral", "negative"]  # oldest first, the end valence
    assert loyal["last_emotion"].code == "anger"
    assert groups["active_hater"]["customers"] == []
    critics = groups["extreme_critic"]  # from "not classified": entered, nothing left
    assert (critics["count"], critics["entered"], critics["left"]) == (1, 1, 0)


def test_the_board_shows_the_most_recent_customers_and_a_bounded_number(agent):
    customers = [CustomerFactory(archetype="extreme_critic") for _ in range(4)]
    for index, customer in enumerate(customers):
        InteractionFactory(agent=agent, customer=customer, occurred_at=at(2 + index))
    silent = CustomerFactory(archetype="extreme_critic")  # no contact at all: last
    board = dashboard.archetype_board(params(), Reference(), per_group=3)
    (critics,) = [g for g in board["groups"] if g["code"] == "extreme_critic"]
    assert critics["count"] == 5
    assert [c["id"] for c in critics["customers"]] == [c.pk for c in reversed(customers[1:])]
    assert silent.pk not in [c["id"] for c in critics["customers"]]


def test_board_trend_is_the_last_five_contacts(agent):
    customer = CustomerFactory(archetype="active_hater")
    valences = ["gratitude", "anger", "anger", "neutral", "anger", "anger", "gratitude"]
    for day, code in enumerate(valences, start=2):
        InteractionFactory(
            agent=agent,
            customer=customer,
            occurred_at=at(day),
            emotion_start=emotion(code),
            emotion_end=emotion(code),
        )
    board = dashboard.archetype_board(params(), Reference())
    (row,) = [g for g in board["groups"] if g["code"] == "active_hater"][0]["customers"]
    assert row["trend"] == ["negative", "neutral", "negative", "negative", "positive"]


# --- Definitions at their boundaries --------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "improved"),
    [
        ("anger", "anger", False),
        ("anger", "neutral", True),
        ("anger", "gratitude", True),
        ("neutral", "anger", False),
        ("neutral", "neutral", False),
        ("neutral", "satisfaction", True),
        ("gratitude", "gratitude", False),
        ("gratitude", "neutral", False),
        ("anger", None, False),
    ],
)
def test_improved_means_the_valence_rank_went_up(lead_client, agent, start, end, improved):
    row = InteractionFactory(
        agent=agent,
        occurred_at=at(4),
        emotion_start=emotion(start),
        emotion_end=emotion(end) if end else None,
    )
    assert dashboard.summary(params())["improved"] == int(improved)
    yes = lead_client.get(LIST, {"scope": "team", "improved": "true"}).context["filter"].qs
    no = lead_client.get(LIST, {"scope": "team", "improved": "false"}).context["filter"].qs
    assert (row in yes, row in no) == (improved, improved is False and end is not None)


def complaint(agent, occurred_at, status="open", resolved_at=None, code="phone"):
    return InteractionFactory(
        agent=agent,
        occurred_at=occurred_at,
        channel=channel(code),
        is_complaint=True,
        complaint_status=status,
        resolved_at=resolved_at,
    )


def test_a_complaint_is_overdue_only_after_its_channels_target(agent):
    now = at(14, 12)
    day = dt.timedelta(hours=24)  # phone and e-mail: 24 hours; letters: 72
    on_the_dot = complaint(agent, now - day)
    just_late = complaint(agent, now - day - dt.timedelta(seconds=1), status="in_progress")
    letter = complaint(agent, now - day - dt.timedelta(hours=1), code="letter")
    resolved = complaint(agent, now - 3 * day, status="resolved", resolved_at=now)
    data = dashboard.overdue_complaints(params(now=now), Reference())
    assert [row.pk for row in data["rows"]] == [just_late.pk]
    assert data["total"] == 1 and data["in_progress"] == 1
    assert data["rows"][0].deadline == just_late.occurred_at + day
    assert on_the_dot.pk and letter.pk and resolved.pk


@pytest.mark.parametrize("rollups_on", [True, False])
def test_overdue_counts_by_status_count_beyond_the_rows_shown(settings, agent, rollups_on):
    settings.EMOTIONCARE_DASHBOARD_ROLLUPS = rollups_on
    now = at(14, 12)
    for days in (2, 3, 4):
        complaint(agent, now - dt.timedelta(days=days))
    complaint(agent, now - dt.timedelta(days=5), status="in_progress")
    complaint(agent, now - dt.timedelta(hours=1))  # not due yet
    for view in (params(now=now), params(now=now, agent_id=agent.pk)):
        data = dashboard.overdue_complaints(view, Reference(), limit=2)
        assert (data["total"], data["open"], data["in_progress"]) == (4, 3, 1)
        assert len(data["rows"]) == 2
        assert data["rows"][0].occurred_at == now - dt.timedelta(days=5)
    nobody = dashboard.overdue_complaints(params(now=now, agent_id=agent.pk + 1000), Reference())
    assert (nobody["total"], nobody["open"], nobody["in_progress"], nobody["rows"]) == (0, 0, 0, [])


def test_overdue_complaints_come_oldest_first_whenever_they_were_logged(agent):
    now = at(14, 12)
    newer = complaint(agent, now - dt.timedelta(days=2))
    older = complaint(agent, at(1, month=1))  # long before the date range
    rows = dashboard.overdue_complaints(params(now=now), Reference())["rows"]
    assert [row.pk for row in rows] == [older.pk, newer.pk]


def test_resolved_late_counts_resolutions_after_the_target(agent):
    logged = at(3)
    complaint(agent, logged, "resolved", resolved_at=logged + dt.timedelta(hours=24))
    complaint(agent, logged, "resolved", resolved_at=logged + dt.timedelta(hours=24, seconds=1))
    complaint(agent, logged, "resolved", resolved_at=logged + dt.timedelta(hours=70), code="letter")
    assert dashboard.overdue_complaints(params(), Reference())["resolved_late"] == 1


@pytest.mark.parametrize(
    "language, late_text, target_text",
    [("en", "2 days 3 hours", "target 24 h"), ("ko", "2일 3시간", "기한 24시간")],
)
def test_an_overdue_row_shows_when_it_was_due_and_by_how_much(
    lead_client, agent, language, late_text, target_text
):
    now = timezone.now()
    late = complaint(agent, now - dt.timedelta(hours=24 + 51, minutes=5), status="in_progress")
    response = lead_client.get(DASHBOARD, headers={"accept-language": language})
    html = response.content.decode()
    row = html[html.index(late.get_absolute_url()) :]
    row = row[: row.index("</tr>")]
    assert late_text in row and target_text in row
    assert late.customer.get_absolute_url() in row and late.customer.name in row
    assert 'class="status status-in_progress"' in row
    due = timezone.localtime(late.occurred_at + dt.timedelta(hours=24)).strftime("%Y-%m-%d %H:%M")
    assert due in row


def test_each_agent_load_row_draws_its_sparkline(lead_client, agent):
    InteractionFactory(agent=agent, emotion_start=emotion("anger"))
    InteractionFactory(agent=agent, emotion_start=emotion("gratitude"))
    html = lead_client.get(DASHBOARD).content.decode()
    svg = html[html.index('<svg class="sparkline"') :]
    svg = svg[: svg.index("</svg>")]
    assert f'aria-label="{agent.first_name}: interactions per day"' in svg
    assert svg.count('class="spark-total"') == 1  # one day with interactions
    assert svg.count('class="seg seg-negative"') == 1  # half of them negative


def test_the_overdue_list_filter(lead_client, agent):
    now = timezone.now()
    late = complaint(agent, now - dt.timedelta(hours=25))
    complaint(agent, now - dt.timedelta(hours=23))
    complaint(agent, now - dt.timedelta(hours=25), status="resolved", resolved_at=now)
    qs = lead_client.get(LIST, {"scope": "team", "overdue": "yes"}).context["filter"].qs
    assert list(qs) == [late]


def test_phrase_hits_are_counted_per_rule_and_period_by_the_database(data):
    rows = dashboard.phrase_hit_rows(params())
    assert sorted((r["code"], r["period"], r["hits"], r["interactions"]) for r in rows) == [
        ("dont_know", FIRST, 2, 1),
        ("unfortunately", dt.date(2026, 3, 9), 1, 1),
    ]
    hits = {rule["code"]: rule for rule in dashboard.phrase_hits(params(), "en")}
    assert hits["dont_know"]["hits"] == 2 and hits["dont_know"]["interactions"] == 1
    assert hits["dont_know"]["phrase"] == "I don't know"
    assert list(hits) == ["dont_know", "unfortunately"]  # most hits first


def test_phrase_hits_follow_the_filters(data, agent):
    rows = dashboard.phrase_hit_rows(params(agent_id=agent.pk))
    assert [r["code"] for r in rows] == ["dont_know"]
    assert dashboard.phrase_hit_rows(params(channel=channel("chat"))) == []


def test_phrase_rules_are_named_in_the_readers_language(reference):
    assert dashboard.phrase_rule_phrases("ko")["unfortunately"] == "안타깝게도"


def test_the_phrase_rule_list_filter(lead_client, data):
    qs = lead_client.get(LIST, {"scope": "team", "phrase_rule": "dont_know"}).context["filter"].qs
    assert list(qs) == [data["a2"]]


# --- Click-throughs ---------------------------------------------------------------------


def test_every_number_on_the_dashboard_opens_exactly_its_rows(lead_client, lead, data, settings):
    settings.EMOTIONCARE_DASHBOARD_MIN_SAMPLE = 1
    now = timezone.now()
    complaint(data["a1"].agent, now - dt.timedelta(days=3))  # overdue, outside the range
    complaint(data["a1"].agent, now - dt.timedelta(days=4), status="in_progress")
    logged = at(5)  # in the range, resolved a day after its target
    complaint(data["a1"].agent, logged, "resolved", resolved_at=logged + dt.timedelta(hours=48))
    SkillReview.objects.create(interaction=data["a3"], reviewer=lead, patience=5)
    response = lead_client.get(DASHBOARD, RANGE)
    context, page = response.context, response.content.decode()
    checks = []
    summary = context["summary"]
    for key in ("total", "negative", "improved", "ended", "recovered", "attempts"):
        checks.append((summary[f"href_{key}"], summary[key]))
    checks.append((summary["href_overdue"], summary["overdue"]))
    for row in context["trend"]["rows"]:
        checks += [(row["href"], row["total"]), (row["href_improved"], row["improved"])]
        checks += [(row["href_ended"], row["ended"])]
        checks += [(part["href"], part["count"]) for part in row["valences"]]
    for row in context["emotions"]["rows"]:
        checks += [(row["href"], row["total"]), (row["href_ended"], row["ended"])]
        checks += [(row["href_improved"], row["improved"])]
    for table in context["recovery"]["tables"]:
        for row in table["rows"]:
            checks += [(row["href_attempts"], row["attempts"])]
            checks += [(row["href_recovered"], row["recovered"])]
    overdue = context["overdue"]
    assert (overdue["open"], overdue["in_progress"], overdue["resolved_late"]) == (1, 1, 1)
    checks += [(overdue["href_all"], overdue["total"]), (overdue["href_late"], 1)]
    checks += [(overdue["href_open"], 1), (overdue["href_in_progress"], 1)]
    for row in context["outcomes"]["rows"]:
        checks += [(row["href"], row["total"])]
        checks += [(href, count) for _key, count, href in row["cells"]]
    for row in context["load"]["rows"]:
        checks += [(row["href"], row["total"]), (row["href_negative"], row["negative"])]
        checks += [(row["href_busiest"], row["busiest_total"])]
    for rule in context["phrases"]["rules"]:
        checks += [(rule["href"], rule["interactions"])]
        checks += [(cell["href"], cell["interactions"]) for cell in rule["periods"]]
    skills = context["skills"]
    checks += [(skills["href"], skills["interactions"])]
    checks += [(item["href"], item["interactions"]) for item in skills["periods"]]
    # A skill's average: the interactions whose reviews scored it (respect: a1; patience:
    # a1 and a3), in all and per period, in the table and on the chart's bars.
    scored = {"respect": 1, "patience": 2}
    for row in skills["rows"]:
        if row["average"] is None:
            assert all(value is None for value, _href in row["cells"])
            continue
        checks += [(row["href"], scored[row["code"]])]
        cells = [filtered_count(lead, href) for value, href in row["cells"] if value is not None]
        assert sum(cells) == scored[row["code"]] and all(cells)
    for row in skills["rows"]:  # the chart's bar and the table's whole-range cell
        if row["average"] is not None:
            href = html.escape(row["href"])
            assert f'<a href="{href}" tabindex="-1"><rect' in page
            assert f'<a href="{href}">{row["average"]:.1f}</a>' in page
    # Each sparkline column: the agent's interactions of its days.
    for row in context["load"]["rows"]:
        spark = [html.unescape(href) for href in re.findall(r'href="([^"]+)"', row["spark_svg"])]
        assert sum(filtered_count(lead, href) for href in spark) == row["total"]
    assert len(checks) > 60
    wrong = [(href, shown, filtered_count(lead, href)) for href, shown in checks]
    assert [item for item in wrong if item[1] != item[2]] == []
    # And a few through the rendered list page itself.
    for href, shown in checks[:: len(checks) // 5]:
        assert list_count(lead_client, href) == shown


def test_click_throughs_keep_the_dashboard_filters(lead_client, data, agent):
    context = lead_client.get(DASHBOARD, {**RANGE, "agent": agent.pk, "channel": "phone"}).context
    assert context["summary"]["total"] == 2
    query = parse_qs(urlparse(context["summary"]["href_total"]).query)
    assert query["agent"] == [str(agent.pk)] and query["channel"] == ["phone"]
    assert query["date_from"] == [RANGE["date_from"]] and query["scope"] == ["team"]
    assert list_count(lead_client, context["summary"]["href_total"]) == 2


def test_recovery_rows_without_a_template_or_archetype_click_through(lead_client, agent, settings):
    settings.EMOTIONCARE_DASHBOARD_MIN_SAMPLE = 1
    InteractionFactory(
        agent=agent, occurred_at=at(4), emotion_start=emotion("anger"), emotion_end=None
    )
    InteractionFactory(agent=agent, occurred_at=at(4), emotion_start=emotion("anger"))
    tables = {t["code"]: t for t in lead_client.get(DASHBOARD, RANGE).context["recovery"]["tables"]}
    (no_template,) = tables["template"]["rows"]
    (unclassified,) = tables["archetype"]["rows"]
    assert no_template["key"] is None and unclassified["key"] is None
    for row in (no_template, unclassified):
        assert list_count(lead_client, row["href_attempts"]) == row["attempts"] == 1
        assert list_count(lead_client, row["href_recovered"]) == row["recovered"] == 1


def test_board_links_open_the_customers_of_the_group(lead_client, data):
    context = lead_client.get(DASHBOARD, RANGE).context
    for group in context["board"]["groups"]:
        response = lead_client.get(group["href"])
        assert response.context["filter"].qs.count() == group["count"]
    response = lead_client.get(context["board"]["href_unclassified"])
    assert response.context["filter"].qs.count() == context["board"]["unclassified"]


def test_board_entered_and_left_open_the_customers_who_moved_in_the_dates(lead_client, data):
    """Loyal One moved from "still passionate" to "previously satisfied, now annoyed" in the
    range; Big Fan's change came before it."""
    other = CustomerFactory(name="Moved Twice")
    classify(other, "active_hater", changed_at=at(4))
    classify(other, "extreme_critic", changed_at=at(6))
    groups = {g["code"]: g for g in lead_client.get(DASHBOARD, RANGE).context["board"]["groups"]}
    shown = {}
    for code, group in groups.items():
        for direction in ("entered", "left"):
            customers = lead_client.get(group[f"href_{direction}"]).context["filter"].qs
            assert customers.count() == group[direction], (code, direction)
            shown[code, direction] = sorted(customer.name for customer in customers)
    assert shown["loyal_annoyed", "entered"] == ["Loyal One"]
    assert shown["loyal_enthusiast", "left"] == ["Loyal One"]
    assert shown["active_hater", "entered"] == shown["active_hater", "left"] == ["Moved Twice"]
    assert shown["extreme_critic", "entered"] == ["Moved Twice"]
    assert shown["loyal_enthusiast", "entered"] == []  # Big Fan: before the range
    page = lead_client.get(groups["loyal_annoyed"]["href_entered"]).content.decode()
    assert "Loyal One" in page and "Big Fan" not in page


# --- Filters and bad input --------------------------------------------------------------------


def test_the_default_range_is_the_last_30_local_days(lead_client, reference):
    params = lead_client.get(DASHBOARD).context["params"]
    today = timezone.localdate()
    assert (params.date_from, params.date_to) == (today - dt.timedelta(days=29), today)
    assert params.period == "week"


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "not-a-date", "agent": "999999", "channel": "fax", "period": "year"},
        {"date_from": "2026-03-20", "date_to": "2026-03-01"},
        {"date_from": "2020-01-01", "date_to": "2026-03-01"},
        {"agent": "'; DROP TABLE x;--", "touchpoint": "<script>"},
    ],
)
def test_bad_filters_are_ignored_with_a_message_never_a_500(lead_client, data, query):
    response = lead_client.get(DASHBOARD, query)
    assert response.status_code == 200
    assert response.context["problems"]
    assert "<script>" not in response.content.decode()


def test_bad_filters_make_an_export_a_400(lead_client, reference):
    url = reverse("interactions:dashboard-export-csv", args=["trend"])
    response = lead_client.get(url, {"date_from": "junk"})
    assert response.status_code == 400
    assert b"From" in response.content


def test_an_unknown_export_is_a_404(lead_client, reference):
    url = reverse("interactions:dashboard-export-csv", args=["nothing"])
    assert lead_client.get(url).status_code == 404


def test_a_long_range_per_day_is_shown_per_week(lead_client, reference):
    response = lead_client.get(
        DASHBOARD, {"date_from": "2026-01-01", "date_to": "2026-06-30", "period": "day"}
    )
    assert response.context["params"].period == "week"
    assert response.context["notes"] and not response.context["problems"]


def test_the_page_renders_in_korean(lead_client, data):
    response = lead_client.get(DASHBOARD, RANGE, HTTP_ACCEPT_LANGUAGE="ko")
    assert response.status_code == 200
    assert '<html lang="ko">' in response.content.decode()


def test_charts_are_labelled_svg_with_symbols_and_patterns(lead_client, data):
    html = lead_client.get(DASHBOARD, RANGE).content.decode()
    assert 'id="pat-negative"' in html and 'id="pat-neutral"' in html
    assert html.count('<svg viewBox="0 0 960 260" class="chart chart-columns" role="img"') == 1
    assert "aria-label=" in html and "▼" in html and "▲" in html and "●" in html
    assert "http://" not in html and "https://" not in html  # nothing from a CDN


# --- Exports ---------------------------------------------------------------------------------


def export(client, panel, fmt="csv", **query):
    url = reverse(f"interactions:dashboard-export-{fmt}", args=[panel])
    response = client.get(url, {**RANGE, **query})
    assert response.status_code == 200, response.content
    if fmt == "csv":
        body = b"".join(response.streaming_content).decode("utf-8")
        assert body.startswith("\ufeff")
        return list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_the_trend_exports_as_csv_and_xlsx(lead_client, data):
    rows = export(lead_client, "trend")
    assert rows[0][:4] == ["period_start", "date_from", "date_to", "interactions"]
    assert [(r[0], r[3], r[6]) for r in rows[1:]] == [
        ("2026-03-02", "2", "2"),
        ("2026-03-09", "3", "1"),
    ]
    sheet = export(lead_client, "trend", "xlsx")
    assert sheet[0] == rows[0]
    assert [(r[3], r[6]) for r in sheet[1:]] == [(2, 2), (3, 1)]  # numbers stay numbers


@pytest.mark.parametrize(
    "panel",
    [
        "archetypes",
        "board_customers",
        "emotions",
        "recovery",
        "overdue",
        "outcomes",
        "load",
        "load_days",
        "phrases",
        "skills",
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_panel_exports(lead_client, data, panel, fmt):
    rows = export(lead_client, panel, fmt)
    assert len(rows) >= 2 or panel == "overdue"


def test_agent_load_exports_each_persons_days(lead_client, data):
    rows = export(lead_client, "load_days")
    assert rows[0] == ["agent", "name", "day", "interactions", "negative"]
    assert [row[1:] for row in rows[1:]] == [
        ["Jisoo", "2026-03-09", "1", "0"],
        ["Jisoo", "2026-03-10", "1", "0"],
        ["Jisoo", "2026-03-15", "1", "1"],
        ["Minji", "2026-03-02", "1", "1"],
        ["Minji", "2026-03-03", "1", "1"],
    ]
    one = export(lead_client, "load_days", "xlsx", agent=data["a1"].agent.pk)
    assert [row[2:] for row in one[1:]] == [  # openpyxl reads dates back as datetimes
        [dt.datetime(2026, 3, 2), 1, 1],
        [dt.datetime(2026, 3, 3), 1, 1],
    ]


def test_the_board_exports_the_customers_it_shows(lead_client, data):
    rows = export(lead_client, "board_customers")
    assert rows[0] == [
        "archetype",
        "customer_id",
        "customer",
        "last_contact",
        "last_emotion",
        "trend",
    ]
    by_name = {row[2]: row for row in rows[1:]}
    assert set(by_name) == {"Loyal One", "Big Fan"}
    loyal, fan = by_name["Loyal One"], by_name["Big Fan"]
    assert loyal[0] == "loyal_annoyed" and loyal[4:] == ["anger", "neutral negative"]
    assert loyal[3].startswith("2026-03-03T10:00")
    assert fan[0] == "loyal_enthusiast" and fan[4:] == ["gratitude", "positive positive"]


def test_the_skills_export_ends_with_the_whole_range(lead_client, data):
    rows = export(lead_client, "skills")
    header, last = rows[0], rows[-1]
    assert last[:5] == ["", FIRST.isoformat(), LAST.isoformat(), "2", "1"]
    assert last[header.index("respect")] == "3.0" and last[header.index("patience")] == "2.0"
    assert last[header.index("empathy")] == ""


def test_exports_neutralise_formula_cells(lead_client, data, settings):
    settings.EMOTIONCARE_DASHBOARD_MIN_SAMPLE = 1
    template = data["a1"].response_template
    template.title = '=HYPERLINK("http://evil")'
    template.save()
    agent = data["a1"].agent
    agent.first_name = "@SUM(A1)"
    agent.save()
    for fmt in ("csv", "xlsx"):
        names = [row[2] for row in export(lead_client, "recovery", fmt)]
        assert '\'=HYPERLINK("http://evil")' in names, fmt
        assert "'@SUM(A1)" in names, fmt
    load = export(lead_client, "load", "xlsx")
    assert "'@SUM(A1)" in [row[1] for row in load]


def test_negative_numbers_in_exports_stay_numbers(lead_client, data):
    rows = export(lead_client, "archetypes", "csv")
    assert ["loyal_enthusiast", "Still passionate, still satisfied", "1", "0", "1", "-1"] in rows
    sheet = export(lead_client, "archetypes", "xlsx")
    assert ["loyal_enthusiast", "Still passionate, still satisfied", 1, 0, 1, -1] in sheet


# --- Speed -------------------------------------------------------------------------------------


def bulk_interactions(count: int, agents, customers) -> None:
    """`count` interactions in bulk, with the denormalised columns set as save() would."""
    emotions = [emotion(code) for code in ("anger", "neutral", "gratitude", "anxiety")]
    channels = [channel(code) for code in ("phone", "email", "chat")]
    touchpoints = list(Touchpoint.objects.all())
    rows = []
    for index in range(count):
        row = Interaction(
            customer=customers[index % len(customers)],
            agent=agents[index % len(agents)],
            occurred_at=at(2 + index % 14, 8 + index % 10),
            channel=channels[index % 3],
            touchpoint=touchpoints[index % len(touchpoints)],
            emotion_start=emotions[index % 4],
            emotion_end=emotions[(index + 1) % 4] if index % 5 else None,
            is_complaint=index % 7 == 0,
            complaint_status="open" if index % 7 == 0 else "",
            outcome=["satisfied", "indifferent", "dissatisfied", ""][index % 4],
            phrase_warnings=[warning("dont_know")] if index % 9 == 0 else [],
        )
        row.refresh_derived()
        rows.append(row)
    created = Interaction.objects.bulk_create(rows, batch_size=500)
    # Counted into the rollups as the import counts its rows.
    rollups.add(Interaction.objects.filter(pk__in=[row.pk for row in created]))


@pytest.mark.parametrize("view", ["all", "agent", "channel", "touchpoint"])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    lead_client, lead, reference, django_assert_max_num_queries, view
):
    agents = [UserFactory(username=f"load_{n}", role="agent") for n in range(4)]
    customers = [
        CustomerFactory(archetype=["loyal_annoyed", "active_hater", None][n % 3]) for n in range(30)
    ]
    query = {**RANGE, "period": "day"}
    query.update(
        {
            "all": {},
            "agent": {"agent": agents[0].pk},  # reads the interactions, not the rollups
            "channel": {"channel": "phone"},
            "touchpoint": {"touchpoint": "website"},
        }[view]
    )
    bulk_interactions(20, agents, customers)
    SkillReview.objects.create(interaction=Interaction.objects.first(), reviewer=lead, respect=3)
    with django_assert_max_num_queries(40) as small:
        assert lead_client.get(DASHBOARD, query).status_code == 200
    bulk_interactions(1980, agents, customers)
    with django_assert_max_num_queries(40) as large:
        response = lead_client.get(DASHBOARD, query)
    total = response.context["summary"]["total"]
    assert total == 2000 if view == "all" else 0 < total < 2000
    assert len(small.captured_queries) == len(large.captured_queries)


# --- Each database's own JSON -----------------------------------------------------------------


def _sql(queryset) -> str:
    return str(queryset.query)


@pytest.mark.postgres
def test_the_phrase_rule_filter_uses_jsonb_containment_on_postgres(data):
    from interactions import predicates

    queryset = Interaction.objects.filter(predicates.phrase_rule_q("dont_know"))
    assert "@>" in _sql(queryset)
    assert list(queryset) == [data["a2"]]
    assert "jsonb_array_elements" in dashboard.PHRASE_HITS_SQL["postgresql"]


def test_the_phrase_rule_filter_reads_the_json_on_sqlite(data, vendor):
    if vendor != "sqlite":
        pytest.skip("SQLite's json_each")
    from interactions import predicates

    queryset = Interaction.objects.filter(predicates.phrase_rule_q("unfortunately"))
    assert "json_each" in _sql(queryset)
    assert list(queryset) == [data["a3"]]
    # A code that is only a prefix of another, or text elsewhere, does not match.
    assert not Interaction.objects.filter(predicates.phrase_rule_q("dont")).exists()


def test_people_tables_show_25_at_a_time_by_name_and_export_everyone(lead_client, reference):
    agents = [
        UserFactory(username=f"pp_{n:02d}", first_name=f"P{n:02d}", role="agent") for n in range(30)
    ]
    for agent in agents:
        InteractionFactory(agent=agent, occurred_at=at(3), emotion_start=emotion("anger"))
    first = lead_client.get(DASHBOARD, RANGE)
    load = first.context["load"]
    assert [row["name"] for row in load["rows"]] == [f"P{n:02d}" for n in range(25)]
    assert (load["page"].number, load["page"].pages, load["page"].count) == (1, 2, 30)
    html = first.content.decode()
    assert "People 1–25 of 30, by name" in html
    next_url = load["page"].next_url
    assert "load_page=2" in next_url and "date_from=2026-03-02" in next_url
    second = lead_client.get(DASHBOARD + next_url.split("#")[0])
    assert [row["name"] for row in second.context["load"]["rows"]] == [
        f"P{n:02d}" for n in range(25, 30)
    ]
    # Each row still has its sparkline and links on the second page.
    assert all(row["spark"]["bars"] for row in second.context["load"]["rows"])
    recovery = {t["code"]: t for t in second.context["recovery"]["tables"]}["agent"]
    assert recovery["page"].number == 1  # each table pages on its own
    for bad in ("abc", "-3", "0"):
        response = lead_client.get(DASHBOARD, {**RANGE, "load_page": bad})
        assert response.status_code == 200 and response.context["load"]["page"].number == 1
    assert (
        lead_client.get(DASHBOARD, {**RANGE, "load_page": "99"}).context["load"]["page"].number == 2
    )
    export = lead_client.get(reverse("interactions:dashboard-export-csv", args=["load"]), RANGE)
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) == 31


def test_a_long_range_defaults_to_months_and_keeps_a_chosen_period(lead_client, reference):
    agent = UserFactory(username="long_range", role="agent")
    InteractionFactory(agent=agent, occurred_at=at(3))
    year = {"date_from": "2025-03-16", "date_to": "2026-03-15"}
    response = lead_client.get(DASHBOARD, year)
    assert response.context["params"].period == "month"
    assert response.context["load"]["spark_period"] == "month"
    assert len(response.context["trend"]["rows"]) == 13  # March 2025 to March 2026
    weekly = lead_client.get(DASHBOARD, {**year, "period": "week"})
    assert weekly.context["params"].period == "week"
    assert weekly.context["load"]["spark_period"] == "month"  # at most ~31 columns
    quarter = lead_client.get(DASHBOARD, {"date_from": "2026-01-01", "date_to": "2026-03-31"})
    assert quarter.context["params"].period == "week"
    assert quarter.context["load"]["spark_period"] == "week"


@pytest.mark.parametrize(
    "language, trend_label",
    [
        ("en", "Valence of the last contacts, oldest first: Neutral, Negative"),
        ("ko", "최근 상담의 감정 유형(오래된 순): 중립, 부정"),
    ],
)
def test_a_board_row_shows_the_customer_last_contact_emotion_and_trend(
    lead_client, data, language, trend_label
):
    response = lead_client.get(DASHBOARD, {**RANGE}, headers={"accept-language": language})
    (loyal,) = [
        customer
        for group in response.context["board"]["groups"]
        for customer in group["customers"]
        if customer["name"] == "Loyal One"
    ]
    html = response.content.decode()
    url = reverse("interactions:customer-detail", args=[loyal["id"]])
    row = html[html.rindex("<tr>", 0, html.index(f'<a href="{url}">Loyal One</a>')) :]
    row = row[: row.index("</tr>") + 5]
    day = timezone.localtime(loyal["last_contact"]).strftime("%Y-%m-%d")
    assert f'<td class="nowrap">{day}</td>' in row
    assert 'class="chip chip-negative"' in row  # the last emotion: anger
    assert f'aria-label="{trend_label}"' in row
    assert row.count('aria-hidden="true">●</span>') == 1 and 'class="val-negative"' in row


def test_click_through_links_encode_like_urlencode():
    """Links.list writes its query string by hand for speed: the same string as
    urlencode, whatever the filters and a panel's values (which may replace a filter)."""
    from urllib.parse import urlencode

    from interactions.dashboard_views import Links

    phone = Channel(code="phone")
    web = Touchpoint(code="web site&co")
    for scope in ({}, {"agent_id": 7, "channel": phone, "touchpoint": web}):
        links = Links(Params(date_from=FIRST, date_to=LAST, **scope))
        for dates, extra in [
            (True, {}),
            (False, {"overdue": "yes"}),
            (True, {"valence": "negative", "ended": None, "emotion_start": "a b/c"}),
            (True, {"agent": 12, "response_template": "null"}),
            (True, {"channel": "email"}),
        ]:
            expected = dict(links.base)
            if dates:
                expected.update(date_from=FIRST.isoformat(), date_to=LAST.isoformat())
            expected.update({key: value for key, value in extra.items() if value is not None})
            assert links.list(dates=dates, **extra) == f"/interactions/?{urlencode(expected)}"


def test_overdue_rows_are_drawn_and_exported_without_a_query_per_row(
    agent, django_assert_num_queries
):
    """The rows read only the columns they show (the channel from the page's reference
    rows): drawing them or exporting them must not load a deferred column per row."""
    from interactions.dashboard_views import Links, export_overdue, overdue_panel

    now = timezone.now()
    for hours in (30, 40, 50, 60):
        complaint(agent, now - dt.timedelta(hours=hours), code=("phone", "email")[hours % 20 // 10])
    ref = Reference()
    ref.channels  # noqa: B018 -- read once, as the page does
    params_now = Params(date_from=timezone.localdate(), date_to=timezone.localdate())
    # The rows, the complaints not resolved yet, those not yet due, resolved late.
    with django_assert_num_queries(4):
        data = dashboard.overdue_complaints(params_now, ref)
    with django_assert_num_queries(0):
        panel = overdue_panel(params_now, Links(params_now), data)
        assert len(panel["rows"]) == 4
        assert {row.channel.code for row in panel["rows"]} == {"phone", "email"}
        assert all(
            agent.first_name in row.html or agent.username in row.html for row in panel["rows"]
        )
    with django_assert_num_queries(4):  # the same four, and nothing per row
        header, rows = export_overdue(params_now, ref)
    assert [row[header.index("agent")] for row in rows] == [agent.username] * 4


# The loops the trend and recovery panels had in their templates, before their rows were
# written in Python (dashboard_views.trend_bar_html, trend_row_html, recovery_row_html).
TEMPLATE_LOOPS = dict(
    re.findall(
        r"\{# --- (\w+) --- #\}\n(.*?)\n(?=\{# ---|\Z)",
        (Path(__file__).parent / "data" / "dashboard_rows_before.html").read_text(),
        re.S,
    )
)


def squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_trend_and_recovery_rows_are_those_the_template_drew(
    lead_client, data, settings, language
):
    from django.template import Context, Template

    settings.EMOTIONCARE_DASHBOARD_MIN_SAMPLE = 2  # some rates shown, some "too few"
    response = lead_client.get(DASHBOARD, RANGE, headers={"accept-language": language})
    context = response.context
    with translation.override(language):
        drawn = {
            name: squeeze(
                Template(source).render(
                    Context({"trend": context["trend"], "recovery": context["recovery"]})
                )
            )
            for name, source in TEMPLATE_LOOPS.items()
        }
    assert drawn["bars"] == squeeze(context["trend"]["chart"]["bars_html"])
    assert drawn["rows"] == squeeze(context["trend"]["rows_html"])
    assert drawn["recovery"] == squeeze(
        "".join(table["rows_html"] for table in context["recovery"]["tables"])
    )
    assert "seg seg-negative" in drawn["bars"] and "rate-bar" in drawn["recovery"]
    html = response.content.decode()
    assert squeeze(context["trend"]["rows_html"]) in squeeze(html)


def test_the_filter_drop_downs_list_every_channel_and_touchpoint_with_the_choice_selected(
    lead_client, data
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        html = lead_client.get(DASHBOARD, {**RANGE, "channel": "phone"}).content.decode()
    # The drop-downs list the page's reference rows: each table is listed once (the
    # filter's own check of "phone" reads one row by its code), and no cursor.
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    for table in ("interactions_channel", "interactions_touchpoint"):
        listed = [sql for sql in reads if f'FROM "{table}"' in sql and "WHERE" not in sql]
        assert len(listed) == 1, table
    assert not any(q["sql"].startswith("DECLARE") for q in queries.captured_queries)
    select = html[
        html.index('<select name="channel"') : html.index(
            "</select>", html.index('<select name="channel"')
        )
    ]
    for row in Channel.objects.all():
        assert f'value="{row.code}"' in select
    assert '<option value="phone" selected>' in select
    touchpoints = html[html.index('<select name="touchpoint"') :]
    assert all(f'value="{tp.code}"' in touchpoints for tp in Touchpoint.objects.all())
