"""Every read the pages, API and commands share: querysets with their joins applied."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from . import roles
from .masking import mask_email, mask_phone
from .models import (
    Channel,
    Customer,
    Emotion,
    Interaction,
    PhraseRule,
    ResponseTemplate,
    SkillReview,
    Valence,
)


def interaction_list(*, user) -> QuerySet[Interaction]:
    """Every interaction a user may read (all of them, for any role), newest first,
    with the relations the list shows already joined."""
    if not roles.has_role(user):
        return Interaction.objects.none()
    return Interaction.objects.with_relations().order_by("-occurred_at", "-id")


# The columns the interactions list shows (tables.InteractionTable.body_rows): its rows
# skip the summary, the cues and the phrase hits, which can be long.
LIST_COLUMNS = (
    "occurred_at",
    "customer__name",
    "agent__username",
    "agent__first_name",
    "agent__last_name",
    "channel",
    "touchpoint",
    "emotion_start",
    "emotion_end",
    "response_template",
    "response_text",
    "intensity",
    "is_complaint",
    "complaint_status",
    "outcome",
    "recovered",
)


def interaction_rows(*, user) -> QuerySet[Interaction]:
    """The interactions list's rows: customer and agent joined, the columns it shows;
    the reference rows come from the request's lookups (lookups.py), not a prefetch."""
    return interaction_list(user=user).prefetch_related(None).only(*LIST_COLUMNS)


def interaction_detail(*, user, pk: int) -> Interaction | None:
    return interaction_list(user=user).filter(pk=pk).first()


def customer_list(*, user) -> QuerySet[Customer]:
    if not roles.has_role(user):
        return Customer.objects.none()
    return Customer.objects.order_by("name", "id")


def customer_search(*, user, term: str, limit: int | None = None) -> list[dict]:
    """Search-as-you-type: a few matches, contact details masked; erased customers are
    not offered (nothing can be logged for them, docs/privacy.md)."""
    limit = limit or settings.EMOTIONCARE_SEARCH_LIMIT
    rows = (
        customer_list(user=user)
        .search(term)
        .filter(erased_at__isnull=True)
        .values("id", "name", "phone", "email", "external_ref", "archetype")[:limit]
    )
    return [
        {
            "id": row["id"],
            "name": row["name"],
            "phone": mask_phone(row["phone"]),
            "email": mask_email(row["email"]),
            "external_ref": row["external_ref"],
            "archetype": row["archetype"] or "",
        }
        for row in rows
    ]


def customer_timeline(*, customer: Customer, limit: int | None = None) -> list[Interaction]:
    """A customer's most recent contacts, oldest first, for the emotion timeline."""
    limit = limit or settings.EMOTIONCARE_TIMELINE_SIZE
    recent = list(
        Interaction.objects.filter(customer=customer)
        .select_related(
            "agent", "channel", "touchpoint", "emotion_start", "emotion_end", "response_template"
        )
        .order_by("-occurred_at", "-id")[:limit]
    )
    recent.reverse()
    return recent


def customer_follow_ups(*, customer: Customer) -> QuerySet[Interaction]:
    return (
        Interaction.objects.filter(customer=customer, follow_up_on__isnull=False)
        .select_related("agent")
        .order_by("-follow_up_on")[:10]
    )


def agent_search(*, user, term: str, limit: int | None = None) -> list[dict]:
    """Search-as-you-type for people who log interactions (agents, leads, admins)."""
    if not roles.has_role(user):
        return []
    limit = limit or settings.EMOTIONCARE_SEARCH_LIMIT
    # No name holds a NUL byte, and PostgreSQL refuses one in a query (a 500).
    term = (term or "").replace("\x00", "").strip()
    users = get_user_model().objects.filter(is_active=True, groups__name__in=roles.ROLES)
    if term:
        users = users.filter(
            Q(username__icontains=term)
            | Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
        )
    rows = (
        users.distinct()
        .order_by("username")
        .values("id", "username", "first_name", "last_name")[:limit]
    )
    return [{"id": r["id"], "name": display_name(r), "username": r["username"]} for r in rows]


def display_name(row: dict) -> str:
    from types import SimpleNamespace

    from .templatetags.emotioncare import person_name

    full = person_name(SimpleNamespace(**row))
    return f"{full} ({row['username']})" if full != row["username"] else row["username"]


def emotions_by_valence() -> list[tuple[str, str, list[Emotion]]]:
    """Active emotions grouped positive, neutral, negative (for the emotion chips)."""
    from .lookups import ACTIVE_EMOTIONS

    emotions = ACTIVE_EMOTIONS()
    groups = []
    for value, label in Valence.choices:
        members = [e for e in emotions if e.valence == value]
        if members:
            groups.append((value, label, members))
    return groups


def visible_templates(*, user) -> QuerySet[ResponseTemplate]:
    """The team's templates and the user's own personal ones, active or not: never
    another person's personal templates."""
    return templates_visible_to(user if user is not None and user.pk else None)


def templates_visible_to(owner) -> QuerySet[ResponseTemplate]:
    """The team's templates and `owner`'s (a user or their id; None: the team's only)."""
    return ResponseTemplate.objects.filter(Q(owner__isnull=True) | Q(owner=owner))


def templates_for(*, user) -> QuerySet[ResponseTemplate]:
    """The team's active templates and the user's own personal ones."""
    return visible_templates(user=user).active()


# --- Managing templates and the phrase guide --------------------------------------


def template_list(*, user) -> QuerySet[ResponseTemplate]:
    """The management list: the team's templates and the user's own personal ones, active
    or not (never another person's), with the suitability the list shows prefetched."""
    if not roles.has_role(user):
        return ResponseTemplate.objects.none()
    return (
        visible_templates(user=user)
        .prefetch_related("emotions", "channels")
        .order_by("title", "id")
    )


def template_detail(*, pk: int) -> ResponseTemplate | None:
    """One template, whoever owns it: the view asks roles.can_view_template (a 403 for
    another person's personal template) or roles.can_edit_template."""
    return (
        ResponseTemplate.objects.select_related("owner")
        .prefetch_related("emotions", "channels")
        .filter(pk=pk)
        .first()
    )


def template_categories(*, user) -> list[str]:
    """The categories in use among the templates a user sees (for the form's suggestions)."""
    if not roles.has_role(user):
        return []
    return list(
        visible_templates(user=user)
        .exclude(category="")
        .order_by("category")
        .values_list("category", flat=True)
        .distinct()
    )


def template_sample_values(*, user, language: str) -> dict[str, str]:
    """Sample placeholder values for a template preview, in the template's language."""
    from django.utils import formats, timezone, translation

    from .templatetags.emotioncare import person_name

    phone = Channel.objects.filter(code="phone").first()
    with translation.override(language):
        return {
            "customer_name": "홍길동" if language == "ko" else "Alex Kim",
            "agent_name": person_name(user),
            "channel": phone.name if phone else translation.gettext("Phone"),
            "today": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
        }


def phrase_rule_list(*, user) -> QuerySet[PhraseRule]:
    """The phrase guide, active rules and not, for everyone with a role to read."""
    if not roles.has_role(user):
        return PhraseRule.objects.none()
    return PhraseRule.objects.order_by("code", "language", "id")


def phrase_rule_detail(*, user, pk: int) -> PhraseRule | None:
    return phrase_rule_list(user=user).filter(pk=pk).first()


def template_usage(*, template_ids, since, until=None) -> dict[int, tuple[int, int]]:
    """Per template, in [since, until): its uses with a negative start and an end emotion,
    and how many of them were recoveries. One aggregate query, served by ix_template_time."""
    if not template_ids:
        return {}
    rows = Interaction.objects.filter(
        response_template_id__in=list(template_ids),
        occurred_at__gte=since,
        start_valence=Valence.NEGATIVE,
        recovered__isnull=False,
    )
    if until is not None:
        rows = rows.filter(occurred_at__lt=until)
    rows = (
        rows.values("response_template_id")
        .annotate(uses=Count("id"), recoveries=Count("id", filter=Q(recovered=True)))
        .order_by()
    )
    return {row["response_template_id"]: (row["uses"], row["recoveries"]) for row in rows}


def reviews_for(*, interaction: Interaction, user) -> list:
    """The skill reviews of an interaction the user may read: the agent's own, and all of
    them for leads and admins; nobody else's."""
    if not roles.can_see_reviews_of(user, interaction.agent):
        return []
    return list(interaction.skill_reviews.select_related("reviewer").order_by("-created_at"))


def reviews_of_agent(*, agent, limit: int = 20) -> list:
    """An agent's latest reviews, for their own page."""
    return list(
        SkillReview.objects.filter(agent=agent)
        .select_related("reviewer", "interaction__customer")
        .order_by("-created_at")[:limit]
    )


def history_for(obj, limit: int = 50):
    """Who created or changed this object, and what, newest first (django-auditlog)."""
    from auditlog.models import LogEntry

    return (
        LogEntry.objects.get_for_object(obj).select_related("actor").order_by("-timestamp")[:limit]
    )


VALENCE_Y = {Valence.POSITIVE: 20, Valence.NEUTRAL: 50, Valence.NEGATIVE: 80}


def timeline_chart(timeline: list[Interaction], width: int = 640) -> dict:
    """Coordinates for the customer page's SVG: one column per contact, oldest left,
    an arrow from the emotion at start to the emotion at end."""
    count = len(timeline)
    if not count:
        return {"points": [], "width": width, "path": ""}
    left, right = 70, 16
    step = (width - left - right) / max(count - 1, 1) if count > 1 else 0
    points = []
    for index, item in enumerate(timeline):
        x = round(left + index * step if count > 1 else (left + width - right) / 2, 1)
        end = item.emotion_end
        points.append(
            {
                "x": x,
                "y_start": VALENCE_Y[item.start_valence],
                "y_end": VALENCE_Y[item.end_valence] if end else None,
                "item": item,
                "recovered": item.recovered,
            }
        )
    path = " ".join(
        f"{p['x']},{p['y_end'] if p['y_end'] is not None else p['y_start']}" for p in points
    )
    return {"points": points, "width": width, "path": path}
