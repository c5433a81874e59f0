"""The computations behind the AMIF indicators.

Each computation is a named function `(*, date_from, date_to, state=None) -> int | float`; both days
of the period count. `state` ("RP"/"NI") narrows the figure to the authorities of that state (IN_BOTH:
to what counts in both at once, see `in_states`). An
`Indicator` names its computation by key; the official AMIF codes are data on the indicator and
never appear here.

Every figure is read "as of" a moment (now, unless a caller names one): nothing counts before it
happened. A period that has not begun counts nothing; a running one counts until the moment; a course
date or meeting counts as held once it has ended (`held`), inside the period and before the moment.
"""

from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, CharField, F, IntegerField, Max, Model, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from authorities.models import (
    Authority,
    ChangeProcess,
    Measure,
    ProcessStatusChange,
    State,
    StatusChange,
)
from network.models import Document, DocumentDownload, ItemKind, Meeting, MeetingRegistration, MinutesItem
from portal import facts
from training.models import (
    Attendance,
    Course,
    CourseDate,
    CourseStatus,
    EnrollmentStatus,
    Feedback,
    FollowUpAnswer,
    OpenTo,
    UsesLearning,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Share:
    """A per-cent figure from two counts: `part` of `whole`, rounded to one decimal, 0.0 for none."""

    part: QuerySet[Any]
    whole: QuerySet[Any]

    @staticmethod
    def of(part: int, whole: int) -> float:
        return round(100 * part / whole, 1) if whole else 0.0


# What a computation's function gives: a number, the rows to count (so that many figures can be read
# in one query, see `compute_many`), or a share of two row counts.
type Figure = int | float | QuerySet[Any] | Share
# A computation: `(*, date_from, date_to, state=None) -> Figure`.
type Counting = Callable[..., Figure]
# Several cells at once: [(date_from, date_to, state), …] -> their values (see processes_completed).
type ManyCells = Callable[[list[tuple[date, date, str | None]]], Sequence[int | float]]


def _value(figure: Figure) -> int | float:
    if isinstance(figure, Share):
        return Share.of(figure.part.count(), figure.whole.count())
    if isinstance(figure, QuerySet):
        return figure.count()
    return figure


@dataclass(frozen=True)
class Computation:
    key: str
    label: "StrOrPromise"
    function: Counting
    many: ManyCells | None = None

    def __call__(
        self, *, date_from: date, date_to: date, state: str | None = None, as_of: datetime | None = None
    ) -> int | float:
        return _value(self.figure(date_from=date_from, date_to=date_to, state=state, as_of=as_of))

    def figure(
        self, *, date_from: date, date_to: date, state: str | None = None, as_of: datetime | None = None
    ) -> Figure:
        """The figure unevaluated where it is rows to count: read as of `as_of` (now), so the
        querysets carry that moment in their filters."""
        as_of = as_of or timezone.now()
        today = timezone.localdate(as_of)
        if date_from > today:
            return 0
        token = _as_of.set(as_of)
        try:
            return self.function(date_from=date_from, date_to=min(date_to, today), state=state)
        finally:
            _as_of.reset(token)


# The moment the running computation reads the facts as of (set by Computation.figure).
_as_of: ContextVar[datetime | None] = ContextVar("as_of", default=None)


def reading_moment() -> datetime:
    return _as_of.get() or timezone.now()


# What several computations read alike, kept for the length of one `compute_many` call (see `shared`).
_shared: ContextVar[dict[str, Any] | None] = ContextVar("shared", default=None)


def shared[T](name: str, read: Callable[[], T]) -> T:
    """`read()` once per `compute_many` call for every computation that asks by the same name (e.g.
    the survey's days); outside such a call, every time."""
    memo = _shared.get()
    if memo is None:
        return read()
    if name not in memo:
        memo[name] = read()
    found: T = memo[name]
    return found


REGISTRY: dict[str, Computation] = {}


def computation(
    key: str, label: "StrOrPromise", *, many: ManyCells | None = None
) -> Callable[[Counting], Callable[..., int | float]]:
    """Register a computation; the module keeps a function of the same name that gives the number."""

    def register(function: Counting) -> Callable[..., int | float]:
        if key in REGISTRY:
            raise ValueError(f"computation {key!r} is registered twice")
        REGISTRY[key] = Computation(key, label, function, many)

        @wraps(function)
        def number(**kwargs: Any) -> int | float:
            return _value(function(**kwargs))

        return number

    return register


def computation_choices() -> list[tuple[str, "StrOrPromise"]]:
    # A callable, so that adding a computation needs no migration of Indicator.computation.
    return [(key, c.label) for key, c in REGISTRY.items()]


def compute(
    key: str, *, date_from: date, date_to: date, state: str | None = None, as_of: datetime | None = None
) -> int | float:
    return REGISTRY[key](date_from=date_from, date_to=date_to, state=state, as_of=as_of)


# A cell of a table: (computation key, date_from, date_to, state).
type Cell = tuple[str, date, date, str | None]


# Figures of a period that ended before the day read as of rest on dated facts that no longer change:
# compute_many keeps them in the cache (key: computation, period bounds, state, the past's token of
# portal/facts.py, which a correction of a dated fact by project staff changes at once). A day at
# most, so that facts recorded late for a past day (attendance of last week's course) show by the
# next day; bump the version when a computation's rule changes.
ENDED_FIGURES_SECONDS = 24 * 60 * 60
ENDED_FIGURES_VERSION = 2


def _ended_key(cell: Cell, past: str) -> str:
    key, date_from, date_to, state = cell
    return f"figures:{ENDED_FIGURES_VERSION}:{past}:{key}:{date_from}:{date_to}:{state or ''}"


# A running period's figures change with every write to a counted fact and when time alone makes a
# fact countable: a course date or meeting ends (`held`), a day begins (the facts dated by day, and the
# period's end read as today). compute_many keeps them, when settings.RUNNING_FIGURES_CACHE allows,
# under the facts generation (portal/facts.py: every write to a counted model changes it) and only
# until the first such moment, which is stored with them (tests/reports/test_running_figures.py).
RUNNING_FIGURES_SECONDS = 24 * 60 * 60


def _running_key(cell: Cell, generation: str) -> str:
    key, date_from, date_to, state = cell
    return f"figures:running:{ENDED_FIGURES_VERSION}:{generation}:{key}:{date_from}:{date_to}:{state or ''}"


def figures_valid_until(as_of: datetime) -> datetime:
    """The first moment after `as_of` at which time alone changes a figure read as of now: the next
    midnight (German time) or the next end of a course date or meeting, whichever comes first."""
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(as_of) + timedelta(days=1), time.min))
    soon = Q(ends_at__gt=as_of, ends_at__lt=midnight)
    ends = (
        CourseDate.objects.filter(soon)
        .order_by()
        .values_list("ends_at", flat=True)
        .union(Meeting.objects.filter(soon).order_by().values_list("ends_at", flat=True))
        .order_by("ends_at")[:1]
    )
    return min([midnight, *ends])


def _valid_until(as_of: datetime, generation: str) -> datetime:
    """figures_valid_until, read once per generation while it holds: the first end after a moment
    is the first end after any later moment before it (the table and the development of one page
    ask one after the other)."""
    name = f"figures:until:{generation}"
    kept = cache.get(name)
    if kept is not None and kept[0] <= as_of < kept[1]:
        until: datetime = kept[1]
        return until
    until = figures_valid_until(as_of)
    cache.set(name, (as_of, until), RUNNING_FIGURES_SECONDS)
    return until


def compute_many(cells: list[Cell], *, as_of: datetime | None = None) -> list[int | float]:
    """The values of many cells, read as of one moment, in as few queries as the cells allow: every
    count of rows in one statement, the grouped figures (`grouped`) in another, and one query per
    other computation that reads cells together (`many`). The same numbers as `compute` for each
    cell (tests/reports/test_figures_at_once.py). Cells of periods ended before that moment's day
    come from the cache when they are there (tests/reports/test_ended_figures.py); read as of now,
    so do a running period's cells while no counted fact has changed and no course date or meeting
    has ended since."""
    running = as_of is None and settings.RUNNING_FIGURES_CACHE
    as_of = as_of or timezone.now()
    today = timezone.localdate(as_of)
    past = facts.past_generation() if any(cell[2] < today for cell in cells) else ""
    ended = {_ended_key(cell, past): cell for cell in cells if cell[2] < today}
    generation = facts.generation() if running else ""
    current = {_running_key(cell, generation): cell for cell in cells if cell[2] >= today} if running else {}
    known = cache.get_many([*ended, *current]) if ended or current else {}
    found: dict[Cell, int | float] = {cell: known[name] for name, cell in ended.items() if name in known}
    for name, cell in current.items():
        # Kept with the moments between which it holds (a clock set back in a test must not read it).
        if name in known and known[name][1] <= as_of < known[name][2]:
            found[cell] = known[name][0]
    missing = list(dict.fromkeys(cell for cell in cells if cell not in found))
    counted = dict(zip(missing, _count_cells(missing, as_of), strict=True)) if missing else {}
    keep: dict[str, Any] = {name: counted[cell] for name, cell in ended.items() if cell in counted}
    cache.set_many(keep, ENDED_FIGURES_SECONDS)
    fresh = {name: cell for name, cell in current.items() if cell in counted}
    if fresh:
        until = _valid_until(as_of, generation)
        cache.set_many(
            {name: (counted[cell], as_of, until) for name, cell in fresh.items()}, RUNNING_FIGURES_SECONDS
        )
    return [found[cell] if cell in found else counted[cell] for cell in cells]


def _count_cells(cells: list[Cell], as_of: datetime) -> list[int | float]:
    token = _shared.set({})
    try:
        return _count_each(cells, as_of)
    finally:
        _shared.reset(token)


def _count_each(cells: list[Cell], as_of: datetime) -> list[int | float]:
    figures: list[Figure | None] = []
    together: dict[str, list[int]] = {}
    for index, (key, date_from, date_to, state) in enumerate(cells):
        computation = REGISTRY[key]
        if computation.many is not None:
            together.setdefault(key, []).append(index)
            figures.append(None)
        else:
            figures.append(computation.figure(date_from=date_from, date_to=date_to, state=state, as_of=as_of))
    counts = iter(_count_rows([qs for f in figures for qs in _rows(f)]))
    values: list[int | float] = []
    for figure in figures:
        if isinstance(figure, Share):
            part, whole = next(counts), next(counts)
            values.append(Share.of(part, whole))
        elif isinstance(figure, QuerySet):
            values.append(next(counts))
        else:
            values.append(figure or 0)
    today = timezone.localdate(as_of)
    wanted = {
        key: [(cells[i][1], min(cells[i][2], today), cells[i][3]) for i in indices]
        for key, indices in together.items()
    }
    memo = _shared.get()
    if memo is not None:
        memo[_TOGETHER] = wanted
    for key, indices in together.items():
        token = _as_of.set(as_of)
        try:
            read = REGISTRY[key].many(wanted[key])  # type: ignore[misc]
        finally:
            _as_of.reset(token)
        for i, (date_from, _to, _state), value in zip(indices, wanted[key], read, strict=True):
            values[i] = 0 if date_from > today else value
    return values


# The memo's entry with the cells (bounded by today) of every computation read together (`many`) in
# the running compute_many, by key.
_TOGETHER = "together"

type Span = tuple[date, date]


def periods_together(keys: Sequence[str], own: list[tuple[date, date, str | None]]) -> list[Span]:
    """The periods of `own` cells and of every cell of the computations `keys` in the running
    compute_many, each once and in order: computations that count the same rows read them in one
    grouped query for all their periods (`shared`), whichever of them asks first."""
    memo = _shared.get() or {}
    together: dict[str, list[tuple[date, date, str | None]]] = memo.get(_TOGETHER, {})
    cells = [*own, *(cell for key in keys for cell in together.get(key, []))]
    return sorted({(date_from, date_to) for date_from, date_to, _state in cells})


def _rows(figure: Figure | None) -> list[QuerySet[Any]]:
    if isinstance(figure, Share):
        return [figure.part, figure.whole]
    return [figure] if isinstance(figure, QuerySet) else []


# Subqueries per statement: far below the parameter limits of SQLite and PostgreSQL.
COUNTS_PER_QUERY = 150


def _count_rows(querysets: list[QuerySet[Any]]) -> list[int]:
    """COUNT(*) of each queryset's rows, as `.count()` would give them, in one statement per
    COUNTS_PER_QUERY querysets."""
    counts: list[int] = []
    for first in range(0, len(querysets), COUNTS_PER_QUERY):
        parts: list[str] = []
        params: list[Any] = []
        for queryset in querysets[first : first + COUNTS_PER_QUERY]:
            sql, query_params = queryset.query.sql_with_params()
            # The SQL is the ORM's own, its values stay parameters: nothing from outside is spliced in.
            parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted)")  # noqa: S608
            params.extend(query_params)
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            counts.extend(int(value) for value in cursor.fetchone())
    return counts


def _on_days(prefix: str, date_from: date, date_to: date) -> Q:
    """A date field on one of the days of the period."""
    return Q(**{f"{prefix}__gte": date_from, f"{prefix}__lte": date_to})


def during(prefix: str, date_from: date, date_to: date) -> Q:
    """A timestamp on one of the days of the period, German time: the same rows as comparing
    `prefix__date`, but as a range on the column itself, which an index can serve and which
    needs no cast per row."""
    start, end = _bounds(date_from, date_to)
    return Q(**{f"{prefix}__gte": start, f"{prefix}__lt": end})


def held(prefix: str, date_from: date, date_to: date) -> Q:
    """A course date or meeting (`prefix` leads to its starts_at/ends_at) held in the period: it began
    on one of the period's days and ended before the period's end and before the moment read as of."""
    start, end = _bounds(date_from, date_to)
    return Q(**{f"{prefix}starts_at__gte": start, f"{prefix}ends_at__lte": end})


def _bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """The period's first moment and its end (German time), the end no later than the moment read as of."""
    start = timezone.make_aware(datetime.combine(date_from, time.min))
    end = timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min))
    return start, min(end, reading_moment())


# The "state" of what counts in both states at once: a course open to both, a meeting of a network
# with members in both, the library (the project's). Per-state figures count such an event in each
# state and once overall, so: overall = RP + NI − counted in both.
IN_BOTH = "RP+NI"


def in_states[Rows: QuerySet[Any]](
    queryset: Rows, lookup: str, state: str | None, value: Callable[[str], object] = lambda one: one
) -> Rows:
    """`queryset` narrowed to what counts in `state` (`lookup` = `value(state)`); for IN_BOTH to what
    counts in each of the two states: one filter per state, so that a many-valued relation (a
    network's members) has to reach both, and a single one (a person's authority) never does."""
    if state is None:
        return queryset
    for one in (State.RP, State.NI) if state == IN_BOTH else (state,):
        queryset = queryset.filter(**{lookup: value(one)})
    return queryset


# --- counted in one statement --------------------------------------------------------------------

# Figures whose rows lie in one state (a person's authority, a process's) are read for all periods of a
# table at once: each source gives its rows with a flag per period, and one statement counts the flags
# of every source for every period and state (issue 18: one subquery per cell scanned the same rows a
# hundred times). Overall counts rows without a state too; nothing counts in both states.
# Per period, per state (None: overall), the counts by name.
type GroupedCounts = dict[Span, dict[str | None, dict[str, int]]]
# A count over the source's rows `g`: (SQL of the period's flag column, SQL of the state's condition) → SQL.
type Aggregate = Callable[[str, str], str]
# A source: its rows for the periods (a `state` column and flag columns ending in the period's number)
# and its counts by name (the flag column's prefix, how it is counted).
type Source = Callable[[list[Span]], tuple[QuerySet[Any], dict[str, tuple[str, Aggregate]]]]
_SOURCES: list[Source] = []
_GROUPED_KEYS: list[str] = []
_OVERALL_AND_STATES: tuple[str | None, ...] = (None, State.RP.value, State.NI.value)


def grouped_source(source: Source) -> Source:
    _SOURCES.append(source)
    return source


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
    """Per period and state (overall, RP, NI) the counts of every source, in one statement."""
    parts: list[str] = []
    params: list[Any] = []
    names: list[tuple[Span, str | None, str]] = []
    for source in _SOURCES:
        rows, counts = source(spans)
        sql, rows_params = rows.query.sql_with_params()
        columns: list[str] = []
        for i, span in enumerate(spans):
            for state in _OVERALL_AND_STATES:
                match = "1 = 1" if state is None else f"g.\"state\" = '{state}'"
                for name, (prefix, aggregate) in counts.items():
                    columns.append(aggregate(f'g."{prefix}{i}"', match))
                    names.append((span, state, name))
        # The SQL is the ORM's own, its values stay parameters; names and states are ours.
        parts.append(f"(SELECT {', '.join(columns)} FROM ({sql}) g) s{len(parts)}")  # noqa: S608
        params.extend(rows_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {', '.join(parts)}", params)  # noqa: S608
        values = cursor.fetchone()
    found: GroupedCounts = {span: {state: {} for state in _OVERALL_AND_STATES} for span in spans}
    for (span, state, name), value in zip(names, values, strict=True):
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
        return [
            value(counts[(f, t)][None] if stateless else counts[(f, t)][s] if s != IN_BOTH else {})
            for f, t, s in cells
        ]

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


# --- authorities and change processes -------------------------------------------------------------


@computation("authorities_participating", _("Teilnehmende Ausländerbehörden"))
def authorities_participating(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Authorities that took part ("Nimmt teil" or "Abgeschlossen") at some time in the period, read
    from the dated status changes (StatusChange), never from the current status: an authority that
    withdraws today still took part in the periods before."""
    return participating_authorities(date_from, date_to, state)


def participating_authorities(
    date_from: date, date_to: date, state: str | None = None
) -> QuerySet[Authority]:
    """The authorities the indicator counts; the report's annex lists the same ones."""
    authorities = Authority.objects.filter(
        pk__in=StatusChange.objects.authorities_taking_part(date_from, date_to)
    )
    return in_states(authorities, "state", state)


@computation("authorities_supported", _("Bei der Umsetzung begleitete Ausländerbehörden"))
def authorities_supported(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Distinct authorities with a change process that began on or before the last day of the period
    and was not aborted before its first day: read from the dated status changes of the processes
    (ProcessStatusChange), never from the current status. A process aborted on a day of the period or
    later was still supported in it; one that stood aborted on every day of the period was not."""
    processes = ChangeProcess.objects.filter(started_on__lte=date_to).exclude(
        pk__in=ProcessStatusChange.objects.aborted_throughout(date_from, date_to)
    )
    processes = in_states(processes, "authority__state", state)
    return processes.order_by().values("authority").distinct()


_STARTED = _dated_rows(ChangeProcess, "started_on", "processes_started", state="authority__state")


@computation("processes_started", _("Begonnene Veränderungsprozesse"), many=_STARTED)
def processes_started(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Change processes whose start date lies in the period."""
    return _one(_STARTED, date_from, date_to, state)


def _completed_in(cells: list[tuple[date, date, str | None]]) -> list[int]:
    """Per cell the change processes that first became "Abgeschlossen" on one of its days (the dated
    status changes have the day); one query for all cells."""
    first, last = min(cell[0] for cell in cells), max(cell[1] for cell in cells)
    completions = ProcessStatusChange.objects.first_completions().filter(first__gte=first, first__lte=last)
    days = [(row["first"], row["state"]) for row in completions]
    return [
        sum(1 for day, in_state in days if date_from <= day <= date_to and state in (None, in_state))
        for date_from, date_to, state in cells
    ]


@computation("processes_completed", _("Abgeschlossene Veränderungsprozesse"), many=_completed_in)
def processes_completed(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Change processes that became "Abgeschlossen" on a day of the period, read from their dated
    status changes: counted in the period of their first completion and kept there when reopened
    later (an authority in one state: never counted in both)."""
    return _completed_in([(date_from, date_to, state)])[0]


_DONE = _dated_rows(Measure, "done_on", "measures_done", state="process__authority__state")


@computation("measures_done", _("Umgesetzte Maßnahmen"), many=_DONE)
def measures_done(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Measures done (`Measure.done_on`, the day their status first became "Umgesetzt") on a day of
    the period. The day stays when the measure or its process changes later."""
    return _one(_DONE, date_from, date_to, state)


# --- training -------------------------------------------------------------------------------------

# The courses whose dates count: published or completed (drafts and cancelled ones never do).
COUNTED_COURSES = [CourseStatus.PUBLISHED, CourseStatus.COMPLETED]


def held_courses(date_from: date, date_to: date) -> QuerySet[Course]:
    return Course.objects.filter(held("dates__", date_from, date_to), status__in=COUNTED_COURSES)


@computation("courses_held", _("Durchgeführte Qualifizierungen"))
def courses_held(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Published or completed courses with at least one date held in the period (see `held`).

    With a state: the courses open to that state (open to both states or to that state only).
    """
    courses = held_courses(date_from, date_to)
    courses = in_states(courses, "open_to__in", state, lambda one: [OpenTo.BOTH, one])
    return courses.order_by().values("pk").distinct()


@grouped_source
def _attendance(spans: list[Span]) -> tuple[QuerySet[Any], dict[str, tuple[str, Aggregate]]]:
    """Pairs of person and calendar day with a "present" mark on a course date held in a period (flag
    `held<i>`). Only a confirmed seat and a "present" mark count: cancelled, waitlisted and requested
    enrollments and absences never do, even if an attendance row exists."""
    rows = (
        Attendance.objects.filter(
            held("course_date__", *_reach(spans)), present=True, enrollment__status=EnrollmentStatus.CONFIRMED
        )
        .annotate(
            person=F("enrollment__participant"),
            day=TruncDate("course_date__starts_at"),
            state=F("enrollment__participant__authority__state"),
        )
        .values("person", "day", "state")
        .annotate(**{f"held{i}": _flag(held("course_date__", *span)) for i, span in enumerate(spans)})
        .order_by()
    )
    return rows, {"people": ("held", _distinct("person")), "days": ("held", _flagged)}


@grouped_source
def _feedback(spans: list[Span]) -> tuple[QuerySet[Any], dict[str, tuple[str, Aggregate]]]:
    """The people (confirmed enrollment) who gave feedback on a course held in a period (see
    courses_held; flag `given<i>`) and who rated one of them with usefulness 4 or 5 (`useful<i>`)."""
    dates = "enrollment__course__dates__"
    flags: dict[str, Max] = {}
    for i, span in enumerate(spans):
        flags[f"given{i}"] = _flag(held(dates, *span))
        flags[f"useful{i}"] = _flag(held(dates, *span) & Q(usefulness__gte=4))
    rows = (
        Feedback.objects.filter(
            held(dates, *_reach(spans)),
            enrollment__course__status__in=COUNTED_COURSES,
            enrollment__status=EnrollmentStatus.CONFIRMED,
        )
        .annotate(person=F("enrollment__participant"), state=F("enrollment__participant__authority__state"))
        .values("person", "state")
        .annotate(**flags)
        .order_by()
    )
    return rows, {"given": ("given", _flagged), "useful": ("useful", _flagged)}


_PEOPLE = grouped("participants_people", lambda counts: counts.get("people", 0))
_DAYS = grouped("participant_days", lambda counts: counts.get("days", 0))
_USEFUL = grouped("participants_useful", lambda counts: counts.get("useful", 0))
_USEFUL_SHARE = grouped(
    "participants_useful_share", lambda counts: Share.of(counts.get("useful", 0), counts.get("given", 0))
)
_WITH_FEEDBACK = grouped("participants_with_feedback", lambda counts: counts.get("given", 0))


@computation("participants_people", _("Teilnehmende Personen an Qualifizierungen"), many=_PEOPLE)
def participants_people(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Distinct people with a confirmed enrollment marked present on at least one course date held in
    the period; a person at two courses counts once."""
    return _one(_PEOPLE, date_from, date_to, state)


@computation("participant_days", _("Teilnahmetage"), many=_DAYS)
def participant_days(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Pairs of person and calendar day with a "present" mark on a course date of the period
    (confirmed enrollments only); two course dates on one day count once for that person."""
    return _one(_DAYS, date_from, date_to, state)


@computation(
    "participants_useful", _("Teilnehmende, die die Qualifizierung als nützlich bewerten"), many=_USEFUL
)
def participants_useful(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Distinct people (confirmed enrollment) who rated a course held in the period (see
    courses_held) with usefulness 4 or 5."""
    return _one(_USEFUL, date_from, date_to, state)


@computation(
    "participants_useful_share",
    _("Anteil der Teilnehmenden, die die Qualifizierung als nützlich bewerten"),
    many=_USEFUL_SHARE,
)
def participants_useful_share(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Per cent of the distinct people with feedback on a course held in the period who rated one
    with 4 or 5, rounded to one decimal; 0.0 when nobody gave feedback."""
    return _one(_USEFUL_SHARE, date_from, date_to, state)


@computation(
    "participants_with_feedback", _("Teilnehmende mit Rückmeldung zur Qualifizierung"), many=_WITH_FEEDBACK
)
def participants_with_feedback(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Distinct people (confirmed enrollment) who gave feedback on a course held in the period: the
    base of participants_useful_share."""
    return _one(_WITH_FEEDBACK, date_from, date_to, state)


@computation("participants_apply_learning", _("Teilnehmende, die das Gelernte anwenden"))
def participants_apply_learning(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Distinct people (confirmed enrollment) who answered the follow-up with "Ja" or "Teilweise" for
    a published or completed course whose last date ended in the period (and before the moment)."""
    start, end = _bounds(date_from, date_to)
    courses = (
        Course.objects.filter(status__in=COUNTED_COURSES)
        .annotate(last_end=Max("dates__ends_at"))
        .filter(last_end__gte=start, last_end__lte=end)
        .values("pk")
    )
    answers = FollowUpAnswer.objects.filter(
        uses_learning__in=[UsesLearning.YES, UsesLearning.PARTLY],
        enrollment__status=EnrollmentStatus.CONFIRMED,
        enrollment__course__in=courses,
    )
    answers = in_states(answers, "enrollment__participant__authority__state", state)
    return answers.order_by().values("enrollment__participant").distinct()


# --- network --------------------------------------------------------------------------------------


def _meetings(date_from: date, date_to: date, state: str | None) -> QuerySet[Meeting]:
    meetings = Meeting.objects.filter(held("", date_from, date_to))
    meetings = in_states(meetings, "network__members__state", state)
    return meetings.order_by()


@computation("meetings_held", _("Durchgeführte Netzwerktreffen"))
def meetings_held(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Network meetings held in the period (see `held`). With a state: meetings of networks with at least
    one member authority in that state."""
    return _meetings(date_from, date_to, state).values("pk").distinct()


@grouped_source
def _meeting_people(spans: list[Span]) -> tuple[QuerySet[Any], dict[str, tuple[str, Aggregate]]]:
    """The people marked as attended at a meeting held in a period (flag `met<i>`)."""
    rows = (
        MeetingRegistration.objects.filter(held("meeting__", *_reach(spans)), attended=True)
        .annotate(person=F("participant"), state=F("participant__authority__state"))
        .values("person", "state")
        .annotate(**{f"met{i}": _flag(held("meeting__", *span)) for i, span in enumerate(spans)})
        .order_by()
    )
    return rows, {"meeting_people": ("met", _flagged)}


_MET = grouped("meeting_participants", lambda counts: counts.get("meeting_people", 0))


@computation("meeting_participants", _("Teilnehmende an Netzwerktreffen"), many=_MET)
def meeting_participants(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Distinct people marked as attended (attended = yes) at a meeting held in the period.
    With a state: people whose authority lies in that state."""
    return _one(_MET, date_from, date_to, state)


@computation("minutes_tasks_done", _("Erledigte Aufgaben aus Protokollen"))
def minutes_tasks_done(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Tasks in published minutes with a done date in the period. With a state: tasks of networks
    with at least one member authority in that state."""
    tasks = MinutesItem.objects.filter(
        _on_days("done_on", date_from, date_to), kind=ItemKind.TASK, minutes__published_at__isnull=False
    )
    tasks = in_states(tasks, "minutes__meeting__network__members__state", state)
    return tasks.order_by().values("pk").distinct()


_PUBLISHED = _dated_rows(Document, "uploaded_at__date", "documents_published")
_DOWNLOADED = _dated_rows(DocumentDownload, "day", "documents_downloaded")


@computation("documents_published", _("Veröffentlichte Instrumente"), many=_PUBLISHED)
def documents_published(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Library documents uploaded in the period. The library serves both states, so `state` is
    ignored: the figure is the project's."""
    return _one(_PUBLISHED, date_from, date_to, state)


@computation("documents_downloaded", _("Downloads veröffentlichter Instrumente"), many=_DOWNLOADED)
def documents_downloaded(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Library downloads in the period: each person of an authority and document counts once a day
    (DocumentDownload), whenever the document was published; project staff and funders never count.
    `state` is ignored, as for documents_published."""
    return _one(_DOWNLOADED, date_from, date_to, state)
