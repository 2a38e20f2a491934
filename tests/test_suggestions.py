"""Suggested responses beside the log form: the live endpoint, the numbers behind the
ranking (one aggregate query), the advice, per role, and constant query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interactions import suggestions
from interactions.models import Archetype, ResponseTemplate
from tests.factories import (
    CustomerFactory,
    InteractionFactory,
    ResponseTemplateFactory,
    channel,
    emotion,
)

URL = reverse("interactions:suggestions")


def query(**params):
    values = {}
    if "emotion" in params:
        values["emotion_start"] = emotion(params["emotion"]).pk
    if "channel" in params:
        values["channel"] = channel(params["channel"]).pk
    if "customer" in params:
        values["customer"] = params["customer"].pk
    return values


def apology(language="en"):
    return ResponseTemplate.objects.get(code="apology_and_reservice", language=language)


def use_template(template, *, recovered: int, not_recovered: int, agent, when=None):
    when = when or timezone.now() - timedelta(days=1)
    for n in range(recovered + not_recovered):
        InteractionFactory(
            agent=agent,
            occurred_at=when,
            emotion_start=emotion("anger"),
            emotion_end=emotion("neutral" if n < recovered else "anger"),
            response_template=template,
        )


@pytest.fixture
def en(settings):
    settings.LANGUAGE_CODE = "en"


def test_suggestions_render_the_customers_name_and_the_agents(client, agent, customer, en):
    client.force_login(agent)
    response = client.get(URL, query(emotion="anger", customer=customer, channel="phone"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Detailed apology and re-service" in body
    assert "Dear 김영희, I am truly sorry" in body
    assert "Minji" in body  # {agent_name}
    assert "{customer_name}" not in body


def test_rate_and_sample_are_shown_once_the_minimum_is_reached(client, agent, customer, en):
    use_template(apology(), recovered=18, not_recovered=6, agent=agent)
    client.force_login(agent)
    body = client.get(URL, query(emotion="anger", customer=customer)).content.decode()
    assert "calmed 18 of 24 (75%)" in body


def test_below_the_minimum_the_template_is_new(client, agent, customer, en, settings):
    settings.EMOTIONCARE_RECOMMENDATION_MIN_SAMPLE = 10
    use_template(apology(), recovered=9, not_recovered=0, agent=agent)
    client.force_login(agent)
    body = client.get(URL, query(emotion="anger", customer=customer)).content.decode()
    assert "New" in body and "used 9 times so far" in body
    assert "calmed 9 of 9" not in body


def test_uses_outside_the_window_do_not_count(agent, customer, settings):
    settings.EMOTIONCARE_RECOMMENDATION_WINDOW_DAYS = 30
    template = apology()
    use_template(template, recovered=12, not_recovered=0, agent=agent)
    old = timezone.now() - timedelta(days=45)
    use_template(template, recovered=0, not_recovered=12, agent=agent, when=old)
    usage = suggestions.usage_for([template.pk])
    assert (usage[template.pk].uses, usage[template.pk].recoveries) == (12, 12)


def test_only_negative_starts_with_an_end_count(agent):
    template = apology()
    use_template(template, recovered=3, not_recovered=2, agent=agent)
    InteractionFactory(agent=agent, emotion_start=emotion("gratitude"), response_template=template)
    InteractionFactory(
        agent=agent, emotion_start=emotion("anger"), emotion_end=None, response_template=template
    )
    usage = suggestions.usage_for([template.pk])
    assert (usage[template.pk].uses, usage[template.pk].recoveries) == (5, 3)


def test_better_template_ranks_first(client, agent, customer, en):
    plan = ResponseTemplate.objects.get(code="plan_what_when_who", language="en")
    use_template(apology(), recovered=5, not_recovered=5, agent=agent)
    use_template(plan, recovered=9, not_recovered=1, agent=agent)
    client.force_login(agent)
    ranked = suggestions.suggest(user=agent, emotion=emotion("anger"), customer=customer)
    assert [s.template_id for s in ranked[:2]] == [plan.pk, apology().pk]
    assert ranked[0].rate == 0.9 and ranked[0].uses == 10


def test_positive_emotion_gets_thanks_not_apology(agent, customer, en):
    titles = [s.title for s in suggestions.suggest(user=agent, emotion=emotion("gratitude"))]
    assert "Special thank-you benefit" in titles
    assert "Detailed apology and re-service" not in titles


def test_channel_specific_templates_follow_the_channel(agent, en):
    on_letter = suggestions.suggest(user=agent, emotion=emotion("anger"), channel=channel("letter"))
    on_phone = suggestions.suggest(user=agent, emotion=emotion("anger"), channel=channel("phone"))
    meeting = "Offer a face-to-face meeting (letter)"
    assert meeting in [s.title for s in on_letter]
    assert meeting not in [s.title for s in on_phone]


def test_active_haters_are_not_offered_the_recovery_procedure(agent, en):
    hater = CustomerFactory(archetype=Archetype.ACTIVE_HATER, archetype_source="manual")
    titles = [
        s.title
        for s in suggestions.suggest(user=agent, emotion=emotion("anger"), customer=hater, limit=20)
    ]
    assert "Brief, polite and factual" in titles
    assert "Detailed apology and re-service" not in titles


def test_korean_agent_sees_korean_rows(client, agent, customer):
    client.force_login(agent)
    response = client.get(URL, query(emotion="anger", customer=customer), HTTP_ACCEPT_LANGUAGE="ko")
    body = response.content.decode()
    assert "상세한 사과와 재서비스 제공" in body
    assert "김영희 고객님, 불편을 드려" in body
    assert "Detailed apology and re-service" not in body


def test_archetype_advice_and_channel_rule_beside_the_suggestions(client, agent, en):
    loyal = CustomerFactory(archetype=Archetype.LOYAL_ANNOYED, archetype_source="manual")
    client.force_login(agent)
    body = client.get(
        URL, query(emotion="anger", customer=loyal, channel="letter")
    ).content.decode()
    assert "service-recovery procedure" in body
    assert "face-to-face meeting" in body


def test_advice_in_korean(client, agent):
    loyal = CustomerFactory(archetype=Archetype.LOYAL_ANNOYED, archetype_source="manual")
    client.force_login(agent)
    body = client.get(
        URL, query(customer=loyal, channel="letter"), HTTP_ACCEPT_LANGUAGE="ko"
    ).content.decode()
    assert "서비스 회복" in body
    assert "직접 만나" in body


def test_without_an_emotion_the_panel_asks_for_one(client, agent, en):
    client.force_login(agent)
    body = client.get(URL).content.decode()
    assert "Pick the emotion at start" in body


def test_personal_templates_are_the_owners_alone(client, agent, other_agent, en):
    ResponseTemplateFactory(title="Mine", owner=agent, valences=["negative"])
    ResponseTemplateFactory(title="Theirs", owner=other_agent, valences=["negative"])
    titles = [s.title for s in suggestions.suggest(user=agent, emotion=emotion("anger"), limit=50)]
    assert "Mine" in titles and "Theirs" not in titles


def test_inactive_templates_are_not_suggested(agent, en):
    ResponseTemplate.objects.filter(code="apology_and_reservice").update(is_active=False)
    titles = [s.title for s in suggestions.suggest(user=agent, emotion=emotion("anger"), limit=50)]
    assert "Detailed apology and re-service" not in titles


@pytest.mark.parametrize(
    "params", [{"emotion_start": "999999"}, {"customer": "abc"}, {"channel": "-1"}]
)
def test_bad_query_is_a_400_naming_the_field(client, agent, params):
    client.force_login(agent)
    response = client.get(URL, params)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(params)


@pytest.mark.parametrize("who", ["agent", "lead", "admin_user"])
def test_every_role_that_logs_gets_suggestions(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL, query(emotion="anger")).status_code == 200


def test_no_role_is_forbidden_and_anonymous_goes_to_login(client, no_role_user):
    assert client.get(URL).status_code == 302
    client.force_login(no_role_user)
    assert client.get(URL).status_code == 403


def test_log_form_shows_suggestions_again_after_a_failed_save(client, agent, customer, en):
    client.force_login(agent)
    response = client.post(
        reverse("interactions:new"),
        {
            "customer": customer.pk,
            "emotion_start": emotion("anger").pk,
            "channel": channel("phone").pk,
            "intensity": "9",  # invalid: the form comes back
        },
    )
    assert response.status_code == 200
    assert "Dear 김영희, I am truly sorry" in response.content.decode()


def test_edit_form_shows_suggestions_for_the_interactions_own_emotion(client, agent, en):
    item = InteractionFactory(agent=agent, emotion_start=emotion("anger"))
    client.force_login(agent)
    body = client.get(reverse("interactions:edit", args=[item.pk])).content.decode()
    assert "Detailed apology and re-service" in body


def _fill(templates: int, interactions: int, agent):
    made = ResponseTemplateFactory.create_batch(templates, valences=["negative"])
    for template in made:
        template.emotions.add(emotion("anger"))
        template.channels.add(channel("phone"))
    for n in range(interactions):
        InteractionFactory(
            agent=agent,
            emotion_start=emotion("anger"),
            response_template=made[n % len(made)],
        )


@pytest.mark.parametrize("templates, interactions", [(2, 5), (40, 300)])
def test_suggestions_endpoint_runs_a_fixed_number_of_queries(
    client, agent, customer, django_assert_max_num_queries, templates, interactions
):
    _fill(templates, interactions, agent)
    client.force_login(agent)
    params = query(emotion="anger", customer=customer, channel="phone")
    # session, user, role, 2 permission sets, 3 lookups, templates + 2 prefetches, usage,
    # and the request's savepoint pair.
    with django_assert_max_num_queries(14):
        assert client.get(URL, params).status_code == 200


@pytest.mark.parametrize("templates, interactions", [(2, 5), (40, 300)])
def test_log_form_with_suggestions_runs_a_fixed_number_of_queries(
    client, agent, customer, django_assert_max_num_queries, templates, interactions
):
    _fill(templates, interactions, agent)
    client.force_login(agent)
    url = reverse("interactions:new") + f"?customer={customer.pk}"
    with django_assert_max_num_queries(22):
        assert client.get(url).status_code == 200
