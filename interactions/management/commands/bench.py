"""Time the main pages against a database of N interactions (a benchmark, not a test).

Usage (PostgreSQL; see docs/dashboard.md "Measuring"):

    DATABASE_URL=postgres://.../bench make bench BENCH_ARGS="--interactions 1000000"

`make bench` runs it as `make serve` runs the site: DJANGO_DEBUG=false (templates
without debug bookkeeping, static files from the manifest), requests over HTTPS.
`python manage.py bench` also works; with DEBUG on it says so, and its times include
debug-mode rendering.

Seeds the database when it holds no interactions yet (100,000 customers, 200 agents,
two years of history, notes of varying length; then CLUSTER on the time index and
ANALYZE, the layout a live table has since rows arrive in time order), or reuses it.
Then, through Django's test client as a demo user of the right role (the whole request
path: middleware, session, permissions, queries, templates), prints the median and 95th
percentile server time, the query count and the HTML size of: the dashboard (90 days
and the full two years, unfiltered and with one agent, one channel, one touchpoint),
the interactions list (first page, a filtered page, a page 10,000 rows deep), the
customer page, and the log form (GET and POST). Beside each dashboard panel it times
the hand-written SQL that answers the same question (_bench_sql.py), checks both give
the same numbers, and prints the ratio.

Nothing is cached on the measured paths: an interaction is saved between dashboard
requests and must show in the next one's numbers, and the date range moves by a day
between requests.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interactions import dashboard, keyset, rollups, services
from interactions.models import Channel, Customer, Emotion, Interaction, Touchpoint

from . import _bench_sql


class QueryCount:
    """Counts the statements a request runs, without Django's debug cursor (which
    formats and stores every statement: time a production server does not spend)."""

    def __enter__(self):
        self.count = 0
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __len__(self):
        return self.count


# The summary's first tile: "Interactions" and its figure.
PAGE_TOTAL = re.compile(
    r'<span class="stat-label">Interactions</span>\s*<span class="stat-value">([\d,]+)</span>'
)


def pct(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[max(0, round(len(ordered) * share) - 1)]


class Command(BaseCommand):
    help = "Seed or reuse N interactions and time the dashboard, lists and log form."

    def add_arguments(self, parser):
        parser.add_argument("--interactions", type=int, default=1_000_000)
        parser.add_argument("--customers", type=int, default=100_000)
        parser.add_argument("--agents", type=int, default=200)
        parser.add_argument("--repeat", type=int, default=15)
        parser.add_argument(
            "--only", choices=["pages", "dashboard", "panels"], help="Run one part only."
        )

    # --- Data ----------------------------------------------------------------------

    def ensure_data(self, interactions: int, customers: int, agents: int) -> None:
        if Interaction.objects.exists():
            return
        if connection.vendor != "postgresql":
            raise CommandError("Seeding for the bench needs PostgreSQL (DATABASE_URL).")
        self.stdout.write(f"Seeding {interactions:,} interactions ...")
        call_command("load_reference_data", verbosity=0)
        call_command(
            "seed_demo",
            interactions=interactions,
            customers=customers,
            agents=agents,
            stdout=self.stdout,
        )
        with connection.cursor() as cursor:
            cursor.execute("CLUSTER interactions_interaction USING ix_time")
            cursor.execute("VACUUM ANALYZE")

    # --- Timing -------------------------------------------------------------------------

    def row(self, label: str, times: list[float], queries: int | str, size: int | str = ""):
        size_text = f"{size / 1024:>8.0f}" if isinstance(size, int) else f"{size:>8}"
        self.stdout.write(
            f"{label:<40}{statistics.median(times):>9.1f}{pct(times, 0.95):>9.1f}"
            f"{queries:>8}{size_text}"
        )

    def time_get(self, client: Client, urls: list[str]) -> tuple[list[float], int, int]:
        client.get(urls[0], secure=True)  # warm-up
        times, counts, size = [], set(), 0
        for url in urls:
            with QueryCount() as queries:
                start = time.perf_counter()
                response = client.get(url, secure=True)
                times.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{url}: HTTP {response.status_code}")
            counts.add(len(queries))
            size = len(response.content)
        return times, max(counts), size

    def header(self, title: str) -> None:
        self.stdout.write("")
        self.stdout.write(title)
        self.stdout.write(f"{'':<40}{'median':>9}{'p95':>9}{'queries':>8}{'KB':>8}")

    # --- Pages ----------------------------------------------------------------------------

    def pages(self, clients, repeat: int) -> None:
        self.header("Pages (ms)")
        agent_client = clients["agent"]
        customer = Customer.objects.filter(last_contact_at__isnull=False).order_by("-id").first()
        deep = (
            Interaction.objects.order_by("-occurred_at", "-id")
            .values_list("occurred_at", "id")[10_000:10_001]
            .first()
        )
        month_ago = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
        lists = reverse("interactions:list")
        cases = [
            ("log form (GET)", [reverse("interactions:home")] * repeat),
            ("list, first page", [f"{lists}?scope=team"] * repeat),
            (
                "list, filtered (anger, phone, 30 days)",
                [f"{lists}?scope=team&emotion_start=anger&channel=phone&date_from={month_ago}"]
                * repeat,
            ),
        ]
        if deep:
            cursor = keyset.encode(*deep)
            cases.append(
                ("list, 10,000 rows deep", [f"{lists}?scope=team&older={cursor}"] * repeat)
            )
        cases += [
            ("list, sorted by customer", [f"{lists}?scope=team&sort=customer"] * repeat),
            ("customer page", [customer.get_absolute_url()] * repeat),
            ("customers", [reverse("interactions:customer-list")] * repeat),
        ]
        for label, urls in cases:
            times, queries, size = self.time_get(agent_client, urls)
            self.row(label, times, queries, size)
        self.log_form_post(agent_client, customer, repeat)

    def log_form_post(self, client: Client, customer: Customer, repeat: int) -> None:
        anger, neutral = Emotion.objects.get(code="anger"), Emotion.objects.get(code="neutral")
        phone = Channel.objects.get(code="phone")
        url = reverse("interactions:home")
        times, counts = [], set()
        for index in range(repeat):
            data = {
                "customer": customer.pk,
                "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "channel": phone.pk,
                "emotion_start": anger.pk,
                "emotion_end": neutral.pk,
                "intensity": "3",
                "summary": f"bench {index}: 배송 지연 문의",
                "response_text": "불편을 드려 죄송합니다.",
                "outcome": "satisfied",
            }
            with QueryCount() as queries:
                start = time.perf_counter()
                response = client.post(url, data, secure=True)
                times.append((time.perf_counter() - start) * 1000)
            if response.status_code != 302:
                raise CommandError(f"log form POST: HTTP {response.status_code}")
            counts.add(len(queries))
        self.row("log form (POST, saves)", times, max(counts))
        # Its rows go again, counted out of the dashboard's rollups like any deletion.
        posted = Interaction.objects.filter(summary__startswith="bench ", customer=customer)
        with transaction.atomic():
            rollups.remove(posted)
            posted.delete()

    # --- Dashboard ------------------------------------------------------------------------

    def filters(self) -> list[tuple[str, dict]]:
        return [
            ("all", {}),
            ("one agent", {"agent": self.an_agent()}),
            ("one channel", {"channel": "phone"}),
            ("one touchpoint", {"touchpoint": Touchpoint.objects.order_by("order").first().code}),
        ]

    def an_agent(self) -> int:
        """The agent of the newest interaction: one who logs every day."""
        return Interaction.objects.order_by("-occurred_at").values_list("agent_id", flat=True)[0]

    def dashboard_urls(self, days: int, extra: dict, repeat: int) -> list[str]:
        """`repeat` date ranges of `days` days, each ending a day earlier than the last."""
        today = timezone.localdate()
        urls = []
        for shift in range(repeat + 1):
            end = today - dt.timedelta(days=shift)
            start = end - dt.timedelta(days=days - 1)
            query = {"date_from": start.isoformat(), "date_to": end.isoformat(), **extra}
            urls.append(
                reverse("interactions:dashboard")
                + "?"
                + "&".join(f"{key}={value}" for key, value in query.items())
            )
        return urls

    def dashboard_pages(self, clients, repeat: int) -> None:
        self.header("Dashboard page (ms; the range moves a day per request)")
        lead = clients["lead"]
        agent = get_user_model().objects.get(username="demo_agent")
        customer = Customer.objects.order_by("id").first()
        for days, range_label in ((90, "90 days"), (731, "two years")):
            for label, extra in self.filters():
                urls = self.dashboard_urls(days, extra, repeat)
                lead.get(urls[0], secure=True)  # warm-up
                times, counts, size = [], set(), 0
                for url in urls[1:]:
                    if not extra:
                        self.save_and_check(agent, customer, lead)
                    with QueryCount() as queries:
                        start = time.perf_counter()
                        response = lead.get(url, secure=True)
                        times.append((time.perf_counter() - start) * 1000)
                    if response.status_code != 200:
                        raise CommandError(f"{url}: HTTP {response.status_code}")
                    counts.add(len(queries))
                    size = len(response.content)
                self.row(f"dashboard, {range_label}, {label}", times, max(counts), size)

    def page_total(self, client: Client, day: dt.date) -> int:
        """The "Interactions" figure of the dashboard page for one day, as drawn."""
        url = f"{reverse('interactions:dashboard')}?date_from={day}&date_to={day}"
        response = client.get(url, secure=True, headers={"accept-language": "en"})
        found = PAGE_TOTAL.search(response.content.decode())
        if response.status_code != 200 or not found:
            raise CommandError(f"{url}: no interactions figure on the page")
        return int(re.sub(r"\D", "", found.group(1)))

    def save_and_check(self, agent, customer, lead: Client) -> None:
        """Save an interaction and check the dashboard counts it, in its numbers and on
        the page as drawn (no response, page or query caching)."""
        today = timezone.localdate()
        params = dashboard.Params(date_from=today, date_to=today)
        before = dashboard.summary(params)["total"]
        page_before = self.page_total(lead, today)
        services.interaction_create(
            agent=agent,
            data={
                "customer": customer,
                "occurred_at": timezone.now(),
                "channel": Channel.objects.get(code="phone"),
                "emotion_start": Emotion.objects.get(code="anger"),
                "emotion_end": Emotion.objects.get(code="neutral"),
                "summary": "bench: saved between requests",
            },
        )
        after = dashboard.summary(dashboard.Params(date_from=today, date_to=today))["total"]
        if after != before + 1:
            raise CommandError("A saved interaction did not show in the dashboard's numbers.")
        if self.page_total(lead, today) != page_before + 1:
            raise CommandError("A saved interaction did not show on the dashboard page.")

    def panels(self, repeat: int) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write("(panel SQL comparison runs on PostgreSQL only)")
            return
        ref = dashboard.Reference()
        language = settings.LANGUAGE_CODE
        panels = _bench_sql.panels(settings.TIME_ZONE, ref, language)
        today = timezone.localdate()
        channel = Channel.objects.get(code="phone")
        touchpoint = Touchpoint.objects.order_by("order").first()
        agent_id = self.an_agent()
        for days, range_label in ((90, "90 days"), (731, "two years")):
            for label, extra in (
                ("all", {}),
                ("one agent", {"agent_id": agent_id}),
                ("one channel", {"channel": channel}),
                ("one touchpoint", {"touchpoint": touchpoint}),
            ):
                self.stdout.write("")
                self.stdout.write(f"Dashboard panels, {range_label}, {label} (ms)")
                self.stdout.write(f"{'':<26}{'panel':>9}{'bare SQL':>10}{'ratio':>8}  same")
                total_panel = total_bare = 0.0
                for name, page_fn, sql, bare_value, page_value in panels:
                    panel_times, bare_times, same = [], [], True
                    for shift in range(repeat + 1):
                        end = today - dt.timedelta(days=shift)
                        params = dashboard.Params(
                            date_from=end - dt.timedelta(days=days - 1),
                            date_to=end,
                            period=dashboard.WEEK,
                            **extra,
                        )
                        start = time.perf_counter()
                        result = page_fn(params)
                        panel_ms = (time.perf_counter() - start) * 1000
                        query, values = _bench_sql.render(sql, params)
                        start = time.perf_counter()
                        with connection.cursor() as cursor:
                            cursor.execute(query, values)
                            rows = cursor.fetchall()
                        bare_ms = (time.perf_counter() - start) * 1000
                        if shift:  # the first round is the warm-up
                            panel_times.append(panel_ms)
                            bare_times.append(bare_ms)
                        same = same and bare_value(rows) == page_value(result)
                    panel, bare = statistics.median(panel_times), statistics.median(bare_times)
                    total_panel += panel
                    total_bare += bare
                    self.stdout.write(
                        f"{name:<26}{panel:>9.1f}{bare:>10.1f}{panel / bare:>8.2f}"
                        f"  {'yes' if same else 'NO'}"
                    )
                    if not same:
                        self.stderr.write(f"  {name}: the panel and the bare SQL disagree")
                self.stdout.write(f"{'all panels':<26}{total_panel:>9.1f}{total_bare:>10.1f}")

    # --- Entry point ------------------------------------------------------------------------

    def handle(self, *args, interactions, customers, agents, repeat, only, **options):
        self.ensure_data(interactions, customers, agents)
        users = {
            role: get_user_model().objects.filter(username=f"demo_{role}").first()
            for role in ("agent", "lead")
        }
        if not all(users.values()):
            raise CommandError("No demo users: seed with manage.py seed_demo first.")
        clients = {}
        for role, user in users.items():
            clients[role] = Client()
            clients[role].force_login(user)
        total = Interaction.objects.count()
        self.stdout.write(
            f"{connection.vendor}, {total:,} interactions, "
            f"{Customer.objects.count():,} customers, {repeat} runs each, "
            f"DEBUG {'on' if settings.DEBUG else 'off'}"
        )
        if settings.DEBUG:
            self.stdout.write(
                "DEBUG is on: the times include debug-mode template rendering. "
                "`make bench` runs as production does (DJANGO_DEBUG=false)."
            )
        if only in (None, "pages"):
            self.pages(clients, repeat)
        if only in (None, "dashboard"):
            self.dashboard_pages(clients, repeat)
        if only in (None, "panels"):
            self.panels(repeat)
