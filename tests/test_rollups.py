"""The dashboard's daily rollups (interactions/rollups.py): every panel they answer gives
the numbers the interactions give, under every filter and period, and every way of
writing interactions (log, correction, move to another customer, archetype set by a
person or by the rules, import, the Django admin, template deleted) keeps them equal to
a rebuild from the interactions. The same for the archetype changes counted per day."""

import datetime as dt
import itertools

import pytest
from django.contrib.admin.sites import site
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from interactions import dashboard, imports, rollups, services
from interactions.dashboard import Params, Reference
from interactions.models import (
    ArchetypeChange,
    ArchetypeTally,
    Customer,
    DailyTally,
    Emotion,
    Interaction,
    ResponseTemplate,
    Touchpoint,
)
from tests.factories import (
    CLASSIFIED_AT,
    CustomerFactory,
    InteractionFactory,
    ResponseTemplateFactory,
    UserFactory,
    channel,
    emotion,
)

pytestmark = pytest.mark.django_db

SEOUL = timezone.get_fixed_timezone(9 * 60)
FIRST, LAST = dt.date(2026, 3, 2), dt.date(2026, 3, 29)


def at(day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=SEOUL)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def panels(params: Params) -> dict:
    """Every number the rollups can answer, as plain data."""
    ref = Reference()
    trend = dashboard.emotion_trend(params)
    load = dashboard.agent_load(params)
    agents = [row["agent_id"] for row in load]
    return {
        "summary": dashboard.summary(params),
        "trend": trend,
        "emotions": [
            {**row, "emotion": row["emotion"].code}
            for row in dashboard.emotion_breakdown(params, ref)
        ],
        "resolved_late": dashboard.overdue_complaints(params, ref)["resolved_late"],
        "overdue": {
            key: dashboard.overdue_complaints(params, ref)[key]
            for key in ("total", "open", "in_progress")
        },
        "by_agent": dashboard.recovery_by_agent(params),
        # As the page reads them: one pass over the agents' rows shared by both tables.
        "by_agent_shared": dashboard.recovery_by_agent(params, dashboard.agent_sums(params)),
        "people": dashboard.agent_load_people(params, dashboard.agent_sums(params)),
        "by_template": dashboard.recovery_by_template(params),
        "by_channel": dashboard.recovery_by_channel(params, ref),
        "by_archetype": dashboard.recovery_by_archetype(params),
        "outcomes": [
            {**row, "touchpoint": row["touchpoint"] and row["touchpoint"].code}
            for row in dashboard.touchpoint_outcomes(params, ref)
        ],
        "load": load,
        **{
            f"load_{period}": dashboard.agent_load_bins(params, period, agents)
            for period in dashboard.PERIODS
        },
    }


def assert_same_as_interactions(settings, params: Params) -> None:
    from_rollups = panels(params)
    settings.EMOTIONCARE_DASHBOARD_ROLLUPS = False
    try:
        from_interactions = panels(params)
    finally:
        settings.EMOTIONCARE_DASHBOARD_ROLLUPS = True
    for name, value in from_interactions.items():
        assert from_rollups[name] == value, name


def assert_current() -> None:
    assert rollups.differences() == []


@pytest.fixture
def varied(reference, lead):
    """120 interactions over four weeks: every combination of a few agents, channels,
    touchpoints (and none), emotions with and without an end, templates (and none),
    outcomes, customers of each archetype; some at the edges of a local day."""
    agents = [UserFactory(username=f"roll_{n}", role="agent") for n in range(3)]
    customers = [
        CustomerFactory(archetype=code)
        for code in ("loyal_annoyed", "active_hater", "extreme_critic", "loyal_enthusiast", None)
    ]
    channels = [channel(code) for code in ("phone", "email", "chat")]
    touchpoints = [*Touchpoint.objects.order_by("code")[:2], None]
    starts = [emotion(code) for code in ("anger", "annoyance", "neutral", "gratitude")]
    ends = [emotion("neutral"), emotion("anger"), emotion("gratitude"), None]
    templates = [ResponseTemplateFactory(title="Sorry"), ResponseTemplateFactory(title="Fix"), None]
    outcomes = ["satisfied", "indifferent", "dissatisfied", ""]
    times = [(1, 15, 30), (2, 0, 0), (2, 23, 59), (9, 12, 0), (16, 8, 0), (29, 23, 59), (30, 0, 1)]
    # Complaints: open, and resolved after 1 hour, exactly on a 24-hour target, a second
    # late, and 3 days later (late for phone and e-mail, on time for letters' 72 hours).
    resolutions = [None, dt.timedelta(hours=1), dt.timedelta(hours=24)]
    resolutions += [dt.timedelta(hours=24, seconds=1), dt.timedelta(days=3)]
    for n in range(120):
        day, hour, minute = times[n % len(times)]
        after = resolutions[n % 5] if n % 2 else None
        InteractionFactory(
            agent=agents[n % 3],
            customer=customers[n % 5],
            channel=channels[(n // 3) % 3],
            touchpoint=touchpoints[(n // 2) % 3],
            emotion_start=starts[n % 4],
            emotion_end=ends[(n // 4) % 4],
            response_template=templates[(n // 5) % 3],
            outcome=outcomes[(n // 7) % 4],
            occurred_at=at(day, hour, minute),
            is_complaint=bool(n % 2),
            complaint_status="resolved" if after else ("open" if n % 2 else ""),
            resolved_at=at(day, hour, minute) + after if after else None,
        )
    return {"agents": agents, "customers": customers, "channels": channels}


def test_every_panel_gives_the_numbers_of_the_interactions_for_every_filter_and_period(
    settings, varied
):
    email = varied["channels"][1]
    first_touchpoint = Touchpoint.objects.order_by("code").first()
    scopes = [
        {},
        {"channel": email},
        {"touchpoint": first_touchpoint},
        {"channel": email, "touchpoint": first_touchpoint},  # agents: read raw
        {"agent_id": varied["agents"][1].pk},  # read raw
    ]
    # Within March (days only), and ranges holding the whole of March (its monthly rows
    # and the days around them): from its first day, to its last, and across it.
    ranges = [
        (FIRST, LAST),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 2, 20), dt.date(2026, 4, 5)),
        (dt.date(2026, 3, 1), dt.date(2026, 4, 2)),
        (dt.date(2026, 2, 27), dt.date(2026, 3, 31)),
    ]
    for (first, last), scope, period in itertools.product(ranges, scopes, dashboard.PERIODS):
        params = Params(date_from=first, date_to=last, period=period, **scope)
        assert_same_as_interactions(settings, params)
    # The counts are really there (not two empty answers).
    assert dashboard.summary(Params(date_from=FIRST, date_to=LAST))["total"] > 60
    assert_current()


def test_a_new_channel_target_recounts_the_complaints_resolved_late(settings, admin_client, varied):
    """Through the admin's change page and its list's editable column alike."""
    params = Params(date_from=FIRST, date_to=LAST)
    before = dashboard.overdue_complaints(params, dashboard.Reference())["resolved_late"]
    assert before > 0
    phone = channel("phone")
    change = reverse("admin:interactions_channel_change", args=[phone.pk])
    form = admin_client.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(response_target_hours=100, is_active="on")
    response = admin_client.post(change, data)
    assert response.status_code == 302, response.content[:2000]
    after = dashboard.overdue_complaints(params, dashboard.Reference())["resolved_late"]
    assert after < before  # the 3-day resolutions are no longer late on the phone
    assert_same_as_interactions(settings, params)
    assert_current()
    call_command("load_reference_data", "--overwrite", verbosity=0)  # back to 24 hours
    assert dashboard.overdue_complaints(params, dashboard.Reference())["resolved_late"] == before
    assert_current()


def test_a_local_day_is_counted_on_its_own_date(varied):
    # 2 March 23:59 and 2 March 00:00 in Seoul are the 2nd; 1 March 15:30 is the 1st.
    days = set(DailyTally.objects.filter(kind="base", total__gt=0).values_list("day", flat=True))
    assert {dt.date(2026, 3, 1), dt.date(2026, 3, 2), dt.date(2026, 3, 30)} <= days
    one_day = Params(date_from=dt.date(2026, 3, 2), date_to=dt.date(2026, 3, 2))
    expected = Interaction.objects.filter(
        occurred_at__gte=at(2, 0, 0), occurred_at__lt=at(3, 0, 0)
    ).count()
    assert dashboard.summary(one_day)["total"] == expected > 0


def test_a_correction_moves_its_counts_to_the_new_day_channel_emotion_and_customer(
    settings, varied, lead
):
    interaction = Interaction.objects.filter(emotion_end__isnull=False).first()
    other_customer = varied["customers"][3]
    services.interaction_update(
        interaction=interaction,
        user=lead,
        data={
            "occurred_at": at(20, 11),
            "channel": channel("chat"),
            "emotion_start": emotion("anger"),
            "emotion_end": emotion("gratitude"),
            "customer": other_customer,
            "outcome": "satisfied",
        },
    )
    assert_current()
    assert_same_as_interactions(settings, Params(date_from=FIRST, date_to=LAST, period="day"))


def test_logging_through_the_service_counts_the_interaction_in(settings, varied):
    params = Params(date_from=FIRST, date_to=LAST)
    before = dashboard.summary(params)["total"]
    services.interaction_log(
        agent=varied["agents"][0],
        data={
            "customer": varied["customers"][0],
            "occurred_at": at(10, 9),
            "channel": channel("phone"),
            "emotion_start": emotion("anger"),
            "emotion_end": emotion("neutral"),
            "outcome": "satisfied",
        },
    )
    assert dashboard.summary(params)["total"] == before + 1
    assert_current()
    assert_same_as_interactions(settings, params)


def test_an_archetype_set_by_a_person_moves_the_customers_interactions(settings, varied, lead):
    params = Params(date_from=FIRST, date_to=LAST)
    hater = varied["customers"][1]
    services.customer_override_archetype(customer=hater, user=lead, archetype="loyal_enthusiast")
    assert_current()
    assert_same_as_interactions(settings, params)
    services.customer_release_archetype(customer=Customer.objects.get(pk=hater.pk), user=lead)
    assert_current()
    services.customer_update(
        customer=Customer.objects.get(pk=varied["customers"][4].pk),
        user=lead,
        data={"archetype": "extreme_critic"},
    )
    assert_current()
    assert_same_as_interactions(settings, params)


def test_archetypes_recomputed_by_the_rules_move_the_interactions_too(settings, varied):
    stats = services.recompute_archetypes(now=at(31))
    assert stats["changed"] > 0  # the factories' archetypes were not the rules' answer
    assert_current()
    assert_same_as_interactions(settings, Params(date_from=FIRST, date_to=LAST))


def test_an_import_counts_its_rows_in(settings, varied, lead):
    agent = varied["agents"][0].username
    result = imports.run_import(
        imports.sample_csv(agent=agent).encode(),
        filename="sample.csv",
        user=lead,
        source="upload",
        dry_run=False,
    )
    assert result.batch is not None
    assert Interaction.objects.filter(import_batch=result.batch).exists()
    assert_current()


def test_a_failed_import_leaves_the_counts_as_they_were(varied, lead):
    before = list(DailyTally.objects.order_by("pk").values())
    broken = imports.sample_csv(agent="nobody-by-this-name").encode()
    result = imports.run_import(
        broken, filename="broken.csv", user=lead, source="upload", dry_run=False
    )
    assert result.batch is None
    assert list(DailyTally.objects.order_by("pk").values()) == before


def test_adding_correcting_and_deleting_in_the_django_admin_keeps_the_counts(varied, admin_user):
    model_admin = site._registry[Interaction]
    request = RequestFactory().post("/admin/")
    request.user = admin_user
    interaction = Interaction.objects.first()
    interaction.channel = channel("chat")
    interaction.occurred_at = at(25)
    model_admin.save_model(request, interaction, form=None, change=True)
    assert_current()
    added = Interaction(
        customer=varied["customers"][0],
        agent=varied["agents"][2],
        occurred_at=at(12),
        channel=channel("email"),
        emotion_start=emotion("anger"),
    )
    model_admin.save_model(request, added, form=None, change=False)
    assert_current()
    model_admin.delete_model(request, added)
    model_admin.delete_queryset(request, Interaction.objects.filter(channel=channel("phone")))
    assert not Interaction.objects.filter(channel=channel("phone")).exists()
    assert_current()


def test_a_deleted_template_counts_as_no_template(settings, varied):
    ResponseTemplate.objects.filter(title="Sorry").delete()  # SET_NULL on the interactions
    params = Params(date_from=FIRST, date_to=LAST)
    by_template = dashboard.recovery_by_template(params)
    assert [row["label"] for row in by_template] == ["Fix", ""]
    assert_same_as_interactions(settings, params)


def test_recompute_rollups_rebuilds_and_its_check_finds_drift(varied, capsys):
    call_command("recompute_rollups", "--check")
    assert "match" in capsys.readouterr().out
    row = DailyTally.objects.filter(kind="base", total__gt=0).first()
    DailyTally.objects.filter(pk=row.pk).update(total=row.total + 5)
    with pytest.raises(CommandError, match="differ"):
        call_command("recompute_rollups", "--check")
    call_command("recompute_rollups")
    assert "Rebuilt" in capsys.readouterr().out
    assert_current()


def test_rows_of_an_emptied_day_do_not_show_as_groups(settings, varied, admin_user):
    # Every interaction of one emotion deleted: its zero rows stay, but no panel lists it.
    model_admin = site._registry[Interaction]
    request = RequestFactory().post("/admin/")
    request.user = admin_user
    gratitude = Emotion.objects.get(code="gratitude")
    model_admin.delete_queryset(request, Interaction.objects.filter(emotion_start=gratitude))
    assert DailyTally.objects.filter(kind="emotion", item_id=gratitude.pk, total=0).exists()
    params = Params(date_from=FIRST, date_to=LAST)
    assert_same_as_interactions(settings, params)


def test_the_dashboard_page_shows_a_logged_interaction_at_once(client, varied, lead):
    client.force_login(lead)
    query = {"date_from": FIRST.isoformat(), "date_to": LAST.isoformat()}
    before = client.get("/dashboard/", query).context["summary"]["total"]
    InteractionFactory(agent=varied["agents"][0], occurred_at=at(15))
    assert client.get("/dashboard/", query).context["summary"]["total"] == before + 1


def test_the_default_view_and_one_channel_read_the_rollups_and_one_agent_does_not(varied):
    """The comparisons above would pass if nothing read the rollups: here a stored count is
    changed by hand, and only the views that read the rollups show it."""
    params = Params(date_from=FIRST, date_to=LAST)
    email = varied["channels"][1]
    agent = varied["agents"][0]
    before = {
        "all": dashboard.summary(params)["total"],
        "channel": dashboard.summary(Params(date_from=FIRST, date_to=LAST, channel=email))["total"],
        "agent": dashboard.summary(Params(date_from=FIRST, date_to=LAST, agent_id=agent.pk))[
            "total"
        ],
    }
    row = DailyTally.objects.filter(
        kind="base", channel_id=email.pk, day__gte=FIRST, day__lte=LAST, total__gt=0
    ).first()
    DailyTally.objects.filter(pk=row.pk).update(total=row.total + 1000)
    assert dashboard.summary(params)["total"] == before["all"] + 1000
    channel_params = Params(date_from=FIRST, date_to=LAST, channel=email)
    assert dashboard.summary(channel_params)["total"] == before["channel"] + 1000
    agent_params = Params(date_from=FIRST, date_to=LAST, agent_id=agent.pk)
    assert dashboard.summary(agent_params)["total"] == before["agent"]


# --- Archetype changes per day (the board's "change over the period") -----------------


def board_changes(settings, params: Params) -> tuple[list, list]:
    """The board's (code, entered, left) per group from the counts per day and from the
    changes themselves."""

    def read():
        groups = dashboard.archetype_board(params, Reference())["groups"]
        return [(g["code"], g["entered"], g["left"], g["change"]) for g in groups]

    from_rollups = read()
    settings.EMOTIONCARE_DASHBOARD_ROLLUPS = False
    try:
        from_changes = read()
    finally:
        settings.EMOTIONCARE_DASHBOARD_ROLLUPS = True
    return from_rollups, from_changes


def test_archetype_changes_are_counted_on_their_local_day(settings, varied):
    # Suggested at 00:30 in Seoul on 2 March: 1 March in UTC, 2 March on the board.
    services.recompute_archetypes(now=at(2, 0, 30))
    changed = ArchetypeChange.objects.filter(changed_at=at(2, 0, 30)).count()
    assert changed > 0
    days = set(ArchetypeTally.objects.values_list("day", flat=True))
    assert days == {CLASSIFIED_AT.date(), dt.date(2026, 3, 2)}  # the factories' and these
    on_the_day = ArchetypeTally.objects.filter(day=dt.date(2026, 3, 2))
    assert sum(on_the_day.values_list("changes", flat=True)) == changed
    assert_current()
    first_day = Params(date_from=dt.date(2026, 3, 2), date_to=dt.date(2026, 3, 2))
    day_before = Params(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 1))
    from_rollups, from_changes = board_changes(settings, first_day)
    assert from_rollups == from_changes
    assert sum(entered for _code, entered, _left, _change in from_rollups) > 0
    assert all(
        entered == left == 0 for _c, entered, left, _ in board_changes(settings, day_before)[0]
    )


def test_every_writer_of_archetype_changes_keeps_the_counts_per_day(
    settings, varied, lead, admin_user
):
    today = timezone.localdate()
    params = Params(date_from=today - dt.timedelta(days=1), date_to=today)
    hater, unclassified = varied["customers"][1], varied["customers"][4]
    # A lead's override, then handing it back to the rules.
    services.customer_override_archetype(customer=hater, user=lead, archetype="loyal_enthusiast")
    services.customer_release_archetype(customer=Customer.objects.get(pk=hater.pk), user=lead)
    # Set through the customer form; then the rules after a save, and confirmed.
    services.customer_update(customer=unclassified, user=lead, data={"archetype": "extreme_critic"})
    customer = services.customer_recompute_archetype(customer=Customer.objects.get(pk=hater.pk))
    if customer.suggested_archetype:
        services.customer_confirm_archetype(customer=customer, user=lead)
    assert ArchetypeChange.objects.count() >= 3
    assert_current()
    from_rollups, from_changes = board_changes(settings, params)
    assert from_rollups == from_changes
    entered = dict((code, n) for code, n, _left, _change in from_rollups)
    assert entered["loyal_enthusiast"] >= 1 and entered["extreme_critic"] == 1
    # A customer deleted in the Django admin takes their changes out of the counts.
    model_admin = site._registry[Customer]
    request = RequestFactory().post("/admin/")
    request.user = admin_user
    lone = CustomerFactory()
    services.customer_override_archetype(customer=lone, user=lead, archetype="active_hater")
    other = CustomerFactory()
    services.customer_override_archetype(customer=other, user=lead, archetype="active_hater")
    assert_current()
    model_admin.delete_model(request, Customer.objects.get(pk=lone.pk))
    assert_current()
    model_admin.delete_queryset(request, Customer.objects.filter(pk=other.pk))
    assert not ArchetypeChange.objects.filter(customer_id__in=[lone.pk, other.pk]).exists()
    assert_current()
    assert board_changes(settings, params)[0] == from_rollups


def test_the_django_admin_shows_a_customers_archetype_without_changing_it(admin_client, varied):
    customer = varied["customers"][0]
    response = admin_client.get(reverse("admin:interactions_customer_change", args=[customer.pk]))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "archetype" not in form.fields and "archetype_source" not in form.fields
    assert "name" in form.fields


def test_the_board_reads_the_counts_per_day(settings, varied, lead):
    """The comparisons above would pass if the board read the changes themselves: a
    stored count changed by hand shows on the board, and not when the rollups are off."""
    services.customer_override_archetype(
        customer=varied["customers"][4], user=lead, archetype="active_hater"
    )
    today = timezone.localdate()
    ArchetypeTally.objects.filter(day=today, archetype="active_hater").update(changes=7)
    from_rollups, from_changes = board_changes(settings, Params(date_from=today, date_to=today))
    assert ("active_hater", 7, 0, 7) in from_rollups
    assert ("active_hater", 1, 0, 1) in from_changes

    # Customers per archetype come from the same counts: six more haters on the board.
    def haters():
        groups = dashboard.archetype_board(Params(date_from=today, date_to=today), Reference())
        return [g["count"] for g in groups["groups"] if g["code"] == "active_hater"][0]

    from_rollups_count = haters()
    settings.EMOTIONCARE_DASHBOARD_ROLLUPS = False
    try:
        assert haters() == from_rollups_count - 6
    finally:
        settings.EMOTIONCARE_DASHBOARD_ROLLUPS = True
    with pytest.raises(CommandError, match="differ"):
        call_command("recompute_rollups", "--check")


def test_the_overdue_counts_read_the_rollups_and_one_agent_does_not(varied):
    """The comparison with the index would pass if the counts still read the index: a
    stored count of open complaints changed by hand shows in the overdue count, except
    in one agent's view (which reads the index)."""
    now = at(31)
    everyone = Params(date_from=FIRST, date_to=LAST, now=now)
    one_agent = Params(date_from=FIRST, date_to=LAST, now=now, agent_id=varied["agents"][0].pk)
    before = dashboard.overdue_complaints(everyone, Reference())["open"]
    agent_before = dashboard.overdue_complaints(one_agent, Reference())["open"]
    row = DailyTally.objects.filter(kind=rollups.BASE_MONTHS, open_complaints__gt=0).first()
    DailyTally.objects.filter(pk=row.pk).update(open_complaints=row.open_complaints + 40)
    assert dashboard.overdue_complaints(everyone, Reference())["open"] == before + 40
    assert dashboard.overdue_complaints(one_agent, Reference())["open"] == agent_before


# --- Monthly rows -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "first, last, months, days",
    [
        ("2026-03-02", "2026-03-29", [], 28),  # within a month: days only
        ("2026-03-01", "2026-03-30", [], 30),
        ("2026-03-01", "2026-03-31", ["2026-03-01"], 0),  # exactly a month
        ("2026-02-01", "2026-03-31", ["2026-02-01", "2026-03-01"], 0),
        ("2026-02-20", "2026-04-05", ["2026-03-01"], 9 + 5),  # days on either side
        ("2026-02-02", "2026-03-31", ["2026-03-01"], 27),
        ("2028-02-01", "2028-02-29", ["2028-02-01"], 0),  # a leap February
        ("2026-12-15", "2027-01-31", ["2027-01-01"], 17),  # the year's turn
    ],
)
def test_a_range_reads_whole_months_from_the_monthly_rows_and_the_rest_by_day(
    first, last, months, days
):
    """Which rows a range reads, with one row per day and per month around it."""
    first, last = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    day = first - dt.timedelta(days=40)
    while day <= last + dt.timedelta(days=40):
        DailyTally.objects.create(kind="base", day=day, total=1)
        if day.day == 1:
            DailyTally.objects.create(kind="base_m", day=day, total=1000)
        day += dt.timedelta(days=1)
    picked = DailyTally.objects.filter(rollups.spans("base", first, last))
    monthly = sorted(picked.filter(kind="base_m").values_list("day", flat=True))
    assert monthly == [dt.date.fromisoformat(start) for start in months]
    daily = list(picked.filter(kind="base").values_list("day", flat=True))
    assert len(daily) == days
    # Every day of the range counted once: by its own row or by its month's.
    covered = set(daily)
    for start in monthly:
        covered |= {
            start + dt.timedelta(days=n)
            for n in range(31)
            if (start + dt.timedelta(days=n)).month == start.month
        }
    assert len(covered) == len(daily) + sum(
        (rollups.first_of_next_month(start) - start).days for start in monthly
    )
    assert covered == {first + dt.timedelta(days=n) for n in range((last - first).days + 1)}
    # A week or a day cannot be cut from a month: days only.
    days_only = DailyTally.objects.filter(rollups.spans("base", first, last, months=False))
    assert not days_only.filter(kind="base_m").exists()
    assert days_only.count() == (last - first).days + 1


def test_a_range_of_whole_months_reads_the_monthly_rows(settings, varied):
    """The comparisons above would pass if nothing read the monthly rows: a stored
    monthly count changed by hand shows in a range of whole months only."""
    march = Params(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31))
    days_of_march = Params(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 30))
    before = dashboard.summary(march)["total"]
    assert before == dashboard.summary(days_of_march)["total"] > 60  # nothing on the 31st
    row = DailyTally.objects.filter(kind="base_m", day=dt.date(2026, 3, 1), total__gt=0).first()
    DailyTally.objects.filter(pk=row.pk).update(total=row.total + 1000)
    assert dashboard.summary(march)["total"] == before + 1000
    assert dashboard.summary(days_of_march)["total"] == before
    # Per week the days are read, whole months or not.
    weekly = Params(date_from=march.date_from, date_to=march.date_to, period=dashboard.WEEK)
    assert sum(item["total"] for item in dashboard.emotion_trend(weekly)) == before


def test_complaints_past_their_target_are_counted_the_same_at_any_moment(settings, varied, lead):
    """The overdue counts from the rollups (complaints not resolved yet, minus those
    whose target has not passed) equal the count from the index: before the first
    complaint, while some are still within their target, and after all."""
    email = varied["channels"][1]
    first_touchpoint = Touchpoint.objects.order_by("code").first()
    # One moved to "in progress" through the service, to count both statuses.
    opened = Interaction.objects.filter(complaint_status="open").order_by("pk").first()
    services.interaction_update(
        interaction=opened, user=lead, data={"complaint_status": "in_progress"}
    )
    moments = [at(1, 0, 0), at(2, 12), at(9, 20), at(16, 9), at(31), timezone.now()]
    scopes = [{}, {"channel": email}, {"touchpoint": first_touchpoint}]
    scopes.append({"channel": email, "touchpoint": first_touchpoint})
    seen = set()
    for now, scope in itertools.product(moments, scopes):
        params = Params(date_from=FIRST, date_to=LAST, now=now, **scope)
        overdue = dashboard.overdue_complaints(params, Reference())
        counts = (overdue["total"], overdue["open"], overdue["in_progress"])
        settings.EMOTIONCARE_DASHBOARD_ROLLUPS = False
        try:
            raw = dashboard.overdue_complaints(params, Reference())
        finally:
            settings.EMOTIONCARE_DASHBOARD_ROLLUPS = True
        assert counts == (raw["total"], raw["open"], raw["in_progress"]), (now, scope)
        assert [row.pk for row in overdue["rows"]] == [row.pk for row in raw["rows"]]
        seen.add(counts)
    assert (0, 0, 0) in seen and len(seen) > 3  # none yet, some, and more later
    assert_current()


def test_recompute_rollups_check_names_an_archetype_changed_without_its_history(varied, capsys):
    # An archetype written by hand, with no change in the customer's history: the board
    # (which counts customers from the changes) would be off, and --check says why.
    quiet = CustomerFactory()  # no interactions: only the board's count moves
    Customer.objects.filter(pk=quiet.pk).update(archetype="active_hater")
    with pytest.raises(CommandError, match="without its history"):
        call_command("recompute_rollups", "--check")
