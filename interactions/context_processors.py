from . import roles as role_rules


def roles(request):
    """Expose the user's role to every template (navigation, actions)."""
    role = role_rules.role_of(getattr(request, "user", None))
    return {
        "user_role": role,
        "user_role_label": role_rules.ROLE_LABELS.get(role, ""),
        "is_lead_or_admin": role in (role_rules.LEAD, role_rules.ADMIN),
        "is_admin_role": role == role_rules.ADMIN,
    }
