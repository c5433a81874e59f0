"""Participation status changes and done measures are dated facts: the funders' figures of a past
period read them, so they must be written by the services, kept when the present changes, and the
rows the migration derived from older data must say that their day was guessed."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from authorities.models import Measure, MeasureStatus, ParticipationStatus, StatusChange
from authorities.services import process as process_services
from authorities.services import registry as services
from tests.authorities.pages import field_error
from tests.factories import ChangeProcessFactory, MeasureFactory, UserFactory


def _change(client, authority, status, day=""):
    return client.post(
        reverse("authorities:status", args=[authority.pk]),
        {"participation_status": status, "changed_on": day},
    )


def test_project_staff_changing_the_status_records_who_changed_what_on_which_day(
    client_for, project_staff, mainz
):
    client = client_for(project_staff)
    _change(client, mainz, "participating", "2025-02-01")
    _change(client, mainz, "withdrawn", "2025-09-30")

    facts = list(mainz.status_changes.values_list("from_status", "to_status", "day", "by", "guessed"))
    assert facts == [
        ("interested", "participating", date(2025, 2, 1), project_staff.pk, False),
        ("participating", "withdrawn", date(2025, 9, 30), project_staff.pk, False),
    ]
    page = client.get(reverse("authorities:detail", args=[mainz.pk])).text
    assert "Verlauf des Teilnahmestatus" in page
    assert "30.09.2025" in page


def test_a_status_change_in_the_future_or_before_the_last_one_is_refused(client_for, project_staff, mainz):
    client = client_for(project_staff)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = _change(client, mainz, "participating", tomorrow.isoformat())
    assert field_error(response.text, "changed_on") == "Eine Statusänderung kann nicht in der Zukunft liegen."

    _change(client, mainz, "participating", "2025-03-01")
    response = _change(client, mainz, "paused", "2025-02-01")
    assert field_error(response.text, "changed_on") == (
        "Die letzte Statusänderung war am 01.03.2025; eine neue kann nicht davor liegen."
    )
    mainz.refresh_from_db()
    assert mainz.participation_status == "participating"  # nothing half-saved
    assert mainz.status_changes.count() == 1


def test_an_authority_created_as_taking_part_has_its_first_fact(project_staff):
    authority = services.authority_create(
        by=project_staff,
        name="Stadt Trier",
        kind="kreisfreie_stadt",
        state="RP",
        ags="07211000",
        seat="Trier",
        participation_status=ParticipationStatus.PARTICIPATING,
    )

    fact = authority.status_changes.get()
    assert (fact.from_status, fact.to_status, fact.day) == ("", "participating", timezone.localdate())


def test_an_authority_created_as_interested_has_no_fact_yet(project_staff):
    authority = services.authority_create(
        by=project_staff,
        name="Stadt Worms",
        kind="kreisfreie_stadt",
        state="RP",
        ags="07319000",
        seat="Worms",
    )
    assert not authority.status_changes.exists()


def _travel(monkeypatch, day):
    moment = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time())) + timedelta(
        hours=10
    )
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_a_measure_is_done_on_the_day_its_status_becomes_done_and_keeps_it(monkeypatch, project_staff, mainz):
    measure = MeasureFactory(process=ChangeProcessFactory(authority=mainz))
    _travel(monkeypatch, date(2025, 3, 10))
    process_services.measure_update(
        measure=measure, by=project_staff, status=MeasureStatus.DONE, progress=100
    )
    _travel(monkeypatch, date(2025, 8, 1))
    process_services.measure_update(measure=measure, by=project_staff, result="Im Team vorgestellt.")
    process_services.measure_update(measure=measure, by=project_staff, status=MeasureStatus.IN_PROGRESS)
    process_services.measure_update(measure=measure, by=project_staff, status=MeasureStatus.DONE)

    measure.refresh_from_db()
    assert (measure.done_on, measure.done_on_guessed) == (date(2025, 3, 10), False)


def test_a_measure_created_as_done_is_done_that_day(project_staff, mainz):
    process = ChangeProcessFactory(authority=mainz)
    measure = process_services.measure_create(
        process=process,
        by=project_staff,
        title="Wegeleitsystem",
        field="organisation",
        field_of_action="service",
        responsible="Leitung",
        status=MeasureStatus.DONE,
        progress=100,
    )
    open_one = process_services.measure_create(
        process=process, by=project_staff, title="Aufrufsystem", field="organisation",
        field_of_action="service", responsible="Leitung",
    )  # fmt: skip

    assert measure.done_on == timezone.localdate()
    assert Measure.objects.get(pk=open_one.pk).done_on is None


def test_the_measure_plan_shows_the_day_a_measure_was_done_and_whether_it_was_guessed(
    client_for, project_staff, mainz
):
    process = ChangeProcessFactory(authority=mainz)
    MeasureFactory(process=process, status=MeasureStatus.DONE, done_on=date(2025, 4, 2), done_on_guessed=True)

    page = client_for(project_staff).get(process.get_absolute_url()).text

    assert "umgesetzt am 02.04.2025 (geschätzt)" in page


# --- the migration -------------------------------------------------------------------------------

MEASURE = {"field": "organisation", "field_of_action": "service", "responsible": "Leitung"}


@pytest.fixture
def latest_schema_afterwards():
    # A migration test leaves the schema at an older state; later tests on this database need all of it.
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_afterwards")
def test_the_migration_dates_existing_statuses_and_done_measures_and_marks_the_guesses():
    coach = UserFactory(project_staff=True)
    before, after = [("authorities", "0005_labels")], [("authorities", "0006_dated_facts")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Authority, HistoryEntry = (
        old.get_model("authorities", "Authority"),
        old.get_model("authorities", "HistoryEntry"),
    )
    Process, OldMeasure = (
        old.get_model("authorities", "ChangeProcess"),
        old.get_model("authorities", "Measure"),
    )

    def authority(ags, **values):
        return Authority.objects.create(name=ags, kind="landkreis", state="RP", ags=ags, seat="Ort", **values)

    # Joined on a recorded day, then withdrew through the service (the history has it).
    joined = authority("07100001", participation_status="withdrawn", joined_on=date(2024, 2, 1))
    HistoryEntry.objects.create(
        authority=joined,
        action="status_changed",
        changes=[
            {"field": "participation_status", "old": "participating", "new": "withdrawn"},
            {"field": "status_changed_on", "old": "2024-02-01", "new": "2025-05-31"},
        ],
    )
    # Completed, with nothing but the day of its last status change.
    completed = authority("07100002", participation_status="completed", status_changed_on=date(2024, 6, 30))
    interested = authority("07100003")
    process = Process.objects.create(authority=joined, started_on=date(2024, 3, 1), coach_id=coach.pk)
    recorded = OldMeasure.objects.create(process=process, title="Aufrufsystem", status="done", **MEASURE)
    HistoryEntry.objects.create(
        authority=joined,
        action="measure_updated",
        subject="Aufrufsystem",
        changes=[{"field": "status", "old": "in_progress", "new": "done"}],
    )
    unrecorded = OldMeasure.objects.create(process=process, title="Ohne Verlauf", status="done", **MEASURE)
    last_change = date(2024, 11, 5)
    OldMeasure.objects.filter(pk=unrecorded.pk).update(
        updated_at=timezone.make_aware(timezone.datetime(2024, 11, 5, 12))
    )

    executor = MigrationExecutor(connection)
    executor.migrate(after)

    def facts(authority):
        return list(
            StatusChange.objects.filter(authority_id=authority.pk).values_list(
                "from_status", "to_status", "day", "guessed", "source"
            )
        )

    assert facts(joined) == [
        ("", "participating", date(2024, 2, 1), True, "joined_on"),
        ("participating", "withdrawn", date(2025, 5, 31), False, "history"),
    ]
    assert facts(completed) == [("", "completed", date(2024, 6, 30), True, "status_changed_on")]
    assert facts(interested) == []
    today = timezone.localdate()
    assert Measure.objects.filter(pk=recorded.pk).values_list("done_on", "done_on_guessed").get() == (
        today,
        False,
    )
    assert Measure.objects.filter(pk=unrecorded.pk).values_list("done_on", "done_on_guessed").get() == (
        last_change,
        True,
    )
