"""Reads compiled once per process.

Some reads run on every request of a busy page with a statement that is the same each time but for the
request's values (the person, the moment). Building and compiling such a queryset with the ORM can cost
far more than running it: the coordinator's own courses on the start page took 1.7 ms of CPU to build
and compile and 0.1 ms to run (issue 18).

`compiled_once(build)` wraps a function that builds a queryset from keyword values (ints and aware
datetimes). The first call of a shape (its `shape` key, the names of its values and the database) builds
the queryset with stand-in values, lets the ORM compile it and keeps the SQL, the places of the
stand-ins among its parameters and the compiler, whose converters turn each row into what the queryset
would have given. Every call then runs that SQL with its own values in those places. The statement is
the ORM's own and every value stays a parameter; a value the ORM does not pass as a parameter is
refused when the shape is first compiled.
"""

from collections.abc import Callable, Hashable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connections
from django.db.models import QuerySet

Value = int | datetime


class _Statement:
    """One shape's SQL, its parameters with the stand-ins' places, and the compiler of its rows."""

    def __init__(self, queryset: QuerySet[Any], stand_ins: dict[str, Value]) -> None:
        connection = connections[queryset.db]
        self.alias = queryset.db  # the statement is this database's dialect: one process, one database
        self.compiler = queryset.query.get_compiler(queryset.db)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        self.places: list[tuple[int, str, bool]] = []  # (index, value's name, adapted as a datetime)
        for name, stand_in in stand_ins.items():
            adapted = (
                connection.ops.adapt_datetimefield_value(stand_in) if isinstance(stand_in, datetime) else None
            )
            found = [
                (index, name, param is not stand_in and param == adapted)
                for index, param in enumerate(self.params)
                if param == stand_in or (adapted is not None and param == adapted)
            ]
            if not found or str(stand_in) in self.sql:
                raise ValueError(f"{name!r} is not a parameter of the compiled statement")
            self.places += found

    def rows(self, values: dict[str, Value]) -> list[tuple[Any, ...]]:
        connection = connections[self.alias]
        params = list(self.params)
        for index, name, adapt in self.places:
            value = values[name]
            params[index] = (
                connection.ops.adapt_datetimefield_value(value)
                if adapt and isinstance(value, datetime)
                else value
            )
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        return list(self.compiler.results_iter(results=[fetched], tuple_expected=True))


def _check(name: str, value: Value) -> None:
    if isinstance(value, bool) or not isinstance(value, int | datetime):
        raise TypeError(f"{name!r}: only ints and datetimes can be compiled once, not {type(value).__name__}")
    if isinstance(value, datetime) and value.tzinfo is None:
        raise TypeError(f"{name!r}: a datetime needs its time zone")


def _stand_in(value: Value, number: int) -> Value:
    """A value of the same kind that no real one is: negative ids, moments of 1901."""
    if isinstance(value, datetime):
        return datetime(1901, 1, 1, 0, 0, 0, 123457, tzinfo=UTC) + timedelta(seconds=number + 1)
    return -7_346_291_000 - number


def compiled_once(build: Callable[..., QuerySet[Any]]) -> Callable[..., list[tuple[Any, ...]]]:
    """`read(shape=…, **values)`: the rows of `build(**values)` (a `values_list` queryset) as tuples,
    compiled once per process for each shape. `shape` names what changes the statement itself (e.g.
    whether the reader is a coordinator) and is passed to `build` too."""
    statements: dict[tuple[Hashable, ...], _Statement] = {}

    def read(*, shape: Hashable = None, **values: Value) -> list[tuple[Any, ...]]:
        for name, value in values.items():
            _check(name, value)
        key = (shape, *sorted((name, isinstance(value, datetime)) for name, value in values.items()))
        statement = statements.get(key)
        if statement is None:
            stand_ins = {
                name: _stand_in(value, number) for number, (name, value) in enumerate(values.items())
            }
            statement = statements[key] = _Statement(build(shape=shape, **stand_ins), stand_ins)
        return statement.rows(values)

    return read
