"""Time the main pages against the current database (a benchmark, not a test).

Usage: DATABASE_URL=postgres://... python manage.py bench [--repeat 20]

Runs each page through Django's test client as a demo user of the right role (the
whole request path: middleware, session, permissions, queries, templates) and prints
the median and 95th percentile in milliseconds and the number of queries. Seed the
database first, e.g. `seed_demo --interactions 1000000` then `recompute_archetypes`.
"""

import statistics
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from interactions.models import Channel, Customer, Emotion, Interaction


class Command(BaseCommand):
    help = "Time the main pages and endpoints against the current database."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20)

    def pages(self):
        customer = (
            Customer.objects.filter(archetype__isnull=False).order_by("id").first()
            or Customer.objects.order_by("id").first()
        )
        oldest = Interaction.objects.order_by("occurred_at").values_list("id", flat=True).first()
        anger = Emotion.objects.get(code="anger")
        phone = Channel.objects.get(code="phone")
        month_ago = (timezone.localdate() - timedelta(days=30)).isoformat()
        pages = [
            ("agent", "log form", reverse("interactions:home")),
            (
                "agent",
                "suggestions",
                f"{reverse('interactions:suggestions')}?emotion_start={anger.pk}"
                f"&customer={customer.pk}&channel={phone.pk}",
            ),
            ("agent", "list, first page", reverse("interactions:list") + "?scope=team"),
            (
                "agent",
                "list, filtered",
                reverse("interactions:list")
                + f"?scope=team&emotion_start=anger&channel=phone&date_from={month_ago}",
            ),
            ("agent", "list, page 200", reverse("interactions:list") + "?scope=team&page=200"),
            ("agent", "customer page", customer.get_absolute_url()),
            ("agent", "customers", reverse("interactions:customer-list")),
            ("agent", "oldest interaction", reverse("interactions:detail", args=[oldest])),
        ]
        for role, label, name in [
            ("lead", "dashboard, 30 days", "interactions:dashboard"),
            ("lead", "team care", "interactions:team-care"),
            ("agent", "my page", "interactions:me"),
        ]:
            try:
                pages.append((role, label, reverse(name)))
            except NoReverseMatch:
                continue
        return pages

    def handle(self, *args, repeat, **options):
        users = {
            role: get_user_model().objects.filter(username=f"demo_{role}").first()
            for role in ("agent", "lead")
        }
        if not all(users.values()) or not Interaction.objects.exists():
            raise CommandError("Seed the database first: manage.py seed_demo --interactions N")
        clients = {}
        for role, user in users.items():
            clients[role] = Client()
            clients[role].force_login(user)
        total = Interaction.objects.count()
        self.stdout.write(f"{connection.vendor}, {total:,} interactions, {repeat} runs each")
        self.stdout.write(f"{'page':<22}{'median ms':>10}{'p95 ms':>9}{'queries':>9}")
        for role, label, url in self.pages():
            client = clients[role]
            response = client.get(url)  # warm up
            if response.status_code != 200:
                self.stdout.write(f"{label:<22} HTTP {response.status_code}")
                continue
            times = []
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
            times.sort()
            p95 = times[max(0, int(len(times) * 0.95) - 1)]
            self.stdout.write(
                f"{label:<22}{statistics.median(times):>10.1f}{p95:>9.1f}{len(queries):>9}"
            )
