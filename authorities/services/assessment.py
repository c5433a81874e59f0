"""Writes of the instruments: a round of the self-check, and the questionnaire and the catalogue of
example measures that project staff maintain."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from authorities import rules
from authorities.models.assessment import (
    Answer,
    AssessmentRound,
    Dimension,
    MeasureTemplate,
    Questionnaire,
    Statement,
)
from authorities.models.process import ChangeProcess
from authorities.models.registry import HistoryAction
from authorities.services.registry import history_record, only_fields
from portal.accounts.models import User
from portal.services import model_update


def _require(allowed: bool) -> None:
    """Refuse what authorities/rules.py refuses: the page asked the same rule before."""
    if not allowed:
        raise PermissionDenied


@transaction.atomic
def assessment_submit(
    *, process: ChangeProcess, questionnaire: Questionnaire, label: str, ratings: dict[int, int], by: User
) -> AssessmentRound:
    """Store one complete round of the self-check; every statement needs a rating from 1 to 5."""
    _require(rules.may_fill_in_self_check(by, process))
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
    history_record(
        authority=process.authority, actor=by, action=HistoryAction.ASSESSMENT_COMPLETED, subject=label
    )
    return assessment


def _append[Row: Dimension | Statement](row: Row, siblings: QuerySet[Row]) -> Row:
    """Save `row` after the last of its siblings."""
    last = siblings.aggregate(last=Max("position"))["last"]
    row.position = (last or 0) + 1
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def dimension_add(*, questionnaire: Questionnaire, name: str, by: User, name_en: str = "") -> Dimension:
    _require(rules.may_edit_questionnaire(by))
    dimension = Dimension(questionnaire=questionnaire, name=name.strip(), name_en=name_en.strip())
    return _append(dimension, questionnaire.dimensions.all())


@transaction.atomic
def statement_add(*, dimension: Dimension, text: str, by: User, text_en: str = "") -> Statement:
    _require(rules.may_edit_questionnaire(by))
    statement = Statement(dimension=dimension, text=text.strip(), text_en=text_en.strip())
    return _append(statement, dimension.statements.all())


TEMPLATE_FIELDS = ["title", "description", "field", "field_of_action"]


@transaction.atomic
def measure_template_save(
    *, by: User, template: MeasureTemplate | None = None, **values: Any
) -> MeasureTemplate:
    _require(rules.may_edit_catalogue(by))
    if template is None:
        template = MeasureTemplate(**only_fields(TEMPLATE_FIELDS, values))
        template.full_clean()
        template.save()
    else:
        model_update(instance=template, fields=TEMPLATE_FIELDS, data=values)
    return template
