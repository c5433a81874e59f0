"""Many cells at once (`compute_many`): the caches of ended and running periods' figures, the counts of
rows in one statement, and the computations that read their cells together."""

from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone

from network.models import Meeting
from portal import facts
from portal.counting import count_each
from portal.reports.computations.registry import _TOGETHER, REGISTRY, Cell, Figure, Share, _as_of, _shared
from training.models import CourseDate

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
    counts = iter(count_each([qs for f in figures for qs in _rows(f)]))
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


def _rows(figure: Figure | None) -> list[QuerySet[Any]]:
    if isinstance(figure, Share):
        return [figure.part, figure.whole]
    return [figure] if isinstance(figure, QuerySet) else []
