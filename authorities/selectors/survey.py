"""Reads of the customers' survey: the questionnaire in a language, the waves of an authority with
their answer counts, the results of a wave (from SURVEY_MIN_ANSWERS answers on), baseline against
follow-up with a 95 % interval, the peers' median, and the figures the project reports.

Small numbers: a wave with fewer answers than the threshold shows no result at all, an item with
fewer answers than the threshold none for that item, and a count of one or two people reads "< 3"."""

import math
import statistics
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from authorities.models.process import MeasureStatus
from authorities.models.registry import Authority
from authorities.models.survey import (
    CommentStatus,
    ItemKind,
    SurveyAnswer,
    SurveyComment,
    SurveyItem,
    SurveyItemText,
    SurveyMeasure,
    SurveyResponse,
    SurveyWave,
    WaveKind,
)
from authorities.models.survey_words import DEFAULT_LANGUAGE, SCALE_VALUES
from authorities.selectors.assessment import Chart, Geometry, format_score, grouped_chart

# z for a two-sided 95 % interval.
Z95 = 1.96
GOOD = (4, 5)  # "good" and "very good" on the five-step scale


def public_items(wave: SurveyWave, language: str) -> list[tuple[SurveyItem, SurveyItemText]]:
    """The wave's items with their text in `language` (German where a text is missing): two queries."""
    texts = SurveyItemText.objects.filter(language__in={language, DEFAULT_LANGUAGE})
    items = wave.questionnaire.items.prefetch_related(Prefetch("texts", queryset=texts, to_attr="known"))
    result: list[tuple[SurveyItem, SurveyItemText]] = []
    for item in items:
        by_language = {text.language: text for text in item.known}
        text = by_language.get(language) or by_language.get(DEFAULT_LANGUAGE)
        if text is not None:
            result.append((item, text))
    return result


def wave_by_key(key: str) -> SurveyWave | None:
    return SurveyWave.objects.select_related("authority", "questionnaire").filter(key=key).first()


def waves_of(authority: Authority) -> QuerySet[SurveyWave]:
    """An authority's waves, newest first, each with its number of answers and of comments."""
    return authority.survey_waves.annotate(
        answers=Count("responses", distinct=True),
        comments_released=Count("comments", filter=Q(comments__status=CommentStatus.RELEASED), distinct=True),
        comments_pending=Count("comments", filter=Q(comments__status=CommentStatus.PENDING), distinct=True),
    ).order_by("-opens_on", "-pk")


def comments_for(wave: SurveyWave, *, released_only: bool) -> QuerySet[SurveyComment]:
    comments = wave.comments.order_by("answered_on", "text")
    return comments.filter(status=CommentStatus.RELEASED) if released_only else comments


def small(count: int) -> str:
    """A people count as shown: 1 and 2 read "< 3"."""
    return "< 3" if 0 < count < 3 else str(count)


# --- the results of a wave ------------------------------------------------------------------------


@dataclass
class ItemResult:
    item: SurveyItem
    text: str
    answers: int
    counts: dict[int, int]  # value -> number of answers
    shown: bool  # enough answers to show anything
    rows: list[dict[str, str]] = field(default_factory=list)  # the distribution as the page shows it

    @property
    def mean(self) -> float | None:
        if not self.answers or self.item.kind not in (ItemKind.SCALE, ItemKind.YES_NO):
            return None
        return sum(value * n for value, n in self.counts.items()) / self.answers

    @property
    def variance(self) -> float:
        mean = self.mean or 0.0
        if self.answers < 2:
            return 0.0
        return sum(n * (value - mean) ** 2 for value, n in self.counts.items()) / (self.answers - 1)

    @property
    def share_good(self) -> float | None:
        """Scale: the share answering good or very good; yes/no: the share answering yes."""
        if not self.answers:
            return None
        good = GOOD if self.item.kind == ItemKind.SCALE else (1,)
        return sum(self.counts.get(value, 0) for value in good) / self.answers

    def distribution(self, labels: list[str]) -> list[dict[str, str]]:
        """Per answer step: the count ("< 3" for one or two) and its share in per cent (none for "< 3")."""
        rows = []
        for value, label in zip(self.values(), labels, strict=False):
            count = self.counts.get(value, 0)
            shown_share = (count == 0 or count >= 3) and self.answers > 0
            rows.append(
                {
                    "label": label,
                    "count": small(count),
                    "share": f"{round(100 * count / self.answers)} %" if shown_share else "–",
                }
            )
        return rows

    def values(self) -> list[int]:
        if self.item.kind == ItemKind.SCALE:
            return list(SCALE_VALUES)
        if self.item.kind == ItemKind.YES_NO:
            return [1, 0]
        return sorted(self.counts) or []


def scale_labels() -> list[str]:
    return [_("sehr gut"), _("gut"), _("mittel"), _("schlecht"), _("sehr schlecht")]


def _answer_counts(waves: list[SurveyWave]) -> dict[tuple[int, int], dict[int, int]]:
    rows = (
        SurveyAnswer.objects.filter(response__wave__in=waves)
        .values("response__wave_id", "item_id", "value")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[tuple[int, int], dict[int, int]] = {}
    for row in rows:
        counts.setdefault((row["response__wave_id"], row["item_id"]), {})[row["value"]] = row["n"]
    return counts


def response_count(wave: SurveyWave) -> int:
    return wave.responses.count()


def item_results(wave: SurveyWave, *, language: str = DEFAULT_LANGUAGE) -> list[ItemResult]:
    """Per item (not the comment): the answers' counts; `shown` only from the threshold on."""
    counts = _answer_counts([wave])
    minimum = settings.SURVEY_MIN_ANSWERS
    results = []
    for item, text in public_items(wave, language):
        if item.kind == ItemKind.COMMENT:
            continue
        item_counts = counts.get((wave.pk, item.pk), {})
        answers = sum(item_counts.values())
        result = ItemResult(item, text.text, answers, item_counts, answers >= minimum)
        if result.shown and item.kind == ItemKind.SCALE:
            result.rows = result.distribution(scale_labels())
        results.append(result)
    return results


@dataclass
class Difference:
    """Follow-up minus baseline for one item, with its 95 % interval (normal approximation, Welch)."""

    item: SurveyItem
    text: str
    baseline: float
    follow_up: float
    low: float
    high: float
    percent: bool  # yes/no items: shares in percentage points

    @property
    def difference(self) -> float:
        return self.follow_up - self.baseline

    @property
    def within_chance(self) -> bool:
        return self.low <= 0 <= self.high

    def formatted(self) -> dict[str, str]:
        if self.percent:

            def fmt(value: float, signed: bool = False) -> str:
                points = round(100 * value)
                return (f"+{points}" if signed and points > 0 else str(points)) + (" Pp." if signed else " %")

        else:

            def fmt(value: float, signed: bool = False) -> str:
                return format_score(value, signed=signed)

        return {
            "baseline": fmt(self.baseline),
            "follow_up": fmt(self.follow_up),
            "difference": fmt(self.difference, True),
            "interval": f"{fmt(self.low, True)} … {fmt(self.high, True)}",
        }


def differences(baseline: list[ItemResult], follow_up: list[ItemResult]) -> list[Difference]:
    """For every scale and yes/no item shown in both waves: the change and its 95 % interval."""
    before = {result.item.code: result for result in baseline if result.shown}
    result = []
    for after in follow_up:
        first = before.get(after.item.code)
        if not after.shown or first is None or after.item.kind not in (ItemKind.SCALE, ItemKind.YES_NO):
            continue
        if after.item.kind == ItemKind.SCALE:
            a, b = first.mean or 0.0, after.mean or 0.0
            se = math.sqrt(first.variance / first.answers + after.variance / after.answers)
        else:
            a, b = first.share_good or 0.0, after.share_good or 0.0
            se = math.sqrt(a * (1 - a) / first.answers + b * (1 - b) / after.answers)
        diff = b - a
        result.append(
            Difference(
                after.item,
                after.text,
                a,
                b,
                diff - Z95 * se,
                diff + Z95 * se,
                after.item.kind == ItemKind.YES_NO,
            )
        )
    return result


def baseline_for(wave: SurveyWave) -> SurveyWave | None:
    """The baseline a follow-up wave is compared with: the authority's latest baseline before it."""
    if wave.kind != WaveKind.FOLLOW_UP:
        return None
    return (
        SurveyWave.objects.filter(
            authority_id=wave.authority_id, kind=WaveKind.BASELINE, opens_on__lt=wave.opens_on
        )
        .order_by("-opens_on", "-pk")
        .first()
    )


# --- peers ----------------------------------------------------------------------------------------

SIZE_BANDS = (100_000, 250_000)


def _size_band(population: int | None) -> int | None:
    if population is None:
        return None
    return sum(1 for limit in SIZE_BANDS if population >= limit)


def peer_medians(wave: SurveyWave) -> tuple[str, dict[int, float]]:
    """The median of the peers' means per scale item, and what "peers" meant: authorities of the same
    state and kind, or else of the same size band, each with its latest ended wave that has enough
    answers. Empty unless SURVEY_MIN_PEERS peers have results; the peers are never named."""
    today = timezone.localdate()
    minimum = settings.SURVEY_MIN_ANSWERS
    candidates = (
        SurveyWave.objects.exclude(authority_id=wave.authority_id)
        .filter(Q(closed=True) | Q(closes_on__lt=today), questionnaire_id=wave.questionnaire_id)
        .annotate(answers=Count("responses"))
        .filter(answers__gte=minimum)
        .select_related("authority")
        .order_by("authority_id", "-opens_on", "-pk")
    )
    latest: dict[int, SurveyWave] = {}
    for candidate in candidates:
        latest.setdefault(candidate.authority_id, candidate)
    own = wave.authority
    groups = [
        (
            _("Behörden derselben Art im selben Land"),
            [w for w in latest.values() if w.authority.state == own.state and w.authority.kind == own.kind],
        ),
        (
            _("Behörden derselben Größenklasse"),
            [
                w
                for w in latest.values()
                if _size_band(own.population) is not None
                and _size_band(w.authority.population) == _size_band(own.population)
            ],
        ),
    ]
    for label, peers in groups:
        if len(peers) < settings.SURVEY_MIN_PEERS:
            continue
        counts = _answer_counts(peers)
        means: dict[int, list[float]] = {}
        for (_wave_id, item_id), item_counts in counts.items():
            n = sum(item_counts.values())
            if n >= minimum:
                means.setdefault(item_id, []).append(sum(v * c for v, c in item_counts.items()) / n)
        return label, {
            item_id: statistics.median(values)
            for item_id, values in means.items()
            if len(values) >= settings.SURVEY_MIN_PEERS
        }
    return "", {}


# --- the chart: mean per scale item, baseline and follow-up ---------------------------------------

CHART = Geometry(width=600, plot_x=240, bar_height=16, group_gap=18, label_chars=30, max_lines=3)


def means_chart(series: list[tuple[str, list[ItemResult]]], *, title: str) -> Chart | None:
    """Horizontal bars of the mean (1 to 5) per scale item shown, one bar per wave."""
    rows: list[tuple[str, list[float | None]]] = []
    first = series[0][1]
    others = [{r.item.code: r for r in results} for _name, results in series]
    for result in first:
        if result.item.kind != ItemKind.SCALE:
            continue
        values: list[float | None] = []
        for results in others:
            other = results.get(result.item.code)
            values.append(other.mean if other is not None and other.shown else None)
        if any(v is not None for v in values):
            rows.append((result.text, values))
    if not rows:
        return None
    description = _("Mittelwert je Frage von 1 (sehr schlecht) bis 5 (sehr gut): %(series)s.") % {
        "series": ", ".join(name for name, _results in series)
    }
    parts = [f"{text} " + ", ".join(format_score(v) for v in values) for text, values in rows]
    return grouped_chart(
        groups=rows,
        series=[name for name, _results in series],
        title=title,
        description=f"{description} " + "; ".join(parts) + ".",
        geometry=CHART,
    )


@dataclass
class WaveResults:
    wave: SurveyWave
    answers: int
    shown: bool
    items: list[ItemResult] = field(default_factory=list)
    baseline: SurveyWave | None = None
    differences: list[Difference] = field(default_factory=list)
    chart: Chart | None = None
    peers: str = ""
    peer_rows: list[dict[str, str]] = field(default_factory=list)


def wave_label(wave: SurveyWave) -> str:
    return f"{wave.get_kind_display()} {wave.opens_on:%m/%Y}"


def wave_results(wave: SurveyWave) -> WaveResults:
    """What the results page shows: nothing below the threshold."""
    answers = response_count(wave)
    if answers < settings.SURVEY_MIN_ANSWERS:
        return WaveResults(wave, answers, shown=False)
    items = item_results(wave)
    results = WaveResults(wave, answers, shown=True, items=items)
    series = [(wave_label(wave), items)]
    baseline = baseline_for(wave)
    if baseline is not None and response_count(baseline) >= settings.SURVEY_MIN_ANSWERS:
        baseline_items = item_results(baseline)
        results.baseline = baseline
        results.differences = differences(baseline_items, items)
        series = [(wave_label(baseline), baseline_items), *series]
    results.chart = means_chart(series, title=_("Kundenbefragung: Mittelwert je Frage"))
    label, medians = peer_medians(wave)
    if medians:
        results.peers = label
        results.peer_rows = [
            {"text": r.text, "own": format_score(r.mean), "peers": format_score(medians[r.item.pk])}
            for r in items
            if r.shown and r.item.kind == ItemKind.SCALE and r.item.pk in medians
        ]
    return results


# --- figures for the project and the funders ------------------------------------------------------


@dataclass(frozen=True)
class SurveyFigures:
    """Answers of customers in a period, counted only in waves with SURVEY_MIN_ANSWERS answers in it:
    per kind of wave the answers to "overall" and how many rated it good or very good, and the
    authorities that have both a baseline and a follow-up above the threshold by the period's end."""

    answers: dict[str, int]
    good: dict[str, int]
    authorities_with_both: int

    def share_good(self, kind: str) -> float:
        """Per cent, one decimal; 0.0 while no wave of the kind reached the threshold."""
        answers = self.answers.get(kind, 0)
        return round(100 * self.good.get(kind, 0) / answers, 1) if answers else 0.0


@dataclass(frozen=True)
class SurveyDays:
    """The survey's facts by wave and day up to a day, read in two queries so that the figures of many
    periods and states come from one read: per wave its authority, state and kind, the responses per
    day, and per day the answers to "overall" with how many rated it good or very good."""

    waves: dict[int, tuple[int, str, str]]
    responses: dict[int, dict[date, int]]
    overall: dict[int, dict[date, tuple[int, int]]]

    def figures(self, *, date_from: date, date_to: date, state: str | None = None) -> SurveyFigures:
        """Only the day of each answer is known, and it is a fact that stays: a past period gives the
        same figures whenever it is computed again."""
        minimum = settings.SURVEY_MIN_ANSWERS
        answers: dict[str, int] = {}
        good: dict[str, int] = {}
        kinds: dict[int, set[str]] = {}
        for wave, (authority_id, wave_state, kind) in self.waves.items():
            if state and wave_state != state:
                continue
            days = self.responses.get(wave, {})
            if sum(n for day, n in days.items() if day <= date_to) >= minimum:
                kinds.setdefault(authority_id, set()).add(kind)
            if sum(n for day, n in days.items() if date_from <= day <= date_to) < minimum:
                continue
            for day, (n, n_good) in self.overall.get(wave, {}).items():
                if date_from <= day <= date_to:
                    answers[kind] = answers.get(kind, 0) + n
                    good[kind] = good.get(kind, 0) + n_good
        both = sum(1 for found in kinds.values() if {WaveKind.BASELINE, WaveKind.FOLLOW_UP} <= found)
        return SurveyFigures(answers=answers, good=good, authorities_with_both=both)


def survey_days(*, until: date) -> SurveyDays:
    """Two queries, whatever the number of periods and states asked for afterwards."""
    waves: dict[int, tuple[int, str, str]] = {}
    responses: dict[int, dict[date, int]] = {}
    for row in (
        SurveyResponse.objects.filter(answered_on__lte=until)
        .values("wave_id", "wave__authority_id", "wave__authority__state", "wave__kind", "answered_on")
        .annotate(n=Count("id"))
        .order_by()
    ):
        waves[row["wave_id"]] = (row["wave__authority_id"], row["wave__authority__state"], row["wave__kind"])
        responses.setdefault(row["wave_id"], {})[row["answered_on"]] = row["n"]
    overall: dict[int, dict[date, tuple[int, int]]] = {}
    for answers in (
        SurveyAnswer.objects.filter(item__code="overall", response__answered_on__lte=until)
        .values("response__wave_id", "response__answered_on")
        .annotate(n=Count("id"), good=Count("id", filter=Q(value__in=GOOD)))
        .order_by()
    ):
        day = answers["response__answered_on"]
        overall.setdefault(answers["response__wave_id"], {})[day] = (answers["n"], answers["good"])
    return SurveyDays(waves=waves, responses=responses, overall=overall)


def survey_figures(*, date_from: date, date_to: date, state: str | None = None) -> SurveyFigures:
    """Answers of customers in a period (see SurveyFigures), in two queries."""
    return survey_days(until=date_to).figures(date_from=date_from, date_to=date_to, state=state)


def measures_answering(authority: Authority, *, done_only: bool = False) -> list[dict[str, object]]:
    """Sie sagten – wir taten: the authority's measures that name survey items, with the items'
    German texts; with `done_only`, only measures done (what the public page after answering shows);
    two queries."""
    links = SurveyMeasure.objects.filter(measure__process__authority=authority)
    if done_only:
        links = links.filter(measure__status=MeasureStatus.DONE)
    links = links.select_related("measure").order_by("measure__title", "item__position")
    texts = dict(
        SurveyItemText.objects.filter(
            language=DEFAULT_LANGUAGE, item__measure_links__measure__process__authority=authority
        ).values_list("item_id", "text")
    )
    grouped: dict[int, dict[str, object]] = {}
    for link in links:
        entry = grouped.setdefault(link.measure_id, {"measure": link.measure, "items": []})
        entry["items"].append(texts.get(link.item_id, ""))  # type: ignore[attr-defined]
    return list(grouped.values())
