"""Writes of the change processes. Each leaves a history entry on the authority's page."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from authorities import rules
from authorities.models.assessment import MeasureTemplate
from authorities.models.process import (
    ChangeProcess,
    Consultation,
    Goal,
    Measure,
    MeasureStatus,
    Milestone,
    Phase,
    PhaseTransition,
    ProcessStatusChange,
)
from authorities.models.registry import Authority, HistoryAction
from authorities.services.registry import (
    CORRECTED,
    fact_correction_check,
    history_changes,
    history_of_new,
    history_record,
    neighbour_days,
    only_fields,
)
from portal.accounts.models import User
from portal.facts import past_changed
from portal.services import model_update

# What the authority's coordinator may change on their own measures; everything else is project staff's.
COORDINATOR_MEASURE_FIELDS = ("status", "progress", "result")


def _require(allowed: bool) -> None:
    """Refuse what authorities/rules.py refuses: the page asked the same rule before."""
    if not allowed:
        raise PermissionDenied


@transaction.atomic
def process_start(*, authority: Authority, coach: User, started_on: date, by: User) -> ChangeProcess:
    _require(rules.may_edit_process(by))
    process = ChangeProcess(authority=authority, coach=coach, started_on=started_on)
    process.full_clean()
    process.save()
    PhaseTransition.objects.create(process=process, from_phase=None, to_phase=Phase.KICK_OFF, by=by)
    history_record(authority=authority, actor=by, action=HistoryAction.PROCESS_STARTED, subject=str(process))
    if started_on < timezone.localdate():
        past_changed()  # recorded late: "begun" and "supported" of ended periods count it
    return process


PROCESS_FIELDS = ["coach", "started_on", "status", "coordinator_may_add_consultations"]


@transaction.atomic
def process_update(*, process: ChangeProcess, by: User, **values: Any) -> ChangeProcess:
    """Change the settings; a change of the status is also a dated fact (`_status_record`)."""
    _require(rules.may_edit_process(by, process))
    process = ChangeProcess.objects.select_for_update().get(pk=process.pk)
    old_status = process.status
    changed = model_update(instance=process, fields=PROCESS_FIELDS, data=values)
    if "status" in changed:
        _status_record(process, old_status, process.status, by)
    if "started_on" in changed:
        past_changed()  # a start date moved: "begun" and "supported" of ended periods may follow it
    if changed:
        history_record(
            authority=process.authority,
            actor=by,
            action=HistoryAction.PROCESS_UPDATED,
            changes=history_changes(process, changed),
        )
    return process


def _status_record(process: ChangeProcess, old: str, new: str, by: User) -> None:
    # The status of a process changes today: the funders' figures of a period read these facts
    # (supported authorities, completed processes), so a status set today never reaches back.
    # A day set wrongly is corrected afterwards (process_status_change_correct), with a reason.
    ProcessStatusChange.objects.create(
        process=process, from_status=old, to_status=new, day=timezone.localdate(), by=by
    )


@transaction.atomic
def phase_change(
    *, process: ChangeProcess, to_phase: int, by: User, result_note: str = "", reason: str = ""
) -> ChangeProcess:
    """Move to another phase. The next phase is the normal step; skipping one needs a reason, and
    only project staff move a process at all (so going back is theirs alone)."""
    _require(rules.may_edit_process(by, process))
    process = ChangeProcess.objects.select_for_update().get(pk=process.pk)
    current = process.phase
    if to_phase == current:
        raise ValidationError(_("Der Prozess ist bereits in dieser Phase."))
    if to_phase not in Phase.values:
        raise ValidationError(_("Diese Phase gibt es nicht."))
    if to_phase != current + 1 and not reason.strip():
        raise ValidationError(
            {"reason": _("Wer eine Phase überspringt oder zurückgeht, gibt bitte eine Begründung an.")}
        )
    PhaseTransition.objects.create(
        process=process, from_phase=current, to_phase=to_phase, result_note=result_note, reason=reason, by=by
    )
    process.phase = to_phase
    process.save(update_fields=["phase"])
    history_record(
        authority=process.authority,
        actor=by,
        action=HistoryAction.PHASE_CHANGED,
        changes=history_changes(process, {"phase": current}),
    )
    return process


GOAL_FIELDS = ["title", "description", "field"]


@transaction.atomic
def goal_save(*, process: ChangeProcess, by: User, goal: Goal | None = None, **values: Any) -> Goal:
    _require(rules.may_edit_process(by, process))
    if goal is None:
        goal = Goal(process=process, **only_fields(GOAL_FIELDS, values))
        goal.full_clean()
        goal.save()
        action, changes = HistoryAction.GOAL_ADDED, history_of_new(goal, GOAL_FIELDS)
    else:
        action, changes = (
            HistoryAction.GOAL_UPDATED,
            history_changes(goal, model_update(instance=goal, fields=GOAL_FIELDS, data=values)),
        )
        if not changes:
            return goal
    history_record(authority=process.authority, actor=by, action=action, subject=goal.title, changes=changes)
    return goal


MEASURE_FIELDS = [
    "goal", "title", "description", "field", "field_of_action", "responsible", "involved",
    "starts_on", "due_on", "status", "progress", "result",
]  # fmt: skip


@transaction.atomic
def measure_create(
    *, process: ChangeProcess, by: User, template: MeasureTemplate | None = None, **values: Any
) -> Measure:
    _require(rules.may_edit_process(by, process))
    if template is not None:
        values = {
            "title": template.title,
            "description": template.description,
            "field": template.field,
            "field_of_action": template.field_of_action,
            **values,
        }
    measure = Measure(process=process, template=template, **only_fields(MEASURE_FIELDS, values))
    _mark_done(measure)
    measure.full_clean()
    measure.save()
    history_record(
        authority=process.authority, actor=by, action=HistoryAction.MEASURE_ADDED, subject=measure.title
    )
    return measure


@transaction.atomic
def measure_update(*, measure: Measure, by: User, **values: Any) -> Measure:
    """Project staff change anything; the coordinator of the authority only status, progress and result."""
    # Lock only the measure: PostgreSQL refuses FOR UPDATE on the nullable side of the join to the goal.
    measure = (
        Measure.objects.select_for_update(of=("self",)).select_related("process", "goal").get(pk=measure.pk)
    )
    _require(rules.may_update_measures(by, measure.process))
    if not rules.may_edit_process(by, measure.process):
        values = {name: value for name, value in values.items() if name in COORDINATOR_MEASURE_FIELDS}
    changed = model_update(instance=measure, fields=MEASURE_FIELDS, data=values)
    if _mark_done(measure):
        measure.save(update_fields=["done_on"])
    if changed:
        history_record(
            authority=measure.process.authority,
            actor=by,
            action=HistoryAction.MEASURE_UPDATED,
            subject=measure.title,
            changes=history_changes(measure, changed),
        )
    return measure


def _mark_done(measure: Measure) -> bool:
    """The day a measure is done is a fact the funders' figures count: set the first time its status
    becomes "Umgesetzt" and kept whatever happens to it later."""
    if measure.status != MeasureStatus.DONE or measure.done_on is not None:
        return False
    measure.done_on = timezone.localdate()
    return True


@transaction.atomic
def measure_done_on_correct(*, measure: Measure, day: date, reason: str, by: User) -> Measure:
    """Project staff correct the day a measure was done (a guessed one, mostly), with a reason kept
    in the change history; the day no longer counts as guessed."""
    measure = Measure.objects.select_for_update(of=("self",)).select_related("process").get(pk=measure.pk)
    if measure.done_on is None:
        raise ValidationError({"day": _("Diese Maßnahme hat kein Umsetzungsdatum.")})
    reason = fact_correction_check(by=by, day=day, reason=reason)
    values = {"done_on": day, "done_on_guessed": False}
    changed = model_update(instance=measure, fields=list(values), data=values)
    history_record(
        authority=measure.process.authority,
        actor=by,
        action=HistoryAction.MEASURE_DONE_ON_CORRECTED,
        subject=measure.title,
        changes=history_changes(measure, {"done_on": changed.get("done_on", measure.done_on)}),
        reason=reason,
    )
    past_changed()  # the figures kept for ended periods no longer hold
    return measure


@transaction.atomic
def process_status_change_correct(
    *, change: ProcessStatusChange, day: date, reason: str, by: User
) -> ProcessStatusChange:
    """Project staff correct the day of a process's status change (a guessed one, mostly), with a
    reason kept in the change history; it may not leave the order of the process's changes."""
    # Lock the process: a status change or another correction waits, so the order stays checked.
    process = ChangeProcess.objects.select_for_update().select_related("authority").get(pk=change.process_id)
    facts = process.status_changes.order_by("day", "pk")
    change = facts.get(pk=change.pk)
    previous, following = neighbour_days(facts, change.pk)
    reason = fact_correction_check(by=by, day=day, reason=reason, previous=previous, following=following)
    changed = model_update(instance=change, fields=["day", *CORRECTED], data={"day": day, **CORRECTED})
    history_record(
        authority=process.authority,
        actor=by,
        action=HistoryAction.PROCESS_STATUS_DAY_CORRECTED,
        subject=f"{change.get_from_status_display() or '–'} → {change.get_to_status_display()}",
        changes=history_changes(change, {name: old for name, old in changed.items() if name != "guessed"}),
        reason=reason,
    )
    past_changed()  # the figures kept for ended periods no longer hold
    return change


@transaction.atomic
def measure_delete(*, measure: Measure, by: User) -> None:
    _require(rules.may_edit_process(by, measure.process))
    history_record(
        authority=measure.process.authority,
        actor=by,
        action=HistoryAction.MEASURE_DELETED,
        subject=measure.title,
    )
    measure.delete()


MILESTONE_FIELDS = ["title", "due_on", "reached_on"]


@transaction.atomic
def milestone_save(
    *, process: ChangeProcess, by: User, milestone: Milestone | None = None, **values: Any
) -> Milestone:
    _require(rules.may_edit_process(by, process))
    if milestone is None:
        milestone = Milestone(process=process, **only_fields(MILESTONE_FIELDS, values))
        milestone.full_clean()
        milestone.save()
        action, changes = HistoryAction.MILESTONE_ADDED, history_of_new(milestone, MILESTONE_FIELDS)
    else:
        action, changes = (
            HistoryAction.MILESTONE_UPDATED,
            history_changes(
                milestone, model_update(instance=milestone, fields=MILESTONE_FIELDS, data=values)
            ),
        )
        if not changes:
            return milestone
    history_record(
        authority=process.authority, actor=by, action=action, subject=milestone.title, changes=changes
    )
    return milestone


@transaction.atomic
def consultation_add(*, process: ChangeProcess, by: User, **values: Any) -> Consultation:
    _require(rules.may_add_consultation(by, process))
    consultation = Consultation(process=process, created_by=by, **values)
    consultation.full_clean()
    consultation.save()
    history_record(
        authority=process.authority,
        actor=by,
        action=HistoryAction.CONSULTATION_ADDED,
        subject=str(consultation),
    )
    return consultation
