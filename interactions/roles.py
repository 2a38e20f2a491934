"""Roles are Django groups with permissions (created by migration 0002).

Everything that decides who may do what goes through these functions, so the
pages, the API and the tests share one answer.
"""

from django.contrib.auth.models import AnonymousUser, Group
from django.utils.translation import gettext_lazy as _

AGENT = "agent"
LEAD = "lead"
ADMIN = "admin"
ROLES = (AGENT, LEAD, ADMIN)
ROLE_LABELS = {AGENT: _("Agent"), LEAD: _("Team lead"), ADMIN: _("Admin")}

# What each role may do, as "app_label.codename" permissions. Admins get every
# permission of the app and of users; this lists the agent and lead sets.
AGENT_PERMISSIONS = [
    "interactions.view_interaction",
    "interactions.add_interaction",
    "interactions.change_interaction",
    "interactions.view_customer",
    "interactions.add_customer",
    "interactions.change_customer",
    "interactions.view_responsetemplate",
    "interactions.view_emotion",
    "interactions.view_channel",
    "interactions.view_touchpoint",
    "interactions.add_reflection",
    "interactions.change_reflection",
    "interactions.view_reflection",
    "interactions.view_skillreview",
]
LEAD_PERMISSIONS = AGENT_PERMISSIONS + [
    "interactions.change_any_interaction",
    "interactions.export_interaction",
    "interactions.set_archetype",
    "interactions.view_phraserule",
    "interactions.add_skillreview",
    "interactions.change_skillreview",
]


def ensure_role_groups() -> None:
    """(Re)create the role groups with their permissions; idempotent.

    Migration 0002 does this on a new database; this restores them after a test
    database flush (which keeps permissions but drops groups)."""
    from django.contrib.auth.models import Permission

    def perms(names):
        codenames = [name.split(".", 1)[1] for name in names]
        return Permission.objects.filter(
            content_type__app_label="interactions", codename__in=codenames
        )

    Group.objects.get_or_create(name=AGENT)[0].permissions.set(perms(AGENT_PERMISSIONS))
    Group.objects.get_or_create(name=LEAD)[0].permissions.set(perms(LEAD_PERMISSIONS))
    Group.objects.get_or_create(name=ADMIN)[0].permissions.set(
        Permission.objects.filter(content_type__app_label__in=["interactions", "auth"])
    )


def role_of(user) -> str | None:
    """The strongest role a user holds, or None."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return None
    if not user.is_active:
        return None
    cached = getattr(user, "_emotioncare_role", "unset")
    if cached != "unset":
        return cached
    from .auth_backends import group_names

    names = group_names(user)
    role = None
    for candidate in (ADMIN, LEAD, AGENT):
        if candidate in names:
            role = candidate
            break
    if role is None and user.is_superuser:
        role = ADMIN
    user._emotioncare_role = role
    return role


def has_role(user) -> bool:
    return role_of(user) is not None


def is_lead_or_admin(user) -> bool:
    return role_of(user) in (LEAD, ADMIN)


def can_view_dashboard(user) -> bool:
    """The team-lead dashboard: leads and admins."""
    return is_lead_or_admin(user)


def can_change_interaction(user, interaction) -> bool:
    """Agents change only their own interactions; leads and admins change any."""
    if not has_role(user) or not user.has_perm("interactions.change_interaction"):
        return False
    if user.has_perm("interactions.change_any_interaction"):
        return True
    return interaction.agent_id == user.pk


def can_set_archetype(user) -> bool:
    return has_role(user) and user.has_perm("interactions.set_archetype")


def can_export(user) -> bool:
    return has_role(user) and user.has_perm("interactions.export_interaction")


def can_import(user) -> bool:
    """The CSV import of historical interactions (docs/import.md): leads and admins."""
    return is_lead_or_admin(user) and user.has_perm("interactions.add_interaction")


# --- Response templates and the phrase guide -----------------------------------
# Everyone with a role reads the team's templates and the phrase guide; admins
# manage both; every role keeps personal templates of its own.


def can_manage_team_templates(user) -> bool:
    """Create and change the team's templates (owner empty): admins only."""
    return role_of(user) == ADMIN


def can_create_personal_template(user) -> bool:
    return has_role(user)


def can_view_template(user, template) -> bool:
    """The team's templates and one's own personal ones; never another person's."""
    if not has_role(user):
        return False
    return template.owner_id is None or template.owner_id == user.pk


def can_edit_template(user, template) -> bool:
    """Team templates: admins. Personal templates: their owner alone."""
    if not has_role(user):
        return False
    if template.owner_id is None:
        return can_manage_team_templates(user)
    return template.owner_id == user.pk


def can_delete_template(user, template) -> bool:
    """Only personal templates are deleted, by their owner; team templates are
    deactivated instead, so the interactions that used them keep their history."""
    return has_role(user) and template.owner_id is not None and template.owner_id == user.pk


def can_view_phrase_rules(user) -> bool:
    return has_role(user)


def can_manage_phrase_rules(user) -> bool:
    return role_of(user) == ADMIN


def assign_role(user, role: str) -> None:
    """Put a user in exactly one role group; admins are also staff and superuser."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    # Only real changes, so the audit trail shows "lead -> admin", not every group.
    current = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
    if current - {role}:
        user.groups.remove(*Group.objects.filter(name__in=current - {role}))
    if role not in current:
        user.groups.add(Group.objects.get(name=role))
    user.is_staff = role == ADMIN
    user.is_superuser = role == ADMIN
    user.save(update_fields=["is_staff", "is_superuser"])
    for cached in ("_emotioncare_role", "_emotioncare_groups", "_perm_cache"):
        user.__dict__.pop(cached, None)


def can_review(user) -> bool:
    """Skill reviews are written by leads and admins."""
    return role_of(user) in (LEAD, ADMIN) and user.has_perm("interactions.add_skillreview")


def can_see_reviews_of(user, agent) -> bool:
    """An agent sees the reviews of their own work; leads and admins see everyone's."""
    return role_of(user) in (LEAD, ADMIN) or (has_role(user) and user.pk == agent.pk)


# --- Privacy (docs/privacy.md) ---------------------------------------------------------


def can_view_access_log(user) -> bool:
    """The access log of personal data: leads and admins read it; nobody changes it."""
    return is_lead_or_admin(user)


def can_reveal_phone(user) -> bool:
    """Everyone with a role sees a customer's full phone on the customer page, so everyone
    may reveal a masked one; each reveal is recorded in the access log."""
    return has_role(user) and user.has_perm("interactions.view_customer")


def can_export_customer_data(user) -> bool:
    """One customer's data as a file (a subject access request): those who may export."""
    return can_export(user)


def can_erase_customer(user) -> bool:
    """Erasing a customer's personal data cannot be undone: admins only."""
    return role_of(user) == ADMIN
