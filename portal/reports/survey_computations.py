"""The customer survey's result indicators (registered with the other computations; kept in a module
of their own so the survey's figures have one home). Every figure comes from
`authorities.selectors.survey.SurveyDays.figures`, which counts only waves above the survey's
threshold: no share is ever computed from fewer than SURVEY_MIN_ANSWERS answers of one authority. A
table reads the survey's days once for all its cells and survey indicators (`compute_many`)."""

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from authorities.models.survey import WaveKind
from authorities.selectors.survey import SurveyFigures, survey_days, survey_figures
from portal.reports.computations import computation, reading_moment, shared

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

type Read = Callable[[SurveyFigures], int | float]


def _register(key: str, label: "StrOrPromise", read: Read) -> None:
    def many(cells: list[tuple[date, date, str | None]]) -> list[float]:
        days = shared("survey_days", lambda: survey_days(until=timezone.localdate(reading_moment())))
        return [read(days.figures(date_from=f, date_to=t, state=s)) for f, t, s in cells]

    def one(*, date_from: date, date_to: date, state: str | None = None) -> int | float:
        return read(survey_figures(date_from=date_from, date_to=date_to, state=state))

    computation(key, label, many=many)(one)


_register(
    "survey_good_baseline",
    _("Kundschaft, die den Besuch gut oder sehr gut bewertet (Ausgangsbefragung)"),
    # Per cent of the customers answering in baseline waves in the period who rated their visit overall
    # good or very good.
    lambda figures: figures.share_good(WaveKind.BASELINE),
)
_register(
    "survey_good_follow_up",
    _("Kundschaft, die den Besuch gut oder sehr gut bewertet (Folgebefragung)"),
    lambda figures: figures.share_good(WaveKind.FOLLOW_UP),
)
_register(
    "survey_answers_baseline",
    _("Antworten der Kundschaft in Ausgangsbefragungen (über der Mindestzahl)"),
    # The answers the baseline share is computed from: with none, the share has no value ("–").
    lambda figures: figures.answers.get(WaveKind.BASELINE, 0),
)
_register(
    "survey_answers_follow_up",
    _("Antworten der Kundschaft in Folgebefragungen (über der Mindestzahl)"),
    lambda figures: figures.answers.get(WaveKind.FOLLOW_UP, 0),
)
_register(
    "survey_authorities_both_waves",
    _("Behörden mit Ausgangs- und Folgebefragung"),
    # Authorities with a baseline and a follow-up wave, each above the threshold by the period's end.
    lambda figures: figures.authorities_with_both,
)
