"""The small reference tables (channels, touchpoints, emotions, response templates),
read once per request and shared by everything on the page that shows them.

The interactions list needed each of them twice: once for its filter drop-downs and
once more for its rows (five prefetch queries). Each read costs far more in Django
than in the database (compiling the query, building the objects), about a millisecond
a table, so reading them once per request took a tenth off the page
(docs/architecture.md, "Lists at scale"). Nothing is kept between requests: an
admin's change to a channel shows on the next page.
"""

from __future__ import annotations

from functools import cached_property

from .models import Channel, Emotion, Interaction, ResponseTemplate, Touchpoint
from .prepared import Prepared

# Every page that shows them reads them: prepared statements (prepared.Prepared).
CHANNELS = Prepared(lambda: Channel.objects.all())
TOUCHPOINTS = Prepared(lambda: Touchpoint.objects.all())
EMOTIONS = Prepared(lambda: Emotion.objects.all())
ACTIVE_CHANNELS = Prepared(lambda: Channel.objects.active())
ACTIVE_TOUCHPOINTS = Prepared(lambda: Touchpoint.objects.active())
ACTIVE_EMOTIONS = Prepared(lambda: Emotion.objects.active())


def _templates(owner, active: bool):
    from .selectors import templates_visible_to

    templates = templates_visible_to(owner)
    return templates.active() if active else templates


# The team's templates and one person's own (selectors.visible_templates, templates_for).
TEMPLATES = Prepared(lambda owner: _templates(owner, False), owner="id")
ACTIVE_TEMPLATES = Prepared(lambda owner: _templates(owner, True), owner="id")


class Rows:
    """A prepared query's rows, read when first iterated (a form that is only validated
    never reads its drop-downs' rows)."""

    def __init__(self, read, **values):
        self.read = read
        self.values = values
        self.rows = None

    def __iter__(self):
        if self.rows is None:
            self.rows = self.read(**self.values)
        return iter(self.rows)


def templates(user, *, active: bool = False) -> list[ResponseTemplate]:
    """The response templates a user may see (active ones only with `active`)."""
    from .selectors import templates_for, visible_templates

    if user is None or not user.pk:  # no owner: another statement
        return list((templates_for if active else visible_templates)(user=user))
    return (ACTIVE_TEMPLATES if active else TEMPLATES)(owner=user.pk)


# Interaction's reference foreign keys and where their rows are found.
RELATIONS = (
    ("channel", "channels"),
    ("touchpoint", "touchpoints"),
    ("emotion_start", "emotions"),
    ("emotion_end", "emotions"),
    ("response_template", "templates"),
)


class Lookups:
    """Every row of each table in display order (active or not: old interactions name
    retired ones); the response templates are the team's and the user's own, as the
    filters offer them."""

    def __init__(self, user=None):
        self.user = user
        self._by_id: dict[str, dict[int, object]] = {}

    @cached_property
    def channels(self) -> list[Channel]:
        return CHANNELS()

    @cached_property
    def touchpoints(self) -> list[Touchpoint]:
        return TOUCHPOINTS()

    @cached_property
    def emotions(self) -> list[Emotion]:
        return EMOTIONS()

    @cached_property
    def templates(self) -> list[ResponseTemplate]:
        return templates(self.user)

    @cached_property
    def emotion_by_id(self) -> dict[int, Emotion]:
        return self.by_id("emotions")

    @property
    def channel_targets(self) -> list[tuple[int, int]]:
        return [(channel.pk, channel.response_target_hours) for channel in self.channels]

    def by_id(self, table: str) -> dict[int, object]:
        if table not in self._by_id:
            self._by_id[table] = {row.pk: row for row in getattr(self, table)}
        return self._by_id[table]

    def attach(self, interactions: list[Interaction]) -> None:
        """Give each interaction its channel, touchpoint, emotions and template from these
        rows, as ``prefetch_related`` would. A row missing here (another person's
        personal template, a channel added since) is read, all of them in one query."""
        for relation, table in RELATIONS:
            field = Interaction._meta.get_field(relation)
            rows = self.by_id(table)
            missing = {getattr(item, field.attname) for item in interactions} - rows.keys() - {None}
            if missing:
                rows.update(field.related_model._base_manager.in_bulk(missing))
            for item in interactions:
                key = getattr(item, field.attname)
                field.set_cached_value(item, None if key is None else rows.get(key))


def for_request(request) -> Lookups:
    """The request's lookups, made on first use."""
    lookups = getattr(request, "_emotioncare_lookups", None)
    if lookups is None:
        lookups = Lookups(getattr(request, "user", None))
        request._emotioncare_lookups = lookups
    return lookups
