"""The interactions list walks its default newest-first order by keyset, not OFFSET."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interactions import keyset
from tests.factories import InteractionFactory

pytestmark = pytest.mark.django_db

LIST = reverse("interactions:list")


def page_of(client, **params):
    response = client.get(LIST, {"scope": "team", **params})
    assert response.status_code == 200
    return response, [row.record.pk for row in response.context["table"].rows]


@pytest.fixture
def twelve(agent):
    """Twelve interactions, with ties on the time (the id breaks them)."""
    base = timezone.now() - dt.timedelta(days=1)
    moments = [base - dt.timedelta(minutes=n // 3) for n in range(12)]
    return [InteractionFactory(agent=agent, occurred_at=moment) for moment in moments]


def newest_first(interactions):
    return [i.pk for i in sorted(interactions, key=lambda i: (i.occurred_at, i.pk), reverse=True)]


def test_older_and_newer_links_walk_every_row_once_in_order(client, lead, twelve, settings):
    settings.EMOTIONCARE_PAGE_SIZE = 5
    client.force_login(lead)
    expected = newest_first(twelve)
    seen, pages = [], []
    response, ids = page_of(client)
    while True:
        pages.append(response.context["keyset_page"])
        seen += ids
        cursor = response.context["keyset_page"].older
        if not cursor:
            break
        response, ids = page_of(client, older=cursor)
    assert seen == expected
    assert [len(p.rows) for p in pages] == [5, 5, 2]
    assert pages[0].is_first and pages[0].newer is None
    # Back from the last page with "newer": the middle page, then the first.
    response, ids = page_of(client, newer=pages[2].newer)
    assert ids == expected[5:10]
    response, ids = page_of(client, newer=response.context["keyset_page"].newer)
    assert ids == expected[:5]
    assert response.context["keyset_page"].is_first


def test_deep_pages_use_neither_offset_nor_count(client, lead, twelve, settings):
    settings.EMOTIONCARE_PAGE_SIZE = 5
    client.force_login(lead)
    _response, ids = page_of(client)
    deep = next(i for i in twelve if i.pk == ids[-1])
    with CaptureQueriesContext(connection) as ctx:
        page_of(client, older=keyset.encode(deep.occurred_at, deep.pk))
    sql = " ".join(q["sql"].upper() for q in ctx.captured_queries)
    assert " OFFSET " not in sql
    assert "COUNT(" not in sql


def test_the_page_shows_newer_and_older_links(client, lead, twelve, settings):
    settings.EMOTIONCARE_PAGE_SIZE = 5
    client.force_login(lead)
    first, _ids = page_of(client)
    html = first.content.decode()
    assert 'rel="next"' in html and 'rel="prev"' not in html
    second, _ids = page_of(client, older=first.context["keyset_page"].older)
    html = second.content.decode()
    assert 'rel="next"' in html and 'rel="prev"' in html


@pytest.mark.parametrize("cursor", ["junk", "1.", ".5", "99999999999999999999999.1", "-1.x"])
def test_a_cursor_that_was_not_made_by_the_list_is_a_404(client, lead, cursor):
    client.force_login(lead)
    assert client.get(LIST, {"older": cursor}).status_code == 404
    assert client.get(LIST, {"newer": cursor}).status_code == 404


def test_cursors_round_trip_to_the_microsecond():
    moment = dt.datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=dt.UTC)
    assert keyset.decode(keyset.encode(moment, 42)) == (moment, 42)


def test_other_sort_orders_keep_numbered_pages(client, lead, twelve, settings):
    settings.EMOTIONCARE_PAGE_SIZE = 5
    client.force_login(lead)
    response = client.get(LIST, {"scope": "team", "sort": "customer", "page": 2})
    assert response.context["keyset_page"] is None
    assert len(response.context["table"].page.object_list) == 5
