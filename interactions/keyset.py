"""Keyset ("seek") pagination for the interactions list in its default order.

The newest-first list walks pages by the last row seen instead of by OFFSET: the
next page is "the 50 rows just older than (occurred_at, id) of the last row", which
the time index answers in the same few milliseconds on page 1 and page 20,000. The
other sort orders keep numbered pages (docs/architecture.md, "Lists at scale").

A cursor is ``<microseconds since the epoch>.<id>``: URL-safe, opaque enough, and
exact (no float rounding, no time-zone text to encode).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MICROSECOND = dt.timedelta(microseconds=1)
# Query parameters: rows older than the cursor ("after" in newest-first order), or
# newer than it (going back towards the newest).
OLDER, NEWER = "older", "newer"


class InvalidCursor(ValueError):
    """A cursor that was not made by `encode`."""


def encode(occurred_at: dt.datetime, pk: int) -> str:
    return f"{(occurred_at - EPOCH) // MICROSECOND}.{pk}"


def decode(token: str) -> tuple[dt.datetime, int]:
    micros, sep, pk = (token or "").partition(".")
    if not sep or not micros.lstrip("-").isdigit() or not pk.isdigit() or len(token) > 40:
        raise InvalidCursor(token)
    try:
        return EPOCH + int(micros) * MICROSECOND, int(pk)
    except OverflowError as error:
        raise InvalidCursor(token) from error


@dataclass
class KeysetPage:
    rows: list
    older: str | None  # cursor of the next (older) page, if there is one
    newer: str | None  # cursor of the previous (newer) page, if there is one
    is_first: bool

    @property
    def has_other_pages(self) -> bool:
        return bool(self.older or self.newer)


def page(queryset: QuerySet, params, size: int) -> KeysetPage:
    """One page of `queryset` (any filters, no ordering needed) newest first, at the
    position the request's `older` / `newer` cursor says. Fetches one row more than
    the page to know whether another page follows: no COUNT, no OFFSET."""
    older_token, newer_token = params.get(OLDER), params.get(NEWER)
    queryset = queryset.order_by()
    if newer_token:
        moment, pk = decode(newer_token)
        rows = list(
            queryset.filter(occurred_at__gte=moment)
            .filter(Q(occurred_at__gt=moment) | Q(pk__gt=pk))
            .order_by("occurred_at", "id")[: size + 1]
        )
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(
            rows=rows,
            older=encode(rows[-1].occurred_at, rows[-1].pk) if rows else None,
            newer=encode(rows[0].occurred_at, rows[0].pk) if rows and more_newer else None,
            is_first=not more_newer,
        )
    if older_token:
        moment, pk = decode(older_token)
        queryset = queryset.filter(occurred_at__lte=moment).filter(
            Q(occurred_at__lt=moment) | Q(pk__lt=pk)
        )
    rows = list(queryset.order_by("-occurred_at", "-id")[: size + 1])
    more_older = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        rows=rows,
        older=encode(rows[-1].occurred_at, rows[-1].pk) if rows and more_older else None,
        newer=encode(rows[0].occurred_at, rows[0].pk) if rows and older_token else None,
        is_first=not older_token,
    )
