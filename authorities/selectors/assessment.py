"""The self-check (Selbstcheck Willkommenskultur): scores per dimension, baseline against the latest
follow-up, and the geometry of the bar chart that shows them. Pages draw the chart from these numbers;
the AMIF report reuses `assessment_change_by_dimension`."""

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from authorities.models.assessment import Answer, AssessmentRound, Dimension, Questionnaire
from authorities.models.process import ChangeProcess

SCALE_MAX = 5


def active_questionnaire() -> Questionnaire | None:
    # Several active questionnaires are possible in the data; the newest one is the one in use.
    return Questionnaire.objects.filter(is_active=True).order_by("-pk").first()


def default_label(process: ChangeProcess) -> str:
    return _("Folgeerhebung") if process.assessments.exists() else _("Ausgangslage")


@dataclass(frozen=True)
class DimensionChange:
    dimension: Dimension
    baseline: float | None
    follow_up: float | None

    @property
    def change(self) -> float | None:
        if self.baseline is None or self.follow_up is None:
            return None
        return round(self.follow_up - self.baseline, 2)


def compared_rounds(
    process: ChangeProcess,
) -> tuple[list[AssessmentRound], AssessmentRound | None, AssessmentRound | None]:
    """All rounds in order, the first (baseline) and the latest follow-up (None while there is one round)."""
    rounds = list(process.assessments.order_by("completed_on", "pk"))
    baseline = rounds[0] if rounds else None
    follow_up = rounds[-1] if len(rounds) > 1 else None
    return rounds, baseline, follow_up


def assessment_change_by_dimension(process: ChangeProcess) -> list[DimensionChange]:
    """Score per dimension in the baseline and the latest follow-up, and the change between them."""
    _rounds, baseline, follow_up = compared_rounds(process)
    return changes_between(baseline, follow_up)


# What a dimension shows (its label in either language) and how the dimensions are ordered.
DIMENSION_FIELDS = ("id", "questionnaire_id", "name", "name_en", "position")
# What the results block shows of a round (and what its links and labels need).
ROUND_FIELDS = ("id", "process_id", "questionnaire_id", "label", "completed_on", "completed_by_id")


def changes_between(
    baseline: AssessmentRound | None, follow_up: AssessmentRound | None
) -> list[DimensionChange]:
    # One query whatever the number of rounds and statements: the scores grouped by dimension carry the
    # dimension's fields (the process page read the dimensions in a second one). Dimensions without a
    # score in either round (added to the questionnaire later) are left out. No baseline, no follow-up
    # either.
    if baseline is None:
        return []
    compared = [r for r in (baseline, follow_up) if r is not None]
    fields = {f"statement__dimension__{name}": name for name in DIMENSION_FIELDS}
    rows = (
        Answer.objects.filter(round__in=compared)
        .values("round_id", *fields)
        .annotate(score=Avg("rating"))
        .order_by()
    )
    return _changes(baseline, follow_up, rows, "round_id", fields)


def _changes(
    baseline: AssessmentRound,
    follow_up: AssessmentRound | None,
    rows: Iterable[dict[str, Any]],
    round_column: str,
    fields: dict[str, str],
) -> list[DimensionChange]:
    """The changes from rows of average scores: each row a round's id (`round_column`), a dimension's
    fields (`fields`: column -> field name) and its `score`; rows of other rounds or without a score
    are skipped."""
    compared = {baseline.pk, follow_up.pk if follow_up else baseline.pk}
    scores: dict[tuple[int, int], float] = {}
    by_pk: dict[int, Dimension] = {}
    for row in rows:
        if row["score"] is None or row[round_column] not in compared:
            continue
        dimension = Dimension(**{name: row[column] for column, name in fields.items()})
        by_pk.setdefault(dimension.pk, dimension)
        scores[(row[round_column], dimension.pk)] = round(row["score"], 2)
    dimensions = sorted(by_pk.values(), key=lambda d: (d.questionnaire_id, d.position, d.pk))
    return [
        DimensionChange(
            dimension=dimension,
            baseline=scores.get((baseline.pk, dimension.pk)),
            follow_up=scores.get((follow_up.pk, dimension.pk)) if follow_up else None,
        )
        for dimension in dimensions
    ]


def format_score(value: float | None, *, signed: bool = False) -> str:
    """German, one decimal: 3,5; with signed, +1,5 or -0,5."""
    if value is None:
        return "–"
    text = number_format(round(value, 1), decimal_pos=1)
    if signed and round(value, 1) > 0:
        text = "+" + text
    return text


# --- chart geometry -------------------------------------------------------------------------------
# Horizontal grouped bars in a fixed coordinate system (the viewBox); the SVG scales to its box.
# Colours from KERN's palette as hex (neutral-500, darkblue-700, neutral-200, neutral-950); the
# classes in portal.css map them onto KERN's variables, so dark mode and forced colours still work.


@dataclass(frozen=True)
class Geometry:
    """The measures of a grouped bar chart in px (the self-check's by default)."""

    width: int = 560
    plot_x: int = 200  # left of it: the group names
    plot_width: int = 300  # 0 … 5; right of it: room for the value of the longest bar
    bar_height: int = 18
    group_gap: int = 20
    label_chars: int = 24
    max_lines: int | None = None  # label lines kept; None: all


BAR_GAP = 4
LINE_HEIGHT = 16
LEGEND_ROW = 22
SERIES_STYLE = [
    ("portal-chart__bar--baseline", "#6e7597"),
    ("portal-chart__bar--follow-up", "#2044aa"),
]
TEXT_FILL = "#131525"
GRID_FILL = "#c0c3d5"


@dataclass
class Bar:
    x: int
    y: int
    width: int
    height: int
    css: str
    fill: str
    value: str
    value_x: int
    value_y: int


@dataclass
class Label:
    lines: list[tuple[int, str]]  # (y, text)
    x: int


@dataclass
class Chart:
    width: int
    height: int
    title: str
    description: str
    legend: list[dict[str, object]] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    grid: list[dict[str, object]] = field(default_factory=list)


def _x(score: float, geometry: Geometry) -> int:
    return round(score / SCALE_MAX * geometry.plot_width)


def round_name(assessment: AssessmentRound) -> str:
    return _("%(label)s vom %(date)s") % {
        "label": assessment.label,
        "date": date_format(assessment.completed_on, "SHORT_DATE_FORMAT"),
    }


def bar_chart(
    changes: list[DimensionChange], baseline: AssessmentRound, follow_up: AssessmentRound | None
) -> Chart:
    series = [(baseline, "baseline")] + ([(follow_up, "follow_up")] if follow_up else [])
    return grouped_chart(
        groups=[
            (change.dimension.label, [getattr(change, key) for _round, key in series]) for change in changes
        ],
        series=[round_name(assessment) for assessment, _key in series],
        title=_("Selbstcheck Willkommenskultur: Werte je Dimension"),
        description=_describe(changes, baseline, follow_up),
    )


def grouped_chart(
    *,
    groups: list[tuple[str, list[float | None]]],
    series: list[str],
    title: str,
    description: str,
    geometry: Geometry = Geometry(),
) -> Chart:
    """Horizontal bars on the 1–5 scale: one group per label, one bar per series (legend on top)."""
    g = geometry
    top = 8 + len(series) * LEGEND_ROW + 8
    group_height = len(series) * g.bar_height + (len(series) - 1) * BAR_GAP
    legend = [
        {
            "x": g.plot_x,
            "y": 8 + index * LEGEND_ROW,
            "size": 14,
            "text_x": g.plot_x + 22,
            "text_y": 8 + index * LEGEND_ROW + 12,
            "css": SERIES_STYLE[index][0],
            "fill": SERIES_STYLE[index][1],
            "text": name,
        }
        for index, name in enumerate(series)
    ]
    bars, labels = [], []
    for row_index, (label, scores) in enumerate(groups):
        group_y = top + row_index * (group_height + g.group_gap)
        for index, score in enumerate(scores):
            y = group_y + index * (g.bar_height + BAR_GAP)
            width = _x(score, g) if score is not None else 0
            bars.append(
                Bar(
                    x=g.plot_x,
                    y=y,
                    width=width,
                    height=g.bar_height,
                    css=SERIES_STYLE[index][0],
                    fill=SERIES_STYLE[index][1],
                    value=format_score(score),
                    value_x=g.plot_x + width + 6,
                    value_y=y + g.bar_height - 4,
                )
            )
        lines = textwrap.wrap(label, g.label_chars)[: g.max_lines] or [""]
        first_y = group_y + group_height // 2 + 5 - (len(lines) - 1) * LINE_HEIGHT // 2
        labels.append(
            Label(x=g.plot_x - 10, lines=[(first_y + i * LINE_HEIGHT, line) for i, line in enumerate(lines)])
        )
    plot_bottom = top + max(len(groups), 1) * (group_height + g.group_gap) - g.group_gap // 2
    grid = [
        {
            "x": g.plot_x + _x(tick, g),
            "y1": top - 6,
            "y2": plot_bottom,
            "label": str(tick),
            "label_y": plot_bottom + 16,
        }
        for tick in range(SCALE_MAX + 1)
    ]
    return Chart(
        width=g.width,
        height=plot_bottom + 26,
        title=title,
        description=description,
        legend=legend,
        bars=bars,
        labels=labels,
        grid=grid,
    )


def _describe(
    changes: list[DimensionChange], baseline: AssessmentRound, follow_up: AssessmentRound | None
) -> str:
    """The chart in words, for screen readers (the table beside it has the same numbers)."""
    if follow_up:
        intro = _(
            "Durchschnittliche Bewertung je Dimension auf einer Skala von 1 bis 5, %(first)s und %(second)s."
        ) % {
            "first": round_name(baseline),
            "second": round_name(follow_up),
        }
        parts = [
            _("%(dimension)s: %(baseline)s, dann %(follow_up)s")
            % {
                "dimension": change.dimension.label,
                "baseline": format_score(change.baseline),
                "follow_up": format_score(change.follow_up),
            }
            for change in changes
        ]
    else:
        intro = _("Durchschnittliche Bewertung je Dimension auf einer Skala von 1 bis 5, %(first)s.") % {
            "first": round_name(baseline)
        }
        parts = [
            _("%(dimension)s: %(baseline)s")
            % {
                "dimension": change.dimension.label,
                "baseline": format_score(change.baseline),
            }
            for change in changes
        ]
    return " ".join([intro, "; ".join(parts) + "."]) if parts else intro


def assessment_results(process: ChangeProcess) -> dict[str, object]:
    """Everything the results block on the process page shows, in one query: the rounds joined to
    their answers' average per dimension (a round without answers is one row without a score)."""
    fields = {f"answers__statement__dimension__{name}": name for name in DIMENSION_FIELDS}
    rows = list(
        process.assessments.values(*ROUND_FIELDS, *fields).annotate(score=Avg("answers__rating")).order_by()
    )
    by_pk = {row["id"]: AssessmentRound(**{name: row[name] for name in ROUND_FIELDS}) for row in rows}
    # In the order of compared_rounds.
    rounds = sorted(by_pk.values(), key=lambda r: (r.completed_on, r.pk))
    baseline = rounds[0] if rounds else None
    follow_up = rounds[-1] if len(rounds) > 1 else None
    results: dict[str, object] = {
        "rounds": rounds,
        "baseline": baseline,
        "follow_up": follow_up,
        "rows": [],
        "chart": None,
    }
    if baseline is None:
        return results
    changes = _changes(baseline, follow_up, rows, "id", fields)
    results["rows"] = [
        {
            "dimension": change.dimension.label,
            "baseline": format_score(change.baseline),
            "follow_up": format_score(change.follow_up),
            "change": format_score(change.change, signed=True),
        }
        for change in changes
    ]
    results["chart"] = bar_chart(changes, baseline, follow_up) if changes else None
    return results


@dataclass(frozen=True)
class DimensionAverage:
    dimension: str
    processes: int  # how many processes with a baseline and a follow-up scored this dimension
    baseline: float
    follow_up: float

    @property
    def change(self) -> float:
        return round(self.follow_up - self.baseline, 2)


def self_check_change_by_dimension(*, state: str | None = None) -> list[DimensionAverage]:
    """Across all processes with at least two rounds: the average baseline, follow-up and change per
    dimension (for the AMIF report). Four queries however many processes: their ids, their rounds,
    the scores of the compared rounds and the dimensions (what `changes_between` reads per process)."""
    processes = ChangeProcess.objects.filter(assessments__isnull=False).distinct()
    if state:
        processes = processes.filter(authority__state=state)
    process_ids = list(processes.values_list("pk", flat=True))
    rounds: dict[int, list[int]] = {}
    for process_id, round_id in (
        AssessmentRound.objects.filter(process_id__in=process_ids)
        .order_by("completed_on", "pk")
        .values_list("process_id", "pk")
    ):
        rounds.setdefault(process_id, []).append(round_id)
    # The baseline and the latest follow-up of each process, as compared_rounds chooses them.
    compared = {pk: (ids[0], ids[-1]) for pk, ids in rounds.items() if len(ids) > 1}
    round_ids = [round_id for pair in compared.values() for round_id in pair]
    scores: dict[int, dict[int, float]] = {}
    for row in (
        Answer.objects.filter(round_id__in=round_ids)
        .values("round_id", "statement__dimension_id")
        .annotate(score=Avg("rating"))
        .order_by()
    ):
        scores.setdefault(row["round_id"], {})[row["statement__dimension_id"]] = round(row["score"], 2)
    dimension_ids = {dimension_id for by_dimension in scores.values() for dimension_id in by_dimension}
    dimensions = list(
        Dimension.objects.filter(pk__in=dimension_ids).order_by("questionnaire_id", "position", "pk")
    )
    sums: dict[str, tuple[int, float, float]] = {}
    labels: dict[str, str] = {}  # by the German name, which identifies a dimension across questionnaires
    for process_id in process_ids:
        if process_id not in compared:
            continue
        baseline, follow_up = (scores.get(round_id, {}) for round_id in compared[process_id])
        for dimension in dimensions:
            if dimension.pk in baseline and dimension.pk in follow_up:
                count, before, after = sums.get(dimension.name, (0, 0.0, 0.0))
                sums[dimension.name] = (
                    count + 1,
                    before + baseline[dimension.pk],
                    after + follow_up[dimension.pk],
                )
                labels[dimension.name] = dimension.label
    return [
        DimensionAverage(labels[name], count, round(baseline / count, 2), round(follow_up / count, 2))
        for name, (count, baseline, follow_up) in sums.items()
    ]
