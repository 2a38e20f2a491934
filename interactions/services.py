"""Every write goes through here: pages, the API and commands call the same functions.

Each service validates the whole object (`full_clean`) before it saves, inside
one transaction, so bad input never leaves anything half written.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import roles
from .models import ComplaintStatus, Customer, Interaction

ERR_NOT_YOUR_INTERACTION = _("You can only change interactions you logged yourself.")
ERR_ARCHETYPE_NOT_ALLOWED = _("Only team leads and admins can set a customer's archetype.")

CUSTOMER_CONTACT_FIELDS = ("name", "phone", "email", "external_ref", "notes")
INTERACTION_FIELDS = (
    "customer",
    "occurred_at",
    "channel",
    "touchpoint",
    "emotion_start",
    "emotion_end",
    "intensity",
    "cues",
    "summary",
    "is_complaint",
    "complaint_status",
    "response_template",
    "response_text",
    "outcome",
    "follow_up_on",
)


def _normalise_complaint(interaction: Interaction, previous_status: str | None) -> None:
    """Complaint status only on complaints; resolved_at follows the status."""
    if not interaction.is_complaint:
        interaction.complaint_status = ""
        interaction.resolved_at = None
        return
    if not interaction.complaint_status:
        interaction.complaint_status = ComplaintStatus.OPEN
    if interaction.complaint_status == ComplaintStatus.RESOLVED:
        if previous_status != ComplaintStatus.RESOLVED or interaction.resolved_at is None:
            interaction.resolved_at = timezone.now()
    else:
        interaction.resolved_at = None


def _record_phrase_warnings(interaction: Interaction) -> None:
    """Check the response against the phrase guide on save: warn, never block."""
    from .phrase_guide import check_text, hits_for_storage

    interaction.phrase_warnings = hits_for_storage(check_text(interaction.response_text))


@transaction.atomic
def customer_create(
    *,
    created_by,
    name: str,
    phone: str = "",
    email: str = "",
    external_ref: str = "",
    notes: str = "",
) -> Customer:
    customer = Customer(
        name=name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        external_ref=external_ref.strip(),
        notes=notes,
        created_by=created_by,
    )
    customer.full_clean()
    customer.save()
    return customer


@transaction.atomic
def customer_update(*, customer: Customer, user, data: dict[str, Any]) -> Customer:
    """Contact details and notes for every role; the archetype for leads and admins only."""
    for field in CUSTOMER_CONTACT_FIELDS:
        if field in data:
            value = data[field]
            setattr(customer, field, value.strip() if isinstance(value, str) else value)
    if "archetype" in data and (data["archetype"] or None) != customer.archetype:
        if not roles.can_set_archetype(user):
            raise PermissionDenied(ERR_ARCHETYPE_NOT_ALLOWED)
        customer_set_archetype(customer=customer, user=user, archetype=data["archetype"] or None)
    customer.full_clean()
    customer.save()
    return customer


def customer_set_archetype(*, customer: Customer, user, archetype: str | None) -> Customer:
    """A person sets or confirms the archetype: it sticks until a person changes it."""
    if not roles.can_set_archetype(user):
        raise PermissionDenied(ERR_ARCHETYPE_NOT_ALLOWED)
    customer.archetype = archetype
    customer.archetype_source = Customer.ArchetypeSource.MANUAL if archetype else ""
    customer.archetype_reason = ""
    customer.archetype_set_by = user
    customer.archetype_set_at = timezone.now()
    return customer


@transaction.atomic
def interaction_create(*, agent, data: dict[str, Any]) -> Interaction:
    """Log one interaction for `agent`. `data` holds model field values (objects, not ids)."""
    interaction = Interaction(agent=agent)
    cues = data.get("cues") or []
    for field in INTERACTION_FIELDS:
        if field in data and field != "cues":
            setattr(interaction, field, data[field])
    interaction.cues = list(dict.fromkeys(cues))
    _normalise_complaint(interaction, previous_status=None)
    _record_phrase_warnings(interaction)
    interaction.full_clean()
    interaction.save()
    return interaction


@transaction.atomic
def interaction_update(*, interaction: Interaction, user, data: dict[str, Any]) -> Interaction:
    """Correct an interaction; agents only their own (PermissionDenied otherwise)."""
    if not roles.can_change_interaction(user, interaction):
        raise PermissionDenied(ERR_NOT_YOUR_INTERACTION)
    previous_status = interaction.complaint_status
    for field in INTERACTION_FIELDS:
        if field in data:
            value = data[field]
            if field == "cues":
                value = list(dict.fromkeys(value or []))
            setattr(interaction, field, value)
    _normalise_complaint(interaction, previous_status=previous_status)
    _record_phrase_warnings(interaction)
    interaction.full_clean()
    interaction.save()
    return interaction


@transaction.atomic
def interaction_log(
    *, agent, data: dict[str, Any], new_customer: dict[str, Any] | None = None
) -> Interaction:
    """The log form's save: create the customer inline when needed, then the interaction,
    in one transaction (a failure in either leaves nothing behind)."""
    if new_customer:
        data = {**data, "customer": customer_create(created_by=agent, **new_customer)}
    return interaction_create(agent=agent, data=data)
