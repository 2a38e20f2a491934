"""``/api/v1/stats/summary/``: the team's headline numbers, computed by the database
with the dashboard's definitions (predicates.py, dashboard.rate), in two queries."""

from django.db.models import Count, Q

from .. import dashboard, predicates
from ..models import Archetype, Customer, Interaction, Valence


def summary(*, since=None, until=None) -> dict:
    """Interactions in [since, until) (either end open): how many, by the valence at
    start, and the recovery rate (recovered / negative starts with an end emotion; null
    below EMOTIONCARE_DASHBOARD_MIN_SAMPLE). Customers per archetype are counted as they
    are now, whatever the period, as on the dashboard's archetype board."""
    interactions = Interaction.objects.order_by()
    if since is not None:
        interactions = interactions.filter(occurred_at__gte=since)
    if until is not None:
        interactions = interactions.filter(occurred_at__lt=until)
    counts = interactions.aggregate(
        total=Count("id"),
        **{value: Count("id", filter=Q(start_valence=value)) for value in Valence.values},
        attempts=Count("id", filter=predicates.recovery_attempt_q()),
        recovered=Count("id", filter=Q(recovered=True)),
    )
    per_archetype = dict(
        Customer.objects.filter(archetype__isnull=False)
        .values_list("archetype")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "total": counts["total"],
        "by_valence": {value: counts[value] for value in Valence.values},
        "recovery_rate": dashboard.rate(counts["recovered"], counts["attempts"]),
        "by_archetype": {code: per_archetype.get(code, 0) for code in Archetype.values},
    }
