"""Handling advice for the four complaint archetypes (domain.md section 2, seed 003),
in the user's language through gettext. Shown beside the suggested responses, on the
customer page and (later) on the archetype board."""

from django.utils.translation import gettext_lazy as _

from .models import Archetype

ARCHETYPE_ADVICE = {
    Archetype.ACTIVE_HATER: _(
        "Hate you whatever you do. Do not engage with their comments: nothing will be "
        "enough in their eyes, and arguing only harms you. Stay polite, do your job as "
        "well as you can and move on."
    ),
    Archetype.EXTREME_CRITIC: _(
        "Don't hate you but notice every mistake. Keep one ear open: hear the complaint "
        "and judge whether it is true. If it is, do something about it; if not, let it go "
        "and move on."
    ),
    Archetype.LOYAL_ANNOYED: _(
        "A loyal customer weighing whether you are still worth it. Listen to the complaint "
        "and run the service-recovery procedure to win them back: loyal customers are hard "
        "to come by. Judge whether the relationship is worth the investment; if not, move "
        "on."
    ),
    Archetype.LOYAL_ENTHUSIAST: _(
        "One of your best customers. Pay close attention to their complaint: a slip-up is "
        "the crack in the door through which competitors take them. Don't just listen: "
        "take concrete action so they know their opinion is valued."
    ),
}


def archetype_advice(code: str | None) -> str:
    return str(ARCHETYPE_ADVICE.get(code, "")) if code else ""
