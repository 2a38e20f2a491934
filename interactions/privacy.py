"""Privacy: a customer's data export, erasure, and the retention purge (docs/privacy.md).

Pure functions first (what erasure keeps of a value), then the reads and the writes.
Pages (privacy_views.py) and the ``purge_personal_data`` command call these; nothing
here needs a request except to record it in the access log.

Erasure (``customer_erase``) is one transaction, all or nothing:
- the customer: name -> "Erased customer #<id>" (in the language of whoever erases, the
  default language from the command), phone, e-mail, external reference, notes and the
  archetype note cleared, ``erased_at`` set; the archetype itself and the numbers behind
  its suggestion stay (they are about contact patterns, not the person);
- the customer's interactions stay for statistics (emotions, channel, times, outcome,
  recovery all unchanged) with their free text cleared: summary, response given, praise
  note; the phrase-guide hits keep only the rule (rule_id, code, language);
- the reasons typed for the customer's archetype changes are cleared;
- the audit copies (django-auditlog entries of the customer and of its interactions): the
  personal values in their changes become "[erased]", their object names the placeholder;
- the access log: ``object_repr`` of the customer's entries becomes the placeholder;
- stored API responses of idempotency keys that name the customer are redacted the same way;
- one access-log entry ``erase_customer`` records who did it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from axes import models as axes_models
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .access import Action, record_access
from .models import (
    AccessLog,
    ArchetypeChange,
    Customer,
    IdempotencyKey,
    Interaction,
)

ERASED_VALUE = "[erased]"
ERR_ALREADY_ERASED = _("This customer's personal data has already been erased.")
ERR_CUSTOMER_ERASED = _(
    "This customer's personal data was erased; the record can no longer be changed."
)
ERR_LOG_FOR_ERASED = _(
    "This customer's personal data was erased. Log the contact under a new customer."
)
ERR_CONFIRM_ERASE = _("Tick the box to confirm that this cannot be undone.")

# What erasure clears, per model; the audit copies of the same fields are redacted.
CUSTOMER_PERSONAL_FIELDS = ("name", "phone", "email", "external_ref", "notes", "archetype_reason")
INTERACTION_PERSONAL_FIELDS = ("summary", "response_text", "praise_note", "phrase_warnings")
# What an erased interaction keeps of each phrase-guide hit: the rule, not the text.
PHRASE_WARNING_KEPT_KEYS = ("rule_id", "code", "language")
# Keys of stored API responses (idempotency keys) that hold personal data.
RESPONSE_PERSONAL_KEYS = frozenset(
    {"phone", "email", "external_ref", "notes", "archetype_reason", "summary", "response_text"}
    | {"praise_note"}
)


# --- Pure functions -----------------------------------------------------------------


def erased_name(customer_id: int) -> str:
    """The neutral name an erased customer keeps, in the active language."""
    return gettext("Erased customer #%(id)s") % {"id": customer_id}


def redact_phrase_warnings(warnings) -> list[dict]:
    """Only the rule of each hit (counts by rule stay right); offsets and text go."""
    if not isinstance(warnings, list):
        return []
    return [
        {key: hit[key] for key in PHRASE_WARNING_KEPT_KEYS if key in hit}
        for hit in warnings
        if isinstance(hit, dict)
    ]


def _redacted(value, keep: str):
    return value if value in (None, "", "None", "[]", keep) else ERASED_VALUE


def redact_changes(changes, fields, keep: str = "") -> dict:
    """An auditlog ``changes`` dict with the values of ``fields`` replaced by "[erased]"
    (empty values, and ``keep`` (the placeholder name), stay, so the trail still shows
    that a field was set, cleared or erased)."""
    if not isinstance(changes, dict):
        return {}
    redacted = {}
    for name, change in changes.items():
        if name in fields and isinstance(change, list | tuple):
            redacted[name] = [_redacted(value, keep) for value in change]
        elif name in fields and isinstance(change, dict):
            redacted[name] = {**change, "objects": [ERASED_VALUE]}
        else:
            redacted[name] = change
    return redacted


def redact_response(body, placeholder: str):
    """A stored API response with the personal values replaced (names by the placeholder)."""
    if isinstance(body, list):
        return [redact_response(item, placeholder) for item in body]
    if not isinstance(body, dict):
        return body
    redacted = {}
    for key, value in body.items():
        if key in RESPONSE_PERSONAL_KEYS and isinstance(value, str) and value:
            redacted[key] = ""
        elif key == "name" and isinstance(value, str) and ("phone" in body or "email" in body):
            redacted[key] = placeholder  # a customer object (templates have a title)
        elif key == "phrase_warnings":
            redacted[key] = redact_phrase_warnings(value)
        else:
            redacted[key] = redact_response(value, placeholder)
    return redacted


def _local_iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


# --- Reads --------------------------------------------------------------------------

EXPORT_FORMAT = "emotioncare-customer-export"
EXPORT_VERSION = 1
EXPORT_INTERACTION_FIELDS = (
    "id",
    "occurred_at",
    "agent__username",
    "channel__code",
    "touchpoint__code",
    "emotion_start__code",
    "emotion_end__code",
    "start_valence",
    "end_valence",
    "recovered",
    "intensity",
    "cues",
    "summary",
    "is_complaint",
    "complaint_status",
    "resolved_at",
    "response_template_id",
    "response_template__title",
    "response_text",
    "phrase_warnings",
    "outcome",
    "follow_up_on",
    "praised_at",
    "praise_note",
    "created_at",
)
# The export's own names for the looked-up columns.
EXPORT_RENAME = {
    "agent__username": "agent",
    "channel__code": "channel",
    "touchpoint__code": "touchpoint",
    "emotion_start__code": "emotion_start",
    "emotion_end__code": "emotion_end",
    "response_template_id": "response_template",
    "response_template__title": "response_template_title",
}


def customer_export_data(*, customer: Customer, user=None) -> dict[str, Any]:
    """Everything EmotionCare holds about one customer, for a subject access request:
    the customer record, every interaction with them and the archetype history. Three
    queries, whatever the number of interactions."""
    record = (
        Customer.objects.filter(pk=customer.pk)
        .values(
            "id",
            "name",
            "phone",
            "email",
            "external_ref",
            "notes",
            "archetype",
            "archetype_source",
            "archetype_reason",
            "suggested_archetype",
            "created_at",
            "created_by__username",
            "last_contact_at",
            "erased_at",
        )
        .get()
    )
    record["created_by"] = record.pop("created_by__username")
    for key in ("created_at", "last_contact_at", "erased_at"):
        record[key] = _local_iso(record[key])
    interactions = []
    rows = (
        Interaction.objects.filter(customer_id=customer.pk)
        .order_by("occurred_at", "id")
        .values(*EXPORT_INTERACTION_FIELDS)
    )
    for row in rows.iterator(chunk_size=1000):
        item = {EXPORT_RENAME.get(key, key): value for key, value in row.items()}
        for key in ("occurred_at", "resolved_at", "follow_up_on", "praised_at", "created_at"):
            item[key] = _local_iso(item[key])
        item["phrase_warnings"] = redact_phrase_warnings(item["phrase_warnings"])
        interactions.append(item)
    history = [
        {
            "changed_at": _local_iso(change["changed_at"]),
            "archetype": change["archetype"],
            "previous": change["previous"],
            "source": change["source"],
            "reason": change["reason"],
        }
        for change in ArchetypeChange.objects.filter(customer_id=customer.pk)
        .order_by("changed_at", "id")
        .values("changed_at", "archetype", "previous", "source", "reason")
    ]
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": _local_iso(timezone.now()),
        "exported_by": user.get_username() if user is not None else "",
        "customer": record,
        "interactions": interactions,
        "archetype_history": history,
    }


def stale_customers(*, cutoff: datetime.datetime):
    """Customers not yet erased whose last contact (``last_contact_at``, or when they were
    created if it was never set) is before ``cutoff`` and who have no interaction since
    (a safety net for rows whose ``last_contact_at`` was never kept)."""
    recent = Interaction.objects.filter(customer=OuterRef("pk"), occurred_at__gte=cutoff)
    return (
        Customer.objects.filter(erased_at__isnull=True)
        .annotate(last_seen=Coalesce("last_contact_at", "created_at"))
        .filter(last_seen__lt=cutoff)
        .filter(~Exists(recent))
        .order_by("id")
    )


# --- Writes -------------------------------------------------------------------------


def check_not_erased(customer: Customer | None, *, for_logging: bool = False) -> None:
    """Services call this before changing a customer or logging a contact with one: an
    erased record is not brought back to life by an edit (docs/privacy.md)."""
    if getattr(customer, "erased_at", None) is not None:
        if for_logging:
            raise ValidationError({"customer": ERR_LOG_FOR_ERASED})
        raise ValidationError(ERR_CUSTOMER_ERASED)


def _interaction_repr(placeholder: str, occurred_at) -> str:
    """What str(Interaction) gives once the customer is erased (models.Interaction)."""
    return f"{placeholder} · {occurred_at:%Y-%m-%d %H:%M}"


def redact_audit_entries(*, customer: Customer, placeholder: str, batch_size: int = 500) -> int:
    """Erase the personal data in the django-auditlog entries of the customer and of its
    interactions; returns how many entries were rewritten."""
    from auditlog.models import LogEntry

    customer_type = ContentType.objects.get_for_model(Customer)
    interaction_type = ContentType.objects.get_for_model(Interaction)
    occurred = dict(
        Interaction.objects.filter(customer_id=customer.pk).values_list("id", "occurred_at")
    )
    entries = LogEntry.objects.filter(
        Q(content_type=customer_type, object_id=customer.pk)
        | Q(
            content_type=interaction_type,
            object_id__in=Interaction.objects.filter(customer_id=customer.pk).values("id"),
        )
    ).order_by("id")
    fields = ["object_repr", "changes", "changes_text", "serialized_data"]
    pending, total = [], 0
    for entry in entries.iterator(chunk_size=batch_size):
        if entry.content_type_id == customer_type.pk:
            entry.object_repr = placeholder
            entry.changes = redact_changes(entry.changes, CUSTOMER_PERSONAL_FIELDS, placeholder)
        else:
            when = occurred.get(entry.object_id)
            entry.object_repr = _interaction_repr(placeholder, when) if when else placeholder
            entry.changes = redact_changes(entry.changes, INTERACTION_PERSONAL_FIELDS)
        entry.changes_text = ""
        entry.serialized_data = None
        pending.append(entry)
        if len(pending) >= batch_size:
            LogEntry.objects.bulk_update(pending, fields)
            total += len(pending)
            pending = []
    if pending:
        LogEntry.objects.bulk_update(pending, fields)
        total += len(pending)
    return total


def _redact_idempotency_responses(customer: Customer, placeholder: str) -> int:
    """Stored API responses (kept a day for retries) that name the customer or are one
    of its interactions."""
    keys = list(
        IdempotencyKey.objects.filter(
            Q(response_body__customer=customer.pk)
            | Q(response_body__id=customer.pk, path__contains="customers")
        )
    )
    for key in keys:
        key.response_body = redact_response(key.response_body, placeholder)
    IdempotencyKey.objects.bulk_update(keys, ["response_body"], batch_size=500)
    return len(keys)


@dataclass
class ErasureResult:
    customer: Customer
    interactions: int = 0
    audit_entries: int = 0
    access_entries: int = 0
    stored_responses: int = 0


@transaction.atomic
def customer_erase(*, customer: Customer, user=None, request=None) -> ErasureResult:
    """Erase one customer's personal data (module docstring), in one transaction. The
    caller checks the permission (roles.can_erase_customer); ValidationError if the
    customer was already erased."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if customer.erased_at is not None:
        raise ValidationError(ERR_ALREADY_ERASED)
    placeholder = erased_name(customer.pk)
    customer.name = placeholder
    for name in CUSTOMER_PERSONAL_FIELDS[1:]:
        setattr(customer, name, "")
    customer.erased_at = timezone.now()
    customer.full_clean()
    customer.save()  # auditlog records it; its old values are redacted just below

    interactions = Interaction.objects.filter(customer_id=customer.pk)
    count = interactions.update(summary="", response_text="", praise_note="")
    with_hits = [
        Interaction(pk=pk, phrase_warnings=redact_phrase_warnings(warnings))
        for pk, warnings in interactions.values_list("id", "phrase_warnings").iterator()
        if warnings
    ]
    Interaction.objects.bulk_update(with_hits, ["phrase_warnings"], batch_size=500)
    ArchetypeChange.objects.filter(customer_id=customer.pk).exclude(reason="").update(reason="")

    result = ErasureResult(customer=customer, interactions=count)
    result.audit_entries = redact_audit_entries(customer=customer, placeholder=placeholder)
    result.access_entries = AccessLog.objects.filter(customer_id=customer.pk).update(
        erasure=True, object_repr=placeholder
    )
    result.stored_responses = _redact_idempotency_responses(customer, placeholder)
    record_access(request, Action.ERASE_CUSTOMER, customer=customer, user=user, rows=count)
    return result


# --- Retention ----------------------------------------------------------------------


@dataclass
class PurgeResult:
    dry_run: bool
    access_cutoff: datetime.datetime
    customer_cutoff: datetime.datetime
    access_entries: int = 0
    login_records: int = 0
    customers: list[int] = field(default_factory=list)


def purge_personal_data(*, now=None, dry_run: bool = False, progress=None) -> PurgeResult:
    """The retention rules (settings EMOTIONCARE_ACCESS_LOG_RETENTION_DAYS and
    EMOTIONCARE_CUSTOMER_RETENTION_DAYS): delete access-log entries (and django-axes'
    login records) older than the first,
    erase customers without contact for longer than the second (customer_erase, one
    transaction each, recorded as done by nobody). With ``dry_run`` only counts.
    (API idempotency keys have their own purge: ``manage.py purge_idempotency_keys``.)"""
    now = now or timezone.now()
    result = PurgeResult(
        dry_run=dry_run,
        access_cutoff=now - datetime.timedelta(days=settings.EMOTIONCARE_ACCESS_LOG_RETENTION_DAYS),
        customer_cutoff=now - datetime.timedelta(days=settings.EMOTIONCARE_CUSTOMER_RETENTION_DAYS),
    )
    old_entries = AccessLog.objects.filter(at__lt=result.access_cutoff)
    # django-axes keeps who logged in or failed to, from which address and browser: personal
    # data under the same retention as the access log.
    old_logins = [
        model.objects.filter(attempt_time__lt=result.access_cutoff)
        for model in (axes_models.AccessLog, axes_models.AccessFailureLog)
    ]
    customer_ids = list(stale_customers(cutoff=result.customer_cutoff).values_list("id", flat=True))
    if dry_run:
        result.access_entries = old_entries.count()
        result.login_records = sum(queryset.count() for queryset in old_logins)
        result.customers = customer_ids
        return result
    with transaction.atomic():
        result.access_entries = old_entries.delete(retention_purge=True)[0]
        result.login_records = sum(queryset.delete()[0] for queryset in old_logins)
    with translation.override(settings.LANGUAGE_CODE):
        for start in range(0, len(customer_ids), 500):
            chunk = customer_ids[start : start + 500]
            for customer in Customer.objects.filter(pk__in=chunk).order_by("id"):
                try:
                    customer_erase(customer=customer)
                except ValidationError:  # erased meanwhile by someone else
                    continue
                result.customers.append(customer.pk)
                if progress:
                    progress(customer.pk)
    return result
