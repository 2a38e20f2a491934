"""The audit trail (django-auditlog, interactions/apps.py and audit.py): users and their
roles, deletions, phone and e-mail masked, and the history panel's query count."""

import json

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.auth import get_user_model
from django.urls import reverse

from interactions import services
from interactions.masking import mask_contact
from interactions.models import Customer, Interaction, PhraseRule, ResponseTemplate
from interactions.roles import assign_role
from tests.factories import CustomerFactory, InteractionFactory, UserFactory, channel, emotion

pytestmark = pytest.mark.django_db

User = get_user_model()


def entries_for(obj):
    return LogEntry.objects.get_for_object(obj).order_by("timestamp", "id")


def test_interactions_customers_templates_rules_and_users_are_audited():
    for model in (Interaction, Customer, ResponseTemplate, PhraseRule, User):
        assert auditlog.contains(model), model


def test_a_new_user_is_recorded_without_the_password_hash(reference):
    user = UserFactory(username="minji", role="agent")
    created = entries_for(user).filter(action=LogEntry.Action.CREATE).get()
    assert created.changes["username"][1] == "minji"
    assert "password" not in created.changes
    assert "last_login" not in created.changes


def test_a_password_change_or_login_writes_no_audit_entry(client, reference):
    user = UserFactory(username="minji", role="agent")
    before = entries_for(user).count()
    user.set_password("another-horse-battery")
    user.save()
    response = client.post(
        reverse("login"), {"username": "minji", "password": "another-horse-battery"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.last_login is not None
    assert entries_for(user).count() == before


def test_user_changes_and_deactivation_are_recorded(reference):
    user = UserFactory(username="minji", first_name="Minji", role="agent")
    user.first_name, user.is_active = "민지", False
    user.save()
    change = entries_for(user).filter(action=LogEntry.Action.UPDATE).last()
    assert change.changes["first_name"] == ["Minji", "민지"]
    assert change.changes["is_active"] == ["True", "False"]


def test_a_role_change_is_recorded_as_group_membership(reference):
    user = UserFactory(username="minji", role="agent")
    assign_role(user, "lead")
    m2m = [e.changes["groups"] for e in entries_for(user) if "groups" in (e.changes or {})]
    assert {"type": "m2m", "operation": "add", "objects": ["agent"]} in [
        {key: change[key] for key in ("type", "operation", "objects")} for change in m2m
    ]
    assert m2m[-2]["operation"] == "delete" and m2m[-2]["objects"] == ["agent"]
    assert m2m[-1]["operation"] == "add" and m2m[-1]["objects"] == ["lead"]


def test_reassigning_the_same_role_writes_no_group_entry(reference):
    user = UserFactory(username="minji", role="agent")
    before = entries_for(user).count()
    assign_role(user, "agent")
    assert entries_for(user).count() == before


def test_deleting_a_user_is_recorded(reference):
    user = UserFactory(username="leaving")
    pk = user.pk
    user.delete()
    deleted = LogEntry.objects.get(
        content_type__model="user", object_id=pk, action=LogEntry.Action.DELETE
    )
    assert deleted.object_repr == "leaving"
    assert "password" not in deleted.changes


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("010-1234-5678", "010-****-5678"),
        ("kim@example.com", "k***@example.com"),
        ("", ""),
        ("None", ""),
    ],
)
def test_the_trail_masks_phones_and_emails_as_lists_do(raw, masked):
    assert mask_contact(raw) == masked


def test_a_customers_phone_and_email_are_masked_in_the_trail(agent):
    customer = services.customer_create(
        created_by=agent, name="김영희", phone="010-1234-5678", email="kim@example.com"
    )
    services.customer_update(
        customer=customer, user=agent, data={"phone": "010-9876-4321", "email": "lee@example.org"}
    )
    created, changed = entries_for(customer)
    assert created.changes["phone"] == ["", "010-****-5678"]
    assert created.changes["email"] == ["", "k***@example.com"]
    assert changed.changes["phone"] == ["010-****-5678", "010-****-4321"]
    assert changed.changes["email"] == ["k***@example.com", "l***@example.org"]
    dumped = json.dumps([created.changes, changed.changes])
    assert "1234" not in dumped and "9876" not in dumped and "kim@" not in dumped
    assert "phone_digits" not in dumped


def test_deleting_a_customer_is_recorded_with_the_phone_masked(reference):
    customer = CustomerFactory(name="박민수", phone="010-5555-1212", email="park@example.com")
    pk = customer.pk
    customer.delete()
    deleted = LogEntry.objects.get(
        content_type__model="customer", object_id=pk, action=LogEntry.Action.DELETE
    )
    assert deleted.changes["phone"] == ["010-****-1212", ""]
    assert "5555" not in json.dumps(deleted.changes)


def test_deleting_an_interaction_template_and_rule_is_recorded(interaction, admin_user):
    from tests.factories import ResponseTemplateFactory

    template = ResponseTemplateFactory()
    rule = PhraseRule.objects.first()
    gone = [(type(o), o.pk) for o in (interaction, template)]
    interaction.delete()
    template.delete()
    rule.is_active = False
    rule.save()
    for model, pk in gone:
        assert LogEntry.objects.filter(
            content_type__model=model._meta.model_name, object_id=pk, action=LogEntry.Action.DELETE
        ).exists()
    assert entries_for(rule).filter(action=LogEntry.Action.UPDATE).exists()


# --- The history panel -------------------------------------------------------------------


def correct(interaction, user, times):
    codes = ["anger", "annoyance", "anxiety", "confusion"]
    channels = ["phone", "email", "chat"]
    for index in range(times):
        services.interaction_update(
            interaction=interaction,
            user=user,
            data={
                "emotion_start": emotion(codes[index % len(codes)]),
                "channel": channel(channels[index % len(channels)]),
                "summary": f"correction {index}",
            },
        )


def test_the_interaction_history_names_related_objects(client, lead, interaction):
    correct(interaction, lead, 1)
    client.force_login(lead)
    response = client.get(reverse("interactions:detail", args=[interaction.pk]))
    newest = response.context["history"][0]
    shown = {str(label): values for label, values in newest.changes_display_dict.items()}
    assert shown["emotion at start"] == ["Annoyance", "Anger"]
    assert shown["summary"] == ["Delivery arrived late", "correction 0"]


def test_the_interaction_history_query_count_does_not_grow_with_entries(
    client, lead, interaction, django_assert_max_num_queries
):
    client.force_login(lead)
    url = reverse("interactions:detail", args=[interaction.pk])
    correct(interaction, lead, 2)
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    correct(interaction, lead, 30)
    with django_assert_max_num_queries(25) as many:
        response = client.get(url)
    assert len(response.context["history"]) == 33
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_customer_history_shows_the_masked_phone(client, lead, agent):
    customer = services.customer_create(created_by=agent, name="김영희", phone="010-1234-5678")
    for number in range(5):
        services.customer_update(
            customer=customer, user=agent, data={"phone": f"010-2222-{number:04d}"}
        )
    client.force_login(lead)
    response = client.get(reverse("interactions:customer-detail", args=[customer.pk]))
    history = response.context["history"]
    assert len(history) == 6
    assert history[0].changes_display_dict["phone"] == ["010-****-0003", "010-****-0004"]
    assert "010-2222-0004" not in response.content.decode().split('class="card history"')[1]


def test_a_template_history_names_its_owner_once_per_page(client, agent):
    template = services.template_create(
        user=agent,
        data={"title": "Mine", "text": "Dear {customer_name}", "language": "en"},
        personal=True,
    )
    client.force_login(agent)
    response = client.get(reverse("interactions:template-detail", args=[template.pk]))
    created = response.context["history"][-1]
    assert created.changes_display_dict["owner"][1] == str(agent)


def test_an_interaction_created_by_the_factory_shows_its_customer(client, lead, reference):
    interaction = InteractionFactory(customer=CustomerFactory(name="최지우"))
    client.force_login(lead)
    response = client.get(reverse("interactions:detail", args=[interaction.pk]))
    created = response.context["history"][0]
    assert created.changes_display_dict["customer"] == ["", "최지우"]
