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


def wellbeing(request):
    """Looking after agents: the break nudge and the end-of-shift reflection prompt shown
    at the top of every page. One query, run only when a page shows them; none for
    anonymous users or users without a role."""
    from django.utils.functional import SimpleLazyObject

    user = getattr(request, "user", None)
    role = role_rules.role_of(user)
    if role is None:
        return {"care": None}
    return {"care": SimpleLazyObject(lambda: _care(request, user, role))}


def _care(request, user, role):
    from django.conf import settings
    from django.utils.translation import ngettext

    from . import guidance, wellbeing_selectors

    page = getattr(getattr(request, "resolver_match", None), "url_name", "")
    if page == "break":  # a calm page: no reminders on it
        return {"nudge": None, "reflection_prompt": False}
    # Today's reflection is asked for only when the prompt could show.
    may_prompt = (
        role in (role_rules.AGENT, role_rules.LEAD)
        and page != "reflection"
        and wellbeing_selectors.after_shift_end()
    )
    reminders = wellbeing_selectors.care_reminders(user=user, reflection=may_prompt)
    nudge = None
    if reminders.nudge_id:
        count, minutes = reminders.nudge_count, settings.EMOTIONCARE_NUDGE_WINDOW_MINUTES
        if minutes == 60:
            message = ngettext(
                "You have had %(count)d difficult conversation in the last hour.",
                "You have had %(count)d difficult conversations in the last hour.",
                count,
            )
        else:
            message = ngettext(
                "You have had %(count)d difficult conversation in the last %(minutes)d minutes.",
                "You have had %(count)d difficult conversations in the last %(minutes)d minutes.",
                count,
            )
        nudge = {
            "id": reminders.nudge_id,
            "message": message % {"count": count, "minutes": minutes},
            "practice": guidance.practice(reminders.nudge_practice),
            "minutes": guidance.BREAK_MINUTES,
        }
    reflection_prompt = may_prompt and not reminders.reflected_today
    return {"nudge": nudge, "reflection_prompt": reflection_prompt}
