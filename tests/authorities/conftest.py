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
