"""Fixtures of the authorities' tests, on top of the standing cast in tests/conftest.py."""

import datetime as dt
import importlib

import pytest
from django.apps import apps

from authorities.models import Questionnaire
from authorities.selectors.assessment import active_questionnaire
from tests.factories import ChangeProcessFactory, MeasureFactory


@pytest.fixture
def process(mainz, project_staff):
    """Stadt Mainz's running change process, in its first phase, coached by project staff."""
    return ChangeProcessFactory(authority=mainz, coach=project_staff, started_on=dt.date(2026, 3, 1))


@pytest.fixture
def measure(process):
    return MeasureFactory(process=process, title="Aufrufsystem", responsible="Frau Schulz", progress=10)


@pytest.fixture
def instruments(db):
    """The catalogue of example measures and the self-check's questionnaire (five dimensions with two
    statements each), as data migration 0003 seeds them. Transaction tests elsewhere flush the
    database, so they are seeded again here (the migration only adds what is missing)."""
    importlib.import_module("authorities.migrations.0003_catalogue_and_selfcheck").add(apps, None)


@pytest.fixture
def questionnaire(instruments) -> Questionnaire:
    return active_questionnaire()


@pytest.fixture
def customer_questionnaire(instruments):
    """The shipped customer questionnaire (data migration 0006), seeded again after a flush."""
    from authorities.models import SurveyQuestionnaire

    importlib.import_module("authorities.migrations.0007_survey").load_customer_questionnaire(apps, None)
    return SurveyQuestionnaire.objects.get()


@pytest.fixture
def survey_wave(mainz, customer_questionnaire):
    """Stadt Mainz's running customer wave (a baseline, open from a week ago for three more weeks)."""
    from django.utils import timezone

    from authorities.models import SurveyWave

    today = timezone.localdate()
    return SurveyWave.objects.create(
        authority=mainz,
        questionnaire=customer_questionnaire,
        kind="baseline",
        opens_on=today - dt.timedelta(days=7),
        closes_on=today + dt.timedelta(days=21),
    )


@pytest.fixture
def answer_wave():
    """`answer_wave(wave, count, overall=5, respect=1, …)`: `count` stored responses with these
    values (items not named get none), as the service stores them, without going through the page."""
    from django.utils import timezone

    from authorities.models import SurveyAnswer, SurveyResponse

    def answer(wave, count, **values):
        items = {item.code: item for item in wave.questionnaire.items.all()}
        for _ in range(count):
            response = SurveyResponse.objects.create(wave=wave, answered_on=timezone.localdate())
            SurveyAnswer.objects.bulk_create(
                SurveyAnswer(response=response, item=items[code], value=value)
                for code, value in values.items()
            )

    return answer
