"""Prepared queries (interactions/prepared.py): compiled once, run with new values each
time, giving what the ordinary queryset gives."""

import datetime as dt

import pytest
from django.db.models import Count

from interactions.models import Channel, Interaction
from interactions.prepared import Prepared, PreparedError, first
from tests.factories import InteractionFactory

pytestmark = pytest.mark.django_db


def recent(agent):
    return (
        Interaction.objects.filter(agent=agent)
        .select_related("customer", "channel", "emotion_start")
        .order_by("-occurred_at", "-id")[:3]
    )


RECENT = Prepared(recent, agent="id")


def test_rows_are_those_of_the_ordinary_queryset(agent, other_agent):
    for person in (agent, other_agent):
        InteractionFactory.create_batch(4, agent=person)
    for person in (agent, other_agent):
        rows = RECENT(agent=person.pk)
        assert rows == list(recent(person))
        # select_related came along: no query to read the relations
        assert [row.customer.name for row in rows] == [row.customer.name for row in recent(person)]


def test_related_objects_come_without_a_query(agent, django_assert_num_queries):
    InteractionFactory.create_batch(2, agent=agent)
    with django_assert_num_queries(1):
        rows = RECENT(agent=agent.pk)
        assert all(row.channel.code and row.customer.name for row in rows)


def test_dates_datetimes_and_aggregates(agent):
    day = dt.date(2026, 3, 2)
    InteractionFactory(agent=agent, occurred_at=dt.datetime(2026, 3, 2, 1, tzinfo=dt.UTC))
    InteractionFactory(agent=agent, occurred_at=dt.datetime(2026, 3, 9, 1, tzinfo=dt.UTC))
    per_channel = Prepared(
        lambda since, until, agent: (
            Interaction.objects.filter(occurred_at__gte=since, occurred_at__lt=until, agent=agent)
            .values("channel")
            .annotate(n=Count("id"))
            .order_by("channel")
        ),
        since="datetime",
        until="datetime",
        agent="id",
    )
    start = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    assert (
        sum(
            row["n"]
            for row in per_channel(since=start, until=start + dt.timedelta(days=7), agent=agent.pk)
        )
        == 1
    )
    assert (
        sum(
            row["n"]
            for row in per_channel(since=start, until=start + dt.timedelta(days=14), agent=agent.pk)
        )
        == 2
    )
    on_day = Prepared(
        lambda day: Interaction.objects.filter(occurred_at__date__gte=day).values_list(
            "id", flat=True
        ),
        day="date",
    )
    assert len(on_day(day=day)) == 2
    assert len(on_day(day=day + dt.timedelta(days=1))) == 1


def test_each_call_runs_its_statement(agent):
    assert RECENT(agent=agent.pk) == []
    made = InteractionFactory(agent=agent)
    assert first(RECENT(agent=agent.pk)) == made


def test_it_is_built_and_compiled_once(reference, settings):
    settings.EMOTIONCARE_CHECK_PREPARED = False
    built = []

    def channels():
        built.append(1)
        return Channel.objects.all()

    query = Prepared(channels)
    assert query() == list(Channel.objects.all())
    assert query() == list(Channel.objects.all())
    assert len(built) == 1


def test_a_value_that_never_reaches_the_statement_is_refused(reference):
    with pytest.raises(PreparedError, match="does not reach"):
        Prepared(lambda agent: Channel.objects.all(), agent="id")(agent=1)


def test_a_statement_whose_shape_follows_its_values_fails_the_check(reference):
    def build(n):
        return Channel.objects.filter(id__gte=n) if n > 1000 else Channel.objects.filter(id__lt=n)

    with pytest.raises(PreparedError, match="differs"):
        Prepared(build, n="id")(n=5)


def test_none_and_missing_values_are_refused():
    with pytest.raises(ValueError):
        RECENT(agent=None)
    with pytest.raises(TypeError):
        RECENT()
    with pytest.raises(ValueError):
        Prepared(recent, agent="number")


def test_rows_by_ids_are_prepared_per_number_of_ids(reference):
    from interactions.prepared import for_ids

    def channels(ids):
        return Channel.objects.filter(pk__in=ids).values_list("code", flat=True)

    every = list(Channel.objects.order_by("pk").values_list("pk", flat=True))
    for count in (1, 2, len(every)):
        chosen = every[:count]
        assert sorted(for_ids("codes", channels, chosen)) == sorted(channels(chosen))
    # duplicates and None, as `__in` drops them; no ids, no statement
    assert sorted(for_ids("codes", channels, [every[0], every[0], None])) == sorted(
        channels([every[0]])
    )
    assert for_ids("codes", channels, []) == []


PAGES = [
    ("agent", "/", "/?customer=0"),
    ("agent", "/interactions/?scope=team", "/interactions/?scope=team&channel=phone"),
    (
        "lead",
        "/dashboard/?date_from=2026-03-02&date_to=2026-03-20",
        "/dashboard/?date_from=2026-03-03&date_to=2026-03-21",
    ),
    (
        "lead",
        "/dashboard/?date_from=2026-03-02&date_to=2026-03-20&channel=phone",
        "/dashboard/?date_from=2026-03-03&date_to=2026-03-21&channel=phone",
    ),
]


@pytest.mark.parametrize(("role", "first_url", "second_url"), PAGES)
def test_pages_compile_their_statements_once_and_run_them_with_new_values(
    client, agent, lead, settings, monkeypatch, role, first_url, second_url
):
    """Another request of the same shape (other dates, another customer) runs the
    statements compiled by the first: keys hold no request values, and the pages really
    go through their prepared statements."""
    from django.db import DEFAULT_DB_ALIAS, connections

    settings.EMOTIONCARE_CHECK_PREPARED = False
    connections[DEFAULT_DB_ALIAS].__dict__.pop("_emotioncare_prepared", None)  # a new connection
    InteractionFactory.create_batch(3, agent=agent)
    compiled, ran = [], []
    compile_, call = Prepared._compile, Prepared.__call__
    monkeypatch.setattr(
        Prepared, "_compile", lambda self, *args: compiled.append(self) or compile_(self, *args)
    )
    monkeypatch.setattr(
        Prepared, "__call__", lambda self, **values: ran.append(self) or call(self, **values)
    )
    client.force_login(agent if role == "agent" else lead)
    assert client.get(first_url).status_code == 200
    assert compiled
    compiled.clear(), ran.clear()
    assert client.get(second_url).status_code == 200
    assert ran  # the session, the user, the role, the reference rows, the panels
    assert compiled == []
