"""The audit trail (django-auditlog) as the detail pages show it (includes/history.html).

What is recorded is set up in apps.py: interactions, customers (phone and e-mail masked
by masking.mask_contact), response templates, phrase rules and users (never the password
hash or the last login), with creations, changes and deletions. docs/privacy.md says who
reads it and how erasure reaches it (privacy.redact_audit_entries).

``readable_history`` reads an object's entries in a fixed number of queries whatever
their number: the entries with their actor, then one query per kind of related object
that the changes name (auditlog's own ``changes_display_dict`` fetches every foreign key
value of every entry one by one).
"""

from __future__ import annotations

import ast
import copy
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from . import selectors
from .models import Archetype, Valence
from .privacy import ERASED_VALUE


def _foreign_keys(model) -> dict[str, object]:
    """The model's concrete many-to-one fields by name (what auditlog stores as a pk)."""
    return {
        field.name: field
        for field in model._meta.get_fields()
        if getattr(field, "many_to_one", False) and getattr(field, "concrete", False)
    }


def _as_pk(field, value):
    if value in (None, "", "None"):
        return None
    try:
        return field.related_model._meta.pk.to_python(value)
    except Exception:  # a legacy string representation: shown as it is
        return None


class HistoryEntry:
    """An auditlog entry for includes/history.html: foreign keys by name (resolved in
    bulk by readable_history), many-to-many changes (suitable emotions, channels, a
    user's groups) and code lists (valences, archetypes) in plain words: an addition
    reads "— → Anger", a removal "Anger → —"."""

    CODE_LABELS = {"valences": dict(Valence.choices), "archetypes": dict(Archetype.choices)}

    def __init__(self, entry, model, related: dict | None = None):
        self._entry, self._model = entry, model
        self._related = related or {}

    def __getattr__(self, name):
        return getattr(self._entry, name)

    def _label(self, field_name: str) -> str:
        # (An AttributeError here would be swallowed by __getattr__ and the raw
        # auditlog dict shown instead: reverse relations have no verbose_name.)
        try:
            field = self._model._meta.get_field(field_name)
        except FieldDoesNotExist:
            return field_name
        return getattr(field, "verbose_name", field_name)

    def _codes(self, field_name: str, value) -> str:
        try:
            codes = ast.literal_eval(value) if isinstance(value, str) else value
        except (ValueError, SyntaxError):
            return value
        if not isinstance(codes, list):
            return value
        labels = self.CODE_LABELS[field_name]
        return ", ".join(str(labels.get(code, code)) for code in codes)

    def _fk_display(self, field, value) -> str:
        if value in (None, "", "None"):
            return ""
        pk = _as_pk(field, value)
        if pk is None:
            return str(value)
        found = self._related.get(field.related_model, {}).get(pk)
        if found is None:
            return f"Deleted '{field.related_model.__name__}' ({value})"
        return str(found)

    @cached_property
    def changes_display_dict(self) -> dict:
        raw = self._entry.changes_dict or {}
        foreign_keys = _foreign_keys(self._model)
        display = {}
        for field_name, change in raw.items():
            label = self._label(field_name)
            if isinstance(change, dict) and change.get("type") == "m2m":
                objects = ", ".join(change.get("objects") or [])
                added = change.get("operation") == "add"
                display[label] = ["", objects] if added else [objects, ""]
            elif field_name in self.CODE_LABELS and isinstance(change, list | tuple):
                display[label] = [self._codes(field_name, value) for value in change]
            elif field_name in foreign_keys and isinstance(change, list | tuple):
                field = foreign_keys[field_name]
                display[label] = [self._fk_display(field, value) for value in change]
        # auditlog formats the rest (choices, dates); foreign keys are left out of its
        # copy so it does not look each one up.
        rest = copy.copy(self._entry)
        rest.changes = {name: change for name, change in raw.items() if name not in foreign_keys}
        shown = rest.changes_display_dict
        merged = {
            **{key: value for key, value in shown.items() if key not in display},
            **display,
        }
        # Values erased with their customer (privacy.customer_erase), in the reader's language.
        return {
            key: [_("[erased]") if value == ERASED_VALUE else value for value in values]
            if isinstance(values, list)
            else values
            for key, values in merged.items()
        }


def _related_objects(entries, model) -> dict:
    """{related model: {pk: object}} for every foreign key value the entries name, one
    query per related model."""
    foreign_keys = _foreign_keys(model)
    wanted: dict[type, set] = defaultdict(set)
    for entry in entries:
        for field_name, change in (entry.changes_dict or {}).items():
            field = foreign_keys.get(field_name)
            if field is None or not isinstance(change, list | tuple):
                continue
            for value in change:
                pk = _as_pk(field, value)
                if pk is not None:
                    wanted[field.related_model].add(pk)
    return {related: related._base_manager.in_bulk(sorted(pks)) for related, pks in wanted.items()}


def readable_history(obj, limit: int = 50) -> list[HistoryEntry]:
    """Who created, changed or deleted ``obj`` and what, newest first, ready to show."""
    model = type(obj)
    entries = list(selectors.history_for(obj, limit=limit))
    content_type = ContentType.objects.get_for_model(model)  # cached: no query per entry
    for entry in entries:
        entry.content_type = content_type
    related = _related_objects(entries, model)
    return [HistoryEntry(entry, model, related) for entry in entries]
