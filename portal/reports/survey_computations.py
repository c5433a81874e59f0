"""The customer survey's result indicators (registered with the other computations; kept in a module
of their own so the survey's figures have one home). Every figure comes from
`authorities.selectors.survey.survey_figures`, which counts only waves above the survey's threshold:
no share is ever computed from fewer than SURVEY_MIN_ANSWERS answers of one authority."""

from datetime import date, datetime
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

from authorities.models.survey import WaveKind
from authorities.selectors.survey import SurveyFigures, survey_figures
from portal.reports.computations import computation, reading_moment


@lru_cache(maxsize=32)
def _figures_as_of(date_from: date, date_to: date, state: str | None, moment: datetime) -> SurveyFigures:
    return survey_figures(date_from=date_from, date_to=date_to, state=state)


def _figures(*, date_from: date, date_to: date, state: str | None) -> SurveyFigures:
    """The survey's figures of one cell, read once per table: every survey indicator of the cell (and
    the shares' bases) shares them. Keyed by the table's reading moment, so no later read reuses them."""
    return _figures_as_of(date_from, date_to, state, reading_moment())


@computation(
    "survey_good_baseline", _("Kundschaft, die den Besuch gut oder sehr gut bewertet (Ausgangsbefragung)")
)
def survey_good_baseline(*, date_from: date, date_to: date, state: str | None = None) -> float:
    """Per cent of the customers answering in baseline waves in the period who rated their visit
    overall good or very good."""
    return _figures(date_from=date_from, date_to=date_to, state=state).share_good(WaveKind.BASELINE)


@computation(
    "survey_good_follow_up", _("Kundschaft, die den Besuch gut oder sehr gut bewertet (Folgebefragung)")
)
def survey_good_follow_up(*, date_from: date, date_to: date, state: str | None = None) -> float:
    """The same share in follow-up waves."""
    return _figures(date_from=date_from, date_to=date_to, state=state).share_good(WaveKind.FOLLOW_UP)


@computation(
    "survey_answers_baseline", _("Antworten der Kundschaft in Ausgangsbefragungen (über der Mindestzahl)")
)
def survey_answers_baseline(*, date_from: date, date_to: date, state: str | None = None) -> int:
    """The answers the baseline share is computed from: with none, the share has no value ("–")."""
    return _figures(date_from=date_from, date_to=date_to, state=state).answers.get(WaveKind.BASELINE, 0)


@computation(
    "survey_answers_follow_up", _("Antworten der Kundschaft in Folgebefragungen (über der Mindestzahl)")
)
def survey_answers_follow_up(*, date_from: date, date_to: date, state: str | None = None) -> int:
    """The answers the follow-up share is computed from."""
    return _figures(date_from=date_from, date_to=date_to, state=state).answers.get(WaveKind.FOLLOW_UP, 0)


@computation("survey_authorities_both_waves", _("Behörden mit Ausgangs- und Folgebefragung"))
def survey_authorities_both_waves(*, date_from: date, date_to: date, state: str | None = None) -> int:
    """Authorities with a baseline and a follow-up wave, each above the threshold by the period's end."""
    return _figures(date_from=date_from, date_to=date_to, state=state).authorities_with_both
