"""The report's context reads every figure in a fixed number of queries: at most 40, and the same
with a handful of authorities, courses and survey waves as with many (the worker's time and the
funders' wait do not grow with the project)."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from authorities.models import ChangeProcess
from authorities.models.assessment import Answer, AssessmentRound, Statement
from authorities.selectors.assessment import active_questionnaire
from portal.reports.computations import compute, compute_many
from portal.reports.documents import render_report_pdf, report_context
from tests.factories import AuthorityFactory
from tests.reports.test_report_pdf import END, START, build
from tests.reports.test_survey_indicators import _answer, _wave, questionnaire  # noqa: F401

pytestmark = pytest.mark.django_db

SURVEY = ("survey_good_baseline", "survey_good_follow_up", "survey_authorities_both_waves")
QUERY_LIMIT = 40


def _surveys(questionnaire, count: int, tag: str) -> None:  # noqa: F811
    """`count` authorities per state with a baseline above the threshold and a follow-up."""
    for state in ("RP", "NI"):
        for index in range(count):
            authority = AuthorityFactory(state=state, name=f"Umfrage {state} {index}{tag}")
            baseline = _wave(authority, questionnaire, "baseline", dt.date(2026, 2, 1))
            _answer(baseline, dt.date(2026, 2, 3), *[5] * 6, *[2] * 6)
            follow_up = _wave(authority, questionnaire, "follow_up", dt.date(2026, 5, 1))
            _answer(follow_up, dt.date(2026, 5, 4), *[4] * 11)


def _self_checks() -> None:
    """A baseline and a follow-up of the self-check for every process that has none yet."""
    self_check = active_questionnaire()
    statements = list(Statement.objects.filter(dimension__questionnaire=self_check))
    for process in ChangeProcess.objects.filter(assessments__isnull=True):
        for day, rating in ((dt.date(2026, 2, 2), 2), (dt.date(2026, 5, 2), 4)):
            assessment = AssessmentRound.objects.create(
                process=process, questionnaire=self_check, label="Selbstcheck", completed_on=day
            )
            Answer.objects.bulk_create(
                Answer(round=assessment, statement=statement, rating=rating) for statement in statements
            )


@pytest.fixture
def self_check(db):
    # The self-check's questionnaire as data migration 0003 seeds it (transaction tests flush it).
    importlib.import_module("authorities.migrations.0003_catalogue_and_selfcheck").add(apps, None)


def _pdf_queries(period) -> int:
    with CaptureQueriesContext(connection) as queries:
        render_report_pdf(date_from=START, date_to=END, period=period)
    return len(queries)


def test_the_whole_pdf_reads_the_same_queries_at_any_size(period, funding_project, questionnaire, self_check):  # noqa: F811
    """Not only report_context: nothing in rendering the report (the self-check chart, the annexes,
    the templates) reads per authority, process, course or meeting."""
    build(authorities_per_state=1, people_per_course=3)
    _surveys(questionnaire, 1, "")
    _self_checks()
    _pdf_queries(period)  # what a process reads once (and keeps) is not the report's
    small = _pdf_queries(period)
    build(authorities_per_state=6, people_per_course=8, tag=" (zweite)")
    _surveys(questionnaire, 5, " (zweite)")
    _self_checks()
    assert ChangeProcess.objects.filter(assessments__isnull=False).distinct().count() == 14
    assert _pdf_queries(period) == small <= QUERY_LIMIT


def _context_queries(period) -> int:
    with CaptureQueriesContext(connection) as queries:
        report_context(date_from=START, date_to=END, period=period)
    return len(queries)


def test_report_context_reads_in_at_most_40_queries_at_any_size(period, funding_project, questionnaire):  # noqa: F811
    build(authorities_per_state=1, people_per_course=3)
    _surveys(questionnaire, 1, "")
    _context_queries(period)  # what a process reads once (and keeps) is not the report's
    small = _context_queries(period)
    build(authorities_per_state=6, people_per_course=8, tag=" (zweite)")
    _surveys(questionnaire, 5, " (zweite)")
    large = _context_queries(period)
    assert large == small <= QUERY_LIMIT


def test_survey_figures_at_once_are_the_figures_one_by_one(questionnaire):  # noqa: F811
    _surveys(questionnaire, 2, "")
    small = _wave(AuthorityFactory(state="NI"), questionnaire, "baseline", dt.date(2026, 3, 1))
    _answer(small, dt.date(2026, 3, 2), *[1] * 9)  # below the threshold: counted nowhere
    periods = [(START, END), (START, dt.date(2026, 3, 31)), (dt.date(2026, 4, 1), END)]
    cells = [
        (key, start, end, state) for key in SURVEY for start, end in periods for state in (None, "RP", "NI")
    ]
    with CaptureQueriesContext(connection) as queries:
        together = compute_many(cells)
    one_by_one = [compute(key, date_from=start, date_to=end, state=state) for key, start, end, state in cells]
    assert together == one_by_one
    assert len(queries) == 2  # the responses and the answers per wave and day, once for all three
    # The follow-ups came in May: before April no authority has both waves, afterwards all four.
    assert together[
        SURVEY.index("survey_authorities_both_waves") * 9 : SURVEY.index("survey_authorities_both_waves") * 9
        + 3
    ] == [4, 2, 2]
