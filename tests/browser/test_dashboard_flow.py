"""A lead logs in and lands on the dashboard, narrows the date range and the channel with
the filter form, sees the numbers follow, clicks a segment of the emotion-trend chart and
lands on the interactions list showing exactly the rows that segment counted."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import CustomerFactory, InteractionFactory, channel, emotion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VALENCE_EMOTION = {"negative": "annoyance", "neutral": "neutral", "positive": "satisfaction"}

# (name, days before this week's Monday, valence at start, channel). Every interaction has
# its own customer, named after the row, so the list shows which rows it holds.
ROWS = [
    ("Row A1", 20, "negative", "phone"),  # three weeks ago, Tuesday
    ("Row A2", 20, "negative", "chat"),
    ("Row A3", 20, "positive", "phone"),
    ("Row B1", 14, "negative", "phone"),  # two weeks ago, Monday: before the narrowed range
    ("Row C1", 11, "negative", "phone"),  # two weeks ago, Thursday
    ("Row C2", 11, "negative", "phone"),
    ("Row C3", 11, "negative", "chat"),
    ("Row C4", 11, "neutral", "phone"),
    ("Row C5", 11, "positive", "chat"),
    ("Row C6", 11, "positive", "phone"),
    ("Row D1", 5, "negative", "phone"),  # last week, Wednesday
    ("Row D2", 5, "positive", "phone"),
    ("Row D3", 5, "positive", "email"),
    ("Row E1", 70, "negative", "phone"),  # ten weeks ago: outside every range below
    ("Row E2", 70, "negative", "phone"),
]


def seed(monday: dt.date, agent) -> None:
    for name, days_before, valence, channel_code in ROWS:
        day = monday - dt.timedelta(days=days_before)
        InteractionFactory(
            customer=CustomerFactory(name=name),
            agent=agent,
            occurred_at=timezone.make_aware(dt.datetime.combine(day, dt.time(11, 0))),
            channel=channel(channel_code),
            emotion_start=emotion(VALENCE_EMOTION[valence]),
            emotion_end=emotion("neutral"),
        )


def expected(date_from: dt.date, date_to: dt.date, channel_code=None, valence=None, monday=None):
    return {
        name
        for name, days_before, row_valence, row_channel in ROWS
        if date_from <= monday - dt.timedelta(days=days_before) <= date_to
        and channel_code in (None, row_channel)
        and valence in (None, row_valence)
    }


def tile(page, label: str) -> int:
    value = page.locator(
        f".dash-summary .stat-tile:has(.stat-label:has-text('{label}')) .stat-value"
    )
    return int(value.inner_text())


def type_date(page, selector: str, day: dt.date) -> None:
    """Type a date into a native date field as a user does (en-US: month, day, year)."""
    page.focus(selector)
    page.keyboard.type(day.strftime("%m%d%Y"))
    assert page.input_value(selector) == day.isoformat()


def test_lead_narrows_the_dashboard_and_a_chart_segment_opens_exactly_its_rows(
    live_server, page, lead, agent
):
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    seed(monday, agent)

    # Leads land on the dashboard after logging in.
    page.goto(f"{live_server.url}/accounts/login/")
    # The username field has the focus once the page is ready (autofocus).
    page.wait_for_function("document.activeElement && document.activeElement.id === 'id_username'")
    page.keyboard.type("lead")
    page.keyboard.press("Tab")
    page.keyboard.type("correct-horse-battery")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/dashboard/")

    # The default view: the last 30 days, all channels.
    default_from = today - dt.timedelta(days=29)
    assert tile(page, "Interactions") == len(expected(default_from, today, monday=monday)) == 13
    assert tile(page, "Negative at start") == 7
    assert page.input_value("#id_date_from") == default_from.isoformat()

    # Narrow the range to two weeks ago Wednesday .. last Sunday, typed into the form.
    date_from, date_to = monday - dt.timedelta(days=12), monday - dt.timedelta(days=1)
    type_date(page, "#id_date_from", date_from)
    type_date(page, "#id_date_to", date_to)
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(f"**/dashboard/?*date_from={date_from.isoformat()}*")
    assert tile(page, "Interactions") == len(expected(date_from, date_to, monday=monday)) == 9
    assert tile(page, "Negative at start") == 4

    # Then only the phone channel.
    page.get_by_label("Channel", exact=True).select_option(label="Phone")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/dashboard/?*channel=phone*")
    assert page.input_value("#id_date_from") == date_from.isoformat()
    assert tile(page, "Interactions") == len(expected(date_from, date_to, "phone", monday=monday))
    assert tile(page, "Interactions") == 6
    assert tile(page, "Negative at start") == 3

    # The negative segment of the week two weeks ago counts only the days in the range
    # (Row B1 on that Monday is out) and only phone calls (Row C3 was a chat).
    week_from = date_from.isoformat()
    segment = page.locator(
        f"svg.chart-columns a[href*='date_from={week_from}'][href*='valence=negative']"
    )
    assert segment.count() == 1
    counted = int(segment.locator("title").text_content().rsplit(":", 1)[1])
    rows_behind = expected(date_from, date_to, "phone", "negative", monday=monday)
    rows_behind &= expected(date_from, monday - dt.timedelta(days=8), monday=monday)
    assert rows_behind == {"Row C1", "Row C2"}
    assert counted == 2

    segment.locator("rect").click()
    page.wait_for_url("**/interactions/?*")
    assert page.url.startswith(f"{live_server.url}/interactions/?")
    listed = page.locator(".table-card tbody tr td:first-child").all_inner_texts()
    assert sorted(listed) == sorted(rows_behind)
    assert len(listed) == counted
    # The list's own filter form shows what it was filtered by.
    assert page.input_value("#id_date_from") == week_from
    assert page.input_value("#id_date_to") == (monday - dt.timedelta(days=8)).isoformat()
