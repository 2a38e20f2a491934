"""Field types the API's serializers and filters share.

- ``AwareDateTimeField``: ISO 8601 with a UTC offset; a time without one is refused
  (product.md: "the API rejects a datetime without an offset, 400 naming the field").
- ``CodeField``: a reference row (emotion, channel, touchpoint) by its stable code.
- ``IdRelatedField``: a row by id, refusing ids no row can have (0, negatives, beyond
  a 64-bit integer) before they reach the database, where SQLite would overflow.
"""

import datetime as dt
import re

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

MAX_ID = 2**63 - 1  # BigAutoField
CODE_RE = re.compile(r"^[-a-zA-Z0-9_]{1,60}$")
INTEGER_RE = re.compile(r"^-?[0-9]{1,400}$")
# "+09:00" in a query string arrives as " 09:00" when the client did not encode "+".
SPACE_FOR_PLUS = re.compile(r"^(.+[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?) (\d{2}(?::?\d{2})?)$")

ERR_NAIVE = _(
    "Give the time with its offset from UTC, e.g. 2025-03-01T14:30:00+09:00 "
    "or 2025-03-01T05:30:00Z."
)
ERR_DATETIME = _(
    "Enter a date and time in ISO 8601 with an offset, e.g. 2025-03-01T14:30:00+09:00."
)
ERR_UNKNOWN_CODE = _("“{value}” is not a known code.")


def parse_id(value) -> int | None:
    """An id as an int when it could be a row's id, else None (bad ids are a 404)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        number = int(value)
    else:
        return None
    return number if 1 <= number <= MAX_ID else None


def parse_aware_datetime(value: str) -> dt.datetime | None:
    """Parse ISO 8601; None when it is not a date and time. A naive result is returned
    as is, for the caller to refuse."""
    if not isinstance(value, str) or len(value) > 64:
        return None
    value = value.strip()
    match = SPACE_FOR_PLUS.match(value)
    if match:
        value = f"{match.group(1)}+{match.group(2)}"
    try:
        return parse_datetime(value)
    except (ValueError, TypeError, OverflowError):
        return None


@extend_schema_field(OpenApiTypes.DATETIME)
class AwareDateTimeField(serializers.DateTimeField):
    default_error_messages = {"naive": ERR_NAIVE, "invalid": ERR_DATETIME}

    def to_internal_value(self, value):
        if isinstance(value, dt.datetime):
            parsed = value
        else:
            parsed = parse_aware_datetime(value)
            if parsed is None:
                self.fail("invalid")
        if timezone.is_naive(parsed):
            self.fail("naive")
        return self.enforce_timezone(parsed)


class CodeField(serializers.SlugRelatedField):
    """A reference row by its code (``"anger"``, ``"phone"``)."""

    default_error_messages = {"does_not_exist": ERR_UNKNOWN_CODE, "invalid": ERR_UNKNOWN_CODE}

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not CODE_RE.match(data):
            self.fail("invalid", value=str(data)[:60])
        queryset = self.get_queryset()
        try:
            return queryset.get(code=data)
        except queryset.model.DoesNotExist:
            self.fail("does_not_exist", value=data)


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """A row by id; ids that no row can have are "does not exist", not a database error."""

    def to_internal_value(self, data):
        pk = parse_id(data)
        if pk is None:
            integral = isinstance(data, int) and not isinstance(data, bool)
            if integral or (isinstance(data, str) and INTEGER_RE.match(data)):
                self.fail("does_not_exist", pk_value=str(data)[:30])
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(pk)
