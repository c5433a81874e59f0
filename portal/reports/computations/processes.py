"""The authorities' computations: taking part, supported, change processes and measures."""

from datetime import date
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from authorities.models import Authority, ChangeProcess, Measure, ProcessStatusChange, StatusChange
from portal.reports.computations.grouped import (
    Aggregate,
    _dated_rows,
    _distinct,
    _flagged,
    _one,
    _reach,
    _row_flag,
    grouped,
    grouped_source,
)
from portal.reports.computations.periods import in_states
from portal.reports.computations.registry import Figure, Span, computation


@grouped_source
def _taking_part(spans: list[Span]) -> tuple[QuerySet[Any], dict[str, tuple[str, Aggregate]]]:
    """The authorities, whether they took part at some time in a period (flag `part<i>`, see
    participating_authorities)."""
    flags = {
        f"part{i}": _row_flag(Q(pk__in=StatusChange.objects.authorities_taking_part(*span)))
        for i, span in enumerate(spans)
    }
    rows = Authority.objects.annotate(**flags).values("state", *flags).order_by()
    return rows, {"participating": ("part", _flagged)}


_PARTICIPATING = grouped("authorities_participating", lambda counts: counts.get("participating", 0))


@computation("authorities_participating", _("Teilnehmende Ausländerbehörden"), many=_PARTICIPATING)
def authorities_participating(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Authorities that took part ("Nimmt teil" or "Abgeschlossen") at some time in the period, read
    from the dated status changes (StatusChange), never from the current status: an authority that
    withdraws today still took part in the periods before."""
    return _one(_PARTICIPATING, date_from, date_to, state)


def participating_authorities(
    date_from: date, date_to: date, state: str | None = None
) -> QuerySet[Authority]:
    """The authorities the indicator counts; the report's annex lists the same ones."""
    authorities = Authority.objects.filter(
        pk__in=StatusChange.objects.authorities_taking_part(date_from, date_to)
    )
    return in_states(authorities, "state", state)


def _supported_in(date_from: date, date_to: date) -> Q:
    """A change process begun on or before the period's last day and not aborted throughout it."""
    return Q(started_on__lte=date_to) & ~Q(
        pk__in=ProcessStatusChange.objects.aborted_throughout(date_from, date_to)
    )


@grouped_source
def _supported(spans: list[Span]) -> tuple[QuerySet[Any], dict[str, tuple[str, Aggregate]]]:
    """The change processes with their authority, whether supported in a period (flag
    `supported<i>`)."""
    flags = {f"supported{i}": _row_flag(_supported_in(*span)) for i, span in enumerate(spans)}
    rows = (
        ChangeProcess.objects.filter(started_on__lte=_reach(spans)[1])
        .annotate(supported_authority=F("authority"), state=F("authority__state"), **flags)
        .values("supported_authority", "state", *flags)
        .order_by()
    )
    return rows, {"supported": ("supported", _distinct("supported_authority"))}


_SUPPORTED = grouped("authorities_supported", lambda counts: counts.get("supported", 0))


@computation("authorities_supported", _("Bei der Umsetzung begleitete Ausländerbehörden"), many=_SUPPORTED)
def authorities_supported(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Distinct authorities with a change process that began on or before the last day of the period
    and was not aborted before its first day: read from the dated status changes of the processes
    (ProcessStatusChange), never from the current status. A process aborted on a day of the period or
    later was still supported in it; one that stood aborted on every day of the period was not."""
    return _one(_SUPPORTED, date_from, date_to, state)


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
