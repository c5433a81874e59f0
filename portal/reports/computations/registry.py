"""The registry of computations: what a computation is and gives (`Figure`), the moment figures are read
as of, what one `compute_many` call shares between computations, and `compute` for one cell."""

from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone

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
