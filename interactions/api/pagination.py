"""Lists as ``{results, next, previous}``, never counting the table.

- Interactions: a cursor over (occurred_at, id), newest first (interactions/keyset.py,
  the same seek the interactions page uses): page 20,000 costs what page 1 does, and
  rows logged meanwhile neither repeat nor go missing between pages.
- Everything else: numbered pages that fetch one row more than the page to know
  whether another follows (no COUNT, like the pages' LazyPaginator).
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from .. import keyset

MAX_PAGE_SIZE = 200
MAX_PAGE = 100_000

ERR_CURSOR = _("This cursor is not valid; follow the next and previous links.")
ERR_PAGE = _("Enter a page number from 1 to 100000.")
ERR_PAGE_SIZE = _("Enter a page size from 1 to 200.")


def page_size(request, default: int) -> int:
    raw = request.query_params.get("page_size")
    if raw in (None, ""):
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw[:6]) <= MAX_PAGE_SIZE:
        raise exceptions.ValidationError({"page_size": [ERR_PAGE_SIZE]})
    return int(raw)


def list_schema(schema: dict, *, next_example: str) -> dict:
    return {
        "type": "object",
        "required": ["results", "next", "previous"],
        "properties": {
            "results": schema,
            "next": {"type": "string", "nullable": True, "format": "uri", "example": next_example},
            "previous": {"type": "string", "nullable": True, "format": "uri"},
        },
    }


PAGE_SIZE_PARAMETER = {
    "name": "page_size",
    "required": False,
    "in": "query",
    "description": f"Rows per page, 1 to {MAX_PAGE_SIZE}.",
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
}


class PagePagination(BasePagination):
    """``?page=N``: one row more than the page is read to know whether there is a next."""

    page_query_param = "page"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = page_size(request, settings.EMOTIONCARE_API_PAGE_SIZE)
        raw = request.query_params.get(self.page_query_param) or "1"
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw[:7]) <= MAX_PAGE:
            raise exceptions.ValidationError({self.page_query_param: [ERR_PAGE]})
        self.page = int(raw)
        offset = (self.page - 1) * size
        rows = list(queryset[offset : offset + size + 1])
        self.has_next = len(rows) > size
        return rows[:size]

    def get_paginated_response(self, data):
        url = self.request.build_absolute_uri()
        next_url = (
            replace_query_param(url, self.page_query_param, self.page + 1)
            if self.has_next
            else None
        )
        if self.page <= 1:
            previous_url = None
        elif self.page == 2:
            previous_url = remove_query_param(url, self.page_query_param)
        else:
            previous_url = replace_query_param(url, self.page_query_param, self.page - 1)
        return Response({"results": data, "next": next_url, "previous": previous_url})

    def get_paginated_response_schema(self, schema):
        return list_schema(schema, next_example="https://example.com/api/v1/customers/?page=2")

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1 (the next and previous links carry it).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            },
            PAGE_SIZE_PARAMETER,
        ]


class InteractionCursorPagination(BasePagination):
    """``?cursor=``: newest first by (occurred_at, id); the links carry the cursor."""

    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = page_size(request, settings.EMOTIONCARE_API_PAGE_SIZE)
        raw = request.query_params.get(self.cursor_query_param) or ""
        direction, _sep, token = raw.partition(":")
        if raw and (direction not in (keyset.OLDER, keyset.NEWER) or not token):
            raise exceptions.ValidationError({self.cursor_query_param: [ERR_CURSOR]})
        try:
            self.page = keyset.page(queryset, {direction: token} if raw else {}, size)
        except keyset.InvalidCursor as error:
            raise exceptions.ValidationError({self.cursor_query_param: [ERR_CURSOR]}) from error
        return self.page.rows

    def link(self, direction: str, token: str | None) -> str | None:
        if not token:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, f"{direction}:{token}")

    def get_paginated_response(self, data):
        return Response(
            {
                "results": data,
                "next": self.link(keyset.OLDER, self.page.older),
                "previous": self.link(keyset.NEWER, self.page.newer),
            }
        )

    def get_paginated_response_schema(self, schema):
        return list_schema(
            schema,
            next_example="https://example.com/api/v1/interactions/?cursor=older:1740787200000000.42",
        )

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts: take it from the next or previous link.",
                "schema": {"type": "string"},
            },
            PAGE_SIZE_PARAMETER,
        ]
