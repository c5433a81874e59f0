"""The customer survey's result indicators and the report's survey section: shares only from waves
above the threshold, the same figures for a past period whenever they are computed, funders see the
aggregates only."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from authorities.models import SurveyAnswer, SurveyItem, SurveyQuestionnaire, SurveyResponse, SurveyWave
from portal.reports.computations import compute, compute_many
from portal.reports.documents import survey_sections
from portal.reports.indicator_table import indicator_rows
from tests.factories import AuthorityFactory

pytestmark = pytest.mark.django_db

JAN, JUN = dt.date(2026, 1, 1), dt.date(2026, 6, 30)


@pytest.fixture
def questionnaire(db):
    importlib.import_module("authorities.migrations.0003_catalogue_and_selfcheck").add(apps, None)
    importlib.import_module("authorities.migrations.0007_survey").load_customer_questionnaire(apps, None)
    return SurveyQuestionnaire.objects.get()


def _wave(authority, questionnaire, kind, opens_on):
    return SurveyWave.objects.create(
        authority=authority,
        questionnaire=questionnaire,
        kind=kind,
        opens_on=opens_on,
        closes_on=opens_on + dt.timedelta(days=28),
    )


def _answer(wave, day, *values):
    overall = SurveyItem.objects.get(questionnaire=wave.questionnaire, code="overall")
    for value in values:
        response = SurveyResponse.objects.create(wave=wave, answered_on=day)
        SurveyAnswer.objects.create(response=response, item=overall, value=value)


@pytest.fixture
def waves(mainz, hannover, questionnaire):
    """Mainz: a baseline (12 answers, 8 good) and a follow-up (10 answers, 9 good); Hannover: a
    baseline of 9 answers (below the threshold: counted nowhere)."""
    baseline = _wave(mainz, questionnaire, "baseline", dt.date(2026, 2, 1))
    _answer(baseline, dt.date(2026, 2, 3), *[5] * 4, *[4] * 4, *[3] * 2, *[1] * 2)
    follow_up = _wave(mainz, questionnaire, "follow_up", dt.date(2026, 5, 1))
    _answer(follow_up, dt.date(2026, 5, 4), *[5] * 9, 2)
    small = _wave(hannover, questionnaire, "baseline", dt.date(2026, 3, 1))
    _answer(small, dt.date(2026, 3, 2), *[1] * 9)
    return baseline, follow_up, small


def test_shares_rating_good_before_and_after_count_only_waves_above_the_threshold(waves):
    assert compute("survey_good_baseline", date_from=JAN, date_to=JUN) == pytest.approx(66.7)
    assert compute("survey_good_follow_up", date_from=JAN, date_to=JUN) == 90.0
    assert compute("survey_authorities_both_waves", date_from=JAN, date_to=JUN) == 1
    assert compute("survey_good_baseline", date_from=JAN, date_to=JUN, state="NI") == 0.0
    assert compute("survey_authorities_both_waves", date_from=JAN, date_to=JUN, state="NI") == 0


def test_a_past_period_keeps_its_figures(waves, questionnaire):
    _baseline, follow_up, small = waves
    march = dt.date(2026, 3, 31)
    before = [
        compute(k, date_from=JAN, date_to=march) for k in ("survey_good_baseline", "survey_good_follow_up")
    ]
    # Later answers (even to a wave that began earlier) change nothing in the period before them.
    _answer(small, dt.date(2026, 4, 2), 5, 5, 5)
    _answer(follow_up, dt.date(2026, 5, 20), 1, 1, 1)
    after = [
        compute(k, date_from=JAN, date_to=march) for k in ("survey_good_baseline", "survey_good_follow_up")
    ]
    assert before == after == [pytest.approx(66.7), 0.0]


def test_the_report_section_shows_the_before_and_after(waves):
    (section,) = survey_sections(state=None, date_from=JAN, date_to=JUN)
    assert section["title"] == "Kundenbefragung: vorher und nachher"
    assert "66,7 %" in section["html"] and "90,0 %" in section["html"]
    assert ">12<" in section["html"] and ">10<" in section["html"] and ">9<" not in section["html"]
    assert "1 Ausländerbehörde hat" in section["html"]
    (empty,) = survey_sections(state="NI", date_from=JAN, date_to=JUN)
    assert "erreichte keine Befragungswelle 10 Antworten" in empty["html"]


def test_funders_see_the_survey_indicators_in_the_table(client_for, funder, waves):
    page = client_for(funder).get(reverse("reports:indicators"), {"date_from": JAN, "date_to": JUN})
    body = page.content.decode()
    assert "Behörden mit Ausgangs- und Folgebefragung der Kundschaft" in body
    assert "Stadt Mainz" not in body


def test_peer_authorities_never_appear(waves, questionnaire):
    AuthorityFactory(name="Stadt Geheim")
    (section,) = survey_sections(state=None, date_from=JAN, date_to=JUN)
    assert "Mainz" not in section["html"] and "Hannover" not in section["html"]


def test_a_share_no_wave_reached_reads_no_value_not_zero(waves):
    """KB-1/KB-2 in the indicator table: Lower Saxony's only baseline stayed below the threshold, so
    its share is "–" (no value), not "0,0"; Rhineland-Palatinate's is the real share."""
    rows = {row.indicator.computation: row for row in indicator_rows(date_from=JAN, date_to=JUN)}
    baseline = rows["survey_good_baseline"]
    overall, rp, ni = (column.cells[0] for column in baseline.columns)
    assert overall == rp == "66,7" and ni == "–"
    assert baseline.columns[2].cells[1] == "–"  # cumulative too
    assert rows["survey_good_follow_up"].columns[0].cells[0] == "90"
    before = indicator_rows(date_from=JAN, date_to=dt.date(2026, 3, 31))
    follow_up = next(row for row in before if row.indicator.computation == "survey_good_follow_up")
    assert [column.cells[0] for column in follow_up.columns] == ["–", "–", "–"]


def test_the_page_reads_every_survey_cell_in_two_queries_with_the_same_figures(waves):
    """compute_many (the indicator page) reads the answers by wave and day once for every survey
    indicator and cell (two queries); every cell
    equals the figure computed alone, also for periods that cut a wave's days or miss the threshold."""
    baseline, follow_up, _small = waves
    _answer(baseline, dt.date(2026, 2, 20), 5, 5, 1)  # a wave answered on two days
    _answer(follow_up, dt.date(2026, 7, 2), 5, 1)
    ranges = [
        (JAN, JUN),
        (dt.date(2026, 2, 1), dt.date(2026, 2, 10)),  # 12 of the baseline's 15: still above
        (dt.date(2026, 2, 15), dt.date(2026, 2, 28)),  # 3 answers only: below the threshold
        (dt.date(2026, 5, 4), dt.date(2026, 12, 31)),
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    ]
    keys = ["survey_good_baseline", "survey_good_follow_up", "survey_authorities_both_waves"]
    cells = [(key, *days, state) for key in keys for days in ranges for state in (None, "RP", "NI")]
    alone = [compute(key, date_from=f, date_to=t, state=s) for key, f, t, s in cells]
    assert any(alone) and 0 in alone
    with CaptureQueriesContext(connection) as queries:
        together = compute_many(cells)
    assert together == alone
    # and one for how long the running period's figures hold (the next course date or meeting to end)
    assert len(queries) == 3
