"""The request's reference rows (lookups.py) give the list's rows what a join would."""

import pytest

from interactions import lookups
from interactions.models import Interaction, Touchpoint
from tests.factories import InteractionFactory, ResponseTemplateFactory, UserFactory, emotion

pytestmark = pytest.mark.django_db


def test_attach_gives_each_row_its_own_reference_rows(agent, django_assert_num_queries):
    other = UserFactory(username="other_agent", role="agent")
    theirs = ResponseTemplateFactory(title="Their own", owner=other)  # not in agent's lookups
    team = ResponseTemplateFactory(title="Team")
    made = [
        InteractionFactory(agent=agent, emotion_start=emotion("anger"), emotion_end=None),
        InteractionFactory(
            agent=other,
            emotion_start=emotion("annoyance"),
            emotion_end=emotion("gratitude"),
            touchpoint=Touchpoint.objects.first(),
            response_template=theirs,
        ),
        InteractionFactory(agent=agent, response_template=team, touchpoint=None),
    ]
    rows = list(Interaction.objects.filter(pk__in=[i.pk for i in made]).order_by("pk"))
    found = lookups.Lookups(agent)
    assert all((found.channels, found.touchpoints, found.emotions, found.templates))  # read now
    with django_assert_num_queries(1):  # only the template the user's list lacks
        found.attach(rows)
    with django_assert_num_queries(0):
        for row, expected in zip(rows, made, strict=True):
            for relation in ("channel", "touchpoint", "emotion_start", "emotion_end"):
                assert getattr(row, relation) == getattr(expected, relation), relation
            assert row.response_template == expected.response_template
    assert rows[1].response_template.title == "Their own"
    assert rows[0].emotion_end is None and rows[2].touchpoint is None


def test_a_request_reads_its_lookups_once(rf, agent):
    request = rf.get("/")
    request.user = agent
    assert lookups.for_request(request) is lookups.for_request(request)
    assert lookups.for_request(request).user == agent
