"""Writes of the change processes. Each leaves a history entry on the authority's page."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from authorities.models import (
    Answer,
    AssessmentRound,
    Authority,
    ChangeProcess,
    Consultation,
    Dimension,
    Goal,
    HistoryAction,
    Measure,
    MeasureTemplate,
    Milestone,
    Phase,
    PhaseTransition,
    ProcessStatus,
    Questionnaire,
    Statement,
)
from authorities.services.registry import _diff, _raw, _record

# What the authority's coordinator may change on their own measures; everything else is project staff's.
COORDINATOR_MEASURE_FIELDS = ("status", "progress", "result")


def _require_staff(user):
    if not user.is_project_staff:
        raise PermissionDenied


def may_edit_measures_of(user, process: ChangeProcess) -> bool:
    return user.is_project_staff or (user.is_coordinator and user.authority_id == process.authority_id)


@transaction.atomic
def process_start(*, authority: Authority, coach, started_on, by) -> ChangeProcess:
    _require_staff(by)
    process = ChangeProcess(authority=authority, coach=coach, started_on=started_on)
    process.full_clean()
    process.save()
    PhaseTransition.objects.create(process=process, from_phase=None, to_phase=Phase.KICK_OFF, by=by)
    _record(authority=authority, actor=by, action=HistoryAction.PROCESS_STARTED, subject=str(process))
    return process


@transaction.atomic
def process_update(*, process: ChangeProcess, by, **values) -> ChangeProcess:
    _require_staff(by)
    process = ChangeProcess.objects.select_for_update().get(pk=process.pk)
    changes = _diff(process, ["coach", "started_on", "status", "coordinator_may_add_consultations"], values)
    if changes:
        process.full_clean()
        process.save()
        _record(authority=process.authority, actor=by, action=HistoryAction.PROCESS_UPDATED, changes=changes)
    return process


@transaction.atomic
def phase_change(
    *, process: ChangeProcess, to_phase: int, by, result_note: str = "", reason: str = ""
) -> ChangeProcess:
    """Move to another phase. The next phase is the normal step; skipping one needs a reason, and
    only project staff move a process at all (so going back is theirs alone)."""
    _require_staff(by)
    process = ChangeProcess.objects.select_for_update().get(pk=process.pk)
    current = process.phase
    if to_phase == current:
        raise ValidationError(_("Der Prozess ist bereits in dieser Phase."))
    if to_phase not in Phase.values:
        raise ValidationError(_("Diese Phase gibt es nicht."))
    if to_phase != current + 1 and not reason.strip():
        raise ValidationError(
            _("Wer eine Phase überspringt oder zurückgeht, gibt bitte eine Begründung an."), code="reason"
        )
    PhaseTransition.objects.create(
        process=process, from_phase=current, to_phase=to_phase, result_note=result_note, reason=reason, by=by
    )
    process.phase = to_phase
    process.save(update_fields=["phase"])
    _record(
        authority=process.authority,
        actor=by,
        action=HistoryAction.PHASE_CHANGED,
        changes=[{"field": "phase", "old": _raw(current), "new": _raw(to_phase)}],
    )
    return process


@transaction.atomic
def goal_save(*, process: ChangeProcess, by, goal: Goal | None = None, **values) -> Goal:
    _require_staff(by)
    created = goal is None
    goal = goal or Goal(process=process)
    changes = _diff(goal, ["title", "description", "field"], values)
    goal.full_clean()
    goal.save()
    action = HistoryAction.GOAL_ADDED if created else HistoryAction.GOAL_UPDATED
    if changes or created:
        _record(authority=process.authority, actor=by, action=action, subject=goal.title, changes=changes)
    return goal


MEASURE_FIELDS = (
    "goal", "title", "description", "field", "field_of_action", "responsible", "involved",
    "starts_on", "due_on", "status", "progress", "result",
)  # fmt: skip


@transaction.atomic
def measure_create(
    *, process: ChangeProcess, by, template: MeasureTemplate | None = None, **values
) -> Measure:
    _require_staff(by)
    if template is not None:
        values = {
            "title": template.title,
            "description": template.description,
            "field": template.field,
            "field_of_action": template.field_of_action,
            **values,
        }
    measure = Measure(process=process, template=template)
    _diff(measure, MEASURE_FIELDS, values)
    measure.full_clean()
    measure.save()
    _record(authority=process.authority, actor=by, action=HistoryAction.MEASURE_ADDED, subject=measure.title)
    return measure


@transaction.atomic
def measure_update(*, measure: Measure, by, **values) -> Measure:
    """Project staff change anything; the coordinator of the authority only status, progress and result."""
    # Lock only the measure: PostgreSQL refuses FOR UPDATE on the nullable side of the join to the goal.
    measure = (
        Measure.objects.select_for_update(of=("self",)).select_related("process", "goal").get(pk=measure.pk)
    )
    if not may_edit_measures_of(by, measure.process):
        raise PermissionDenied
    if not by.is_project_staff:
        values = {name: value for name, value in values.items() if name in COORDINATOR_MEASURE_FIELDS}
    changes = _diff(measure, MEASURE_FIELDS, values)
    if changes:
        measure.full_clean()
        measure.save()
        _record(
            authority=measure.process.authority,
            actor=by,
            action=HistoryAction.MEASURE_UPDATED,
            subject=measure.title,
            changes=changes,
        )
    return measure


@transaction.atomic
def measure_delete(*, measure: Measure, by) -> None:
    _require_staff(by)
    _record(
        authority=measure.process.authority,
        actor=by,
        action=HistoryAction.MEASURE_DELETED,
        subject=measure.title,
    )
    measure.delete()


@transaction.atomic
def milestone_save(*, process: ChangeProcess, by, milestone: Milestone | None = None, **values) -> Milestone:
    _require_staff(by)
    created = milestone is None
    milestone = milestone or Milestone(process=process)
    changes = _diff(milestone, ["title", "due_on", "reached_on"], values)
    milestone.full_clean()
    milestone.save()
    if changes or created:
        _record(
            authority=process.authority,
            actor=by,
            action=HistoryAction.MILESTONE_ADDED if created else HistoryAction.MILESTONE_UPDATED,
            subject=milestone.title,
            changes=changes,
        )
    return milestone


@transaction.atomic
def consultation_add(*, process: ChangeProcess, by, **values) -> Consultation:
    allowed = by.is_project_staff or (
        by.is_coordinator
        and by.authority_id == process.authority_id
        and process.coordinator_may_add_consultations
    )
    if not allowed:
        raise PermissionDenied
    consultation = Consultation(process=process, created_by=by, **values)
    consultation.full_clean()
    consultation.save()
    _record(
        authority=process.authority,
        actor=by,
        action=HistoryAction.CONSULTATION_ADDED,
        subject=str(consultation),
    )
    return consultation


@transaction.atomic
def assessment_submit(
    *, process: ChangeProcess, questionnaire: Questionnaire, label: str, ratings: dict[int, int], by
) -> AssessmentRound:
    """Store one complete round of the self-check; every statement needs a rating from 1 to 5."""
    if not (by.is_project_staff or (by.is_coordinator and by.authority_id == process.authority_id)):
        raise PermissionDenied
    statement_ids = set(questionnaire.dimensions.values_list("statements__id", flat=True)) - {None}
    if set(ratings) != statement_ids or not all(1 <= r <= 5 for r in ratings.values()):
        raise ValidationError(_("Bitte bewerten Sie jede Aussage mit einem Wert von 1 bis 5."))
    assessment = AssessmentRound.objects.create(
        process=process,
        questionnaire=questionnaire,
        label=label,
        completed_by=by,
        completed_on=timezone.localdate(),
    )
    Answer.objects.bulk_create(
        Answer(round=assessment, statement_id=statement, rating=rating)
        for statement, rating in ratings.items()
    )
    _record(authority=process.authority, actor=by, action=HistoryAction.ASSESSMENT_COMPLETED, subject=label)
    return assessment


# --- Self-check questionnaire and catalogue of example measures (maintained by project staff) ------


@transaction.atomic
def dimension_add(*, questionnaire: Questionnaire, name: str, by) -> Dimension:
    _require_staff(by)
    last = questionnaire.dimensions.aggregate(last=Max("position"))["last"]
    dimension = Dimension(questionnaire=questionnaire, name=name.strip(), position=(last or 0) + 1)
    dimension.full_clean()
    dimension.save()
    return dimension


@transaction.atomic
def statement_add(*, dimension: Dimension, text: str, by) -> Statement:
    _require_staff(by)
    last = dimension.statements.aggregate(last=Max("position"))["last"]
    statement = Statement(dimension=dimension, text=text.strip(), position=(last or 0) + 1)
    statement.full_clean()
    statement.save()
    return statement


@transaction.atomic
def measure_template_save(*, by, template: MeasureTemplate | None = None, **values) -> MeasureTemplate:
    _require_staff(by)
    template = template or MeasureTemplate()
    for name in ("title", "description", "field", "field_of_action"):
        if name in values:
            setattr(template, name, values[name])
    template.full_clean()
    template.save()
    return template


def running_process(authority: Authority) -> ChangeProcess | None:
    return ChangeProcess.objects.active().filter(authority=authority).select_related("coach").first()


__all__ = [
    "COORDINATOR_MEASURE_FIELDS",
    "ProcessStatus",
    "assessment_submit",
    "consultation_add",
    "dimension_add",
    "goal_save",
    "may_edit_measures_of",
    "measure_create",
    "measure_delete",
    "measure_template_save",
    "measure_update",
    "milestone_save",
    "phase_change",
    "process_start",
    "process_update",
    "running_process",
    "statement_add",
]
