"""Reads of the staff survey: a wave's counts (invited, answered: never who) and its results per
dimension of the self-check, beside the coordinator's own latest self-check."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from authorities.models.assessment import AssessmentRound
from authorities.models.registry import Authority
from authorities.models.survey import StaffAnswer, StaffWave
from authorities.selectors.assessment import Chart, grouped_chart
from authorities.selectors.survey import small


def staff_waves_of(authority: Authority) -> QuerySet[StaffWave]:
    return authority.staff_waves.annotate(
        invited=Count("invitations", distinct=True),
        answered=Count("invitations", filter=Q(invitations__used=True), distinct=True),
    )


@dataclass
class DimensionSpread:
    label: str
    steps: list[str]  # per rating 1..5: how many colleagues' mean rounds to it, as shown ("< 3")
    mean: str
    self_check: str  # the coordinator's score, or "–"


@dataclass
class StaffResults:
    answers: int
    shown: bool
    self_check_label: str = ""
    dimensions: list[DimensionSpread] = field(default_factory=list)
    chart: Chart | None = None


def _fmt(value: float | None) -> str:
    if value is None:
        return "–"
    return str(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)).replace(".", ",")


def latest_self_check(wave: StaffWave) -> AssessmentRound | None:
    """The coordinator's latest self-check of the same questionnaire at the wave's authority."""
    return (
        AssessmentRound.objects.filter(
            process__authority_id=wave.authority_id, questionnaire=wave.questionnaire
        )
        .order_by("-completed_on", "-pk")
        .first()
    )


def staff_results(wave: StaffWave) -> StaffResults:
    """Per dimension: the spread of the colleagues' means (each colleague's ratings of the
    dimension's statements averaged, rounded to a step), their mean, and the coordinator's score.
    Nothing below SURVEY_STAFF_MIN_ANSWERS answers."""
    answers = wave.responses.count()
    if answers < settings.SURVEY_STAFF_MIN_ANSWERS:
        return StaffResults(answers=answers, shown=False)
    per_person: dict[tuple[int, int], list[int]] = defaultdict(list)
    rows = StaffAnswer.objects.filter(response__wave=wave).values_list(
        "response_id", "statement__dimension_id", "rating"
    )
    for response_id, dimension_id, rating in rows:
        per_person[(dimension_id, response_id)].append(rating)
    self_check = latest_self_check(wave)
    scores = self_check.scores() if self_check else {}
    results = StaffResults(
        answers=answers, shown=True, self_check_label=self_check.label if self_check else ""
    )
    groups: list[tuple[str, list[float | None]]] = []
    for dimension in wave.questionnaire.dimensions.all():
        means = [sum(r) / len(r) for (dim, _), r in per_person.items() if dim == dimension.pk]
        if not means:
            continue
        values: list[float | None] = [sum(means) / len(means)]
        if self_check:
            values.append(scores.get(dimension.pk))
        groups.append((dimension.label, values))
        counts = [0] * 5
        for mean in means:
            step = int(Decimal(str(mean)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
            counts[step - 1] += 1
        results.dimensions.append(
            DimensionSpread(
                label=dimension.label,
                steps=[small(count) for count in counts],
                mean=_fmt(sum(means) / len(means)),
                self_check=_fmt(scores.get(dimension.pk)),
            )
        )
    series = [_("Mitarbeitende (Mittelwert)")] + ([results.self_check_label] if self_check else [])
    results.chart = grouped_chart(
        groups=groups,
        series=series,
        title=_("Mitarbeitendenbefragung: Werte je Dimension"),
        description=_(
            "Durchschnittliche Bewertung je Dimension auf einer Skala von 1 bis 5; die Tabelle daneben "
            "zeigt dieselben Werte."
        ),
    )
    return results
