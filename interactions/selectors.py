"""Every read the pages, API and commands share: querysets with their joins applied."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from . import roles
from .masking import mask_email, mask_phone
from .models import Customer, Emotion, Interaction, ResponseTemplate, Valence


def interaction_list(*, user) -> QuerySet[Interaction]:
    """Every interaction a user may read (all of them, for any role), newest first,
    with the relations the list shows already joined."""
    if not roles.has_role(user):
        return Interaction.objects.none()
    return Interaction.objects.with_relations().order_by("-occurred_at", "-id")


def interaction_detail(*, user, pk: int) -> Interaction | None:
    return interaction_list(user=user).filter(pk=pk).first()


def customer_list(*, user) -> QuerySet[Customer]:
    if not roles.has_role(user):
        return Customer.objects.none()
    return Customer.objects.order_by("name", "id")


def customer_search(*, user, term: str, limit: int | None = None) -> list[dict]:
    """Search-as-you-type: a few matches, contact details masked."""
    limit = limit or settings.EMOTIONCARE_SEARCH_LIMIT
    rows = (
        customer_list(user=user)
        .search(term)
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
    term = (term or "").strip()
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
    emotions = list(Emotion.objects.active())
    groups = []
    for value, label in Valence.choices:
        members = [e for e in emotions if e.valence == value]
        if members:
            groups.append((value, label, members))
    return groups


def templates_for(*, user) -> QuerySet[ResponseTemplate]:
    """The team's active templates and the user's own personal ones."""
    return ResponseTemplate.objects.active().filter(Q(owner__isnull=True) | Q(owner=user))


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
