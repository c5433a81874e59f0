"""The customer survey's result indicators (registered with the other computations; kept in a module
of their own so the survey's figures have one home). Every figure comes from
`authorities.selectors.survey.survey_figures`, which counts only waves above the survey's threshold:
no share is ever computed from fewer than SURVEY_MIN_ANSWERS answers of one authority."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from authorities.models.survey import WaveKind
from authorities.selectors.survey import survey_figures, survey_figures_many
from portal.reports.computations import ReadTogether, computation


@computation(
    "survey_good_baseline",
    _("Kundschaft, die den Besuch gut oder sehr gut bewertet (Ausgangsbefragung)"),
    many=ReadTogether(survey_figures_many, lambda figures: figures.share_good(WaveKind.BASELINE)),
)
def survey_good_baseline(*, date_from: date, date_to: date, state: str | None = None) -> float:
    """Per cent of the customers answering in baseline waves in the period who rated their visit
    overall good or very good."""
    return survey_figures(date_from=date_from, date_to=date_to, state=state).share_good(WaveKind.BASELINE)


@computation(
    "survey_good_follow_up",
    _("Kundschaft, die den Besuch gut oder sehr gut bewertet (Folgebefragung)"),
    many=ReadTogether(survey_figures_many, lambda figures: figures.share_good(WaveKind.FOLLOW_UP)),
)
def survey_good_follow_up(*, date_from: date, date_to: date, state: str | None = None) -> float:
    """The same share in follow-up waves."""
    return survey_figures(date_from=date_from, date_to=date_to, state=state).share_good(WaveKind.FOLLOW_UP)


@computation(
    "survey_authorities_both_waves",
    _("Behörden mit Ausgangs- und Folgebefragung"),
    many=ReadTogether(survey_figures_many, lambda figures: figures.authorities_with_both),
)
def survey_authorities_both_waves(*, date_from: date, date_to: date, state: str | None = None) -> int:
    """Authorities with a baseline and a follow-up wave, each above the threshold by the period's end."""
    return survey_figures(date_from=date_from, date_to=date_to, state=state).authorities_with_both
