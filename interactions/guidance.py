"""Calming practices offered with a break nudge (seed 004, "mindfulness for agents").

Each practice has a stable code (stored on `BreakNudge.practice`) and an English
title and text, translated through the .po like every other string. The list is
short on purpose: a nudge suggests one, in turn (`rules.wellbeing.next_practice`).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

BREAK_MINUTES = 5  # the length of the break the nudge offers


@dataclass(frozen=True)
class Practice:
    code: str
    title: str | Promise
    text: str | Promise


PRACTICES: tuple[Practice, ...] = (
    Practice(
        "breathing",
        _("Breathing exercise"),
        _(
            "Sit back and breathe in slowly through your nose for a count of four, "
            "hold for four, and breathe out for six. Repeat five times."
        ),
    ),
    Practice(
        "pause_and_centre",
        _("Pause and centre"),
        _(
            "Before the next call, stop for a moment. Feel your feet on the floor, "
            "let your shoulders drop, and notice how you feel without judging it."
        ),
    ),
    Practice(
        "quick_walk",
        _("Quick walk"),
        _(
            "Take a short walk: down the corridor, up a flight of stairs, or outside "
            "for some fresh air. Come back when your mind feels clearer."
        ),
    ),
    Practice(
        "step_away",
        _("Step away from the desk"),
        _(
            "Take off the headset and step away from the screen. Get a glass of water "
            "and stretch your neck, arms and back."
        ),
    ),
    Practice(
        "brief_meditation",
        _("Brief meditation"),
        _(
            "Close your eyes and follow your breath for a few minutes. When thoughts "
            "about the last call come, let them pass and return to your breath."
        ),
    ),
    Practice(
        "positive_feedback",
        _("Hold on to positive feedback"),
        _(
            "Read again what satisfied customers have said about your help, on your "
            "page. Difficult conversations are not the whole story of your day."
        ),
    ),
)
PRACTICE_CODES: tuple[str, ...] = tuple(p.code for p in PRACTICES)
_BY_CODE = {p.code: p for p in PRACTICES}


def practice(code: str | None) -> Practice:
    """The practice with this code; the first one for an unknown code."""
    return _BY_CODE.get(code or "", PRACTICES[0])
