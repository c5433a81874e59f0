"""The conditions every computation uses: a day or moment in a period (German time, read as of the
moment), and what counts in a state or in both."""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from authorities.models import State
from portal.reports.computations.registry import reading_moment


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
