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


def js_strings(request):
    """Translated strings the small scripts need (read from a JSON element, no inline JS)."""
    from django.utils.translation import gettext as _

    return {
        "js_strings": {
            "noMatches": _("No matches"),
            "createCustomer": _("Create new customer “%s”"),
            "sayInstead": _("Say instead:"),
            "useAlternative": _("Use this instead"),
            "phraseFound": _("“%s” is on the phrase guide."),
        }
    }
