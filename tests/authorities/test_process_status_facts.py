"""The status of a change process is a dated fact (issue 15): the status service records each change
(day, from, to, by), the funders' figures of supported authorities and completed processes read these
facts, and the migration derives them from the change history, marking the guessed days."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from authorities.models import ProcessStatus, ProcessStatusChange
from authorities.services import process as services
from tests.factories import ChangeProcessFactory, UserFactory


def test_a_status_change_of_a_process_is_recorded_with_day_and_person(project_staff, mainz):
    process = ChangeProcessFactory(authority=mainz)

    services.process_update(process=process, by=project_staff, status=ProcessStatus.ABORTED)
    services.process_update(process=process, by=project_staff, coach=project_staff)  # no status change

    facts = list(process.status_changes.values_list("from_status", "to_status", "day", "by", "guessed"))
    assert facts == [("active", "aborted", timezone.localdate(), project_staff.pk, False)]


def test_a_refused_status_change_records_nothing(project_staff, mainz):
    ChangeProcessFactory(authority=mainz)
    completed = ChangeProcessFactory(authority=mainz, status=ProcessStatus.COMPLETED)

    with pytest.raises(Exception, match="läuft bereits"):
        services.process_update(process=completed, by=project_staff, status=ProcessStatus.ACTIVE)

    assert not ProcessStatusChange.objects.exists()


@pytest.fixture
def latest_schema_afterwards():
    # A migration test leaves the schema at an older state; later tests on this database need all of it.
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _at(day):
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=12)))


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_afterwards")
def test_the_migration_dates_process_statuses_from_the_history_and_marks_the_guesses():
    coach = UserFactory(project_staff=True)
    before, after = [("authorities", "0010_staff_survey")], [("authorities", "0011_process_status_facts")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Authority, HistoryEntry, Process = (
        old.get_model("authorities", model) for model in ("Authority", "HistoryEntry", "ChangeProcess")
    )
    mainz = Authority.objects.create(name="Mainz", kind="landkreis", state="RP", ags="07100001", seat="Mainz")
    first = Process.objects.create(authority=mainz, started_on=date(2024, 1, 1), coach_id=coach.pk)
    Process.objects.filter(pk=first.pk).update(created_at=_at(date(2024, 1, 1)), status="completed")
    second = Process.objects.create(authority=mainz, started_on=date(2025, 1, 1), coach_id=coach.pk)
    Process.objects.filter(pk=second.pk).update(created_at=_at(date(2025, 1, 1)), status="aborted")
    for day, old_status, new_status in (
        (date(2024, 6, 3), "active", "completed"),
        (date(2025, 3, 4), "active", "paused"),
    ):
        entry = HistoryEntry.objects.create(
            authority=mainz,
            action="process_updated",
            changes=[{"field": "status", "old": old_status, "new": new_status}],
        )
        HistoryEntry.objects.filter(pk=entry.pk).update(at=_at(day))
    # No history at all: the day it was created is the best guess.
    hannover = Authority.objects.create(name="Hannover", kind="region", state="NI", ags="03241001", seat="H")
    third = Process.objects.create(authority=hannover, started_on=date(2024, 5, 1), coach_id=coach.pk)
    Process.objects.filter(pk=third.pk).update(created_at=_at(date(2024, 5, 2)), status="completed")

    executor = MigrationExecutor(connection)
    executor.migrate(after)

    def facts(process):
        return list(
            ProcessStatusChange.objects.filter(process_id=process.pk).values_list(
                "from_status", "to_status", "day", "guessed", "source"
            )
        )

    assert facts(first) == [("active", "completed", date(2024, 6, 3), False, "history")]
    # Paused in the history, aborted now: the last step is guessed on the last recorded day.
    assert facts(second) == [
        ("active", "paused", date(2025, 3, 4), False, "history"),
        ("paused", "aborted", date(2025, 3, 4), True, "history"),
    ]
    assert facts(third) == [("", "completed", date(2024, 5, 2), True, "process_created_at")]
