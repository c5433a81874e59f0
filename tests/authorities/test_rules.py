"""Who may do what with the authorities and their change processes (authorities/rules.py): one
answer per decision, the same for the pages and for the services behind them."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from authorities import rules
from authorities.models import Authority, ChangeProcess, ConsultationFormat, MeasureStatus, ProcessStatus
from authorities.services import process as services
from portal.accounts.models import Role, User
from tests.factories import ChangeProcessFactory, MeasureFactory


@pytest.fixture
def finished(mainz, project_staff):
    """A completed process whose coordinator had been allowed to add consultations."""
    return ChangeProcessFactory(
        authority=mainz,
        coach=project_staff,
        status=ProcessStatus.COMPLETED,
        coordinator_may_add_consultations=True,
    )


CONSULTATION = {
    "held_on": dt.date(2026, 3, 2),
    "format": ConsultationFormat.ONLINE,
    "participants": "Leitung, Koordination",
    "topics": "Rückblick",
}


# --- the services refuse what the pages refuse ------------------------------------------------------


def test_coordinator_cannot_add_a_consultation_to_a_finished_process_through_the_service(
    coordinator, finished
):
    # The page refused it; the service behind it did not check that the process still runs.
    with pytest.raises(PermissionDenied):
        services.consultation_add(process=finished, by=coordinator, **CONSULTATION)

    assert not finished.consultations.exists()


def test_coordinator_cannot_update_a_measure_of_a_finished_process_through_the_service(coordinator, finished):
    measure = MeasureFactory(process=finished, progress=40)

    with pytest.raises(PermissionDenied):
        services.measure_update(measure=measure, by=coordinator, progress=80, status=MeasureStatus.DONE)

    measure.refresh_from_db()
    assert (measure.progress, measure.status) == (40, MeasureStatus.PLANNED)


def test_project_staff_still_correct_a_finished_process_through_the_services(project_staff, finished):
    measure = MeasureFactory(process=finished, progress=40)

    services.measure_update(measure=measure, by=project_staff, progress=100, status=MeasureStatus.DONE)
    services.consultation_add(process=finished, by=project_staff, **CONSULTATION)

    measure.refresh_from_db()
    assert measure.progress == 100
    assert finished.consultations.count() == 1


# --- the decisions over the standing cast -----------------------------------------------------------

CAST = ["project_staff", "coordinator", "member", "outsider", "funder"]


@pytest.fixture
def running(mainz, project_staff):
    return ChangeProcessFactory(authority=mainz, coach=project_staff, coordinator_may_add_consultations=True)


@pytest.fixture
def closed(running):
    """The same process after project staff no longer let the coordinator add consultations."""
    running.coordinator_may_add_consultations = False
    return running


# Who gets yes, in the order of CAST (staff, Mainz's coordinator, a Mainz member, Hannover's
# coordinator, a funder); the object is one of Mainz.
DECISIONS = [
    ("may_browse_registry", None, "Y---Y"),
    ("may_manage_registry", None, "Y----"),
    ("may_edit_authority", "mainz", "YY---"),
    ("may_see_internals", None, "YYYY-"),
    ("may_see_processes", None, "YYYY-"),
    ("may_edit_process", "running", "Y----"),
    ("may_update_measures", "running", "YY---"),
    ("may_update_measures", "finished", "Y----"),
    ("may_add_consultation", "running", "YY---"),
    ("may_add_consultation", "closed", "Y----"),
    ("may_add_consultation", "finished", "Y----"),
    ("may_fill_in_self_check", "running", "YY---"),
    ("may_request_measure_plan", "running", "YY---"),
    ("may_see_process_overview", None, "Y----"),
    ("may_read_catalogue", None, "YYYY-"),
    ("may_edit_catalogue", None, "Y----"),
    ("may_edit_questionnaire", None, "Y----"),
]


@pytest.mark.parametrize(("decision", "obj", "expected"), DECISIONS)
def test_each_role_gets_the_expected_answer(request, decision, obj, expected):
    rule = getattr(rules, decision)
    target = [request.getfixturevalue(obj)] if obj else []
    answers = "".join("Y" if rule(request.getfixturevalue(who), *target) else "-" for who in CAST)

    assert answers == expected


def test_a_coordinator_without_an_authority_coordinates_nothing_without_one(mainz):
    # The database rules such a coordinator out; the rules do not depend on it (None == None).
    nobody = User(role=Role.AUTHORITY_STAFF, is_coordinator=True, authority=None)
    unsaved = ChangeProcess(coordinator_may_add_consultations=True)

    assert unsaved.authority_id is None and unsaved.is_running
    assert not rules.may_edit_authority(nobody, Authority())
    assert not rules.may_update_measures(nobody, unsaved)
    assert not rules.may_add_consultation(nobody, unsaved)
    assert not rules.may_fill_in_self_check(nobody, unsaved)
    assert not rules.may_request_measure_plan(nobody, unsaved)
