"""Add a realistic demo data set: customers, their interaction histories, demo users.

    manage.py seed_demo --interactions 3000 [--customers C] [--agents A] [--seed S]
                        [--reset] [--if-empty] [--until YYYY-MM-DD]

The rows come from interactions/demo_data.py (profiles: docs/demo-data.md) and
are added to what is there. Demo rows are marked: Interaction.is_demo and
Customer.demo_profile (the archetype profile the customer was generated from);
Customer.archetype stays empty for archetype suggestion to fill in.

Speed: rows are generated in batches of customers (memory stays bounded) and
written in bulk: COPY on PostgreSQL, bulk_create elsewhere. Neither calls
Model.save(), so the generator sets the denormalised columns (start_valence,
end_valence, recovered) itself, and no audit entries are written for demo rows.
Everything happens in one transaction: an interrupted run leaves nothing.

Demo users: demo_agent, demo_lead and demo_admin (password "emotioncare-demo",
set when they are first created) and the team of agents the data is logged by
(demo_agent_01, ...; they cannot log in). With --if-empty and any interaction
already in the database the command does nothing at all: in particular it never
adds accounts with a published password to a database that holds real data.
"""

import time
from datetime import date, timedelta

from auditlog.context import disable_auditlog
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import F, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from interactions import bulk, demo_data, rollups, services
from interactions.demo_data import INTERACTION_COLUMNS, Agent, DemoGenerator, Reference
from interactions.models import (
    ArchetypeChange,
    BreakNudge,
    Channel,
    Customer,
    Emotion,
    Interaction,
    Reflection,
    ResponseTemplate,
    Touchpoint,
    Valence,
)
from interactions.roles import ADMIN, AGENT, LEAD, assign_role

DEMO_PASSWORD = "emotioncare-demo"  # noqa: S105 - published on purpose, demo accounts only
LOGIN_USERS = (
    ("demo_agent", AGENT, "민지", "김"),
    ("demo_lead", LEAD, "소라", "박"),
    ("demo_admin", ADMIN, "하나", "이"),
)
LOGIN_MESSAGE = f"Log in as demo_agent / demo_lead / demo_admin, password: {DEMO_PASSWORD}"
CUSTOMER_BATCH = 2000  # customers generated and written per round trip
PROGRESS_EVERY = 50_000
DELETE_CHUNK = 20_000


class Command(BaseCommand):
    help = (
        "Add a realistic demo data set (Korean and English) of N interactions, with "
        "customers drawn from the four archetype profiles. Also makes sure the demo "
        f"login users demo_agent, demo_lead and demo_admin exist (password: {DEMO_PASSWORD}). "
        "Deterministic for a given --seed (and --until)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interactions", type=int, default=3000, help="How many to add (default 3000)."
        )
        parser.add_argument(
            "--customers", type=int, help="How many customers (default: one per 12 contacts)."
        )
        parser.add_argument(
            "--agents", type=int, help="How many demo agents log the data (default: by size)."
        )
        parser.add_argument("--seed", type=int, default=2024, help="Random seed (default 2024).")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="First delete earlier demo rows (demo interactions and demo customers).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing at all when any interaction exists.",
        )
        parser.add_argument(
            "--until",
            type=date.fromisoformat,
            help="Generate as if today were this date (YYYY-MM-DD), for reproducible data.",
        )

    def handle(self, *args, **options):
        n = options["interactions"]
        if n < 0:
            raise CommandError("--interactions must be 0 or more.")
        for name in ("customers", "agents"):
            if options[name] is not None and options[name] < 1:
                raise CommandError(f"--{name} must be at least 1.")
        customers = options["customers"] or max(min(4, n), n // 12)
        agents = options["agents"] or max(5, min(60, n // 25_000))
        self.verbose = options["verbosity"] >= 1

        if options["if_empty"] and Interaction.objects.exists():
            self.say("Interactions exist already; nothing seeded (--if-empty).")
            return

        call_command("load_reference_data", verbosity=0)
        started = time.monotonic()
        with transaction.atomic():
            if options["reset"]:
                self.reset()
            self.ensure_login_users()
            team = self.ensure_demo_agents(agents)
            added = self.seed(
                n, customers, team, seed=options["seed"], until=options["until"], started=started
            )
            self.seed_wellbeing(team, until=options["until"])
        if connection.vendor == "postgresql" and added >= 10_000:
            with connection.cursor() as cursor:  # fresh statistics for the dashboards
                cursor.execute(f"ANALYZE {Interaction._meta.db_table}, {Customer._meta.db_table}")
        if added:
            # The demo shows archetypes: suggest them from the history just written, as
            # of the data set's last day (recompute_archetypes does the same).
            end = demo_data.demo_now(options["until"], timezone.localtime())
            stats = services.recompute_archetypes(now=end, track=False)
            self.date_changes_at_last_contact(end)
            self.say(f"Suggested archetypes for {stats['customers']:,} customers.")
        if added or options["reset"]:
            rows = rollups.rebuild()  # the dashboard's daily counts, from the rows above
            self.say(f"Rebuilt the dashboard's daily counts ({rows:,} rows).")
        self.say(
            f"Added {added:,} demo interactions for {min(customers, n):,} customers "
            f"in {time.monotonic() - started:.1f} s."
        )
        self.stdout.write(LOGIN_MESSAGE)

    def date_changes_at_last_contact(self, end) -> None:
        """A live system changes a customer's archetype when the contact that tips it is
        saved, so the changes spread over the history; the demo's are all suggested at
        once. Date each at the customer's last contact, as if suggested then, so the
        board's "change over the period" reads a history like a real one."""
        last_contact = Customer.objects.filter(pk=OuterRef("customer_id")).values(
            "last_contact_at"
        )[:1]
        suggested = Customer.ArchetypeSource.SUGGESTED
        ArchetypeChange.objects.filter(changed_at=end, source=suggested).update(
            changed_at=Coalesce(Subquery(last_contact), Value(end))
        )
        Customer.objects.filter(
            archetype_set_at=end, archetype_source=suggested, last_contact_at__isnull=False
        ).update(archetype_set_at=F("last_contact_at"))

    def say(self, message: str) -> None:
        if self.verbose:
            self.stdout.write(message)

    # --- reset -------------------------------------------------------------

    def reset(self) -> None:
        """Delete demo interactions, then the demo customers left without any interaction."""
        with disable_auditlog():
            gone = _delete_in_chunks(Interaction.objects.filter(is_demo=True))
            customers = Customer.objects.exclude(demo_profile="")
            gone_customers = _delete_in_chunks(customers.filter(interactions__isnull=True))
        kept = customers.count()
        self.say(f"Deleted {gone:,} demo interactions and {gone_customers:,} demo customers.")
        if kept:
            self.stderr.write(
                f"Kept {kept:,} demo customers that have interactions logged by people."
            )

    # --- users -------------------------------------------------------------

    def ensure_login_users(self) -> None:
        User = get_user_model()
        for username, role, first_name, last_name in LOGIN_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "email": f"{username}@example.com",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            assign_role(user, role)

    def ensure_demo_agents(self, count: int) -> list[Agent]:
        """The agents the demo data is logged by: demo_agent and demo_agent_01, 02, ..."""
        User = get_user_model()
        names = demo_data.AGENT_NAMES
        team = [
            Agent(
                id=User.objects.get(username="demo_agent").pk,
                name_ko=names[0][0],
                name_en=names[0][2],
            )
        ]
        for number in range(1, count + 1):
            # Each given name with each surname in turn: 400 different names, so a team
            # of 200 has no two agents of the same name.
            given, _surname, given_en = names[number % len(names)]
            surname = names[(number // len(names) + number) % len(names)][1]
            user, created = User.objects.get_or_create(
                username=f"demo_agent_{number:02d}",
                defaults={"first_name": given, "last_name": surname},
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                assign_role(user, AGENT)
            # Uneven load, as in a real team.
            team.append(
                Agent(id=user.pk, name_ko=given, name_en=given_en, weight=0.6 + (number % 5) * 0.2)
            )
        return team

    # --- looking after agents ------------------------------------------------

    def seed_wellbeing(self, team: list[Agent], *, until) -> None:
        """Past reflections, answered break nudges and a few praise marks for the demo
        agents, so those pages are not empty. Added once: later runs add none. A fixed
        number of queries whatever the size of the data set."""
        people = [agent.id for agent in team[:6]]  # demo_agent first
        if BreakNudge.objects.filter(agent_id__in=people).exists():
            return
        now = demo_data.demo_now(until, timezone.localtime())
        reflections, nudges = demo_data.wellbeing_rows(now, len(people))
        Reflection.objects.bulk_create(
            [
                Reflection(agent_id=people[i], day=day, went_well=went, to_improve=improve)
                for i, day, went, improve in reflections
            ],
            ignore_conflicts=True,
        )
        BreakNudge.objects.bulk_create(
            [
                BreakNudge(
                    agent_id=people[i],
                    created_at=created,
                    negative_count=count,
                    practice=practice,
                    status=status,
                    responded_at=responded,
                )
                for i, created, count, practice, status, responded in nudges
            ]
        )
        lead = get_user_model().objects.filter(username="demo_lead").first()
        happy = Interaction.objects.filter(
            agent_id=people[0], is_demo=True, end_valence=Valence.POSITIVE
        ).order_by("-occurred_at", "-id")[: len(demo_data.PRAISE_NOTES)]
        for number, (pk, occurred_at) in enumerate(happy.values_list("pk", "occurred_at")):
            Interaction.objects.filter(pk=pk).update(  # no save(): demo rows keep no history
                praised_at=min(occurred_at + timedelta(hours=1 + number), now),
                praised_by_id=lead.pk if lead and number % 2 else people[0],
                praise_note=demo_data.PRAISE_NOTES[number],
            )

    # --- data --------------------------------------------------------------

    def seed(self, n, customers, team, *, seed, until, started) -> int:
        reference = load_reference()
        highest = (
            Customer.objects.filter(external_ref__regex=r"^CRM-[0-9]{7}$")
            .aggregate(highest=Max("external_ref"))
            .get("highest")
        )
        generator = DemoGenerator(
            seed=seed,
            now=demo_data.demo_now(until, timezone.localtime()),
            reference=reference,
            agents=team,
            first_crm_number=demo_data.crm_number_after(highest),
        )
        plans = generator.plan(n, customers)
        writer = CopyWriter() if CopyWriter.usable() else BulkWriter()
        done, next_report = 0, PROGRESS_EVERY
        for offset in range(0, len(plans), CUSTOMER_BATCH):
            batch = [generator.customer(plan) for plan in plans[offset : offset + CUSTOMER_BATCH]]
            rows_customers = Customer.objects.bulk_create(
                [Customer(**plan.fields) for plan in batch], batch_size=1000
            )
            if any(c.pk is None for c in rows_customers):
                raise CommandError("This database does not return ids from bulk inserts.")
            rows = [
                row
                for plan, customer in zip(batch, rows_customers, strict=True)
                for row in generator.interaction_rows(plan, customer.pk)
            ]
            writer.write(rows)
            done += len(rows)
            for plan in batch:  # keep memory bounded: only the small plans stay
                plan.times, plan.fields = [], {}
            while done >= next_report:
                self.say(
                    f"  {next_report:,} / {n:,} interactions ({time.monotonic() - started:.0f} s)"
                )
                next_report += PROGRESS_EVERY
        return done


def load_reference() -> Reference:
    emotions = {e.code: (e.pk, e.valence) for e in Emotion.objects.all()}
    channels = {c.code: (c.pk, c.response_target_hours) for c in Channel.objects.all()}
    touchpoints = {t.code: t.pk for t in Touchpoint.objects.all()}
    templates = {
        (t.code, t.language): (t.pk, t.text)
        for t in ResponseTemplate.objects.filter(code__isnull=False, is_active=True, owner=None)
    }
    needed = {
        "emotions": (emotions, {e for e in demo_data.INTENSITY}),
        "channels": (channels, set(demo_data.CHANNEL_WEIGHTS)),
        "touchpoints": (touchpoints, set(demo_data.TOUCHPOINT_WEIGHTS)),
    }
    for label, (found, codes) in needed.items():
        missing = codes - set(found)
        if missing:
            raise CommandError(f"Reference data lacks {label} {sorted(missing)}.")
    return Reference(
        emotions=emotions, channels=channels, touchpoints=touchpoints, templates=templates
    )


def _delete_in_chunks(queryset) -> int:
    """Delete through the ORM (cascades stay correct) in chunks (memory stays bounded)."""
    total, last = 0, 0
    model = queryset.model
    while True:  # walk the primary key index rather than rescanning the table
        ids = list(
            queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:DELETE_CHUNK]
        )
        if not ids:
            return total
        model.objects.filter(pk__in=ids).delete()
        total += len(ids)
        last = ids[-1]


class PhraseWarnings:
    """The phrase-guide hits of a demo response, stored as the log form stores them. The
    templates follow the guide; the free-text answers and slips are a short list, each
    checked once."""

    template_index = INTERACTION_COLUMNS.index("response_template_id")
    text_index = INTERACTION_COLUMNS.index("response_text")

    def __init__(self):
        from interactions.phrase_guide import active_rules

        self.rules = active_rules()
        self.seen: dict[str, list] = {}

    def __call__(self, row) -> list:
        text = row[self.text_index]
        if not text or row[self.template_index] is not None:
            return []
        if text not in self.seen:
            from interactions.phrase_guide import hits_for_storage
            from interactions.rules.phrases import check_phrases

            self.seen[text] = hits_for_storage(check_phrases(text, self.rules))
        return self.seen[text]


class BulkWriter:
    """Any database: bulk_create in batches."""

    def __init__(self):
        self.warnings = PhraseWarnings()

    def write(self, rows) -> None:
        objects = []
        for row in rows:
            values = dict(zip(INTERACTION_COLUMNS, row, strict=True))
            values["cues"] = list(values["cues"])
            values["phrase_warnings"] = self.warnings(row)
            objects.append(Interaction(**values))
        Interaction.objects.bulk_create(objects, batch_size=1000)


class CopyWriter:
    """PostgreSQL: COPY ... FROM STDIN (interactions/bulk.py), an order of magnitude faster."""

    usable = staticmethod(bulk.copy_usable)
    cues_index = INTERACTION_COLUMNS.index("cues")

    def __init__(self):
        self.warnings = PhraseWarnings()

    def write(self, rows) -> None:
        def prepared():
            for row in rows:
                warnings = self.warnings(row)
                row = list(row)
                row[self.cues_index] = list(row[self.cues_index])
                yield (*row, warnings)

        bulk.copy_rows(Interaction, (*INTERACTION_COLUMNS, "phrase_warnings"), prepared())
