"""Query filters of the API's interaction list (django-filter).

Codes for reference rows (``?channel=phone&emotion_start=anger``), ids for the customer
and the agent, and a time range ``since`` (inclusive) / ``until`` (exclusive) in ISO 8601
with an offset. A bad value is a 400 naming the parameter, never an empty list and
never a database error.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from ..models import Channel, Emotion, Interaction
from .fields import ERR_DATETIME, ERR_NAIVE, parse_aware_datetime, parse_id

ERR_ID = _("Enter a valid id (a positive whole number).")


class AwareDateTimeFormField(forms.Field):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        parsed = parse_aware_datetime(value)
        if parsed is None:
            raise ValidationError(ERR_DATETIME, code="invalid")
        if timezone.is_naive(parsed):
            raise ValidationError(ERR_NAIVE, code="naive")
        return parsed


class IdFormField(forms.Field):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = parse_id(value)
        if number is None:
            raise ValidationError(ERR_ID, code="invalid")
        return number


@extend_schema_field(OpenApiTypes.DATETIME)
class AwareDateTimeFilter(django_filters.Filter):
    field_class = AwareDateTimeFormField


@extend_schema_field(OpenApiTypes.INT64)
class IdFilter(django_filters.Filter):
    field_class = IdFormField


@extend_schema_field(OpenApiTypes.STR)
class CodeFilter(django_filters.ModelChoiceFilter):
    """A reference row by code: looked up once, then compared by id (no join)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "code")
        super().__init__(*args, **kwargs)


def described(schema: dict, description: str):
    """The filter's OpenAPI schema with its description (drf-spectacular)."""
    return extend_schema_field({**schema, "description": description})


ID_SCHEMA = {"type": "integer", "format": "int64", "minimum": 1}
CODE_SCHEMA = {"type": "string"}
DATETIME_SCHEMA = {"type": "string", "format": "date-time"}


class InteractionApiFilter(django_filters.FilterSet):
    customer = described(ID_SCHEMA, "Customer id.")(IdFilter(field_name="customer_id"))
    agent = described(ID_SCHEMA, "Id of the user who logged it.")(IdFilter(field_name="agent_id"))
    channel = described(CODE_SCHEMA, "Channel code, e.g. `phone`.")(
        CodeFilter(field_name="channel", queryset=Channel.objects.all())
    )
    emotion_start = described(CODE_SCHEMA, "Emotion code at start, e.g. `anger`.")(
        CodeFilter(field_name="emotion_start", queryset=Emotion.objects.all())
    )
    emotion_end = described(CODE_SCHEMA, "Emotion code at end, e.g. `neutral`.")(
        CodeFilter(field_name="emotion_end", queryset=Emotion.objects.all())
    )
    since = described(
        DATETIME_SCHEMA, "From this moment (inclusive), ISO 8601 with offset (`+` as %2B)."
    )(AwareDateTimeFilter(field_name="occurred_at", lookup_expr="gte"))
    until = described(
        DATETIME_SCHEMA, "Up to this moment (exclusive), ISO 8601 with offset (`+` as %2B)."
    )(AwareDateTimeFilter(field_name="occurred_at", lookup_expr="lt"))

    class Meta:
        model = Interaction
        fields = ["customer", "agent", "channel", "emotion_start", "emotion_end", "since", "until"]
