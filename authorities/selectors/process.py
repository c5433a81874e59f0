"""The figures of the change processes, computed in one place: the overview page (selectors/overview.py)
and the AMIF report both read them from here.

Every function takes an optional `state` ("RP" or "NI"; None for both) and, where a period makes
sense, `date_from`/`date_to` (inclusive dates; None leaves that end open). Each runs a fixed number
of queries, whatever the number of authorities.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q
from django.utils import timezone

from authorities.models.process import (
    ChangeProcess,
    Field,
    Measure,
    MeasureStatus,
    Milestone,
    Phase,
    ProcessStatus,
    ProcessStatusChange,
)

OPEN_MEASURE = Q(status__in=[MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS])


def _in_period(prefix: str, date_from: date | None, date_to: date | None) -> Q:
    query = Q()
    if date_from:
        query &= Q(**{f"{prefix}__gte": date_from})
    if date_to:
        query &= Q(**{f"{prefix}__lte": date_to})
    return query


# --- measures by field and status -----------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class FieldRow:
    field: str
    label: str
    cells: list[Cell]  # one per measure status, in MeasureStatus order

    @property
    def total(self) -> int:
        return sum(cell.count for cell in self.cells)

    def count(self, status: str) -> int:
        return next(cell.count for cell in self.cells if cell.code == status)


@dataclass(frozen=True)
class FieldStatusTable:
    rows: list[FieldRow]  # one per field, in Field order

    @property
    def totals(self) -> list[Cell]:
        return [
            Cell(code, str(label), sum(row.count(code) for row in self.rows))
            for code, label in MeasureStatus.choices
        ]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)

    def count(self, field: str, status: str) -> int:
        return next(row.count(status) for row in self.rows if row.field == field)


def measures_by_field_and_status(*, state: str | None = None, running_only: bool = False) -> FieldStatusTable:
    """How many measures there are per field (organisation, personnel, cooperation) and status.

    All processes count (a completed process's measures are part of the project's results);
    `running_only` limits to active and paused processes. One query.
    """
    measures = Measure.objects.all()
    if state:
        measures = measures.filter(process__authority__state=state)
    if running_only:
        measures = measures.filter(process__status__in=[ProcessStatus.ACTIVE, ProcessStatus.PAUSED])
    counts = {
        (row["field"], row["status"]): row["n"]
        for row in measures.order_by().values("field", "status").annotate(n=Count("pk"))
    }
    return FieldStatusTable(
        rows=[
            FieldRow(
                field=field,
                label=str(field_label),
                cells=[
                    Cell(status, str(status_label), counts.get((field, status), 0))
                    for status, status_label in MeasureStatus.choices
                ],
            )
            for field, field_label in Field.choices
        ]
    )


# --- authorities per phase ------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseCount:
    phase: int
    label: str
    count: int


def authorities_per_phase(*, state: str | None = None) -> list[PhaseCount]:
    """How many authorities with a running (active or paused) process are in each of the six phases.

    Every phase is listed, in order, also with 0. One query.
    """
    processes = ChangeProcess.objects.active()
    if state:
        processes = processes.filter(authority__state=state)
    counts = dict(
        processes.order_by()
        .values_list("phase")
        .annotate(n=Count("authority", distinct=True))
        .values_list("phase", "n")
    )
    return [PhaseCount(phase, str(label), counts.get(phase, 0)) for phase, label in Phase.choices]


# --- milestones ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneFigures:
    on_time: int  # reached on or before the due date
    late: int  # reached, but after the due date
    overdue: int  # not reached and the due date has passed
    upcoming: int  # not reached, due today or later

    @property
    def reached(self) -> int:
        return self.on_time + self.late

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.overdue + self.upcoming

    @property
    def on_time_share(self) -> int | None:
        """Per cent of the reached milestones that were reached on time; None if none was reached."""
        return round(100 * self.on_time / self.reached) if self.reached else None


def milestones_reached_on_time(
    *,
    state: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    today: date | None = None,
) -> MilestoneFigures:
    """Milestones due in the period: reached on time, late, open and overdue, open and not yet due.

    Milestones of aborted processes do not count. One query.
    """
    today = today or timezone.localdate()
    milestones = Milestone.objects.exclude(process__status=ProcessStatus.ABORTED).filter(
        _in_period("due_on", date_from, date_to)
    )
    if state:
        milestones = milestones.filter(process__authority__state=state)
    reached = Q(reached_on__isnull=False)
    figures = milestones.aggregate(
        on_time=Count("pk", filter=reached & Q(reached_on__lte=F("due_on"))),
        late=Count("pk", filter=reached & Q(reached_on__gt=F("due_on"))),
        overdue=Count("pk", filter=Q(reached_on__isnull=True, due_on__lt=today)),
        upcoming=Count("pk", filter=Q(reached_on__isnull=True, due_on__gte=today)),
    )
    return MilestoneFigures(**figures)


# --- processes started and completed --------------------------------------------------------------


@dataclass(frozen=True)
class ProcessFigures:
    started: int
    completed: int


def processes_started_and_completed(
    *, state: str | None = None, date_from: date | None = None, date_to: date | None = None
) -> ProcessFigures:
    """Processes begun in the period (by their start date) and completed in it.

    A process is completed in the period when it first became "Abgeschlossen" on a day of the period
    (its dated status changes have the day; reopening it later keeps that day). Two queries.
    """
    started = ChangeProcess.objects.filter(_in_period("started_on", date_from, date_to))
    if state:
        started = started.filter(authority__state=state)
    completed = ProcessStatusChange.objects.first_completions().filter(
        _in_period("first", date_from, date_to)
    )
    if state:
        completed = completed.filter(process__authority__state=state)
    return ProcessFigures(started=started.count(), completed=completed.count())
