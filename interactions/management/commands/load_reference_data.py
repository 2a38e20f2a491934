"""Load the shipped reference data (interactions/reference_data.py).

Emotions, channels, touchpoints, response templates and phrase rules, matched
by their stable code (templates and phrase rules by code and language).

What a run does to the database, and why:

- A shipped row that is missing is created (so a shipped row an admin deleted
  comes back: to retire one, deactivate it).
- A shipped row that exists is left as it is by default. Admins manage this
  data (product.md: emotions, channels and their response-time targets,
  templates, the phrase guide), and `make run` loads the reference data on
  every start, so overwriting would silently undo their edits.
- `--overwrite` puts the shipped fields of the shipped rows back to the shipped
  values (names, colours, targets, handling rules, texts, suitability). Use it
  to pick up corrected wording after an upgrade.
- Never, in either mode: the active flag is not touched (an admin's
  deactivation sticks, and a row is never re-activated), rows that admins added
  are not touched, and nothing is deleted.

A row is written only when a value differs, so running the command twice
changes nothing the second time: no new rows, same ids, no new history entries.
Everything happens in one transaction.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from interactions import reference_data, rollups
from interactions.models import Channel, Emotion, PhraseRule, ResponseTemplate, Touchpoint

M2M_FIELDS = ("emotions", "channels")


class Command(BaseCommand):
    help = (
        "Create the shipped emotions, channels, touchpoints, response templates and phrase "
        "rules that are missing. Existing rows are kept as admins left them unless "
        "--overwrite is given; active flags are never changed and nothing is deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Reset the shipped fields of shipped rows to the shipped values.",
        )

    @transaction.atomic
    def handle(self, *args, overwrite=False, **options):
        plan = [
            (Emotion, ("code",), reference_data.EMOTIONS),
            (Channel, ("code",), reference_data.CHANNELS),
            (Touchpoint, ("code",), reference_data.TOUCHPOINTS),
            (ResponseTemplate, ("code", "language"), reference_data.RESPONSE_TEMPLATES),
            (PhraseRule, ("code", "language"), reference_data.PHRASE_RULES),
        ]
        targets_before = dict(Channel.objects.values_list("code", "response_target_hours"))
        for model, keys, rows in plan:
            created, updated = sync_rows(model, keys, rows, overwrite=overwrite)
            if options["verbosity"] >= 1:
                unchanged = len(rows) - created - updated
                self.stdout.write(
                    f"{model._meta.verbose_name_plural}: {created} created, "
                    f"{updated} updated, {unchanged} unchanged"
                )
        targets = dict(Channel.objects.values_list("code", "response_target_hours"))
        if any(targets_before.get(code, hours) != hours for code, hours in targets.items()):
            # The dashboard's count of complaints resolved after their target follows.
            rollups.recount_resolved_late()


def sync_rows(model, keys, rows, *, overwrite: bool) -> tuple[int, int]:
    """Create the missing rows; with `overwrite`, reset changed shipped fields."""
    created = updated = 0
    for row in rows:
        lookup = {key: row[key] for key in keys}
        fields = {k: v for k, v in row.items() if k not in keys and k not in M2M_FIELDS}
        m2m = {k: v for k, v in row.items() if k in M2M_FIELDS}
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **fields)
            obj.full_clean()
            obj.save()
            _set_m2m(obj, m2m, only_if_different=False)
            created += 1
            continue
        if not overwrite:
            continue
        changed = [name for name, value in fields.items() if getattr(obj, name) != value]
        for name in changed:
            setattr(obj, name, fields[name])
        if changed:
            obj.full_clean()
            obj.save(update_fields=[*changed, "updated_at"] if _has(model, "updated_at") else None)
        if _set_m2m(obj, m2m, only_if_different=True) or changed:
            updated += 1
    return created, updated


def _has(model, field_name: str) -> bool:
    return any(f.name == field_name for f in model._meta.concrete_fields)


def _set_m2m(obj, m2m: dict, *, only_if_different: bool) -> bool:
    """Point the template's emotions / channels at the rows with these codes."""
    changed = False
    for name, codes in m2m.items():
        related = getattr(obj, name)
        wanted = set(related.model.objects.filter(code__in=codes).values_list("pk", flat=True))
        if len(wanted) != len(set(codes)):
            missing = set(codes) - set(
                related.model.objects.filter(code__in=codes).values_list("code", flat=True)
            )
            raise ValueError(f"{obj}: unknown {name} codes {sorted(missing)}")
        current = set(related.values_list("pk", flat=True)) if only_if_different else set()
        if not only_if_different or current != wanted:
            related.set(wanted)
            changed = changed or bool(current ^ wanted)
    return changed
