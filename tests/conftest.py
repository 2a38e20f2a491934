import os
import shutil

import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories import CustomerFactory, InteractionFactory, UserFactory

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests run in the PostgreSQL pass; browser tests need Chromium."""
    on_postgres = "postgres" in os.environ.get("DATABASE_URL", "")
    have_browser = os.path.exists(CHROMIUM) or shutil.which("chromium")
    in_ci = os.environ.get("CI", "").lower() == "true"
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
        if "browser" in item.keywords and not have_browser and not in_ci:
            item.add_marker(pytest.mark.skip(reason="no Chromium installed"))


@pytest.fixture(autouse=True, scope="session")
def _check_prepared_queries():
    """Every prepared query (interactions/prepared.py) is also built the ordinary way
    and compared, so a statement whose shape depends on its values fails a test."""
    from django.conf import settings

    settings.EMOTIONCARE_CHECK_PREPARED = True


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, so API throttle counts (kept in the cache)
    never carry over from one test to the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def reference(db):
    """The shipped reference data: emotions, channels, touchpoints, templates, rules,
    and the role groups (a transactional test's flush drops them)."""
    from interactions.roles import ensure_role_groups

    ensure_role_groups()
    call_command("load_reference_data", verbosity=0)


@pytest.fixture
def agent(reference):
    return UserFactory(username="agent_a", first_name="Minji", role="agent")


@pytest.fixture
def other_agent(reference):
    return UserFactory(username="agent_b", first_name="Jisoo", role="agent")


@pytest.fixture
def lead(reference):
    return UserFactory(username="lead", first_name="Sora", role="lead")


@pytest.fixture
def admin_user(reference):
    return UserFactory(username="boss", first_name="Hana", role="admin")


@pytest.fixture
def no_role_user(reference):
    return UserFactory(username="nobody")


@pytest.fixture
def customer(reference):
    return CustomerFactory(name="김영희", phone="010-1234-5678", email="kim@example.com")


@pytest.fixture
def interaction(agent, customer):
    return InteractionFactory(agent=agent, customer=customer)


@pytest.fixture
def vendor():
    return connection.vendor
