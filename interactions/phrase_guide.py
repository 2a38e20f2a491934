"""The phrase guide as the app uses it: the active rules from the database, checked by
the pure matcher in rules/phrases.py. The live check endpoint and the save path both
call `check_text`, so they always agree."""

from .models import PhraseRule
from .rules.phrases import Hit, Rule, check_phrases

STORED_KEYS = ("rule_id", "code", "language", "start", "end", "text")


def active_rules() -> list[Rule]:
    """Every active rule, of every language (the check applies them all to any text)."""
    return [Rule.from_object(obj) for obj in PhraseRule.objects.active().order_by("code", "id")]


def check_text(text: str, rules: list[Rule] | None = None) -> list[Hit]:
    return check_phrases(text or "", active_rules() if rules is None else rules)


def hits_for_storage(hits: list[Hit]) -> list[dict]:
    """What an interaction keeps of its hits, so leads can count them by rule."""
    return [{key: getattr(hit, key) for key in STORED_KEYS} for hit in hits]


def hits_for_display(hits: list[Hit]) -> list[dict]:
    return [hit.as_dict() for hit in hits]
