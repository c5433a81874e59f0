"""Counted in one statement: the grouped sources and the computations that read them."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Case, CharField, F, IntegerField, Max, Model, Q, QuerySet, Value, When

from authorities.models import State
from portal.reports.computations.periods import IN_BOTH, _on_days
from portal.reports.computations.registry import ManyCells, Span, periods_together, shared

# Figures whose rows lie in one state (a person's authority, a process's) are read for all periods of a
# table at once: each source gives its rows with a flag per period, and one statement counts the flags
# of every source for every period and state (issue 18: one subquery per cell scanned the same rows a
# hundred times). Overall counts rows without a state too. A source whose rows can count in both states
# at once (a course open to both, a meeting of a network with members in both) gives them the state
# IN_BOTH: they count in each state and once overall, and its counts are read for IN_BOTH as well.
# Per period, per state (None: overall), the counts by name.
type GroupedCounts = dict[Span, dict[str | None, dict[str, int]]]
# A count over the source's rows `g`: (SQL of the period's flag column, SQL of the state's condition) → SQL.
type Aggregate = Callable[[str, str], str]
# A source: its rows for the periods (a `state` column and flag columns ending in the period's number)
# and its counts by name (the flag column's prefix, how it is counted).
type Source = Callable[[list[Span]], tuple[QuerySet[Any], dict[str, tuple[str, Aggregate]]]]
_GROUPED_KEYS: list[str] = []
_OVERALL_AND_STATES: tuple[str | None, ...] = (None, State.RP.value, State.NI.value)
_ALSO_IN_BOTH: tuple[str | None, ...] = (*_OVERALL_AND_STATES, IN_BOTH)
# Each source with the states its counts are read for.
_SOURCES: list[tuple[Source, tuple[str | None, ...]]] = []


def grouped_source(source: Source) -> Source:
    """Register a source whose rows lie in one state at most."""
    _SOURCES.append((source, _OVERALL_AND_STATES))
    return source


def grouped_source_in_both(source: Source) -> Source:
    """Register a source whose rows may also count in both states (state IN_BOTH)."""
    _SOURCES.append((source, _ALSO_IN_BOTH))
    return source


def _matching(state: str | None) -> str:
    """The SQL condition on the rows `g` that count in `state` (None: overall)."""
    if state is None:
        return "1 = 1"
    if state == IN_BOTH:
        return f"g.\"state\" = '{IN_BOTH}'"
    return f"g.\"state\" IN ('{state}', '{IN_BOTH}')"


def _reach(spans: list[Span]) -> Span:
    """The first day of the first period and the last of the latest."""
    return spans[0][0], max(date_to for _from, date_to in spans)


def _flag(condition: Q) -> Max:
    """1 when any row of the group meets `condition`, else 0."""
    return Max(_row_flag(condition))


def _row_flag(condition: Q) -> Case:
    """1 when the row meets `condition`, else 0."""
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _distinct(column: str) -> Aggregate:
    """The distinct values of `column` among the rows whose flag is set."""
    return lambda flag, match: f'COUNT(DISTINCT CASE WHEN {flag} = 1 AND {match} THEN g."{column}" END)'


def _flagged(flag: str, match: str) -> str:
    """The rows whose flag is set (a grouped source: the groups, e.g. people)."""
    return f"SUM(CASE WHEN {match} THEN {flag} ELSE 0 END)"


def _count_grouped(spans: list[Span]) -> GroupedCounts:
    """Per period and state (overall, RP, NI; IN_BOTH for the sources that have it) the counts of
    every source, in one statement."""
    parts: list[str] = []
    params: list[Any] = []
    names: list[list[tuple[Span, str | None, str]]] = []
    columns: list[list[str]] = []
    # PostgreSQL would otherwise pull the rows up into the counts and repeat each flag's expression
    # (with its subquery, e.g. the authorities taking part) in every count that reads it.
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    for source, states in _SOURCES:
        rows, counts = source(spans)
        sql, rows_params = rows.query.sql_with_params()
        names.append([])
        columns.append([])
        for i, span in enumerate(spans):
            for state in states:
                match = _matching(state)
                for name, (prefix, aggregate) in counts.items():
                    columns[-1].append(aggregate(f'g."{prefix}{i}"', match))
                    names[-1].append((span, state, name))
        parts.append(f"FROM ({sql}{fence}) g")
        params.extend(rows_params)
    # One row per source, its counts padded to the widest: a UNION, not a join of the sources, whose
    # order the planner would search (13 sources: longer than counting).
    width = max(len(counted) for counted in columns)
    selects = [
        # The SQL is the ORM's own, its values stay parameters; names and states are ours.
        f"SELECT {n}, {', '.join(counted + ['0'] * (width - len(counted)))} {part}"  # noqa: S608
        for n, (counted, part) in enumerate(zip(columns, parts, strict=True))
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        read = {row[0]: row[1:] for row in cursor.fetchall()}
    found: GroupedCounts = {span: {state: {} for state in _ALSO_IN_BOTH} for span in spans}
    for n, source_names in enumerate(names):
        for (span, state, name), value in zip(source_names, read[n], strict=False):
            found[span][state][name] = int(value or 0)
    return found


def grouped(
    key: str, value: Callable[[dict[str, int]], int | float], *, stateless: bool = False
) -> ManyCells:
    """The cells of computation `key` from the grouped counts (`value` of a cell's counts by name),
    read once for every grouped computation of the running compute_many; `stateless`: the overall
    counts in every column (the library's)."""
    _GROUPED_KEYS.append(key)

    def many(cells: list[tuple[date, date, str | None]]) -> list[int | float]:
        spans = periods_together(_GROUPED_KEYS, cells)
        counts = shared("grouped", lambda: _count_grouped(spans))
        return [value(counts[(f, t)][None if stateless else s]) for f, t, s in cells]

    return many


def _one(many: ManyCells, date_from: date, date_to: date, state: str | None) -> int | float:
    return many([(date_from, date_to, state)])[0]


# Rows without a state (the library serves both states): their figures are the project's in every
# column.
_NO_STATE = Value(None, output_field=CharField())


def _dated_rows(model: type[Model], day: str, key: str, *, state: str | None = None) -> ManyCells:
    """The cells of computation `key` that counts `model`'s rows whose `day` (a date field path) lies
    in the period, per state by the field path `state`; without one the project's figure stands in
    every column. Registers its grouped source: one part of the grouped statement."""

    @grouped_source
    def rows_on_days(spans: list[Span]) -> tuple[QuerySet[Any], dict[str, tuple[str, Aggregate]]]:
        flags = {f"{key}{i}": _row_flag(_on_days(day, *span)) for i, span in enumerate(spans)}
        rows = (
            model._default_manager.filter(_on_days(day, *_reach(spans)))
            .annotate(state=F(state) if state else _NO_STATE, **flags)
            .values("state", *flags)
            .order_by()
        )
        return rows, {key: (key, _flagged)}

    return grouped(key, lambda counts: counts.get(key, 0), stateless=state is None)
