"""An erased or deactivated account never gets a course seat or a meeting place, nor the mail that
comes with it, even when the erasure and the enrollment run at the same moment: both services lock
and re-read the person's row before the course's (or meeting's), and erasure locks it first too."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from network.models import MeetingRegistration
from network.services import meetings
from portal.accounts.services import user_deactivate
from portal.privacy.erasure import person_erase
from tests.factories import CourseFactory, MeetingFactory, NetworkFactory, UserFactory
from training.models import Enrollment
from training.services import enrollments as services


def postgres_only(test):
    needs_row_locks = pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"
    )
    return pytest.mark.postgres(needs_row_locks(test))


@pytest.fixture
def meeting(mainz):
    return MeetingFactory(network=NetworkFactory(members=[mainz]))


def test_coordinator_cannot_enroll_a_deactivated_colleague(coordinator, mainz, mailoutbox):
    colleague = UserFactory(authority=mainz, first_name="Jana", last_name="Beispiel")
    user_deactivate(user=colleague)
    course = CourseFactory()

    with pytest.raises(services.EnrollmentRefused) as refusal:
        services.enrollment_create(course=course, participant=colleague, by=coordinator)

    assert refusal.value.messages == [
        "Jana Beispiel kann nicht angemeldet werden: Das Konto ist deaktiviert oder gelöscht."
    ]
    assert not Enrollment.objects.filter(participant=colleague).exists()


def test_an_erased_member_cannot_be_enrolled_with_a_stale_account(member, project_staff):
    course = CourseFactory()
    stale = type(member).objects.get(pk=member.pk)  # as the view loaded it before the erasure
    person_erase(user=member, by=project_staff)

    with pytest.raises(services.EnrollmentRefused):
        services.enrollment_create(course=course, participant=stale, by=stale)

    assert not Enrollment.objects.filter(participant=member).exists()


def test_an_erased_or_deactivated_member_cannot_register_for_a_meeting(
    member, coordinator, mainz, project_staff, meeting
):
    stale = type(member).objects.get(pk=member.pk)
    person_erase(user=member, by=project_staff)
    colleague = UserFactory(authority=mainz)
    user_deactivate(user=colleague)

    with pytest.raises(meetings.RegistrationRefused) as erased:
        meetings.meeting_register(meeting=meeting, participant=stale, by=stale)
    with pytest.raises(meetings.RegistrationRefused):
        meetings.meeting_register(meeting=meeting, participant=colleague, by=coordinator)

    assert erased.value.messages == [
        "gelöschte Person kann nicht angemeldet werden: Das Konto ist deaktiviert oder gelöscht."
    ]
    assert not MeetingRegistration.objects.filter(meeting=meeting).exists()


# --- on PostgreSQL: the locks themselves ---------------------------------------------------------


def _locked_tables(queries) -> list[str]:
    return [q["sql"].split(" FROM ")[1].split()[0].strip('"') for q in queries if "FOR UPDATE" in q["sql"]]


@postgres_only
def test_enrollment_locks_the_person_before_the_course(member):
    course = CourseFactory()

    with CaptureQueriesContext(connection) as queries:
        services.enrollment_create(course=course, participant=member, by=member)

    assert _locked_tables(queries)[:2] == ["accounts_user", "training_course"]


@postgres_only
def test_meeting_registration_locks_the_person_before_the_meeting(member, meeting):
    with CaptureQueriesContext(connection) as queries:
        meetings.meeting_register(meeting=meeting, participant=member, by=member)

    assert _locked_tables(queries)[:2] == ["accounts_user", "network_meeting"]


def _someone_waits_for_a_lock(seconds=10) -> bool:
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # Inside a transaction PostgreSQL keeps the first snapshot of its statistics; drop it.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False


def _erase_while(erase, take_part):
    """Erase in a transaction that stays open until `take_part`, started on another thread after the
    erasure's writes, waits for a lock (at most 10 s); then commit. Returns whether it waited and what
    take_part returned or raised."""

    def other_request():
        try:
            return take_part()
        except Exception as error:  # noqa: BLE001 — a refusal is the expected outcome
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        with transaction.atomic():
            erase()
            future = pool.submit(other_request)
            waited = _someone_waits_for_a_lock()
        return waited, future.result(timeout=60)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_self_enrollment_racing_the_erasure_waits_and_is_refused(mailoutbox):
    member, staff = UserFactory(), UserFactory(project_staff=True)
    course = CourseFactory()

    waited, outcome = _erase_while(
        lambda: person_erase(user=member, by=staff),
        lambda: services.enrollment_create(course=course, participant=member, by=member),
    )

    assert waited, "the enrollment did not wait for the erasure"
    assert isinstance(outcome, services.EnrollmentRefused), outcome
    assert not Enrollment.objects.filter(participant=member).exists()
    assert mailoutbox == []


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_meeting_registration_racing_the_erasure_waits_and_is_refused(mailoutbox):
    member, staff = UserFactory(), UserFactory(project_staff=True)
    meeting = MeetingFactory(network=NetworkFactory(members=[member.authority]))

    waited, outcome = _erase_while(
        lambda: person_erase(user=member, by=staff),
        lambda: meetings.meeting_register(meeting=meeting, participant=member, by=member),
    )

    assert waited, "the registration did not wait for the erasure"
    assert isinstance(outcome, meetings.RegistrationRefused), outcome
    assert not MeetingRegistration.objects.filter(participant=member).exists()
    assert mailoutbox == []
