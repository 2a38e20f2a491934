"""`manage.py bench` end to end, small: it seeds, measures every page, checks that a
saved interaction shows on the dashboard page and in its numbers, and finds each panel
equal to its bare SQL on the raw tables (PostgreSQL only, as the bench)."""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_bench_measures_every_page_and_every_panel_agrees_with_its_bare_sql(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out, err = StringIO(), StringIO()
    call_command(
        "bench", interactions=3000, customers=400, agents=6, repeat=2, stdout=out, stderr=err
    )
    text = out.getvalue()
    assert err.getvalue() == ""
    for line in (
        "log form (GET)",
        "list, first page",
        "list, filtered (anger, phone, 30 days)",
        "list, sorted by customer",
        "customer page",
        "log form (POST, saves)",
        "dashboard, 90 days, all",
        "dashboard, two years, one touchpoint",
    ):
        assert f"\n{line}" in text, line
    verdicts = [row.split()[-1] for row in text.splitlines() if row.endswith((" yes", " NO"))]
    # 13 panels in each of 8 views (90 days and two years, all and three filters).
    assert len(verdicts) == 13 * 8 and set(verdicts) == {"yes"}
