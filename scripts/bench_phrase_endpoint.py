"""Time the live phrase-check endpoint: 50 active rules, a 1,000-character text, 200 calls.

Usage: .venv/bin/python scripts/bench_phrase_endpoint.py
Runs against a throw-away SQLite test database through Django's test client (the whole
request path: middleware, session, permission check, rules query, matching, JSON).
"""

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emotioncare.settings")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", "sqlite://:memory:")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    from django.contrib.auth import get_user_model

    from interactions.models import PhraseRule
    from interactions.roles import assign_role

    for index in range(50 - PhraseRule.objects.count()):
        PhraseRule.objects.create(
            code=f"synthetic_{index}",
            language="en",
            phrase=f"synthetic phrase {index}",
            variants=f"another form {index}\nre:bad(ly)? word {index}",
            reason="r",
            alternative="a",
        )
    user = get_user_model().objects.create_user("bench", password="bench-password-1")
    assign_role(user, "agent")
    client = Client()
    client.force_login(user)
    sentence = "고객님, 잘 모르겠어요. I don't know what happened, unfortunately. "
    text = (sentence * 40)[:1000]
    for _ in range(20):
        client.post("/phrase-check/", {"text": text})
    times = []
    for _ in range(200):
        start = time.perf_counter()
        response = client.post("/phrase-check/", {"text": text})
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    hits = len(response.json()["hits"])
    times.sort()
    print(
        f"phrase-check endpoint: {PhraseRule.objects.filter(is_active=True).count()} rules, "
        f"{len(text)} characters, {hits} hits, 200 calls: "
        f"median {statistics.median(times):.2f} ms, p95 {times[int(len(times) * 0.95)]:.2f} ms"
    )


if __name__ == "__main__":
    main()
