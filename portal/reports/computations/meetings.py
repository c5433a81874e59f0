"""The network's computations: meetings held, their participants, tasks done from minutes."""

from datetime import date
from typing import Any

from django.db.models import Case, CharField, F, Max, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from authorities.models import State
from network.models import ItemKind, Meeting, MeetingRegistration, MinutesItem
from portal.reports.computations.grouped import (
    Aggregate,
    _flag,
    _flagged,
    _one,
    _reach,
    grouped,
    grouped_source,
    grouped_source_in_both,
)
from portal.reports.computations.periods import IN_BOTH, _on_days, held
from portal.reports.computations.registry import Figure, Span, computation


def _in_network_states(rows: QuerySet[Any], network: str) -> QuerySet[Any]:
    """`rows` one per object, with the states of its network (`network`: the path to it) by its member
    authorities as `state`: IN_BOTH with members in both, else the one state with members, else none."""

    def members_in(state: State) -> Max:
        return _flag(Q(**{f"{network}__members__state": state}))

    by_state: QuerySet[Any] = (
        rows.values("pk")
        .annotate(in_rp=members_in(State.RP), in_ni=members_in(State.NI))
        .annotate(
            state=Case(
                When(in_rp=1, in_ni=1, then=Value(IN_BOTH)),
                When(in_rp=1, then=Value(State.RP.value)),
                When(in_ni=1, then=Value(State.NI.value)),
                default=None,
                output_field=CharField(),
            )
        )
    )
    return by_state


@grouped_source_in_both
def _meetings_held(spans: list[Span]) -> tuple[QuerySet[Any], dict[str, tuple[str, Aggregate]]]:
    """The meetings held in a period (flag `held<i>`), in the states of their network's members."""
    meetings = _in_network_states(Meeting.objects.filter(held("", *_reach(spans))), "network")
    flags = {f"held{i}": _flag(held("", *span)) for i, span in enumerate(spans)}
    return meetings.annotate(**flags).order_by(), {"meetings": ("held", _flagged)}


_HELD = grouped("meetings_held", lambda counts: counts.get("meetings", 0))


@computation("meetings_held", _("Durchgeführte Netzwerktreffen"), many=_HELD)
def meetings_held(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Network meetings held in the period (see `held`). With a state: meetings of networks with at least
    one member authority in that state."""
    return _one(_HELD, date_from, date_to, state)


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


@grouped_source_in_both
def _tasks_done(spans: list[Span]) -> tuple[QuerySet[Any], dict[str, tuple[str, Aggregate]]]:
    """The tasks in published minutes done on a day of a period (flag `done<i>`), in the states of
    their meeting's network's members."""
    tasks = MinutesItem.objects.filter(
        _on_days("done_on", *_reach(spans)), kind=ItemKind.TASK, minutes__published_at__isnull=False
    )
    flags = {f"done{i}": _flag(_on_days("done_on", *span)) for i, span in enumerate(spans)}
    rows = _in_network_states(tasks, "minutes__meeting__network").annotate(**flags).order_by()
    return rows, {"tasks_done": ("done", _flagged)}


_TASKS_DONE = grouped("minutes_tasks_done", lambda counts: counts.get("tasks_done", 0))


@computation("minutes_tasks_done", _("Erledigte Aufgaben aus Protokollen"), many=_TASKS_DONE)
def minutes_tasks_done(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Tasks in published minutes with a done date in the period. With a state: tasks of networks
    with at least one member authority in that state."""
    return _one(_TASKS_DONE, date_from, date_to, state)
