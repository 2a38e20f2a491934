"""Filters of the response-template and phrase-guide management lists (django-filter)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Language, PhraseRule, ResponseTemplate

SCOPE_TEAM = "team"
SCOPE_PERSONAL = "personal"

ACTIVE_CHOICES = [("", _("Any")), ("true", _("Active")), ("false", _("Inactive"))]


class ResponseTemplateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        widget=forms.SearchInput(attrs={"placeholder": _("Title or text")}),
    )
    category = django_filters.ChoiceFilter(label=_("Category"), empty_label=_("Any"))
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=Language.choices, empty_label=_("Any")
    )
    scope = django_filters.ChoiceFilter(
        label=_("Scope"),
        choices=[(SCOPE_TEAM, _("Team")), (SCOPE_PERSONAL, _("Personal"))],
        method="filter_scope",
        empty_label=_("Any"),
    )
    is_active = django_filters.BooleanFilter(
        label=_("Active"), widget=forms.Select(choices=ACTIVE_CHOICES)
    )

    class Meta:
        model = ResponseTemplate
        fields: list[str] = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        categories = selectors.template_categories(user=user)
        self.filters["category"].extra["choices"] = [(c, c) for c in categories]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(text__icontains=value))

    def filter_scope(self, queryset, name, value):
        if value == SCOPE_TEAM:
            return queryset.filter(owner__isnull=True)
        return queryset.filter(owner__isnull=False)


class PhraseRuleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        widget=forms.SearchInput(attrs={"placeholder": _("Phrase, reason, …")}),
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=Language.choices, empty_label=_("Any")
    )
    is_active = django_filters.BooleanFilter(
        label=_("Active"), widget=forms.Select(choices=ACTIVE_CHOICES)
    )

    class Meta:
        model = PhraseRule
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(phrase__icontains=value)
            | Q(variants__icontains=value)
            | Q(reason__icontains=value)
            | Q(alternative__icontains=value)
            | Q(code__icontains=value)
        )
