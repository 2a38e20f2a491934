"""Looking after agents: break nudges, the daily reflection, praise, team care."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interactions import services, wellbeing_selectors
from interactions.guidance import PRACTICE_CODES, practice
from interactions.models import BreakNudge, Interaction, Reflection
from tests.factories import CustomerFactory, InteractionFactory, UserFactory, channel, emotion

pytestmark = pytest.mark.django_db

HOME = reverse("interactions:home")
REFLECTION = reverse("interactions:reflection")
ME = reverse("interactions:me")
BREAK = reverse("interactions:break")
TEAM_CARE = reverse("interactions:team-care")
PROMPT = "Write today's reflection"
SECRET_WELL = "Calmed the courier complaint: secret-went-well-7731"
SECRET_IMPROVE = "Interrupted a customer twice: secret-to-improve-7731"


@pytest.fixture(autouse=True)
def default_rule(settings):
    settings.EMOTIONCARE_NUDGE_THRESHOLD = 3
    settings.EMOTIONCARE_NUDGE_WINDOW_MINUTES = 60
    settings.EMOTIONCARE_SHIFT_END = "18:00"


def log(agent, customer, *, start="anger", end="anger", minutes_ago=0.0) -> Interaction:
    """Log through the same service as the log form (and, later, the API)."""
    data = {
        "customer": customer,
        "occurred_at": timezone.now() - timedelta(minutes=minutes_ago),
        "channel": channel("phone"),
        "emotion_start": emotion(start),
        "emotion_end": emotion(end) if end else None,
        "intensity": 3,
    }
    return services.interaction_log(agent=agent, data=data)


def today_start():
    return wellbeing_selectors.day_bounds(timezone.localdate())[0]


def offered(agent, **kwargs) -> BreakNudge:
    values = {"negative_count": 3, "practice": "quick_walk", **kwargs}
    return BreakNudge.objects.create(agent=agent, **values)


# --- The nudge is created by interaction_log ------------------------------------------


def test_three_negatives_within_the_hour_offer_a_break(agent, customer):
    log(agent, customer, minutes_ago=50)
    log(agent, customer, minutes_ago=25)
    assert not BreakNudge.objects.exists()
    log(agent, customer)
    nudge = BreakNudge.objects.get()
    assert nudge.agent == agent
    assert nudge.negative_count == 3
    assert nudge.status == BreakNudge.Status.OFFERED and nudge.responded_at is None
    assert nudge.practice in PRACTICE_CODES


def test_two_negatives_are_not_a_run(agent, customer):
    log(agent, customer, minutes_ago=10)
    log(agent, customer)
    assert not BreakNudge.objects.exists()


def test_negative_at_start_or_end_counts_and_calm_conversations_do_not(agent, customer):
    log(agent, customer, start="anger", end="satisfaction")  # recovered, still hard
    log(agent, customer, start="neutral", end="neutral")
    log(agent, customer, start="gratitude", end="gratitude")
    assert not BreakNudge.objects.exists()
    log(agent, customer, start="satisfaction", end="disappointment")  # turned sour
    log(agent, customer, start="anxiety", end=None)  # no end: judged by its start
    assert BreakNudge.objects.get().negative_count == 3


def test_negatives_outside_the_window_do_not_count(agent, customer):
    log(agent, customer, minutes_ago=75)
    log(agent, customer, minutes_ago=61)
    log(agent, customer, minutes_ago=5)
    log(agent, customer)
    assert not BreakNudge.objects.exists()


def test_one_run_gives_one_nudge_and_a_fresh_run_another(agent, customer):
    for minutes in (30, 20, 10):
        log(agent, customer, minutes_ago=minutes)
    first = BreakNudge.objects.get()
    log(agent, customer)  # a fourth in the same hour: the same run
    log(agent, customer)
    assert BreakNudge.objects.count() == 1
    log(agent, customer)  # three after the nudge: a fresh run
    assert BreakNudge.objects.count() == 2
    second = BreakNudge.objects.exclude(pk=first.pk).get()
    assert second.negative_count == 3
    assert second.practice != first.practice  # practices are suggested in turn


def test_each_agent_has_their_own_run(agent, other_agent, customer):
    log(agent, customer)
    log(other_agent, customer)
    log(agent, customer)
    log(other_agent, customer)
    assert not BreakNudge.objects.exists()
    log(agent, customer)
    assert list(BreakNudge.objects.values_list("agent", flat=True)) == [agent.pk]


def test_threshold_and_window_come_from_settings(settings, agent, other_agent, customer):
    settings.EMOTIONCARE_NUDGE_THRESHOLD = 2
    log(agent, customer)
    log(agent, customer)
    assert BreakNudge.objects.filter(agent=agent).count() == 1

    settings.EMOTIONCARE_NUDGE_WINDOW_MINUTES = 10
    log(other_agent, customer, minutes_ago=15)
    log(other_agent, customer)
    assert not BreakNudge.objects.filter(agent=other_agent).exists()


def test_nudge_check_reads_a_fixed_number_of_rows_whatever_the_history(agent, customer):
    InteractionFactory.create_batch(
        40, agent=agent, customer=customer, occurred_at=timezone.now() - timedelta(days=3)
    )
    with CaptureQueriesContext(connection) as queries:
        assert services.nudge_check(agent=agent) is None
    reads = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(reads) == 2  # the last nudge, then this agent's interactions in the window
    assert all('"occurred_at" >' in sql for sql in reads if "interactions_interaction" in sql)


def test_the_log_form_shows_the_nudge_on_the_next_page(client, agent, customer):
    client.force_login(agent)
    payload = {
        "customer": customer.pk,
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "channel": channel("phone").pk,
        "emotion_start": emotion("anger").pk,
        "emotion_end": emotion("annoyance").pk,
        "intensity": "4",
        "summary": "Parcel lost again",
    }
    for _ in range(2):
        response = client.post(HOME, payload, follow=True)
        assert "difficult conversation in the last" not in response.content.decode()
    response = client.post(HOME, payload, follow=True)
    html = response.content.decode()
    nudge = BreakNudge.objects.get(agent=agent)
    assert "You have had 3 difficult conversations in the last hour." in html
    assert reverse("interactions:nudge-answer", args=[nudge.pk]) in html
    assert "Take a 5-minute break" in html and "Not now" in html
    assert str(practice(nudge.practice).title) in html


# --- Showing and answering a nudge ------------------------------------------------------


def test_an_offered_nudge_is_shown_on_every_page_until_answered(client, agent):
    nudge = offered(agent, negative_count=4)
    client.force_login(agent)
    for url in (HOME, ME, REFLECTION, reverse("interactions:customer-list")):
        html = client.get(url).content.decode()
        assert 'aria-live="polite"' in html
        assert "You have had 4 difficult conversations in the last hour." in html, url
    services.nudge_respond(nudge=nudge, user=agent, taken=False)
    assert "difficult conversations in the last" not in client.get(HOME).content.decode()


def test_the_nudge_says_the_window_when_it_is_not_an_hour(client, settings, agent):
    settings.EMOTIONCARE_NUDGE_WINDOW_MINUTES = 45
    offered(agent)
    client.force_login(agent)
    html = client.get(ME).content.decode()
    assert "You have had 3 difficult conversations in the last 45 minutes." in html


def test_a_nudge_is_not_shown_to_anyone_else_or_after_two_hours(client, agent, other_agent, lead):
    offered(agent, created_at=timezone.now() - timedelta(hours=2, minutes=1))
    client.force_login(agent)
    assert "difficult conversations in the last" not in client.get(ME).content.decode()
    offered(agent)
    for someone in (other_agent, lead):
        client.force_login(someone)
        assert "difficult conversations in the last" not in client.get(ME).content.decode()


def test_taking_the_break_is_recorded_and_leads_to_the_break_page(client, agent):
    nudge = offered(agent, practice="breathing")
    client.force_login(agent)
    url = reverse("interactions:nudge-answer", args=[nudge.pk])
    response = client.post(url, {"answer": "take", "next": HOME})
    assert response.status_code == 302
    assert response.url == f"{BREAK}?practice=breathing"
    nudge.refresh_from_db()
    assert nudge.status == BreakNudge.Status.TAKEN and nudge.responded_at is not None

    page = client.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert str(practice("breathing").title) in html
    assert "data-countdown" in html and "Take about 5 minutes." in html  # works without JS
    assert f'href="{HOME}"' in html and "Back to logging" in html
    assert "difficult conversations in the last" not in html


def test_not_now_is_recorded_and_returns_to_the_page(client, agent):
    nudge = offered(agent)
    client.force_login(agent)
    customers = reverse("interactions:customer-list")
    url = reverse("interactions:nudge-answer", args=[nudge.pk])
    response = client.post(url, {"answer": "dismiss", "next": customers})
    assert response.status_code == 302 and response.url == customers
    nudge.refresh_from_db()
    assert nudge.status == BreakNudge.Status.DISMISSED and nudge.responded_at is not None


def test_a_foreign_next_url_is_not_followed(client, agent):
    nudge = offered(agent)
    client.force_login(agent)
    url = reverse("interactions:nudge-answer", args=[nudge.pk])
    response = client.post(url, {"answer": "dismiss", "next": "https://evil.example.com/"})
    assert response.url == HOME


@pytest.mark.parametrize("someone", ["other_agent", "lead", "admin_user"])
def test_nobody_else_can_answer_an_agents_nudge(client, request, agent, someone):
    nudge = offered(agent)
    client.force_login(request.getfixturevalue(someone))
    url = reverse("interactions:nudge-answer", args=[nudge.pk])
    assert client.post(url, {"answer": "take"}).status_code == 404
    nudge.refresh_from_db()
    assert nudge.status == BreakNudge.Status.OFFERED
    with pytest.raises(PermissionDenied):
        services.nudge_respond(nudge=nudge, user=request.getfixturevalue(someone), taken=True)


def test_bad_answers_get_a_4xx(client, agent):
    nudge = offered(agent)
    client.force_login(agent)
    url = reverse("interactions:nudge-answer", args=[nudge.pk])
    assert client.post(url, {"answer": "maybe"}).status_code == 400
    assert client.get(url).status_code == 405
    assert client.post(reverse("interactions:nudge-answer", args=[99999])).status_code == 404
    nudge.refresh_from_db()
    assert nudge.status == BreakNudge.Status.OFFERED


def test_a_nudge_is_answered_once(client, agent):
    nudge = offered(agent)
    services.nudge_respond(nudge=nudge, user=agent, taken=True)
    services.nudge_respond(nudge=nudge, user=agent, taken=True)  # a double click
    with pytest.raises(ValidationError) as error:
        services.nudge_respond(nudge=nudge, user=agent, taken=False)
    assert error.value.messages == [str(services.ERR_NUDGE_ANSWERED)]
    client.force_login(agent)
    url = reverse("interactions:nudge-answer", args=[nudge.pk])
    response = client.post(url, {"answer": "dismiss"}, follow=True)
    assert str(services.ERR_NUDGE_ANSWERED) in response.content.decode()
    nudge.refresh_from_db()
    assert nudge.status == BreakNudge.Status.TAKEN


def test_the_break_page_is_open_to_everyone_with_a_role_any_time(client, lead):
    offered(lead)
    client.force_login(lead)
    response = client.get(BREAK, {"practice": "no-such-thing"})
    assert response.status_code == 200
    html = response.content.decode()
    assert str(practice(None).title) in html
    assert "difficult conversations in the last" not in html  # a calm page: no reminders


def test_the_page_frame_asks_the_database_once_for_its_reminders_during_and_after_the_shift(
    agent, django_assert_num_queries
):
    offered(agent)
    with django_assert_num_queries(1):
        reminders = wellbeing_selectors.care_reminders(user=agent, reflection=False)
    assert reminders.nudge_id and reminders.nudge_count == 3 and not reminders.reflected_today
    with django_assert_num_queries(1):
        reminders = wellbeing_selectors.care_reminders(user=agent)
    assert reminders.nudge_id and not reminders.reflected_today
    Reflection.objects.create(agent=agent, day=timezone.localdate())
    assert wellbeing_selectors.care_reminders(user=agent).reflected_today
    assert not wellbeing_selectors.care_reminders(user=agent, reflection=False).reflected_today


# --- Daily reflection -----------------------------------------------------------------


def test_the_reflection_page_has_labelled_fields_and_todays_numbers(client, agent, customer):
    start = today_start()
    yesterday = start - timedelta(hours=2)
    InteractionFactory(agent=agent, customer=customer, occurred_at=start + timedelta(seconds=1))
    recovered = InteractionFactory(
        agent=agent,
        customer=customer,
        occurred_at=start + timedelta(seconds=2),
        emotion_start=emotion("anger"),
        emotion_end=emotion("gratitude"),
    )
    services.praise_mark(interaction=recovered, user=agent, note="")
    InteractionFactory(agent=agent, customer=customer, occurred_at=yesterday)
    InteractionFactory(customer=customer, occurred_at=start + timedelta(seconds=3))  # someone else

    client.force_login(agent)
    response = client.get(REFLECTION)
    assert response.status_code == 200
    assert response.context["numbers"] == {"interactions": 2, "recoveries": 2, "praise": 1}
    html = response.content.decode()
    assert '<label for="id_went_well">' in html and '<label for="id_to_improve">' in html
    assert "Only you can read your reflections." in html


def test_todays_numbers_are_one_aggregate_query(agent, django_assert_num_queries):
    InteractionFactory.create_batch(5, agent=agent, occurred_at=today_start())
    with django_assert_num_queries(1):
        numbers = wellbeing_selectors.day_numbers(agent=agent, day=timezone.localdate())
    assert numbers["interactions"] == 5


def test_one_reflection_per_day_edited_in_place(client, agent):
    client.force_login(agent)
    today = timezone.localdate().isoformat()
    response = client.post(REFLECTION, {"day": today, "went_well": "Kept calm", "to_improve": ""})
    assert response.status_code == 302
    response = client.post(
        REFLECTION, {"day": today, "went_well": "Kept calm", "to_improve": "Slow down"}
    )
    assert response.status_code == 302
    reflection = Reflection.objects.get()
    assert (reflection.agent, reflection.day) == (agent, timezone.localdate())
    assert reflection.to_improve == "Slow down"
    page = client.get(REFLECTION)
    assert page.context["form"].initial["to_improve"] == "Slow down"


def test_earlier_days_are_read_only(client, agent):
    yesterday = timezone.localdate() - timedelta(days=1)
    Reflection.objects.create(agent=agent, day=yesterday, went_well="As it was")
    client.force_login(agent)
    response = client.post(
        REFLECTION, {"day": yesterday.isoformat(), "went_well": "Rewritten", "to_improve": ""}
    )
    assert response.status_code == 400
    assert "Only today&#x27;s reflection can be written or changed" in response.content.decode()
    assert Reflection.objects.get().went_well == "As it was"
    with pytest.raises(ValidationError):
        services.reflection_save(agent=agent, day=yesterday, went_well="x", to_improve="")
    with pytest.raises(ValidationError):
        services.reflection_save(
            agent=agent, day=timezone.localdate() + timedelta(days=1), went_well="x", to_improve=""
        )

    html = client.get(REFLECTION).content.decode()
    assert "As it was" in html  # shown in the journal, with no form to change it
    assert html.count("<textarea") == 2


def test_an_empty_or_overlong_reflection_is_refused_with_a_message(client, agent):
    client.force_login(agent)
    today = timezone.localdate().isoformat()
    response = client.post(REFLECTION, {"day": today, "went_well": "  ", "to_improve": ""})
    assert response.status_code == 400
    assert "Write what went well, what could improve, or both." in response.content.decode()
    response = client.post(REFLECTION, {"day": today, "went_well": "x" * 4001})
    assert response.status_code == 400
    response = client.post(REFLECTION, {"went_well": "no day"})
    assert response.status_code == 400
    assert not Reflection.objects.exists()


@pytest.mark.parametrize("reader", ["lead", "admin_user", "other_agent"])
def test_reflection_text_is_readable_by_its_author_alone(client, request, agent, reader):
    Reflection.objects.create(
        agent=agent, day=timezone.localdate(), went_well=SECRET_WELL, to_improve=SECRET_IMPROVE
    )
    Reflection.objects.create(
        agent=agent, day=timezone.localdate() - timedelta(days=1), went_well=SECRET_WELL
    )
    client.force_login(agent)
    own = client.get(REFLECTION).content.decode()
    assert SECRET_WELL in own and SECRET_IMPROVE in own

    client.force_login(request.getfixturevalue(reader))
    pages = [HOME, ME, REFLECTION, TEAM_CARE, reverse("interactions:list"), BREAK]
    if reader == "admin_user":
        pages += [
            reverse("admin:interactions_reflection_changelist"),
            reverse(
                "admin:interactions_reflection_change",
                args=[Reflection.objects.order_by("day").first().pk],
            ),
        ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "secret-went-well" not in html, url
        assert "secret-to-improve" not in html, url


def test_the_end_of_shift_prompt(client, settings, agent, admin_user):
    client.force_login(agent)
    settings.EMOTIONCARE_SHIFT_END = "23:59:59.999999"  # the shift has not ended
    assert PROMPT not in client.get(ME).content.decode()

    settings.EMOTIONCARE_SHIFT_END = "00:00"  # the shift is over
    html = client.get(ME).content.decode()
    assert PROMPT in html
    assert PROMPT not in client.get(REFLECTION).content.decode()

    Reflection.objects.create(agent=agent, day=timezone.localdate(), went_well="Done")
    assert PROMPT not in client.get(ME).content.decode()

    client.force_login(admin_user)  # admins do not log shifts
    assert PROMPT not in client.get(ME).content.decode()


# --- Praise -----------------------------------------------------------------------------


@pytest.fixture
def happy(agent, customer):
    """An interaction that ended with a positive emotion."""
    return InteractionFactory(
        agent=agent,
        customer=customer,
        emotion_start=emotion("annoyance"),
        emotion_end=emotion("gratitude"),
    )


def praise_url(interaction):
    return reverse("interactions:praise", args=[interaction.pk])


@pytest.mark.parametrize("who", ["agent", "lead", "admin_user"])
def test_the_agent_and_leads_and_admins_mark_praise(client, request, happy, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.post(praise_url(happy), {"action": "mark", "note": "Thanked you by name"})
    assert response.status_code == 302 and response.url == happy.get_absolute_url()
    happy.refresh_from_db()
    assert happy.praised_at is not None and happy.praised_by == user
    assert happy.praise_note == "Thanked you by name"


def test_another_agent_cannot_mark_or_clear_praise(client, other_agent, happy, agent):
    client.force_login(other_agent)
    assert client.post(praise_url(happy), {"action": "mark"}).status_code == 403
    services.praise_mark(interaction=happy, user=agent, note="kind words")
    assert client.post(praise_url(happy), {"action": "clear"}).status_code == 403
    happy.refresh_from_db()
    assert happy.praised_at is not None


@pytest.mark.parametrize("end", ["neutral", "anger", None])
def test_praise_needs_a_positive_end(client, agent, customer, end):
    item = InteractionFactory(
        agent=agent, customer=customer, emotion_end=emotion(end) if end else None
    )
    client.force_login(agent)
    response = client.post(praise_url(item), {"action": "mark"})
    assert response.status_code == 400
    assert "ended with a positive emotion" in response.content.decode()
    item.refresh_from_db()
    assert item.praised_at is None
    with pytest.raises(ValidationError):
        services.praise_mark(interaction=item, user=agent)


def test_the_database_refuses_praise_without_a_positive_end(interaction):
    with pytest.raises(IntegrityError), transaction.atomic():
        Interaction.objects.filter(pk=interaction.pk).update(praised_at=timezone.now())


def test_bad_praise_requests_get_a_4xx(client, agent, happy):
    client.force_login(agent)
    assert client.post(praise_url(happy), {"action": "mark", "note": "x" * 281}).status_code == 400
    assert client.post(praise_url(happy), {"action": "shout"}).status_code == 400
    assert client.get(praise_url(happy)).status_code == 405
    assert client.post(reverse("interactions:praise", args=[99999])).status_code == 404
    happy.refresh_from_db()
    assert happy.praised_at is None


def test_unmarking_praise(client, lead, happy, agent):
    services.praise_mark(interaction=happy, user=agent, note="said thanks")
    client.force_login(lead)
    assert client.post(praise_url(happy), {"action": "clear"}).status_code == 302
    happy.refresh_from_db()
    assert (happy.praised_at, happy.praised_by, happy.praise_note) == (None, None, "")


def test_correcting_the_end_emotion_away_from_positive_drops_the_praise(happy, agent):
    services.praise_mark(interaction=happy, user=agent, note="said thanks")
    services.interaction_update(
        interaction=happy, user=agent, data={"emotion_end": emotion("disappointment")}
    )
    happy.refresh_from_db()
    assert happy.praised_at is None and happy.praise_note == ""


def test_the_interaction_page_offers_praise_to_those_who_may_change_it(
    client, agent, other_agent, happy, interaction
):
    detail = happy.get_absolute_url()
    client.force_login(agent)
    html = client.get(detail).content.decode()
    assert "Mark as praise" in html and '<label for="praise-note">' in html
    assert "Mark as praise" not in client.get(interaction.get_absolute_url()).content.decode()

    client.force_login(other_agent)
    assert "Mark as praise" not in client.get(detail).content.decode()

    services.praise_mark(interaction=happy, user=agent, note="Loved the quick exchange")
    html = client.get(detail).content.decode()
    assert "Marked as praise" in html and "Loved the quick exchange" in html
    assert "Unmark" not in html
    client.force_login(agent)
    assert "Unmark" in client.get(detail).content.decode()


def test_my_page_keeps_the_praise_received_newest_first(client, agent, lead, customer):
    older = InteractionFactory(agent=agent, customer=customer, emotion_end=emotion("gratitude"))
    newer = InteractionFactory(
        agent=agent, customer=CustomerFactory(name="이수정"), emotion_end=emotion("satisfaction")
    )
    services.praise_mark(interaction=older, user=agent, note="first note")
    services.praise_mark(interaction=newer, user=lead, note="second note")
    InteractionFactory(emotion_end=emotion("gratitude"))  # another agent's, unpraised
    client.force_login(agent)
    response = client.get(ME)
    assert response.status_code == 200
    assert list(response.context["praise"]) == [newer, older]
    html = response.content.decode()
    assert html.index("second note") < html.index("first note")
    assert "이수정" in html and newer.get_absolute_url() in html


def test_my_page_counts_this_weeks_breaks(client, agent):
    offered(agent)
    services.nudge_respond(nudge=offered(agent), user=agent, taken=True)
    services.nudge_respond(nudge=offered(agent), user=agent, taken=False)
    offered(agent, created_at=timezone.now() - timedelta(days=8))  # an earlier week
    client.force_login(agent)
    nudges = client.get(ME).context["nudges"]
    assert (nudges["offered"], nudges["taken"], nudges["dismissed"]) == (3, 1, 1)


def test_my_page_query_count_is_fixed(client, agent, customer, django_assert_max_num_queries):
    client.force_login(agent)
    for _ in range(3):
        item = InteractionFactory(agent=agent, customer=customer, emotion_end=emotion("gratitude"))
        services.praise_mark(interaction=item, user=agent)
    with django_assert_max_num_queries(12) as small:
        client.get(ME)
    for _ in range(20):
        item = InteractionFactory(
            agent=agent, customer=CustomerFactory(), emotion_end=emotion("gratitude")
        )
        services.praise_mark(interaction=item, user=agent)
    with django_assert_max_num_queries(12) as large:
        client.get(ME)
    assert len(small.captured_queries) == len(large.captured_queries)


# --- Team care ---------------------------------------------------------------------------


def test_agents_cannot_open_team_care(client, agent):
    client.force_login(agent)
    assert client.get(TEAM_CARE).status_code == 403
    assert TEAM_CARE not in client.get(ME).content.decode()  # and the menu does not offer it


@pytest.mark.parametrize("who", ["lead", "admin_user"])
def test_leads_and_admins_see_team_care_alphabetically_with_counts_only(
    client, request, agent, other_agent, who
):
    zed = UserFactory(username="zed", first_name="Zed", last_name="", role="agent")
    ann = UserFactory(username="ann", first_name="Ann", last_name="", role="agent")
    services.nudge_respond(nudge=offered(zed), user=zed, taken=True)
    offered(zed)
    offered(ann, created_at=timezone.now() - timedelta(weeks=1))
    for days_ago in (0, 1):
        Reflection.objects.create(
            agent=zed, day=timezone.localdate() - timedelta(days=days_ago), went_well=SECRET_WELL
        )
    client.force_login(request.getfixturevalue(who))
    response = client.get(TEAM_CARE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This is not a ranking." in html
    assert "secret-went-well" not in html
    names = [row.name for row in response.context["rows"]]
    assert names == sorted(names, key=str.casefold)
    assert names.index("Ann") < names.index("Jisoo") < names.index("Minji") < names.index("Zed")
    rows = {row.name: row for row in response.context["rows"]}
    assert len(response.context["weeks"]) == 8
    assert rows["Zed"].nudges[-1] == (2, 1)
    this_week = timezone.localdate().weekday()
    assert sum(rows["Zed"].reflection_days[-2:]) == 2
    assert rows["Zed"].reflection_days[-1] == (2 if this_week >= 1 else 1)
    assert rows["Ann"].nudges[-2] == (1, 0) and rows["Ann"].nudges[-1] == (0, 0)
    assert rows["Minji"].nudges == [(0, 0)] * 8


def test_team_care_query_count_is_fixed(client, lead, django_assert_max_num_queries):
    def add(n):
        for i in range(n):
            user = UserFactory(role="agent")
            offered(user, created_at=timezone.now() - timedelta(days=i % 50))
            Reflection.objects.create(
                agent=user, day=timezone.localdate() - timedelta(days=i % 50), went_well="x"
            )

    client.force_login(lead)
    add(2)
    with django_assert_max_num_queries(10) as small:
        assert client.get(TEAM_CARE).status_code == 200
    add(30)
    with django_assert_max_num_queries(10) as large:
        assert client.get(TEAM_CARE).status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)


# --- Access ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [REFLECTION, ME, BREAK, TEAM_CARE])
def test_anonymous_users_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_anonymous_posts_change_nothing(client, agent, happy):
    nudge = offered(agent)
    for url in (reverse("interactions:nudge-answer", args=[nudge.pk]), praise_url(happy)):
        response = client.post(url, {"answer": "take", "action": "mark"})
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    nudge.refresh_from_db()
    happy.refresh_from_db()
    assert nudge.status == BreakNudge.Status.OFFERED and happy.praised_at is None


@pytest.mark.parametrize("url", [REFLECTION, ME, BREAK, TEAM_CARE])
def test_a_user_without_a_role_gets_403(client, no_role_user, url):
    client.force_login(no_role_user)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", [REFLECTION, ME, BREAK])
@pytest.mark.parametrize("who", ["agent", "lead", "admin_user"])
def test_every_role_opens_its_own_pages(client, request, url, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url)
    assert response.status_code == 200
    assert 'aria-current="page"' in response.content.decode() or url == BREAK


def test_the_menu_and_shortcuts_list_the_new_pages(client, agent, lead):
    client.force_login(agent)
    html = client.get(HOME).content.decode()
    assert f'href="{REFLECTION}"' in html and f'href="{ME}"' in html
    assert "<kbd>g r</kbd>" in html and "<kbd>g m</kbd>" in html
    assert f'href="{TEAM_CARE}"' not in html
    client.force_login(lead)
    assert f'href="{TEAM_CARE}"' in client.get(HOME).content.decode()


def test_pages_render_in_korean(client, agent):
    client.force_login(agent)
    offered(agent)
    for url in (REFLECTION, ME, BREAK):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="ko")
        assert response.status_code == 200
        assert '<html lang="ko">' in response.content.decode()


# --- Demo data ----------------------------------------------------------------------------


def test_seed_demo_fills_the_wellbeing_pages_once(settings):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", "--interactions", "300", "--until", "2026-06-30", verbosity=0)
    demo_agent = get_user_model().objects.get(username="demo_agent")
    counts = (
        Reflection.objects.filter(agent=demo_agent).count(),
        BreakNudge.objects.filter(agent=demo_agent).count(),
        Interaction.objects.filter(agent=demo_agent, praised_at__isnull=False).count(),
    )
    assert all(counts), counts
    assert not BreakNudge.objects.filter(status=BreakNudge.Status.OFFERED).exists()
    assert not Interaction.objects.filter(praised_at__isnull=False).exclude(end_valence="positive")
    call_command("seed_demo", "--interactions", "50", "--until", "2026-06-30", verbosity=0)
    assert Reflection.objects.filter(agent=demo_agent).count() == counts[0]
    assert BreakNudge.objects.filter(agent=demo_agent).count() == counts[1]
