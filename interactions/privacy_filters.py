"""Filters of the access-log page: who, what, which customer, which local days."""

import datetime

import django_filters
from django.contrib.auth import get_user_model
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from .filters import DATE_VALIDATORS, DateInput, local_day_start
from .models import AccessLog, Customer
from .widgets import AutocompleteWidget


class AccessLogFilter(django_filters.FilterSet):
    user = django_filters.ModelChoiceFilter(
        label=_("User"),
        queryset=get_user_model().objects.all(),
        widget=AutocompleteWidget(url=reverse_lazy("interactions:agent-search"), kind="agent"),
    )
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=AccessLog.Action.choices, empty_label=_("Any")
    )
    customer = django_filters.ModelChoiceFilter(
        label=_("Customer"),
        queryset=Customer.objects.all(),
        widget=AutocompleteWidget(
            url=reverse_lazy("interactions:customer-search"), kind="customer"
        ),
    )
    date_from = django_filters.DateFilter(
        label=_("From"), method="filter_date_from", widget=DateInput, validators=DATE_VALIDATORS
    )
    date_to = django_filters.DateFilter(
        label=_("To"), method="filter_date_to", widget=DateInput, validators=DATE_VALIDATORS
    )

    class Meta:
        model = AccessLog
        fields: list[str] = []

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(at__gte=local_day_start(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(at__lt=local_day_start(value + datetime.timedelta(days=1)))
