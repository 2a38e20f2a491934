"""`manage.py seed_demo`: the demo data set and the demo users."""

import re
from collections import defaultdict
from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from interactions.demo_data import PROFILES, TURN_DAYS
from interactions.management.commands import seed_demo
from interactions.models import (
    Archetype,
    ArchetypeChange,
    Cue,
    Customer,
    Interaction,
    Outcome,
    compute_recovered,
)
from interactions.reference_data import APOLOGY_CODE
from interactions.roles import role_of
from tests.factories import CustomerFactory, InteractionFactory

pytestmark = pytest.mark.django_db

UNTIL = "2026-06-30"
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(*args: str) -> None:
    call_command("seed_demo", *args, verbosity=0)


@pytest.fixture
def seeded(db):
    seed("--interactions", "400", "--seed", "7", "--until", UNTIL)


def snapshot():
    """Everything generated, without ids (which differ between runs)."""
    customers = Customer.objects.exclude(demo_profile="").order_by("id")
    interactions = Interaction.objects.filter(is_demo=True).order_by("id")
    return (
        list(
            customers.values_list(
                "name",
                "phone",
                "email",
                "external_ref",
                "notes",
                "demo_profile",
                "created_at",
                "created_by__username",
            )
        ),
        list(
            interactions.values_list(
                "customer__external_ref",
                "customer__name",
                "agent__username",
                "occurred_at",
                "channel__code",
                "touchpoint__code",
                "emotion_start__code",
                "emotion_end__code",
                "intensity",
                "cues",
                "summary",
                "is_complaint",
                "complaint_status",
                "resolved_at",
                "response_template__code",
                "response_text",
                "outcome",
                "follow_up_on",
                "created_at",
            )
        ),
    )


def test_adds_exactly_n_interactions_to_what_is_there(interaction):
    seed("--interactions", "250", "--until", UNTIL)
    assert Interaction.objects.count() == 251
    assert Interaction.objects.filter(is_demo=True).count() == 250
    assert Interaction.objects.filter(pk=interaction.pk, is_demo=False).exists()


def test_running_again_adds_more_with_fresh_crm_references(seeded):
    seed("--interactions", "400", "--seed", "7", "--until", UNTIL)
    assert Interaction.objects.filter(is_demo=True).count() == 800
    refs = list(Customer.objects.exclude(external_ref="").values_list("external_ref", flat=True))
    assert len(refs) == len(set(refs))


def test_every_profile_is_present_and_archetypes_are_suggested_not_copied(seeded):
    demo = Customer.objects.exclude(demo_profile="")
    assert set(demo.values_list("demo_profile", flat=True)) == set(PROFILES)
    assert set(PROFILES) == set(Archetype.values)
    # The archetype comes from the rules reading the history, never from the answer key.
    assert not demo.filter(archetype_source="manual").exists()
    assert demo.filter(archetype_source="suggested").exists()
    assert (
        not demo.filter(archetype__isnull=False).exclude(archetype_basis__has_key="reason").exists()
    )
    assert not Interaction.objects.filter(is_demo=False).exists()


def test_demo_archetype_changes_are_dated_at_each_customers_last_contact(seeded):
    """As in a live system, where the contact that tips a customer is when it changes:
    the board's change over a period reads a spread-out history, not one moment."""
    changes = ArchetypeChange.objects.select_related("customer")
    assert changes.exists()
    for change in changes:
        assert change.changed_at == change.customer.last_contact_at
        assert change.customer.archetype_set_at == change.customer.last_contact_at
    assert changes.values("changed_at").distinct().count() > 1


def test_all_four_profiles_even_for_a_tiny_data_set(db):
    seed("--interactions", "12")
    assert Interaction.objects.count() == 12
    profiles = set(Customer.objects.values_list("demo_profile", flat=True))
    assert profiles == set(PROFILES)


def test_demo_login_users_and_team(seeded, capsys):
    User = get_user_model()
    for username, role in (("demo_agent", "agent"), ("demo_lead", "lead"), ("demo_admin", "admin")):
        user = User.objects.get(username=username)
        assert role_of(user) == role
        assert user.check_password("emotioncare-demo")
        assert user.is_staff == user.is_superuser == (role == "admin")
    team = User.objects.filter(username__startswith="demo_agent_")
    assert team.exists()
    for member in team:
        assert role_of(member) == "agent"
        assert not member.has_usable_password()
        assert not member.is_staff
    authors = User.objects.filter(interactions__is_demo=True).distinct()
    assert {role_of(u) for u in authors} == {"agent"}
    assert authors.filter(username="demo_agent").exists()  # the login sees their own work


def test_prints_how_to_log_in(db, capsys):
    call_command("seed_demo", "--interactions", "20")
    out = capsys.readouterr().out
    assert "Log in as demo_agent / demo_lead / demo_admin, password: emotioncare-demo" in out


def test_help_documents_the_demo_password():
    assert "emotioncare-demo" in seed_demo.Command.help


def test_a_changed_demo_password_is_not_reset(seeded):
    user = get_user_model().objects.get(username="demo_admin")
    user.set_password("a-new-secret-of-the-admin")
    user.save()
    seed("--interactions", "10", "--until", UNTIL)
    user.refresh_from_db()
    assert user.check_password("a-new-secret-of-the-admin")


def test_if_empty_does_nothing_when_any_interaction_exists(interaction, capsys):
    call_command("seed_demo", "--if-empty", "--interactions", "50")
    assert Interaction.objects.count() == 1
    assert not get_user_model().objects.filter(username__startswith="demo_").exists()
    assert "nothing seeded" in capsys.readouterr().out


def test_if_empty_seeds_an_empty_database(db):
    seed("--if-empty", "--interactions", "50")
    assert Interaction.objects.filter(is_demo=True).count() == 50


def test_reset_clears_only_demo_rows(seeded, interaction, agent):
    real_customer = interaction.customer
    demo_customer = Customer.objects.exclude(demo_profile="").first()
    by_a_person = InteractionFactory(customer=demo_customer, agent=agent)
    other_demo_customers = set(
        Customer.objects.exclude(demo_profile="")
        .exclude(pk=demo_customer.pk)
        .values_list("pk", flat=True)
    )

    seed("--reset", "--interactions", "100", "--seed", "8", "--until", UNTIL)

    assert Interaction.objects.filter(is_demo=True).count() == 100
    assert Interaction.objects.filter(pk__in=[interaction.pk, by_a_person.pk]).count() == 2
    assert Customer.objects.filter(pk=real_customer.pk).exists()
    assert Customer.objects.filter(pk=demo_customer.pk).exists()  # a person logged a contact
    assert not Customer.objects.filter(pk__in=other_demo_customers).exists()
    assert get_user_model().objects.filter(pk=agent.pk).exists()


def test_reset_alone_empties_the_demo_data(seeded):
    seed("--reset", "--interactions", "0")
    assert not Interaction.objects.exists()
    assert not Customer.objects.exists()


def test_derived_columns_are_right_for_every_row(seeded):
    rows = Interaction.objects.select_related("emotion_start", "emotion_end")
    assert rows.count() == 400
    for row in rows:
        assert row.start_valence == row.emotion_start.valence
        assert row.end_valence == (row.emotion_end.valence if row.emotion_end else "")
        assert row.recovered == compute_recovered(row.start_valence, row.end_valence or None)


def test_slips_carry_their_phrase_guide_hits_and_the_rollups_are_built(seeded):
    """The few free-text answers that break the guide are stored with their hits, as the
    log form stores them; template responses have none; the dashboard's daily counts
    are built from the rows."""
    from interactions import phrase_guide, rollups
    from interactions.rules.phrases import check_phrases

    rules = phrase_guide.active_rules()
    with_hits = Interaction.objects.exclude(phrase_warnings=[])
    assert with_hits.exists()
    for row in Interaction.objects.filter(is_demo=True).exclude(response_text=""):
        expected = (
            []
            if row.response_template_id
            else phrase_guide.hits_for_storage(check_phrases(row.response_text, rules))
        )
        assert row.phrase_warnings == expected
    assert not with_hits.filter(response_template__isnull=False).exists()
    assert rollups.differences() == []


def test_rows_are_plausible(seeded):
    end = timezone.make_aware(datetime.combine(date.fromisoformat(UNTIL), time(20, 0)))
    rows = list(Interaction.objects.select_related("response_template", "customer"))
    for row in rows:
        assert 1 <= row.intensity <= 5
        assert set(row.cues) <= set(Cue.values)
        assert row.outcome in {"", *Outcome.values}
        assert row.occurred_at <= row.created_at <= end
        assert end - timedelta(days=740) <= row.occurred_at
        if row.is_complaint and row.complaint_status == "resolved":
            assert row.occurred_at < row.resolved_at <= end
        else:
            assert row.resolved_at is None
        if row.response_template:
            assert row.response_text.startswith(
                row.response_template.text.split("{customer_name}")[0] + row.customer.name
            )
            assert "{" not in row.response_text
    spread = max(r.occurred_at for r in rows) - min(r.occurred_at for r in rows)
    assert spread > timedelta(days=365)
    assert any(r.is_complaint and r.complaint_status == "resolved" for r in rows)
    assert any(r.is_complaint and r.complaint_status != "resolved" for r in rows)
    assert any(r.follow_up_on for r in rows)
    assert any(r.emotion_start_id != r.emotion_end_id and r.emotion_end_id for r in rows)
    summaries = [r.summary for r in rows]
    assert any(HANGUL.search(s) for s in summaries)
    assert any(s and not HANGUL.search(s) for s in summaries)
    assert len({len(r.response_text) // 40 for r in rows}) > 3  # lengths vary


def test_customers_look_real(seeded):
    customers = Customer.objects.exclude(demo_profile="")
    korean = customers.filter(name__regex=r"^[가-힣]+$").count()
    assert korean > customers.count() / 2
    assert customers.exclude(name__regex=r"^[가-힣]+$").exists()  # some English names
    for customer in customers:
        if customer.phone:
            assert re.fullmatch(r"010-\d{4}-\d{4}", customer.phone)
            assert customer.phone_digits == customer.phone.replace("-", "")
        if customer.external_ref:
            assert re.fullmatch(r"CRM-\d{7}", customer.external_ref)
    assert customers.exclude(email="").exists() and customers.exclude(phone="").exists()


def test_same_seed_same_data_other_seed_other_data(db):
    seed("--interactions", "200", "--seed", "3", "--until", UNTIL)
    first = snapshot()
    seed("--reset", "--interactions", "200", "--seed", "3", "--until", UNTIL)
    assert snapshot() == first
    seed("--reset", "--interactions", "200", "--seed", "4", "--until", UNTIL)
    assert snapshot() != first


def _histories():
    histories = defaultdict(list)
    rows = Interaction.objects.select_related("customer", "response_template").order_by(
        "occurred_at", "id"
    )
    for row in rows:
        histories[row.customer.demo_profile].append(row)
    by_customer = defaultdict(list)
    for rows in histories.values():
        for row in rows:
            by_customer[row.customer_id].append(row)
    return histories, by_customer


def _share(rows, predicate) -> float:
    return sum(1 for r in rows if predicate(r)) / len(rows)


def test_profiles_show_the_signals_archetype_suggestion_reads(db):
    seed("--interactions", "1200", "--seed", "11", "--until", UNTIL)
    end = timezone.make_aware(datetime.combine(date.fromisoformat(UNTIL), time(20, 0)))
    profiles, by_customer = _histories()

    # loyal_annoyed: a run of positive contacts, then a recent negative turn.
    annoyed = [
        rows for rows in by_customer.values() if rows[0].customer.demo_profile == "loyal_annoyed"
    ]
    assert len(annoyed) >= 5
    for rows in annoyed:
        assert rows[-1].start_valence == "negative"
        assert end - rows[-1].occurred_at <= timedelta(days=TURN_DAYS + 3)
        earlier = [r for r in rows if end - r.occurred_at > timedelta(days=TURN_DAYS + 3)]
        assert earlier and _share(earlier, lambda r: r.start_valence == "positive") >= 0.5

    # active_hater: contacts end negative, even after apology and re-service.
    haters = [r for r in profiles["active_hater"] if r.end_valence]
    assert _share(haters, lambda r: r.end_valence == "negative") >= 0.6
    apologised = [
        r for r in haters if r.response_template and r.response_template.code == APOLOGY_CODE
    ]
    assert apologised and _share(apologised, lambda r: r.end_valence == "negative") >= 0.6

    # extreme_critic: frequent complaints, mostly ending neutral or better.
    critics = profiles["extreme_critic"]
    assert _share(critics, lambda r: r.is_complaint) >= 0.5
    addressed = [r for r in critics if r.start_valence == "negative" and r.end_valence]
    assert _share(addressed, lambda r: r.recovered) >= 0.7

    # loyal_enthusiast: consistently positive; every complaint recovered.
    fans = profiles["loyal_enthusiast"]
    assert _share(fans, lambda r: r.start_valence == "positive") >= 0.7
    assert not [r for r in fans if r.end_valence == "negative"]
    assert all(r.recovered for r in fans if r.start_valence == "negative")


def test_writes_in_bulk_not_one_query_per_row(db):
    seed("--interactions", "0")  # reference data and users in place first
    with CaptureQueriesContext(connection) as small:
        seed("--interactions", "200", "--until", UNTIL)
    with CaptureQueriesContext(connection) as large:
        seed("--interactions", "2000", "--until", UNTIL)
    assert len(large) - len(small) < (2000 - 200) / 20


def test_prints_progress(db, monkeypatch, capsys):
    monkeypatch.setattr(seed_demo, "PROGRESS_EVERY", 100)
    monkeypatch.setattr(seed_demo, "CUSTOMER_BATCH", 10)
    call_command("seed_demo", "--interactions", "300")
    out = capsys.readouterr().out
    assert "100 / 300 interactions" in out and "300 / 300 interactions" in out


def test_refuses_nonsense_sizes(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        seed("--interactions", "-1")
    with pytest.raises(CommandError):
        seed("--interactions", "10", "--customers", "0")


@pytest.mark.postgres
def test_postgres_writes_with_copy_and_escapes_text(reference, agent):
    assert seed_demo.CopyWriter.usable()
    customer = CustomerFactory()
    model = InteractionFactory.build(customer=customer, agent=agent)
    model.refresh_derived()
    tricky = "tab\there\nnew line \\ backslash \\N 안녕"
    row = tuple(
        getattr(model, name) if name not in ("summary", "response_text", "cues") else None
        for name in seed_demo.INTERACTION_COLUMNS
    )
    index = seed_demo.INTERACTION_COLUMNS.index
    row = list(row)
    row[index("summary")] = tricky
    row[index("response_text")] = ""
    row[index("cues")] = ("words", "tone")
    row[index("is_demo")] = True
    row[index("updated_at")] = timezone.now()

    seed_demo.CopyWriter().write([tuple(row)])
    saved = Interaction.objects.get(is_demo=True)
    assert saved.summary == tricky
    assert saved.response_text == ""
    assert saved.cues == ["words", "tone"]
    assert saved.recovered is True


def test_a_team_of_two_hundred_demo_agents_has_no_two_of_the_same_name(reference):
    command = seed_demo.Command()
    command.ensure_login_users()
    team = command.ensure_demo_agents(200)
    users = get_user_model().objects.filter(pk__in=[agent.id for agent in team])
    names = [(user.last_name, user.first_name) for user in users if user.username != "demo_agent"]
    assert len(names) == 200 and len(set(names)) == 200
