"""Checks that only make sense on PostgreSQL (run in the PostgreSQL pass of `make test`)."""

import pytest
from django.db import connection

from interactions.models import Interaction
from tests.factories import InteractionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_newest_first_page_reads_the_time_index(agent):
    InteractionFactory.create_batch(5, agent=agent)
    assert "ix_time" in plan(Interaction.objects.order_by("-occurred_at", "-id")[:50])


def test_an_agents_page_reads_the_per_agent_index(agent):
    InteractionFactory.create_batch(5, agent=agent)
    queryset = Interaction.objects.filter(agent=agent).order_by("-occurred_at", "-id")[:50]
    assert "ix_agent_time" in plan(queryset)


def test_cues_are_stored_as_jsonb(agent):
    InteractionFactory(agent=agent, cues=["words", "tone"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT jsonb_typeof(cues) FROM interactions_interaction")
        assert cursor.fetchone()[0] == "array"
