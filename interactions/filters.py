"""Filters of the interactions and customers lists (django-filter).

Reference filters take codes (`?channel=phone&emotion_start=anger`) so links from
the dashboard, the API and bookmarks stay stable. Agent and customer filters are
ids entered through search-as-you-type widgets: no filter renders a drop-down of
every agent or customer.
"""

import datetime

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator, MinValueValidator
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import lookups, predicates, roles, selectors
from .models import (
    Archetype,
    Channel,
    ComplaintStatus,
    Customer,
    Emotion,
    Interaction,
    Outcome,
    PhraseRule,
    ResponseTemplate,
    Skill,
    Touchpoint,
    Valence,
)
from .widgets import AutocompleteWidget, ListedModelChoiceIterator, list_selects

SCOPE_MINE = "mine"
SCOPE_TEAM = "team"
UNCLASSIFIED = "none"
ANY_COMPLAINT = "any"
NOT_RECORDED = "none"
OVERDUE_OPEN = "yes"
OVERDUE_RESOLVED_LATE = "late"
YES_NO_ANY = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]


def phrase_rule_choices() -> list[tuple[str, str]]:
    """One choice per rule code (a rule has a row per language), labelled with its phrase
    in the user's language where there is one."""
    from django.utils.translation import get_language

    language = (get_language() or "en")[:2]
    phrases: dict[str, str] = {}
    for code, lang, phrase in PhraseRule.objects.order_by("code", "id").values_list(
        "code", "language", "phrase"
    ):
        if code not in phrases or lang == language:
            phrases[code] = phrase
    return sorted(phrases.items(), key=lambda item: item[1].casefold())


# The days a date filter may name: far from the calendar's ends (years 1 and 9999), where
# the next day, the start of a period or the time in UTC overflows (a server error).
DATE_VALIDATORS = [
    MinValueValidator(datetime.date(1900, 1, 1)),
    MaxValueValidator(datetime.date(2999, 12, 31)),
]


def local_day_start(day: datetime.date) -> datetime.datetime:
    """The aware instant a local calendar day begins (product.md: per day = local day)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class DateInput(forms.DateInput):
    input_type = "date"


class ListedChoiceIterator(django_filters.fields.ModelChoiceIterator, ListedModelChoiceIterator):
    """widgets.ListedModelChoiceIterator (one ordinary query, or the field's `rows`) with
    django-filter's "null" choice after the empty one."""


class ReferenceChoiceField(django_filters.fields.ModelChoiceField):
    """A reference drop-down; given `rows` (the request's lookups.py rows, the same set
    as its queryset), it lists and finds its choices there instead of querying."""

    iterator = ListedChoiceIterator
    rows: list | None = None

    def to_python(self, value):
        if self.rows is not None and value not in self.empty_values:
            key = self.to_field_name or "pk"
            for row in self.rows:
                if str(getattr(row, key)) == str(value):
                    return row
        return super().to_python(value)  # not among the rows: the query decides


class ReferenceFilter(django_filters.ModelChoiceFilter):
    """A drop-down of a small reference table (channels, touchpoints, emotions, templates)."""

    field_class = ReferenceChoiceField


class FilterForm(forms.Form):
    """The filters' form: its drop-downs are written in one pass (widgets.ListedSelect,
    the same HTML as Django's Select)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        list_selects(self)


# The reference filters and the lookups.py table each lists.
REFERENCE_FILTERS = {
    "channel": "channels",
    "touchpoint": "touchpoints",
    "emotion_start": "emotions",
    "emotion_end": "emotions",
    "response_template": "templates",
}


class InteractionFilter(django_filters.FilterSet):
    scope = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[(SCOPE_MINE, _("Mine")), (SCOPE_TEAM, _("The team's"))],
        method="filter_scope",
        empty_label=None,
        widget=forms.RadioSelect,
    )
    date_from = django_filters.DateFilter(
        label=_("From"), method="filter_date_from", widget=DateInput, validators=DATE_VALIDATORS
    )
    date_to = django_filters.DateFilter(
        label=_("To"), method="filter_date_to", widget=DateInput, validators=DATE_VALIDATORS
    )
    agent = django_filters.ModelChoiceFilter(
        label=_("Agent"),
        queryset=get_user_model().objects.all(),
        widget=AutocompleteWidget(url=reverse_lazy("interactions:agent-search"), kind="agent"),
    )
    customer = django_filters.ModelChoiceFilter(
        label=_("Customer"),
        queryset=Customer.objects.all(),
        widget=AutocompleteWidget(
            url=reverse_lazy("interactions:customer-search"), kind="customer"
        ),
    )
    channel = ReferenceFilter(
        label=_("Channel"),
        queryset=Channel.objects.all(),
        to_field_name="code",
        empty_label=_("Any"),
    )
    touchpoint = ReferenceFilter(
        label=_("Touchpoint"),
        queryset=Touchpoint.objects.all(),
        to_field_name="code",
        empty_label=_("Any"),
        null_label=_("Not recorded"),
    )
    emotion_start = ReferenceFilter(
        label=_("Emotion at start"),
        queryset=Emotion.objects.all(),
        to_field_name="code",
        empty_label=_("Any"),
    )
    emotion_end = ReferenceFilter(
        label=_("Emotion at end"),
        queryset=Emotion.objects.all(),
        to_field_name="code",
        empty_label=_("Any"),
    )
    valence = django_filters.ChoiceFilter(
        label=_("Valence at start"),
        field_name="start_valence",
        choices=Valence.choices,
        empty_label=_("Any"),
    )
    archetype = django_filters.ChoiceFilter(
        label=_("Archetype"),
        choices=[*Archetype.choices, (UNCLASSIFIED, _("Not classified"))],
        method="filter_archetype",
        empty_label=_("Any"),
    )
    response_template = ReferenceFilter(
        label=_("Response template"),
        queryset=ResponseTemplate.objects.all(),
        empty_label=_("Any"),
        null_label=_("No template"),
    )
    recovered = django_filters.BooleanFilter(
        label=_("Recovered"),
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))]),
    )
    complaint_status = django_filters.ChoiceFilter(
        label=_("Complaint"),
        choices=[(ANY_COMPLAINT, _("Any complaint")), *ComplaintStatus.choices],
        method="filter_complaint",
        empty_label=_("Any"),
    )
    # The dashboard's click-throughs (docs/dashboard.md) need these as well.
    end_valence = django_filters.ChoiceFilter(
        label=_("Valence at end"), choices=Valence.choices, empty_label=_("Any")
    )
    ended = django_filters.BooleanFilter(
        label=_("End emotion recorded"),
        method="filter_ended",
        widget=forms.Select(choices=YES_NO_ANY),
    )
    improved = django_filters.BooleanFilter(
        label=_("Emotion improved"),
        method="filter_improved",
        widget=forms.Select(choices=YES_NO_ANY),
    )
    outcome = django_filters.ChoiceFilter(
        label=_("Outcome"),
        choices=[*Outcome.choices, (NOT_RECORDED, _("Not recorded"))],
        method="filter_outcome",
        empty_label=_("Any"),
    )
    overdue = django_filters.ChoiceFilter(
        label=_("Response target"),
        choices=[
            (OVERDUE_OPEN, _("Still open past its target")),
            (OVERDUE_RESOLVED_LATE, _("Resolved after its target")),
        ],
        method="filter_overdue",
        empty_label=_("Any"),
    )
    phrase_rule = django_filters.ChoiceFilter(
        label=_("Phrase-guide hit"),
        choices=phrase_rule_choices,
        method="filter_phrase_rule",
        empty_label=_("Any"),
    )
    reviewed = django_filters.BooleanFilter(
        label=_("Skill review"),
        method="filter_reviewed",
        widget=forms.Select(
            choices=[("", _("Any")), ("true", _("Reviewed")), ("false", _("Not reviewed"))]
        ),
    )
    reviewed_skill = django_filters.ChoiceFilter(
        label=_("Skill scored"),
        choices=Skill.choices,
        method="filter_reviewed_skill",
        empty_label=_("Any"),
    )

    class Meta:
        model = Interaction
        fields: list[str] = []
        form = FilterForm

    def __init__(self, data=None, *args, user=None, **kwargs):
        self.user = user
        data = data.copy() if data is not None else None
        if data is not None and not data.get("scope"):
            # Agents see their own interactions first and can widen to the team's.
            data["scope"] = SCOPE_MINE if roles.role_of(user) == roles.AGENT else SCOPE_TEAM
        super().__init__(data, *args, **kwargs)
        # The team's templates (active or not: history) and the user's own personal ones;
        # never another agent's personal templates.
        self.filters["response_template"].queryset = selectors.visible_templates(user=user)

    @property
    def form(self):
        """The filters' form, its reference drop-downs reading the request's lookups."""
        if not hasattr(self, "_form"):
            form = super().form
            rows = lookups.for_request(self.request) if self.request else lookups.Lookups(self.user)
            for name, table in REFERENCE_FILTERS.items():
                form.fields[name].rows = getattr(rows, table)
        return self._form

    def filter_scope(self, queryset, name, value):
        if value == SCOPE_MINE and not self.data.get("agent") and self.user is not None:
            return queryset.filter(agent=self.user)
        return queryset

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(occurred_at__gte=local_day_start(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(occurred_at__lt=local_day_start(value + datetime.timedelta(days=1)))

    def filter_archetype(self, queryset, name, value):
        if value == UNCLASSIFIED:
            return queryset.filter(customer__archetype__isnull=True)
        return queryset.filter(customer__archetype=value)

    def filter_complaint(self, queryset, name, value):
        if value == ANY_COMPLAINT:
            return queryset.filter(is_complaint=True)
        return queryset.filter(is_complaint=True, complaint_status=value)

    def filter_ended(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(predicates.ended_q() if value else ~predicates.ended_q())

    def filter_improved(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(predicates.improved_q() if value else predicates.not_improved_q())

    def filter_outcome(self, queryset, name, value):
        return queryset.filter(outcome="" if value == NOT_RECORDED else value)

    def filter_overdue(self, queryset, name, value):
        channels = list(Channel.objects.values_list("id", "response_target_hours"))
        if value == OVERDUE_RESOLVED_LATE:
            return queryset.filter(predicates.resolved_late_q(channels))
        return queryset.filter(predicates.overdue_q(timezone.now(), channels))

    def filter_phrase_rule(self, queryset, name, value):
        return queryset.filter(predicates.phrase_rule_q(value))

    def filter_reviewed(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(predicates.reviewed_q() if value else ~predicates.reviewed_q())

    def filter_reviewed_skill(self, queryset, name, value):
        return queryset.filter(predicates.reviewed_for_q(value))

    @property
    def active_count(self) -> int:
        """How many filters beyond the scope narrow the list (shown on the filter toggle)."""
        if not self.is_bound:
            return 0
        return sum(
            1
            for key, value in self.data.items()
            if key in self.filters and key != "scope" and value
        )


class CustomerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    archetype = django_filters.ChoiceFilter(
        label=_("Archetype"),
        choices=[*Archetype.choices, (UNCLASSIFIED, _("Not classified"))],
        method="filter_archetype",
        empty_label=_("Any"),
    )
    # The archetype board's "entered" and "left": customers by their archetype changes,
    # in a range of local days (the four together make one condition: filter_queryset).
    entered = django_filters.ChoiceFilter(
        label=_("Entered archetype"),
        choices=Archetype.choices,
        method="filter_by_changes",
        empty_label=_("Any"),
    )
    left = django_filters.ChoiceFilter(
        label=_("Left archetype"),
        choices=Archetype.choices,
        method="filter_by_changes",
        empty_label=_("Any"),
    )
    changed_from = django_filters.DateFilter(
        label=_("Changed from"),
        method="filter_by_changes",
        widget=DateInput,
        validators=DATE_VALIDATORS,
    )
    changed_to = django_filters.DateFilter(
        label=_("Changed to"),
        method="filter_by_changes",
        widget=DateInput,
        validators=DATE_VALIDATORS,
    )

    class Meta:
        model = Customer
        fields: list[str] = []

    CHANGE_FIELDS = ("entered", "left", "changed_from", "changed_to")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        given = {name: self.form.cleaned_data.get(name) for name in self.CHANGE_FIELDS}
        if not any(given.values()):
            return queryset
        first, last = given["changed_from"], given["changed_to"]
        return queryset.filter(
            predicates.archetype_changed_q(
                entered=given["entered"],
                left=given["left"],
                start=local_day_start(first) if first else None,
                end=local_day_start(last + datetime.timedelta(days=1)) if last else None,
            )
        )

    def filter_by_changes(self, queryset, name, value):
        return queryset  # the four fields apply together, in filter_queryset

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_archetype(self, queryset, name, value):
        if value == UNCLASSIFIED:
            return queryset.filter(archetype__isnull=True)
        return queryset.filter(archetype=value)
