"""Who may open what: every page of issue 2, per role (product.md "Who sees and changes what")."""

import pytest
from django.urls import reverse

from tests.factories import InteractionFactory

pytestmark = pytest.mark.django_db

READ_PAGES = [
    ("interactions:home", False),
    ("interactions:new", False),
    ("interactions:list", False),
    ("interactions:detail", True),
    ("interactions:customer-list", False),
    ("interactions:customer-new", False),
    ("interactions:customer-detail", "customer"),
    ("interactions:customer-edit", "customer"),
    ("interactions:customer-search", False),
    ("interactions:agent-search", False),
]


def url_for(name, arg, interaction):
    if arg is True:
        return reverse(name, args=[interaction.pk])
    if arg == "customer":
        return reverse(name, args=[interaction.customer_id])
    return reverse(name)


@pytest.mark.parametrize(
    ("name", "arg"), READ_PAGES + [("interactions:edit", True), ("interactions:export", False)]
)
def test_anonymous_users_are_sent_to_login(client, interaction, name, arg):
    response = client.get(url_for(name, arg, interaction))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(("name", "arg"), READ_PAGES)
@pytest.mark.parametrize("role", ["agent", "other_agent", "lead", "admin_user"])
def test_every_role_reads_every_page(client, request, interaction, name, arg, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url_for(name, arg, interaction)).status_code == 200


@pytest.mark.parametrize(
    ("name", "arg"), READ_PAGES + [("interactions:edit", True), ("interactions:export", False)]
)
def test_a_user_without_a_role_gets_403(client, no_role_user, interaction, name, arg):
    client.force_login(no_role_user)
    assert client.get(url_for(name, arg, interaction)).status_code == 403


def test_agents_correct_their_own_interactions_only(client, agent, other_agent, interaction):
    edit = reverse("interactions:edit", args=[interaction.pk])
    client.force_login(other_agent)
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"summary": "hijack"}).status_code == 403
    interaction.refresh_from_db()
    assert interaction.summary != "hijack"
    client.force_login(agent)
    assert client.get(edit).status_code == 200


@pytest.mark.parametrize("role", ["lead", "admin_user"])
def test_leads_and_admins_correct_anyones_interaction(client, request, interaction, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("interactions:edit", args=[interaction.pk])).status_code == 200


def test_the_detail_page_offers_correction_only_to_those_allowed(
    client, agent, other_agent, interaction
):
    detail = reverse("interactions:detail", args=[interaction.pk])
    edit = reverse("interactions:edit", args=[interaction.pk])
    client.force_login(other_agent)
    assert edit not in client.get(detail).content.decode()
    client.force_login(agent)
    assert edit in client.get(detail).content.decode()


def test_export_is_for_leads_and_admins(client, agent, lead, admin_user, interaction):
    url = reverse("interactions:export")
    client.force_login(agent)
    assert client.get(url).status_code == 403
    for user in (lead, admin_user):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_django_admin_is_for_admins_only(client, agent, lead, admin_user):
    for user in (agent, lead):
        client.force_login(user)
        response = client.get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response.url
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200
    for model in [
        "emotion",
        "channel",
        "touchpoint",
        "responsetemplate",
        "phraserule",
        "customer",
        "interaction",
    ]:
        assert client.get(f"/admin/interactions/{model}/").status_code == 200, model
        assert client.get(f"/admin/interactions/{model}/?q=a").status_code == 200, model


def test_missing_objects_are_404_not_500(client, agent):
    client.force_login(agent)
    for url in [
        "/interactions/999999/",
        "/interactions/999999/edit/",
        "/customers/0/",
        "/customers/999999/edit/",
        "/interactions/abc/",
    ]:
        assert client.get(url).status_code == 404, url


def test_only_leads_and_admins_set_an_archetype(client, agent, lead, customer):
    edit = reverse("interactions:customer-edit", args=[customer.pk])
    data = {
        "name": customer.name,
        "phone": customer.phone,
        "email": customer.email,
        "external_ref": "",
        "notes": "",
        "archetype": "active_hater",
    }
    client.force_login(agent)
    assert "archetype" not in client.get(edit).context["form"].fields
    client.post(edit, data)
    customer.refresh_from_db()
    assert customer.archetype is None
    client.force_login(lead)
    client.post(edit, data)
    customer.refresh_from_db()
    assert customer.archetype == "active_hater"
    assert customer.archetype_source == "manual" and customer.archetype_set_by == lead


def test_agents_update_contact_details_and_notes(client, agent, customer):
    client.force_login(agent)
    response = client.post(
        reverse("interactions:customer-edit", args=[customer.pk]),
        {
            "name": "김영희",
            "phone": "010-2222-3333",
            "email": "new@example.com",
            "external_ref": "",
            "notes": "prefers e-mail",
        },
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.phone == "010-2222-3333" and customer.notes == "prefers e-mail"


def test_other_agents_interaction_is_readable(client, other_agent, agent):
    item = InteractionFactory(agent=agent)
    client.force_login(other_agent)
    assert client.get(reverse("interactions:detail", args=[item.pk])).status_code == 200
