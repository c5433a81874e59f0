"""The change-process overview keeps its table and figures in the cache under the facts generation
(portal/facts.py), the day, the language and the filters (issue 18: the same for every project staff
member, about 4x floor 2 to compute at ten times the data). Every write it shows appears at once."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from authorities.models import MeasureStatus, Phase
from authorities.selectors.overview import _overview_page
from authorities.services import process as process_services
from authorities.services import registry as registry_services
from portal import facts
from portal.accounts import services as account_services
from tests.authorities.test_overview import add_measure, names
from tests.factories import AuthorityFactory, UserFactory
from tests.helpers import page_queries

pytestmark = pytest.mark.django_db

URL = reverse("authorities:process_overview")
TODAY = timezone.localdate()


@pytest.fixture
def process(mainz, project_staff):
    return process_services.process_start(
        authority=mainz, coach=project_staff, started_on=TODAY, by=project_staff
    )


@pytest.fixture
def staff(project_staff, client_for):
    return client_for(project_staff)


def row(response, authority="Stadt Mainz"):
    """The text of the authority's table row, cell by cell."""
    html = response.content.decode()
    (tr,) = re.findall(rf"<tr class=\"kern-table__row\"><th [^>]*><a [^>]*>{authority}</a>.*?</tr>", html)
    return [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[dh] [^>]*>(.*?)</t[dh]>", tr)]


def test_every_model_the_overview_reads_is_a_counted_fact(process, project_staff, settings):
    """Derived from the SQL of the table and the figures (each filter): every table read belongs to a
    model whose writes change the facts generation."""
    settings.RUNNING_FIGURES_CACHE = False
    add_measure(process, project_staff)
    process_services.milestone_save(process=process, by=project_staff, title="Leitbild", due_on=TODAY)
    with CaptureQueriesContext(connection) as queries:
        for filters in ({}, {"state": "RP"}, {"coach": project_staff, "phase": 1}):
            _overview_page(filters)
    tables = {name for query in queries for name in re.findall(r'"(\w+)"', query["sql"])}
    read = [model for model in apps.get_models() if model._meta.db_table in tables]
    assert {model._meta.model_name for model in read} >= {"changeprocess", "measure", "milestone", "user"}
    assert [model._meta.label for model in read if not facts.counts_as_fact(model)] == []


def test_the_table_is_read_once_until_something_is_written(process, project_staff, staff):
    cold = page_queries(staff, URL)
    warm = page_queries(staff, URL)
    # The table's three queries and the figures' five come from the cache.
    assert warm <= cold - 8
    assert page_queries(staff, URL, {"state": "RP"}) == cold  # other filters: counted for themselves


def test_every_write_the_overview_shows_appears_at_once(process, project_staff, staff, mainz):
    assert row(staff.get(URL))[2:4] == ["1. Auftakt", str(project_staff)]

    measure = add_measure(process, project_staff, due=TODAY - timedelta(days=1))
    assert row(staff.get(URL))[-3] == "1 überfällig"

    process_services.measure_update(
        measure=measure, by=project_staff, status=MeasureStatus.DONE, progress=100
    )
    cells = row(staff.get(URL))
    assert cells[-3] == "0" and cells[4:8] == ["0", "0", "1", "0"]  # planned, in progress, done, dropped

    milestone = process_services.milestone_save(
        process=process, by=project_staff, title="Leitbild", due_on=TODAY - timedelta(days=2)
    )
    assert row(staff.get(URL))[-2:] == ["0 von 1", "1 überfällig"]
    process_services.milestone_save(process=process, by=project_staff, milestone=milestone, reached_on=TODAY)
    assert row(staff.get(URL))[-2:] == ["1 von 1", "0"]

    process_services.phase_change(process=process, to_phase=Phase.SITE_ASSESSMENT, by=project_staff)
    assert row(staff.get(URL))[2] == "2. Standortbestimmung"

    coach = UserFactory(project_staff=True, first_name="Carla", last_name="Coach")
    process_services.process_update(process=process, by=project_staff, coach=coach)
    assert row(staff.get(URL))[3] == "Carla Coach"
    account_services.profile_update(user=coach, first_name="Carlotta", last_name="Coach")
    assert row(staff.get(URL))[3] == "Carlotta Coach"

    process_services.process_update(process=process, by=project_staff, status="paused")
    assert row(staff.get(URL))[2] == "2. Standortbestimmung Pausiert"

    registry_services.authority_update(authority=mainz, by=project_staff, name="Landeshauptstadt Mainz")
    assert names(staff.get(URL)) == ["Landeshauptstadt Mainz"]

    other = process_services.process_start(
        authority=AuthorityFactory(name="Stadt Worms"),
        coach=project_staff,
        started_on=TODAY,
        by=project_staff,
    )
    process_services.process_update(process=other, by=project_staff, status="completed")
    response = staff.get(URL)
    assert names(response) == ["Landeshauptstadt Mainz"]
    assert "Prozesse abgeschlossen im Jahr" in response.content.decode()
    assert response.context["processes"].completed == 1


def test_what_is_overdue_follows_the_day(process, project_staff, staff):
    add_measure(process, project_staff, due=TODAY)
    assert row(staff.get(URL))[-3] == "0"
    tomorrow = timezone.now() + timedelta(days=1)
    with mock.patch("django.utils.timezone.now", return_value=tomorrow):
        assert row(staff.get(URL))[-3] == "1 überfällig"


def test_each_language_reads_its_own_table(process, project_staff, staff, client_for):
    assert row(staff.get(URL))[1:3] == ["Rheinland-Pfalz", "1. Auftakt"]
    english = client_for(UserFactory(project_staff=True))
    english.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    assert row(english.get(URL))[1:3] == ["Rhineland-Palatinate", "1. Kick-off"]
    assert row(staff.get(URL))[1:3] == ["Rheinland-Pfalz", "1. Auftakt"]


def test_without_a_shared_cache_the_table_is_counted_on_every_request(process, staff, settings):
    settings.RUNNING_FIGURES_CACHE = False  # the default without CACHE_URL: one cache per process
    assert page_queries(staff, URL) == page_queries(staff, URL)
