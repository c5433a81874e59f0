"""The authorities' computations: taking part, supported, change processes and measures."""

from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from authorities.models import Authority, ChangeProcess, Measure, ProcessStatusChange, StatusChange
from portal.reports.computations.grouped import _dated_rows, _one
from portal.reports.computations.periods import in_states
from portal.reports.computations.registry import Figure, computation


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
