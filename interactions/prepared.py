"""Querysets compiled to SQL once per process, run with each request's values.

Django builds and compiles every query anew: for the small queries every page runs (the
user's role and permissions, the reference tables, the care reminders) that costs 0.2
to 1 ms each, several times what the database spends on them (docs/architecture.md,
"Queries compiled once"). A `Prepared` query is built and compiled on its first use on
a connection, with stand-in values; each later use puts its own values into the compiled
statement's parameters and runs it through Django's own result iterables, so the rows
come back exactly as the queryset would give them (model instances, `values()` dicts,
`values_list()` tuples, with `select_related` and converters).

Only the SQL text is kept, never a result: every call runs its statement.

The query's shape must not depend on the values (a None that would turn `=` into
`IS NULL`, a list whose length shows in `IN (...)`): such choices belong in the builder's
name or in separate Prepared queries. With `EMOTIONCARE_CHECK_PREPARED` on (the test
suite turns it on), every call also builds and compiles the query the ordinary way and
fails loudly when the statement or its parameters differ.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.utils import timezone

# Stand-ins for each kind of value, found among the compiled statement's parameters by
# being values no constant of a statement holds. Ids stay within a small integer column's
# range: Django turns a comparison with a number out of a column's range into "no rows"
# when compiling (on PostgreSQL), which would lose the parameter.
_STAND_INS: dict[str, Callable[[int], object]] = {
    "id": lambda index: 31_700 + index,
    "date": lambda index: dt.date(1111, 1, 1 + index),
    "datetime": lambda index: dt.datetime(1111, 1, 1, 11, 11, index, tzinfo=dt.UTC),
    "text": lambda index: f"\x01prepared-stand-in-{index}\x01",
}


class PreparedError(Exception):
    """The query cannot be prepared this way (a stand-in was lost in compiling, or the
    statement differs from the ordinary one)."""


class _Compiled:
    __slots__ = ("queryset", "compiler", "sql", "params", "slots")

    def __init__(self, queryset, compiler, sql, params, slots):
        self.queryset = queryset
        self.compiler = compiler
        self.sql = sql
        self.params = params
        self.slots = slots  # (position, name, adapt)


class Prepared:
    """`build(**values)` returns the queryset; `kinds` names each value's kind ("id",
    "date", "datetime" or "text"). Calling the Prepared runs it and returns a list."""

    def __init__(self, build: Callable[..., QuerySet], **kinds: str):
        unknown = set(kinds.values()) - _STAND_INS.keys()
        if unknown:
            raise ValueError(f"Unknown kinds: {sorted(unknown)}")
        self.build = build
        self.kinds = kinds
        self._key = f"prepared-{id(self)}"

    def __call__(self, **values) -> list:
        if values.keys() != self.kinds.keys():
            raise TypeError(f"Expected the values {sorted(self.kinds)}, got {sorted(values)}")
        if any(value is None for value in values.values()):
            raise ValueError("A prepared query takes no None: it would change its shape.")
        compiled = self._compiled()
        params = list(compiled.params)
        for position, name, adapt in compiled.slots:
            params[position] = adapt(values[name])
        params = tuple(params)
        if getattr(settings, "EMOTIONCARE_CHECK_PREPARED", False):
            self._check(compiled, params, values)
        compiler = compiled.compiler
        compiler.as_sql = lambda *args, **kwargs: (compiled.sql, params)
        queryset = compiled.queryset
        queryset._result_cache = None
        queryset._prefetch_done = False
        try:
            return list(queryset)
        finally:
            queryset._result_cache = None

    def _compiled(self) -> _Compiled:
        # Kept on the connection: one per thread, and its SQL is that database's.
        connection = connections[DEFAULT_DB_ALIAS]
        store = connection.__dict__.setdefault("_emotioncare_prepared", {})
        key = (self._key, timezone.get_current_timezone_name())
        compiled = store.get(key)
        if compiled is None:
            compiled = store[key] = self._compile(self.build(**self._stand_ins()), connection)
        return compiled

    def _stand_ins(self) -> dict:
        return {
            name: _STAND_INS[kind](index) for index, (name, kind) in enumerate(self.kinds.items())
        }

    def _compile(self, queryset: QuerySet, connection) -> _Compiled:
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        ops = connection.ops
        adapters = {
            "id": (int,),
            "text": (str,),
            "date": (lambda value: value, ops.adapt_datefield_value),
            "datetime": (lambda value: value, ops.adapt_datetimefield_value),
        }
        slots = []
        for name, stand_in in self._stand_ins().items():
            found = False
            for adapt in adapters[self.kinds[name]]:
                target = adapt(stand_in)
                for position, param in enumerate(params):
                    if type(param) is type(target) and param == target:
                        slots.append((position, name, adapt))
                        found = True
                if found:
                    break
            if not found:
                raise PreparedError(
                    f"The value {name!r} does not reach the statement as a parameter."
                )
        # Every later run goes through this compiler, already set up by as_sql().
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        return _Compiled(queryset, compiler, sql, tuple(params), tuple(slots))

    def _check(self, compiled: _Compiled, params: tuple, values: dict) -> None:
        queryset = self.build(**values)
        sql, expected = queryset.query.get_compiler(queryset.db).as_sql()
        if sql != compiled.sql or tuple(expected) != params:
            raise PreparedError(
                "A prepared statement differs from the ordinary one:\n"
                f"{compiled.sql} {params}\n{sql} {tuple(expected)}"
            )


def first(rows: list):
    """The first row of a prepared query's result, or None (as `QuerySet.first()`)."""
    return rows[0] if rows else None


_SHAPED: dict[tuple, Prepared] = {}


def shaped(key: tuple, build: Callable[..., QuerySet], **kinds: str) -> Prepared:
    """The Prepared of `key`, made from `build` and `kinds` on first use. `key` holds
    everything that shapes the statement (which query, which filters, which cut); the
    values are the call's."""
    prepared = _SHAPED.get(key)
    if prepared is None:
        prepared = _SHAPED[key] = Prepared(build, **kinds)
    return prepared


def finish_key(finish: Callable) -> tuple[str, str]:
    """The key part naming a reader's `finish` (rollups.read, dashboard.read): a plain
    function of the rows and the shape, which may not capture a request's values."""
    if finish.__closure__:
        raise ValueError("A reader's finish may not capture values: pass them as shape.")
    return finish.__module__, finish.__qualname__


def for_ids(key: str, build: Callable[[list], QuerySet], ids) -> list:
    """`build(ids)` (a query of some rows by id, `pk__in=ids`) prepared once per `key` and
    number of distinct ids: a page of people, the templates of a table. No ids, no
    statement."""
    ids = sorted({value for value in ids if value is not None})  # as `__in` sends them
    if not ids:
        return []
    names = [f"id{index}" for index in range(len(ids))]
    prepared = shaped(
        ("ids", key, len(ids)),
        lambda **given: build([given[name] for name in names]),
        **dict.fromkeys(names, "id"),
    )
    return prepared(**dict(zip(names, ids, strict=True)))
