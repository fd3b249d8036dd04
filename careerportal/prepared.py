"""Queries compiled to SQL once per process, then run with each request's ids.

Django builds and compiles a queryset's SQL again on every evaluation: for the career page's
UNION of ordered parts that was 1.2 ms of a 9 ms render, to write the same SQL with another
career's id. A `PreparedQuery` builds its queryset once (per database and number of ids) with
stand-in ids, keeps the SQL and the compiler (which converts the rows' values, e.g. a time read
from SQLite), and on each call runs that SQL with the real ids. Results are never kept: every
call reads the database.

For a values_list() queryset (rows as tuples) or a queryset of model instances (joined rows
of select_related() included, annotations set), whose SQL depends on nothing but the ids: not
on the date, the user or a setting (put those in the ids, or do not prepare the query). No
prefetch_related(): read each list with its own PreparedQuery.
"""

import copy
from collections.abc import Callable, Sequence
from itertools import count

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable

# Stand-ins no row id can be: each call's ids take their places in the compiled parameters.
# Within a 32-bit integer: PostgreSQL's `integer` columns (auth's user ids) are, and Django
# compiles an id out of a column's range as no row (EmptyResultSet), without the id.
_STAND_IN_BASE = -2_000_000_000


class PreparedQuery:
    """`build(*ids, **fixed)` returns a values_list() queryset or one of model instances; each
    of `ids` is an int, a str or a sequence of ints (each length compiled apart: an empty one
    drops its condition, or empties the query, which then runs as Django runs it), and
    `fixed` are values written into the SQL (a LIMIT), each compiled apart. Calling the
    PreparedQuery returns a list, as list(build(*ids, **fixed)) would, with the SQL compiled
    once for each shape of arguments."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._prepared: dict[tuple, tuple] = {}

    def __call__(
        self, *ids: int | str | Sequence[int], using: str = DEFAULT_DB_ALIAS, **fixed
    ) -> list:
        connection = connections[using]
        ids = tuple(arg if isinstance(arg, int | str) else list(arg) for arg in ids)
        shape = tuple(type(arg) if isinstance(arg, int | str) else len(arg) for arg in ids)
        key = (using, connection.vendor, shape, tuple(sorted(fixed.items())))
        prepared = self._prepared.get(key)
        if prepared is None:
            prepared = self._prepared[key] = self._prepare(shape, using, fixed)
        compiler, sql, slots, iterable, converters = prepared
        if compiler is None:  # could not be prepared: compiled as Django always does
            return list(self.build(*ids, **fixed).using(using))
        params = [constant if slot is None else _value(ids, *slot) for constant, slot in slots]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:  # as compiler.results_iter() converts them
            rows = list(compiler.apply_converters(rows, converters))
        if iterable is None:
            return list(map(tuple, rows))
        # Django's own loop makes the instances (joined rows, annotations), from a copy of the
        # prepared compiler that answers with these rows.
        ran = copy.copy(compiler)
        ran.execute_sql = lambda *args, **kwargs: None
        ran.results_iter = lambda *args, **kwargs: rows
        return list(iterable(QuerySet(compiler.query.model, _Compiled(ran), using)))

    def _prepare(self, shape: tuple, using: str, fixed: dict) -> tuple:
        """(compiler, SQL, [(constant, slot)...], iterable, converters) for arguments of this
        shape: slot is (argument, index in it or None, type), or None for a parameter of the
        query's own; iterable is the ModelIterable that makes instances, or None for rows;
        converters are the compiler's for its columns. All None when the query cannot be
        prepared (it is then built and compiled on each call)."""
        stand_ins = count(_STAND_IN_BASE, -1)
        places = {}
        args = []
        for position, size in enumerate(shape):
            if size in (int, str):
                value = size(next(stand_ins))
                places[value] = (position, None)
                args.append(value)
            else:
                values = [next(stand_ins) for _ in range(size)]
                places.update({value: (position, i) for i, value in enumerate(values)})
                args.append(values)
        queryset = self.build(*args, **fixed)
        iterable = queryset._iterable_class
        instances = issubclass(iterable, ModelIterable) and not queryset._prefetch_related_lookups
        if not instances and iterable is not ValuesListIterable:
            return None, None, None, None, None
        compiler = queryset.query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return None, None, None, None, None
        # A stand-in may come back wrapped: psycopg 3's Int8 for Value(id) on PostgreSQL, which
        # a call's id is wrapped in again.
        slots = [
            (param, (*places[param], type(param)) if _is_stand_in(param, places) else None)
            for param in params
        ]
        found = {slot[:2] for _, slot in slots if slot is not None}
        # Every stand-in must be a parameter (none written into the SQL itself): else the query
        # is compiled on every call, as it always was.
        if len(found) != len(places) or any(str(value) in sql for value in places):
            return None, None, None, None, None
        columns = [column for column, _, _ in compiler.select[: compiler.col_count]]
        if compiler.has_composite_fields(columns):
            return None, None, None, None, None
        converters = compiler.get_converters(columns)
        iterable = None if iterable is ValuesListIterable else iterable
        return compiler, sql, slots, iterable, converters


def _is_stand_in(param, places: dict) -> bool:
    return isinstance(param, int | str) and not isinstance(param, bool) and param in places


def _value(ids: tuple, position: int, index: int | None, kind: type) -> int | str:
    value = ids[position] if index is None else ids[position][index]
    return value if type(value) is kind else kind(value)


def padded(ids: Sequence[int]) -> list[int]:
    """`ids` with the last repeated up to a length that is a power of two, for a list a query
    only tests membership of (`IN (...)`, `NOT IN`): `IN (4, 7, 7, 7)` finds what `IN (4, 7)`
    does. A query prepared for each length of a learner's list of exams compiled one SQL a
    length (up to 110 KiB each, kept by every worker); padded, lists of 5 to 8 share one."""
    ids = list(ids)
    if len(ids) > 1:
        ids += ids[-1:] * ((1 << (len(ids) - 1).bit_length()) - len(ids))
    return ids


class PreparedPages:
    """`queryset`'s rows as a Paginator pages them: counted by `queryset.count()`, each of
    the first `prepared` pages read by `query` (a PreparedQuery whose build takes `ids`,
    `fixed` and the page's `start` and `size`), with its SQL compiled once per page start
    (Django's page slice stops at the last row counted: the rows read past it are left out,
    as its LIMIT left them); a later page, which few visitors open, is sliced from
    `queryset` as before, so that a crawler walking every page keeps no SQL of each."""

    def __init__(
        self, queryset: QuerySet, query: PreparedQuery, *ids, size: int, prepared: int, **fixed
    ):
        self.queryset, self.query, self.ids, self.fixed = queryset, query, ids, fixed
        self.size, self.prepared = size, prepared

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window: slice) -> list:
        if window.stop <= window.start:
            return []  # as Django's empty slice: no query
        if window.start >= self.prepared * self.size:
            return list(self.queryset[window])
        rows = self.query(
            *self.ids, start=window.start, size=self.size, using=self.queryset.db, **self.fixed
        )
        return rows[: window.stop - window.start]


class _Compiled:
    """The query of a prepared queryset, as Django's iterables ask it: for its compiler."""

    def __init__(self, compiler):
        self.compiler = compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self.compiler
