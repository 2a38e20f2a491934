"""Every write goes through here: pages, the API and commands call the same functions.

Each service validates the whole object (`full_clean`) before it saves, inside
one transaction, so bad input never leaves anything half written.
"""

from contextlib import nullcontext
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import roles, rollups
from .models import (
    Archetype,
    ArchetypeChange,
    BreakNudge,
    ComplaintStatus,
    Customer,
    Interaction,
    PhraseRule,
    Reflection,
    ResponseTemplate,
    Skill,
    SkillReview,
    Valence,
)
from .privacy import check_not_erased
from .rules import wellbeing
from .rules.phrases import Rule, rule_errors
from .rules.placeholders import placeholder_errors

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
    check_not_erased(customer)
    for field in CUSTOMER_CONTACT_FIELDS:
        if field in data:
            value = data[field]
            setattr(customer, field, value.strip() if isinstance(value, str) else value)
    moved = "archetype" in data and (data["archetype"] or None) != customer.archetype
    if moved:
        if not roles.can_set_archetype(user):
            raise PermissionDenied(ERR_ARCHETYPE_NOT_ALLOWED)
        customer_set_archetype(customer=customer, user=user, archetype=data["archetype"] or None)
    customer.full_clean()
    _save_customer(customer, archetype_changed=moved)
    return customer


def _save_customer(customer: Customer, *, archetype_changed: bool, **kwargs) -> None:
    """Save a customer; when their archetype changed, their interactions move between
    the dashboard's archetype rollups in the same transaction."""
    if not (archetype_changed and customer.pk):
        customer.save(**kwargs)
        return
    with rollups.track(
        Interaction.objects.filter(customer_id=customer.pk), rollups.ARCHETYPE_KINDS
    ):
        customer.save(**kwargs)


def customer_set_archetype(
    *, customer: Customer, user, archetype: str | None, note: str = ""
) -> Customer:
    """A person sets or confirms the archetype: it sticks until a person changes it.
    The change goes into the customer's archetype history; the caller saves."""
    if not roles.can_set_archetype(user):
        raise PermissionDenied(ERR_ARCHETYPE_NOT_ALLOWED)
    check_not_erased(customer)
    if archetype and archetype not in Archetype.values:
        raise ValidationError({"archetype": _("Unknown archetype.")})
    # The note comes straight from the request (no form): a NUL byte is refused here as
    # forms refuse it; PostgreSQL cannot store one (it was a server error).
    ProhibitNullCharactersValidator()(note)
    previous = customer.archetype
    customer.archetype = archetype
    customer.archetype_source = Customer.ArchetypeSource.MANUAL if archetype else ""
    customer.archetype_reason = note.strip()
    customer.archetype_set_by = user
    customer.archetype_set_at = timezone.now()
    if customer.pk:
        _write_change(
            ArchetypeChange(
                customer=customer,
                archetype=archetype,
                previous=previous,
                source=Customer.ArchetypeSource.MANUAL,
                reason=customer.archetype_reason,
                changed_by=user,
                changed_at=customer.archetype_set_at,
            )
        )
    return customer


def _write_change(change: ArchetypeChange) -> None:
    """Save one archetype change and count it in the board's counts per day."""
    with transaction.atomic():
        change.save()
        rollups.add_changes(ArchetypeChange.objects.filter(pk=change.pk))


@transaction.atomic
def customer_confirm_archetype(*, customer: Customer, user, note: str = "") -> Customer:
    """A lead confirms the system's suggestion: from then on it is a person's choice and
    sticks."""
    if not customer.suggested_archetype:
        raise ValidationError(_("There is no suggestion to confirm for this customer yet."))
    previous = customer.archetype
    customer_set_archetype(
        customer=customer, user=user, archetype=customer.suggested_archetype, note=note
    )
    _save_customer(customer, archetype_changed=customer.archetype != previous)
    return customer


@transaction.atomic
def customer_override_archetype(
    *, customer: Customer, user, archetype: str | None, note: str = ""
) -> Customer:
    previous = customer.archetype
    customer_set_archetype(customer=customer, user=user, archetype=archetype, note=note)
    customer.full_clean()
    _save_customer(customer, archetype_changed=customer.archetype != previous)
    return customer


@transaction.atomic
def customer_release_archetype(*, customer: Customer, user) -> Customer:
    """Hand the archetype back to the system: it follows the suggestion again."""
    if not roles.can_set_archetype(user):
        raise PermissionDenied(ERR_ARCHETYPE_NOT_ALLOWED)
    check_not_erased(customer)
    previous = customer.archetype
    now = timezone.now()
    customer.archetype = customer.suggested_archetype
    customer.archetype_source = (
        Customer.ArchetypeSource.SUGGESTED if customer.suggested_archetype else ""
    )
    customer.archetype_reason = ""
    customer.archetype_set_by, customer.archetype_set_at = user, now
    _write_change(
        ArchetypeChange(
            customer=customer,
            archetype=customer.archetype,
            previous=previous,
            source=Customer.ArchetypeSource.SUGGESTED,
            basis=customer.archetype_basis,
            changed_by=user,
            changed_at=now,
        )
    )
    _save_customer(customer, archetype_changed=customer.archetype != previous)
    return customer


ARCHETYPE_FIELDS = (
    "archetype",
    "archetype_source",
    "archetype_reason",
    "archetype_set_by",
    "archetype_set_at",
    "suggested_archetype",
    "archetype_basis",
    "last_contact_at",
    "updated_at",
)


def _apply_suggestion(customer: Customer, suggestion, now) -> ArchetypeChange | None:
    """Store the suggestion on the customer (in memory); when the archetype follows the
    system (not set by a person) and changes, return the history row to write."""
    customer.suggested_archetype = suggestion.archetype
    customer.archetype_basis = suggestion.as_basis()
    if customer.archetype_source == Customer.ArchetypeSource.MANUAL:
        return None  # a person's choice sticks
    if customer.archetype == suggestion.archetype:
        return None
    change = ArchetypeChange(
        customer=customer,
        archetype=suggestion.archetype,
        previous=customer.archetype,
        source=Customer.ArchetypeSource.SUGGESTED,
        basis=customer.archetype_basis,
        changed_at=now,
    )
    customer.archetype = suggestion.archetype
    customer.archetype_source = Customer.ArchetypeSource.SUGGESTED if suggestion.archetype else ""
    customer.archetype_reason = ""
    customer.archetype_set_by, customer.archetype_set_at = None, now
    return change


@transaction.atomic
def customer_recompute_archetype(*, customer: Customer, now=None) -> Customer:
    """Re-read the customer's history and store what the archetype rules make of it.
    Called explicitly when an interaction is saved (no signals)."""
    from . import archetypes
    from .rules.archetypes import suggest_archetype

    now = now or timezone.now()
    contacts = archetypes.history_for(customer.pk)
    suggestion = suggest_archetype(contacts, now=now, thresholds=archetypes.thresholds())
    change = _apply_suggestion(customer, suggestion, now)
    customer.last_contact_at = contacts[-1].occurred_at if contacts else None
    customer.updated_at = now
    _save_customer(customer, archetype_changed=change is not None, update_fields=ARCHETYPE_FIELDS)
    if change:
        _write_change(change)
    return customer


def bulk_write(model, objects, fields, batch_size: int = 1000) -> None:
    """Write `fields` of many rows in one UPDATE ... FROM (VALUES ...) per batch.

    Django's bulk_update builds a CASE per field and row, which PostgreSQL takes seconds
    to plan for a few thousand rows; this is one join against a list of values. Works on
    PostgreSQL and SQLite (3.33+); values go through each field's own conversion."""
    if not objects:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    pk = meta.pk
    columns = [pk] + [meta.get_field(name) for name in fields]
    on_postgres = connection.vendor == "postgresql"
    cast = [f"%s::{column.db_type(connection)}" if on_postgres else "%s" for column in columns]
    row_sql = "(" + ", ".join(cast) + ")"
    names = ", ".join(quote(column.column) for column in columns)
    assignments = ", ".join(
        f"{quote(column.column)} = v.{quote(column.column)}" for column in columns[1:]
    )
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch_size):
            chunk = objects[start : start + batch_size]
            params = []
            for obj in chunk:
                params.extend(
                    column.get_db_prep_save(getattr(obj, column.attname), connection)
                    for column in columns
                )
            cursor.execute(
                f"WITH v ({names}) AS (VALUES {', '.join([row_sql] * len(chunk))}) "
                f"UPDATE {table} SET {assignments} FROM v "
                f"WHERE {table}.{quote(pk.column)} = v.{quote(pk.column)}",
                params,
            )


def recompute_archetypes(
    *, now=None, batch_size: int = 2000, progress=None, customer_ids=None, track=True
) -> dict:
    """Recompute every customer's suggestion in one pass over the interactions, written in
    batches (bulk_update, bulk_create), each batch in its own transaction. Returns counts,
    and the agreement with `demo_profile` for demo customers. With `customer_ids`, only
    those customers (read `batch_size` customers at a time; e.g. after an import).
    The interactions of customers whose archetype changes move between the dashboard's
    archetype rollups, unless `track` is off (the caller rebuilds the rollups after)."""
    from . import archetypes
    from .rules.archetypes import suggest_archetype

    now = now or timezone.now()
    limits = archetypes.thresholds()
    stats = {"customers": 0, "changed": 0, "by_archetype": {}, "demo": 0, "agree": 0}
    pending: list[tuple[int, object, object]] = []

    def flush():
        if not pending:
            return
        ids = [pk for pk, _suggestion, _last in pending]
        customers = Customer.objects.in_bulk(ids)
        changes, updated = [], []
        for pk, suggestion, last_contact_at in pending:
            customer = customers.get(pk)
            if customer is None:
                continue
            change = _apply_suggestion(customer, suggestion, now)
            customer.last_contact_at = last_contact_at
            customer.updated_at = now
            updated.append(customer)
            if change:
                changes.append(change)
            if customer.demo_profile:
                stats["demo"] += 1
                stats["agree"] += suggestion.archetype == customer.demo_profile
        moved = [change.customer_id for change in changes]
        with transaction.atomic():
            with (
                rollups.track(
                    Interaction.objects.filter(customer_id__in=moved), rollups.ARCHETYPE_KINDS
                )
                if track and moved
                else nullcontext()
            ):
                bulk_write(Customer, updated, ARCHETYPE_FIELDS)
            written = ArchetypeChange.objects.bulk_create(changes, batch_size=batch_size)
            if track and written:
                rollups.add_changes(
                    ArchetypeChange.objects.filter(pk__in=[change.pk for change in written])
                )
        stats["changed"] += len(changes)
        pending.clear()
        if progress:
            progress(stats)

    if customer_ids is None:
        sources = [archetypes.histories()]
    else:
        ids = sorted(set(customer_ids))
        sources = (
            archetypes.histories(
                Interaction.objects.filter(customer_id__in=ids[i : i + batch_size])
            )
            for i in range(0, len(ids), batch_size)
        )
    for customer_id, contacts in (item for source in sources for item in source):
        suggestion = suggest_archetype(contacts, now=now, thresholds=limits)
        pending.append((customer_id, suggestion, contacts[-1].occurred_at))
        stats["customers"] += 1
        key = suggestion.archetype or suggestion.reason
        stats["by_archetype"][key] = stats["by_archetype"].get(key, 0) + 1
        if len(pending) >= batch_size:
            flush()
    flush()
    return stats


@transaction.atomic
def interaction_create(*, agent, data: dict[str, Any]) -> Interaction:
    """Log one interaction for `agent`. `data` holds model field values (objects, not ids)."""
    check_not_erased(data.get("customer"), for_logging=True)
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
    rollups.add_one(interaction.pk)
    customer_recompute_archetype(customer=interaction.customer)
    return interaction


@transaction.atomic
def interaction_update(*, interaction: Interaction, user, data: dict[str, Any]) -> Interaction:
    """Correct an interaction; agents only their own (PermissionDenied otherwise)."""
    if not roles.can_change_interaction(user, interaction):
        raise PermissionDenied(ERR_NOT_YOUR_INTERACTION)
    previous_status = interaction.complaint_status
    previous_customer_id = interaction.customer_id
    if "customer" in data and getattr(data["customer"], "pk", None) != previous_customer_id:
        check_not_erased(data["customer"], for_logging=True)
    for field in INTERACTION_FIELDS:
        if field in data:
            value = data[field]
            if field == "cues":
                value = list(dict.fromkeys(value or []))
            setattr(interaction, field, value)
    _normalise_complaint(interaction, previous_status=previous_status)
    _record_phrase_warnings(interaction)
    interaction.full_clean()
    with rollups.track(Interaction.objects.filter(pk=interaction.pk)):
        interaction.save()
    customer_recompute_archetype(customer=interaction.customer)
    if previous_customer_id != interaction.customer_id:  # moved: the old one changes too
        previous = Customer.objects.filter(pk=previous_customer_id).first()
        if previous:
            customer_recompute_archetype(customer=previous)
    return interaction


@transaction.atomic
def interaction_log(
    *, agent, data: dict[str, Any], new_customer: dict[str, Any] | None = None
) -> Interaction:
    """The log form's save: create the customer inline when needed, then the interaction,
    in one transaction (a failure in either leaves nothing behind)."""
    if new_customer:
        data = {**data, "customer": customer_create(created_by=agent, **new_customer)}
    interaction = interaction_create(agent=agent, data=data)
    if wellbeing.is_negative(interaction.start_valence, interaction.end_valence):
        nudge_check(agent=agent)  # only a negative one can complete a run
    return interaction


# --- Looking after agents: break nudges, reflections, praise ---------------------

ERR_NUDGE_NOT_YOURS = _("This break suggestion was made for someone else.")
ERR_NUDGE_ANSWERED = _("This break suggestion has already been answered.")
ERR_REFLECTION_NOT_TODAY = _(
    "Only today's reflection can be written or changed; earlier days stay as they were written."
)
ERR_REFLECTION_EMPTY = _("Write what went well, what could improve, or both.")
ERR_PRAISE_NOT_ALLOWED = _("You can only mark praise on interactions you logged yourself.")
ERR_PRAISE_NEEDS_POSITIVE = _(
    "Only an interaction that ended with a positive emotion can be marked as praise."
)
PRAISE_FIELDS = ("praised_at", "praised_by", "praise_note")


@transaction.atomic
def nudge_check(*, agent, now=None) -> BreakNudge | None:
    """Offer the agent a short break when their recent interactions make a run of
    negatives (rules/wellbeing.py); return the new nudge, or None.

    Two small indexed queries: the agent's last nudge (ix_nudge_agent_time) and the
    valences of their interactions inside the window (ix_agent_time)."""
    from .guidance import PRACTICE_CODES

    now = now or timezone.now()
    window = timedelta(minutes=settings.EMOTIONCARE_NUDGE_WINDOW_MINUTES)
    last = (
        BreakNudge.objects.filter(agent=agent)
        .order_by("-created_at", "-id")
        .values("created_at", "practice")
        .first()
    )
    last_at = last["created_at"] if last else None
    since = max(now - window, last_at) if last_at else now - window
    recent = Interaction.objects.filter(
        agent=agent, occurred_at__gt=since, occurred_at__lte=now
    ).values_list("occurred_at", "start_valence", "end_valence")
    negative_times = [moment for moment, start, end in recent if wellbeing.is_negative(start, end)]
    rule = {"now": now, "window": window, "last_nudge_at": last_at}
    if not wellbeing.should_nudge(
        negative_times, threshold=settings.EMOTIONCARE_NUDGE_THRESHOLD, **rule
    ):
        return None
    nudge = BreakNudge(
        agent=agent,
        created_at=now,
        negative_count=len(wellbeing.counted_negatives(negative_times, **rule)),
        practice=wellbeing.next_practice(PRACTICE_CODES, last["practice"] if last else None),
    )
    nudge.full_clean()
    nudge.save()
    return nudge


@transaction.atomic
def nudge_respond(*, nudge: BreakNudge, user, taken: bool) -> BreakNudge:
    """The agent takes the break or says "not now"; only their own, only once.

    Answering again with the same answer (a double click) changes nothing."""
    if nudge.agent_id != getattr(user, "pk", None):
        raise PermissionDenied(ERR_NUDGE_NOT_YOURS)
    status = BreakNudge.Status.TAKEN if taken else BreakNudge.Status.DISMISSED
    now = timezone.now()
    # A conditional update: of two answers sent at once, only the first one counts.
    answered = BreakNudge.objects.filter(pk=nudge.pk, status=BreakNudge.Status.OFFERED).update(
        status=status, responded_at=now
    )
    nudge.refresh_from_db(fields=["status", "responded_at"])
    if not answered and nudge.status != status:
        raise ValidationError(ERR_NUDGE_ANSWERED, code="answered")
    return nudge


@transaction.atomic
def reflection_save(*, agent, day: date, went_well: str, to_improve: str) -> Reflection:
    """Write or change the agent's reflection for `day`, which must be today (local)."""
    if day != timezone.localdate():
        raise ValidationError({"day": ERR_REFLECTION_NOT_TODAY}, code="not_today")
    went_well, to_improve = (went_well or "").strip(), (to_improve or "").strip()
    if not went_well and not to_improve:
        raise ValidationError(ERR_REFLECTION_EMPTY, code="empty")
    reflection = Reflection.objects.select_for_update().filter(agent=agent, day=day).first()
    if reflection is None:
        reflection = Reflection(agent=agent, day=day)
    reflection.went_well, reflection.to_improve = went_well, to_improve
    reflection.full_clean()
    reflection.save()
    return reflection


def _praise_check(interaction: Interaction, user) -> None:
    if not roles.can_change_interaction(user, interaction):
        raise PermissionDenied(ERR_PRAISE_NOT_ALLOWED)


def _praise_save(interaction: Interaction) -> Interaction:
    # Validate what praise touches (and the constraint tying it to the end emotion), not
    # every column of a row that may have been logged long ago.
    keep = {*PRAISE_FIELDS, "end_valence"}
    interaction.full_clean(exclude=[f.name for f in Interaction._meta.fields if f.name not in keep])
    interaction.save(update_fields=[*PRAISE_FIELDS, "updated_at"])
    return interaction


@transaction.atomic
def praise_mark(*, interaction: Interaction, user, note: str = "") -> Interaction:
    """Mark a positive ending as praise for the agent (seed 004: hold on to positive
    feedback). The interaction's agent and leads and admins may; the note is optional."""
    _praise_check(interaction, user)
    if interaction.end_valence != Valence.POSITIVE:
        raise ValidationError(ERR_PRAISE_NEEDS_POSITIVE, code="not_positive")
    interaction.praised_at = timezone.now()
    interaction.praised_by = user
    interaction.praise_note = (note or "").strip()
    return _praise_save(interaction)


@transaction.atomic
def praise_clear(*, interaction: Interaction, user) -> Interaction:
    _praise_check(interaction, user)
    if interaction.praised_at is None:
        return interaction
    interaction.clear_praise()
    return _praise_save(interaction)


# --- Response templates and the phrase guide --------------------------------------

ERR_TEAM_TEMPLATES_ADMIN_ONLY = _("Only admins can create or change the team's templates.")
ERR_NOT_YOUR_TEMPLATE = _("You can only change your own personal templates.")
ERR_TEMPLATE_NOT_DELETABLE = _(
    "Only the owner can delete a personal template. Team templates are deactivated instead."
)
ERR_PHRASE_RULES_ADMIN_ONLY = _("Only admins can change the phrase guide.")
ERR_PHRASE_RULE_TAKEN = _("There is already a rule with this code in this language.")
ERR_UNKNOWN_CHOICE = _("Unknown value: %(values)s.")

TEMPLATE_FIELDS = ("title", "text", "language", "category", "valences", "archetypes", "is_active")
TEMPLATE_M2M_FIELDS = ("emotions", "channels")
TEMPLATE_CODES = {"valences": Valence.values, "archetypes": Archetype.values}
PHRASE_RULE_FIELDS = (
    "code",
    "language",
    "phrase",
    "variants",
    "reason",
    "alternative",
    "is_active",
)


def _template_owner(user, personal: bool):
    """Who owns a template being created or moved: the user (personal) or nobody (team)."""
    if personal:
        if not roles.can_create_personal_template(user):
            raise PermissionDenied(ERR_NOT_YOUR_TEMPLATE)
        return user
    if not roles.can_manage_team_templates(user):
        raise PermissionDenied(ERR_TEAM_TEMPLATES_ADMIN_ONLY)
    return None


def _template_save(template: ResponseTemplate, data: dict[str, Any]) -> ResponseTemplate:
    for field in TEMPLATE_FIELDS:
        if field in data:
            value = data[field]
            if field in TEMPLATE_CODES:
                value = list(dict.fromkeys(value or []))
            elif isinstance(value, str) and field != "text":
                value = value.strip()
            setattr(template, field, value)
    errors: dict = {}
    try:
        template.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    for field, known in TEMPLATE_CODES.items():
        unknown = [code for code in getattr(template, field) if code not in known]
        if unknown:
            message = ERR_UNKNOWN_CHOICE % {"values": ", ".join(map(str, unknown))}
            errors.setdefault(field, []).append(ValidationError(message, code="invalid_choice"))
    for message in placeholder_errors(template.text):
        errors.setdefault("text", []).append(ValidationError(message, code="placeholder"))
    if errors:
        raise ValidationError(errors)
    template.save()
    for field in TEMPLATE_M2M_FIELDS:
        if field in data:
            getattr(template, field).set(data[field] or [])
    return template


@transaction.atomic
def template_create(*, user, data: dict[str, Any], personal: bool = False) -> ResponseTemplate:
    """A new team template (admins) or a personal one of `user` (any role).
    `data` holds field values: objects for emotions and channels, codes for the rest."""
    template = ResponseTemplate(owner=_template_owner(user, personal))
    return _template_save(template, data)


@transaction.atomic
def template_update(
    *, template: ResponseTemplate, user, data: dict[str, Any], personal: bool | None = None
) -> ResponseTemplate:
    """Change a template the user may edit; `personal` (if given) moves it between the
    team's and the user's own."""
    if not roles.can_edit_template(user, template):
        raise PermissionDenied(
            ERR_TEAM_TEMPLATES_ADMIN_ONLY if template.owner_id is None else ERR_NOT_YOUR_TEMPLATE
        )
    if personal is not None and personal != (template.owner_id is not None):
        template.owner = _template_owner(user, personal)
    return _template_save(template, data)


@transaction.atomic
def template_set_active(*, template: ResponseTemplate, user, is_active: bool) -> ResponseTemplate:
    """Deactivate (hidden from the log form, kept for history) or reactivate."""
    if not roles.can_edit_template(user, template):
        raise PermissionDenied(
            ERR_TEAM_TEMPLATES_ADMIN_ONLY if template.owner_id is None else ERR_NOT_YOUR_TEMPLATE
        )
    if template.is_active != is_active:
        template.is_active = is_active
        template.save(update_fields=["is_active", "updated_at"])
    return template


@transaction.atomic
def template_delete(*, template: ResponseTemplate, user) -> None:
    """Delete a personal template (its owner only). Interactions that used it keep their
    response text; their link to the template is cleared."""
    if not roles.can_delete_template(user, template):
        raise PermissionDenied(ERR_TEMPLATE_NOT_DELETABLE)
    template.delete()


def _phrase_rule_save(rule: PhraseRule, data: dict[str, Any]) -> PhraseRule:
    for field in PHRASE_RULE_FIELDS:
        if field in data:
            value = data[field]
            if field == "variants":
                lines = (line.strip() for line in (value or "").splitlines())
                value = "\n".join(line for line in lines if line)
            elif isinstance(value, str) and field not in ("reason", "alternative"):
                value = value.strip()
            setattr(rule, field, value)
    errors: dict = {}
    try:
        rule.full_clean(validate_constraints=False)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    taken = PhraseRule.objects.filter(code=rule.code, language=rule.language).exclude(pk=rule.pk)
    if "code" not in errors and "language" not in errors and taken.exists():
        errors.setdefault("code", []).append(ValidationError(ERR_PHRASE_RULE_TAKEN, code="unique"))
    if "phrase" not in errors and "variants" not in errors:
        for message in rule_errors(Rule.from_object(rule)):
            errors.setdefault(NON_FIELD_ERRORS, []).append(ValidationError(message, code="rule"))
    if errors:
        raise ValidationError(errors)
    rule.save()
    return rule


def _phrase_rule_check(user) -> None:
    if not roles.can_manage_phrase_rules(user):
        raise PermissionDenied(ERR_PHRASE_RULES_ADMIN_ONLY)


@transaction.atomic
def phrase_rule_create(*, user, data: dict[str, Any]) -> PhraseRule:
    """A new rule of the phrase guide (admins). The phrase and every variant line must
    compile (rules/phrases.py `rule_errors`); the code is unique per language."""
    _phrase_rule_check(user)
    return _phrase_rule_save(PhraseRule(), data)


@transaction.atomic
def phrase_rule_update(*, rule: PhraseRule, user, data: dict[str, Any]) -> PhraseRule:
    _phrase_rule_check(user)
    return _phrase_rule_save(rule, data)


@transaction.atomic
def phrase_rule_set_active(*, rule: PhraseRule, user, is_active: bool) -> PhraseRule:
    _phrase_rule_check(user)
    if rule.is_active != is_active:
        rule.is_active = is_active
        rule.save(update_fields=["is_active", "updated_at"])
    return rule


# --- Skill reviews ------------------------------------------------------------------

ERR_REVIEW_NOT_ALLOWED = _("Only team leads and admins review interactions.")
ERR_REVIEW_EMPTY = _("Score at least one skill or write a comment.")


@transaction.atomic
def skill_review_save(*, interaction: Interaction, reviewer, data: dict[str, Any]) -> SkillReview:
    """A lead's review of one interaction (one per reviewer; saving again updates it)."""
    if not roles.can_review(reviewer):
        raise PermissionDenied(ERR_REVIEW_NOT_ALLOWED)
    review = SkillReview.objects.filter(interaction=interaction, reviewer=reviewer).first()
    review = review or SkillReview(interaction=interaction, reviewer=reviewer)
    for skill in Skill.values:
        if skill in data:
            setattr(review, skill, data[skill])
    if "comment" in data:
        review.comment = (data["comment"] or "").strip()
    if all(getattr(review, skill) is None for skill in Skill.values) and not review.comment:
        raise ValidationError(ERR_REVIEW_EMPTY)
    review.agent_id = interaction.agent_id
    review.full_clean()
    review.save()
    return review
