"""The network's computations: meetings held, their participants, tasks done from minutes."""

from datetime import date
from typing import Any

from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from network.models import ItemKind, Meeting, MeetingRegistration, MinutesItem
from portal.reports.computations.grouped import (
    Aggregate,
    _flag,
    _flagged,
    _one,
    _reach,
    grouped,
    grouped_source,
)
from portal.reports.computations.periods import _on_days, held, in_states
from portal.reports.computations.registry import Figure, Span, computation


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
