"""The in-app pages for response templates and the phrase guide (guide_views.py):
who may do what, the create / edit / deactivate / delete flows, preview and "try it"
without saving, clear errors instead of server errors, and constant query counts."""

import pytest
from auditlog.registry import auditlog
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation

from interactions import services
from interactions.models import Emotion, PhraseRule, ResponseTemplate
from tests.factories import ResponseTemplateFactory, channel, emotion

pytestmark = pytest.mark.django_db

LIST = reverse("interactions:template-list")
NEW = reverse("interactions:template-new")
RULES = reverse("interactions:phrase-rule-list")
NEW_RULE = reverse("interactions:phrase-rule-new")


def url(name, obj):
    return reverse(f"interactions:{name}", args=[obj.pk])


@pytest.fixture
def team_template(reference):
    return ResponseTemplateFactory(title="Team apology", text="Dear {customer_name}, sorry.")


@pytest.fixture
def personal_template(agent):
    return ResponseTemplateFactory(title="Minji's own", owner=agent, text="Hi {customer_name}")


@pytest.fixture
def rule(reference):
    return PhraseRule.objects.get(code="dont_know", language="en")


def template_form(**overrides):
    data = {
        "scope": "team",
        "title": "Late delivery apology",
        "category": "Apology",
        "language": "en",
        "is_active": "on",
        "text": "Dear {customer_name}, I am sorry your parcel was late. {agent_name}",
        "emotions": [emotion("anger").pk, emotion("annoyance").pk],
        "valences": ["negative"],
        "archetypes": ["loyal_annoyed"],
        "channels": [channel("phone").pk],
    }
    data.update(overrides)
    return data


def rule_form(**overrides):
    data = {
        "code": "calm_down",
        "language": "en",
        "phrase": "calm down",
        "variants": "relax~\n!calm down the",
        "reason": "Telling someone to calm down makes them angrier.",
        "alternative": "I understand this is frustrating. Let me sort it out.",
        "is_active": "on",
        "sample": "",
    }
    data.update(overrides)
    return data


# --- Who may open what ----------------------------------------------------------------


def every_url(team_template, personal_template, rule):
    """(url, method) for every guide page; POST bodies are harmless for a refusal."""
    return [
        (LIST, "get"),
        (NEW, "get"),
        (NEW, "post"),
        (url("template-detail", team_template), "get"),
        (url("template-edit", team_template), "get"),
        (url("template-edit", team_template), "post"),
        (url("template-active", team_template), "post"),
        (url("template-delete", personal_template), "get"),
        (url("template-delete", personal_template), "post"),
        (RULES, "get"),
        (NEW_RULE, "get"),
        (NEW_RULE, "post"),
        (url("phrase-rule-detail", rule), "get"),
        (url("phrase-rule-edit", rule), "get"),
        (url("phrase-rule-edit", rule), "post"),
        (url("phrase-rule-active", rule), "post"),
    ]


def test_anonymous_users_are_sent_to_login_from_every_page(
    client, team_template, personal_template, rule
):
    for address, method in every_url(team_template, personal_template, rule):
        response = getattr(client, method)(address)
        assert response.status_code == 302, address
        assert response.url.startswith(reverse("login")), address
    assert ResponseTemplate.objects.filter(pk=personal_template.pk).exists()


def test_a_user_without_a_role_gets_403_everywhere(
    client, no_role_user, team_template, personal_template, rule
):
    client.force_login(no_role_user)
    for address, method in every_url(team_template, personal_template, rule):
        assert getattr(client, method)(address).status_code == 403, (method, address)
    assert ResponseTemplate.objects.filter(pk=personal_template.pk).exists()


@pytest.mark.parametrize("role", ["agent", "lead", "admin_user"])
def test_every_role_reads_templates_and_the_phrase_guide(
    client, request, role, team_template, rule
):
    client.force_login(request.getfixturevalue(role))
    for address in [
        LIST,
        NEW,
        url("template-detail", team_template),
        RULES,
        url("phrase-rule-detail", rule),
    ]:
        assert client.get(address).status_code == 200, address


@pytest.mark.parametrize("role", ["agent", "lead"])
def test_agents_and_leads_cannot_change_team_templates(client, request, role, team_template):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url("template-edit", team_template)).status_code == 403
    response = client.post(url("template-edit", team_template), template_form(title="Hijack"))
    assert response.status_code == 403
    assert client.post(url("template-active", team_template), {"active": "0"}).status_code == 403
    team_template.refresh_from_db()
    assert team_template.title == "Team apology" and team_template.is_active
    detail = client.get(url("template-detail", team_template)).content.decode()
    assert url("template-edit", team_template) not in detail


@pytest.mark.parametrize("role", ["other_agent", "lead", "admin_user"])
def test_nobody_else_opens_or_changes_a_personal_template(client, request, role, personal_template):
    client.force_login(request.getfixturevalue(role))
    for name in ["template-detail", "template-edit", "template-delete"]:
        assert client.get(url(name, personal_template)).status_code == 403, name
    assert client.post(url("template-edit", personal_template), template_form()).status_code == 403
    assert (
        client.post(url("template-active", personal_template), {"active": "0"}).status_code == 403
    )
    assert client.post(url("template-delete", personal_template)).status_code == 403
    personal_template.refresh_from_db()
    assert personal_template.title == "Minji's own" and personal_template.is_active


def test_the_owner_opens_their_personal_template(client, agent, personal_template):
    client.force_login(agent)
    for name in ["template-detail", "template-edit", "template-delete"]:
        assert client.get(url(name, personal_template)).status_code == 200, name


@pytest.mark.parametrize("role", ["agent", "lead"])
def test_only_admins_manage_the_phrase_guide(client, request, role, rule):
    client.force_login(request.getfixturevalue(role))
    assert client.get(NEW_RULE).status_code == 403
    assert client.post(NEW_RULE, rule_form()).status_code == 403
    assert client.get(url("phrase-rule-edit", rule)).status_code == 403
    assert client.post(url("phrase-rule-edit", rule), rule_form(phrase="x")).status_code == 403
    assert client.post(url("phrase-rule-active", rule), {"active": "0"}).status_code == 403
    rule.refresh_from_db()
    assert rule.phrase == "I don't know" and rule.is_active
    assert not PhraseRule.objects.filter(code="calm_down").exists()
    assert NEW_RULE not in client.get(RULES).content.decode()


def test_admins_open_the_phrase_rule_forms(client, admin_user, rule):
    client.force_login(admin_user)
    assert client.get(NEW_RULE).status_code == 200
    assert client.get(url("phrase-rule-edit", rule)).status_code == 200
    assert NEW_RULE in client.get(RULES).content.decode()


def test_state_changes_are_post_only(client, admin_user, team_template, rule):
    client.force_login(admin_user)
    assert client.get(url("template-active", team_template)).status_code == 405
    assert client.get(url("phrase-rule-active", rule)).status_code == 405


def test_missing_templates_and_rules_are_404(client, admin_user):
    client.force_login(admin_user)
    for address in ["/templates/999999/", "/templates/999999/edit/", "/phrase-rules/999999/"]:
        assert client.get(address).status_code == 404, address


# --- The templates list -----------------------------------------------------------------


def listed(response):
    return {row.record.pk for row in response.context["table"].page.object_list}


def test_agents_see_the_team_templates_and_only_their_own_personal_ones(
    client, agent, other_agent, team_template, personal_template
):
    theirs = ResponseTemplateFactory(title="Jisoo's own", owner=other_agent)
    client.force_login(agent)
    rows = listed(client.get(LIST))
    assert team_template.pk in rows and personal_template.pk in rows
    assert theirs.pk not in rows
    client.force_login(other_agent)
    rows = listed(client.get(LIST))
    assert theirs.pk in rows and personal_template.pk not in rows


def test_admins_do_not_see_agents_personal_templates(client, admin_user, personal_template):
    client.force_login(admin_user)
    assert personal_template.pk not in listed(client.get(LIST))


def test_the_list_filters_by_search_language_scope_category_and_active(
    client, agent, team_template, personal_template
):
    inactive = ResponseTemplateFactory(title="Old one", is_active=False, category="Legacy")
    client.force_login(agent)
    assert listed(client.get(LIST + "?q=Minji")) == {personal_template.pk}
    assert listed(client.get(LIST + "?q=sorry")) >= {team_template.pk}
    assert listed(client.get(LIST + "?scope=personal")) == {personal_template.pk}
    assert personal_template.pk not in listed(client.get(LIST + "?scope=team"))
    assert listed(client.get(LIST + "?category=Legacy")) == {inactive.pk}
    assert listed(client.get(LIST + "?is_active=false")) == {inactive.pk}
    korean = listed(client.get(LIST + "?language=ko"))
    assert korean and all(ResponseTemplate.objects.get(pk=pk).language == "ko" for pk in korean)


def make_templates(count, owner):
    anger, phone = emotion("anger"), channel("phone")
    for index in range(count):
        template = ResponseTemplateFactory(
            title=f"Bulk {index}", valences=["negative"], owner=owner if index % 2 else None
        )
        template.emotions.add(anger)
        template.channels.add(phone)


def count_queries(client, address):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


@pytest.mark.parametrize("size", [3, 30])
def test_the_templates_list_runs_a_fixed_number_of_queries(
    client, agent, size, django_assert_max_num_queries
):
    make_templates(size, agent)
    client.force_login(agent)
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert len(listed(response)) >= size


def test_the_templates_list_query_count_does_not_grow_with_rows(client, agent):
    client.force_login(agent)
    make_templates(3, agent)
    few = count_queries(client, LIST)
    make_templates(30, agent)
    assert count_queries(client, LIST) == few


@pytest.mark.parametrize("size", [3, 30])
def test_the_phrase_guide_list_runs_a_fixed_number_of_queries(
    client, agent, size, django_assert_max_num_queries
):
    for index in range(size):
        PhraseRule.objects.create(
            code=f"bulk_{index}", language="en", phrase=f"bulk {index}", reason="r", alternative="a"
        )
    client.force_login(agent)
    with django_assert_max_num_queries(10):
        assert client.get(RULES).status_code == 200


# --- Creating and editing templates -------------------------------------------------------


def test_admins_create_a_team_template_with_its_suitability(client, admin_user):
    client.force_login(admin_user)
    response = client.post(NEW, template_form())
    template = ResponseTemplate.objects.get(title="Late delivery apology")
    assert response.status_code == 302
    assert response.url == url("template-detail", template)
    assert template.owner is None
    assert template.valences == ["negative"] and template.archetypes == ["loyal_annoyed"]
    assert set(template.emotions.values_list("code", flat=True)) == {"anger", "annoyance"}
    assert list(template.channels.values_list("code", flat=True)) == ["phone"]


def test_admins_may_create_a_personal_template(client, admin_user):
    client.force_login(admin_user)
    client.post(NEW, template_form(scope="personal"))
    assert ResponseTemplate.objects.get(title="Late delivery apology").owner == admin_user


@pytest.mark.parametrize("role", ["agent", "lead"])
def test_what_agents_and_leads_create_is_always_personal(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert "scope" not in client.get(NEW).context["form"].fields
    response = client.post(NEW, template_form(scope="team"))
    assert response.status_code == 302
    assert ResponseTemplate.objects.get(title="Late delivery apology").owner == user


def test_the_owner_edits_a_personal_template(client, agent, personal_template):
    client.force_login(agent)
    response = client.post(
        url("template-edit", personal_template), template_form(title="Renamed", scope="team")
    )
    assert response.status_code == 302
    personal_template.refresh_from_db()
    assert personal_template.title == "Renamed" and personal_template.owner == agent


def test_admins_edit_a_team_template_and_the_change_shows_in_its_history(
    client, admin_user, team_template
):
    client.force_login(admin_user)
    response = client.post(url("template-edit", team_template), template_form(title="Better"))
    assert response.status_code == 302
    team_template.refresh_from_db()
    assert team_template.title == "Better" and team_template.owner is None
    detail = client.get(url("template-detail", team_template))
    assert detail.context["history"]
    assert "Better" in detail.content.decode()


def test_the_history_shows_suitability_changes_in_words(client, admin_user, team_template):
    client.force_login(admin_user)
    client.post(url("template-edit", team_template), template_form())
    response = client.get(url("template-detail", team_template))
    changes = {}
    for entry in reversed(response.context["history"]):  # oldest first: newest wins
        changes.update({str(k): v for k, v in entry.changes_display_dict.items()})
    assert changes["suits emotions"] == ["", "Annoyance, Anger"] or changes["suits emotions"] == [
        "",
        "Anger, Annoyance",
    ]
    assert changes["suits valences"][1] == "Negative"
    assert "Previously satisfied, now annoyed" in changes["suits archetypes"][1]


def test_the_detail_page_query_count_does_not_grow_with_its_history(
    client, admin_user, team_template
):
    client.force_login(admin_user)
    detail = url("template-detail", team_template)
    client.post(url("template-edit", team_template), template_form(title="One"))
    few = count_queries(client, detail)
    for title in ("Two", "Three", "Four"):
        client.post(url("template-edit", team_template), template_form(title=title))
    assert count_queries(client, detail) == few


def test_the_form_suggests_the_categories_in_use(client, admin_user, team_template):
    ResponseTemplateFactory(category="Shipping")
    client.force_login(admin_user)
    html = client.get(NEW).content.decode()
    assert 'list="template-categories"' in html
    assert '<option value="Shipping">' in html


def test_an_unknown_placeholder_is_a_field_error_and_nothing_is_saved(client, admin_user):
    client.force_login(admin_user)
    response = client.post(NEW, template_form(text="Dear {customer}, sorry."))
    assert response.status_code == 200
    errors = response.context["form"].errors["text"]
    assert "{customer}" in errors[0]
    assert not ResponseTemplate.objects.filter(title="Late delivery apology").exists()


def test_the_service_rejects_unknown_placeholders_too(admin_user):
    with pytest.raises(ValidationError) as caught:
        services.template_create(
            user=admin_user, data={"title": "T", "text": "Hi {nme}", "language": "en"}
        )
    assert "text" in caught.value.message_dict


def test_the_services_refuse_team_templates_to_non_admins(agent, lead, team_template):
    for user in (agent, lead):
        with pytest.raises(PermissionDenied):
            services.template_create(
                user=user, data={"title": "T", "text": "Hi", "language": "en"}, personal=False
            )
        with pytest.raises(PermissionDenied):
            services.template_update(template=team_template, user=user, data={"title": "x"})
        with pytest.raises(PermissionDenied):
            services.template_set_active(template=team_template, user=user, is_active=False)


# --- Preview --------------------------------------------------------------------------------


PREVIEW_TEXT = "Dear {customer_name}, this is {agent_name} ({channel}, {today})."


def test_preview_renders_the_placeholders_and_saves_nothing(client, admin_user):
    client.force_login(admin_user)
    before = ResponseTemplate.objects.count()
    response = client.post(NEW, template_form(text=PREVIEW_TEXT, preview="1"))
    assert response.status_code == 200
    assert ResponseTemplate.objects.count() == before
    with translation.override("en"):
        today = formats.date_format(timezone.localdate(), "DATE_FORMAT")
    assert response.context["preview"] == f"Dear Alex Kim, this is Hana (Phone, {today})."
    assert "Dear Alex Kim, this is Hana" in response.content.decode()


def test_a_korean_template_previews_with_korean_sample_values(client, agent):
    client.force_login(agent)
    response = client.post(NEW, template_form(text=PREVIEW_TEXT, language="ko", preview="1"))
    assert response.context["preview"].startswith("Dear 홍길동, this is Minji (전화, ")
    assert not ResponseTemplate.objects.filter(owner=agent).exists()


def test_previewing_an_edit_changes_nothing(client, admin_user, team_template):
    client.force_login(admin_user)
    response = client.post(
        url("template-edit", team_template),
        template_form(title="Not yet", text="Hello {customer_name}", preview="1"),
    )
    assert response.status_code == 200
    assert response.context["preview"] == "Hello Alex Kim"
    team_template.refresh_from_db()
    assert team_template.title == "Team apology"


def test_preview_with_an_unknown_placeholder_shows_it_and_the_error(client, admin_user):
    client.force_login(admin_user)
    response = client.post(NEW, template_form(text="Hi {nme}", preview="1"))
    assert response.context["preview"] == "Hi {nme}"
    assert "text" in response.context["form"].errors


def test_the_detail_page_shows_the_preview(client, agent, team_template):
    client.force_login(agent)
    response = client.get(url("template-detail", team_template))
    assert response.context["preview"] == "Dear Alex Kim, sorry."


# --- Deactivate, reactivate, delete ----------------------------------------------------------


def test_admins_deactivate_and_reactivate_a_team_template(client, admin_user, team_template):
    client.force_login(admin_user)
    response = client.post(url("template-active", team_template), {"active": "0"})
    assert response.status_code == 302
    team_template.refresh_from_db()
    assert not team_template.is_active
    client.post(url("template-active", team_template), {"active": "1"})
    team_template.refresh_from_db()
    assert team_template.is_active


def test_the_owner_deactivates_a_personal_template(client, agent, personal_template):
    client.force_login(agent)
    client.post(url("template-active", personal_template), {"active": "0"})
    personal_template.refresh_from_db()
    assert not personal_template.is_active


def test_the_owner_deletes_a_personal_template_after_confirming(client, agent, personal_template):
    client.force_login(agent)
    confirm = client.get(url("template-delete", personal_template))
    assert confirm.status_code == 200
    assert ResponseTemplate.objects.filter(pk=personal_template.pk).exists()
    response = client.post(url("template-delete", personal_template))
    assert response.status_code == 302 and response.url == LIST
    assert not ResponseTemplate.objects.filter(pk=personal_template.pk).exists()


def test_team_templates_cannot_be_deleted_in_the_app_even_by_admins(
    client, admin_user, team_template
):
    client.force_login(admin_user)
    assert client.get(url("template-delete", team_template)).status_code == 403
    assert client.post(url("template-delete", team_template)).status_code == 403
    assert ResponseTemplate.objects.filter(pk=team_template.pk).exists()


# --- Phrase rules ---------------------------------------------------------------------------


def test_admins_create_a_phrase_rule(client, admin_user):
    client.force_login(admin_user)
    response = client.post(NEW_RULE, rule_form(variants="relax~\n\n  !calm down the  "))
    created = PhraseRule.objects.get(code="calm_down", language="en")
    assert response.status_code == 302
    assert response.url == url("phrase-rule-detail", created)
    assert created.variants == "relax~\n!calm down the"


def test_admins_edit_deactivate_and_reactivate_a_rule(client, admin_user, rule):
    client.force_login(admin_user)
    response = client.post(
        url("phrase-rule-edit", rule),
        rule_form(code=rule.code, phrase="I don't know", alternative=rule.alternative),
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.variants == "relax~\n!calm down the"
    client.post(url("phrase-rule-active", rule), {"active": "0"})
    rule.refresh_from_db()
    assert not rule.is_active
    client.post(url("phrase-rule-active", rule), {"active": "1"})
    rule.refresh_from_db()
    assert rule.is_active
    assert client.get(url("phrase-rule-detail", rule)).context["history"]


def test_try_shows_the_hits_of_the_unsaved_rule_and_saves_nothing(client, admin_user):
    client.force_login(admin_user)
    sample = "Please calm down. I cannot help if you don't relax. Calm down the music."
    response = client.post(NEW_RULE, rule_form(sample=sample, **{"try": "1"}))
    assert response.status_code == 200
    assert not PhraseRule.objects.filter(code="calm_down").exists()
    trial = response.context["trial"]
    assert [(hit.start, hit.end, hit.text) for hit in trial["sample_hits"]] == [
        (7, 16, "calm down"),
        (sample.index("relax"), sample.index("relax") + 5, "relax"),
    ]
    html = response.content.decode()
    assert "<mark>calm down</mark>" in html and "<mark>relax</mark>" in html
    assert "offset 7–16" in html
    assert not trial["alternative_hits"]


def test_try_warns_when_the_rule_fires_on_its_own_alternative(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        NEW_RULE, rule_form(alternative="Please relax, I will fix it.", **{"try": "1"})
    )
    trial = response.context["trial"]
    assert [hit.text for hit in trial["alternative_hits"]] == ["relax"]
    assert "fires on its own" in response.content.decode()


def test_try_on_an_existing_rule_does_not_change_it(client, admin_user, rule):
    client.force_login(admin_user)
    response = client.post(
        url("phrase-rule-edit", rule),
        rule_form(code="dont_know", phrase="no idea", sample="I have no idea.", **{"try": "1"}),
    )
    assert [hit.text for hit in response.context["trial"]["sample_hits"]] == ["no idea"]
    rule.refresh_from_db()
    assert rule.phrase == "I don't know"


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("variants", "relax~\nre:(unclosed", "Line 2: Not a valid regular expression"),
        ("variants", "re:a*", "Line 1: The pattern can match empty text"),
        ("variants", "!", "Line 1: There is nothing to look for"),
        ("phrase", "re:[", "Not a valid regular expression"),
        ("phrase", "!calm down", "cannot be an exception"),
    ],
)
@pytest.mark.parametrize("button", [{}, {"try": "1"}])
def test_an_invalid_form_is_a_field_error_not_a_server_error(
    client, admin_user, field, value, expected, button
):
    client.force_login(admin_user)
    response = client.post(NEW_RULE, rule_form(**{field: value, "sample": "calm down"}, **button))
    assert response.status_code == 200
    assert any(expected in error for error in response.context["form"].errors[field])
    assert not PhraseRule.objects.filter(code="calm_down").exists()


def test_a_duplicate_code_and_language_is_a_form_error(client, admin_user, rule):
    client.force_login(admin_user)
    response = client.post(NEW_RULE, rule_form(code="dont_know", language="en"))
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [str(services.ERR_PHRASE_RULE_TAKEN)]
    assert PhraseRule.objects.filter(code="dont_know", language="en").count() == 1
    # The same code in the other language is the rule's translation, and allowed.
    other = PhraseRule.objects.get(code="dont_know", language="ko")
    other.delete()
    response = client.post(NEW_RULE, rule_form(code="dont_know", language="ko"))
    assert response.status_code == 302


def test_renaming_a_rule_onto_another_rules_code_is_a_form_error(client, admin_user, rule):
    client.force_login(admin_user)
    other = PhraseRule.objects.filter(language="en").exclude(pk=rule.pk).first()
    response = client.post(url("phrase-rule-edit", rule), rule_form(code=other.code))
    assert response.status_code == 200
    assert "code" in response.context["form"].errors


def test_the_service_reports_a_duplicate_on_the_code(admin_user, rule):
    data = {
        "code": "dont_know",
        "language": "en",
        "phrase": "no clue",
        "reason": "r",
        "alternative": "a",
    }
    with pytest.raises(ValidationError) as caught:
        services.phrase_rule_create(user=admin_user, data=data)
    assert "code" in caught.value.message_dict


def test_the_phrase_rule_services_are_for_admins(agent, lead, rule):
    for user in (agent, lead):
        with pytest.raises(PermissionDenied):
            services.phrase_rule_set_active(rule=rule, user=user, is_active=False)


# --- Navigation, history, translation --------------------------------------------------------


def test_the_navigation_links_to_templates_and_the_phrase_guide(client, agent):
    client.force_login(agent)
    html = client.get(LIST).content.decode()
    assert f'<a href="{LIST}" aria-current="page">' in html
    assert f'<a href="{RULES}" >' in html or f'<a href="{RULES}">' in html
    assert "<kbd>g t</kbd>" in html


def test_templates_and_rules_are_in_the_audit_history():
    assert auditlog.contains(ResponseTemplate)
    assert auditlog.contains(PhraseRule)


def test_the_pages_render_in_korean(client, agent, team_template, rule):
    client.force_login(agent)
    for address in [LIST, NEW, url("template-detail", team_template), RULES]:
        response = client.get(address, HTTP_ACCEPT_LANGUAGE="ko")
        assert response.status_code == 200
        assert '<html lang="ko">' in response.content.decode()


def test_emotion_choices_keep_an_inactive_emotion_the_template_uses(client, admin_user):
    anger = emotion("anger")
    template = ResponseTemplateFactory()
    template.emotions.add(anger)
    Emotion.objects.filter(pk=anger.pk).update(is_active=False)
    client.force_login(admin_user)
    form = client.get(url("template-edit", template)).context["form"]
    assert anger in form.fields["emotions"].queryset
    assert Emotion.objects.get(code="gratitude") in form.fields["emotions"].queryset
