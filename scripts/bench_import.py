"""Time the CSV import: generate a file of N rows and run `manage.py import_interactions`.

Usage (PostgreSQL, a scratch database of your own; it is migrated and given the
reference data when needed):

    createdb -h 127.0.0.1 -U postgres emotioncare_import_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/emotioncare_import_bench \\
        .venv/bin/python scripts/bench_import.py --rows 100000

A sanity figure, not a test. Each run writes new customers (references carry a run tag),
about five rows per customer, Korean and English text, complaints, cues, templates and
phrase-guide hits, so every part of the import is exercised. Prints the file size and
the seconds for the dry run (read and check) and for the import (check and write).
Target: 100,000 rows in under a minute on PostgreSQL.
"""

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emotioncare.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from interactions.imports import COLUMNS  # noqa: E402
from interactions.models import Channel, Emotion, Interaction, Touchpoint  # noqa: E402
from interactions.roles import assign_role  # noqa: E402

AGENTS = 20
SUMMARIES = [
    "배송이 늦어져 항의",
    "요금이 두 번 청구되었다고 문의",
    "Asked about the refund policy",
    "앱 로그인 오류",
    "Thanked the team for quick help",
    "=SUM(A1:A3) pasted by mistake",
]
RESPONSES = [
    "불편을 드려 정말 죄송합니다. 바로 확인해 드리겠습니다.",
    "I don't know, let me check.",
    "Thank you for telling us; we have fixed it.",
    "모르겠어요, 확인 후 연락드릴게요.",
    "",
]


def prepare() -> str:
    """Migrate, load the reference data and create the agents (idempotent)."""
    from django.contrib.auth import get_user_model

    call_command("migrate", verbosity=0)
    if not Emotion.objects.exists():
        call_command("load_reference_data", verbosity=0)
    User = get_user_model()
    for n in range(AGENTS + 1):
        name = "bench_import_lead" if n == AGENTS else f"bench_import_{n:02d}"
        user, created = User.objects.get_or_create(username=name)
        if created:
            user.set_unusable_password()
            user.save()
            assign_role(user, "lead" if n == AGENTS else "agent")
    return "bench_import_lead"


def generate(path: str, rows: int, seed: int) -> None:
    rng = random.Random(seed)
    tag = f"B{int(time.time())}"
    emotions = list(Emotion.objects.values_list("code", flat=True))
    channels = list(Channel.objects.values_list("code", flat=True))
    touchpoints = list(Touchpoint.objects.values_list("code", flat=True)) + [""]
    now = timezone.localtime()
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for n in range(rows):
            customer = n // 5
            korean = customer % 2 == 0
            occurred = now - timedelta(minutes=rng.randrange(60, 365 * 24 * 60))
            complaint = rng.random() < 0.3
            status = rng.choice(["open", "in_progress", "resolved"]) if complaint else ""
            response = rng.choice(RESPONSES)
            writer.writerow(
                [
                    f"{tag}-{customer:06d}",
                    f"김고객{customer}" if korean else f"Customer {customer}",
                    f"010-{customer % 10000:04d}-{customer * 7 % 10000:04d}" if korean else "",
                    "" if korean else f"c{customer}@example.com",
                    occurred.isoformat(timespec="seconds"),
                    f"bench_import_{n % AGENTS:02d}",
                    rng.choice(channels),
                    rng.choice(touchpoints),
                    rng.choice(emotions),
                    rng.choice(emotions + [""]),
                    rng.randint(1, 5),
                    rng.choice(["", "words", "tone;words", "behaviour"]),
                    rng.choice(SUMMARIES),
                    "yes" if complaint else "no",
                    status,
                    "",
                    rng.choice(["", "", "apology_and_reservice", "special_thanks_benefit"]),
                    response,
                    rng.choice(["", "satisfied", "indifferent", "dissatisfied"]),
                    "",
                ]
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()

    from django.db import connection

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    user = prepare()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "bench.csv")
        started = time.monotonic()
        generate(path, args.rows, args.seed)
        size = os.path.getsize(path)
        print(
            f"generated {args.rows:,} rows, {size / 1024 / 1024:.1f} MB, in "
            f"{time.monotonic() - started:.1f} s"
        )
        before = Interaction.objects.count()
        for dry_run in (True, False):
            options = ["--dry-run"] if dry_run else []
            started = time.monotonic()
            call_command("import_interactions", path, "--user", user, *options)
            elapsed = time.monotonic() - started
            label = "dry run (read and check)" if dry_run else "import (check and write)"
            print(f"{label}: {elapsed:.1f} s, {args.rows / elapsed:,.0f} rows/s")
        print(f"interactions stored: {Interaction.objects.count() - before:,}")


if __name__ == "__main__":
    main()
