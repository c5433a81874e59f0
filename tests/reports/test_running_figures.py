"""A running period's figures are kept in the cache under the facts generation (portal/facts.py) until
a counted fact changes or time makes one countable (issue 15/18: the indicator page at ten times the
data). Every write through the services shows at once; the end of a course date shows when it has
passed; the numbers are those of counting afresh, with the cache in memory and with Redis."""

import re
import uuid
from datetime import date, timedelta
from unittest import mock

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from authorities.models import MeasureStatus, ParticipationStatus
from authorities.services import process as process_services
from authorities.services import registry as registry_services
from network.models import Document, DocumentCategory, DocumentDownload
from network.services import library as library_services
from network.services import meetings as meeting_services
from portal import facts
from portal.reports.computations import IN_BOTH, REGISTRY, compute, compute_many
from tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    MeasureFactory,
    MeetingFactory,
    MeetingRegistrationFactory,
    MinutesFactory,
    MinutesItemFactory,
    NetworkFactory,
    UserFactory,
)
from tests.helpers import at, page_queries, took_place
from training.models import Attendance, CourseStatus, UsesLearning
from training.services import courses as course_services
from training.services import enrollments as enrollment_services
from training.services import feedback as feedback_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _running_figures_kept(settings):
    settings.RUNNING_FIGURES_CACHE = True


def _this_year(key, state=None):
    today = timezone.localdate()
    return (key, date(today.year, 1, 1), date(today.year, 12, 31), state)


def _figure(key, state=None):
    (value,) = compute_many([_this_year(key, state)])
    return value


def _queries(cells):
    with CaptureQueriesContext(connection) as queries:
        compute_many(cells)
    return len(queries)


def test_every_model_the_figures_read_is_a_counted_fact(both_states, settings):
    """The list of counted models is derived from what the computations read: every table in their
    SQL (all computations, every state, a running and an ended period) belongs to a model whose
    writes change the generation, or is a many-to-many table between such models."""
    settings.RUNNING_FIGURES_CACHE = False
    today = timezone.localdate()
    periods = [(date(2025, 1, 1), date(2025, 12, 31)), (date(today.year, 1, 1), today)]
    cells = [
        (key, *period, state) for key in REGISTRY for period in periods for state in (None, "RP", IN_BOTH)
    ]
    with CaptureQueriesContext(connection) as queries:
        compute_many(cells)
    tables = {name for query in queries for name in re.findall(r'"(\w+)"', query["sql"])}
    read = [model for model in apps.get_models(include_auto_created=True) if model._meta.db_table in tables]
    assert len(read) > 15
    unmarked = [
        model._meta.label
        for model in read
        if not facts.counts_as_fact(model)
        and not (
            model._meta.auto_created
            and all(
                facts.counts_as_fact(field.related_model) for field in model._meta.fields if field.is_relation
            )
        )
    ]
    assert unmarked == []


def test_a_running_period_is_counted_once_until_a_fact_changes(both_states, mainz):
    cells = [_this_year(key, state) for key in REGISTRY for state in (None, "RP", "NI")]
    first = compute_many(cells)
    assert _queries(cells) == 0
    assert compute_many(cells) == first
    DocumentDownload.objects.create(
        document=Document.objects.get(), user=UserFactory(authority=mainz), day=timezone.localdate()
    )
    assert _queries(cells) > 0


def test_the_cached_figures_are_those_counted_afresh(both_states, mainz, hannover, project_staff):
    today = timezone.localdate()
    cells = [
        (key, date_from, today + timedelta(days=days), state)
        for key in REGISTRY
        for date_from in (date(2025, 1, 1), date(today.year, 1, 1))
        for days in (0, 30)
        for state in (None, "RP", "NI", IN_BOTH)
    ]
    compute_many(cells)
    course = CourseFactory(status=CourseStatus.PUBLISHED)
    took_place(course)
    for person in (UserFactory(authority=mainz), UserFactory(authority=hannover)):
        enrollment = EnrollmentFactory(course=course, participant=person)
        Attendance.objects.create(enrollment=enrollment, course_date=course.dates.get(), present=True)
    cached = compute_many(cells)
    assert cached == [compute(key, date_from=f, date_to=t, state=s) for key, f, t, s in cells]
    assert compute_many(cells) == cached


def _course_held(mainz):
    course = CourseFactory(status=CourseStatus.PUBLISHED)
    took_place(course)
    enrollment = EnrollmentFactory(course=course, participant=UserFactory(authority=mainz))
    return course, enrollment


def test_attendance_recorded_shows_at_once(mainz, project_staff):
    course, enrollment = _course_held(mainz)
    assert _figure("participants_people") == 0
    enrollment_services.attendance_record(
        course_date=course.dates.get(), present_ids={enrollment.pk}, by=project_staff
    )
    assert _figure("participants_people") == 1
    assert _figure("participants_people", "RP") == 1


def test_feedback_and_a_correction_of_the_enrollment_show_at_once(mainz, project_staff):
    course, enrollment = _course_held(mainz)
    Attendance.objects.create(enrollment=enrollment, course_date=course.dates.get(), present=True)
    assert (_figure("participants_with_feedback"), _figure("participants_people")) == (0, 1)
    feedback_services.feedback_submit(
        enrollment=enrollment, by=enrollment.participant, usefulness=5, will_apply="", comments=""
    )
    assert _figure("participants_with_feedback") == 1
    enrollment_services.enrollment_cancel(enrollment=enrollment, by=project_staff, reason="Doppelt erfasst")
    assert (_figure("participants_with_feedback"), _figure("participants_people")) == (0, 0)


def test_a_person_moving_to_another_state_shows_at_once(mainz, hannover):
    course, enrollment = _course_held(mainz)
    Attendance.objects.create(enrollment=enrollment, course_date=course.dates.get(), present=True)
    assert (_figure("participants_people", "RP"), _figure("participants_people", "NI")) == (1, 0)
    person = enrollment.participant
    person.authority = hannover
    person.save()
    assert (_figure("participants_people", "RP"), _figure("participants_people", "NI")) == (0, 1)


def test_follow_up_answer_and_a_cancelled_course_show_at_once(mainz, project_staff):
    course, enrollment = _course_held(mainz)
    Attendance.objects.create(enrollment=enrollment, course_date=course.dates.get(), present=True)
    assert (_figure("participants_apply_learning"), _figure("courses_held")) == (0, 1)
    feedback_services.follow_up_submit(
        enrollment=enrollment, by=enrollment.participant, uses_learning=UsesLearning.YES
    )
    assert _figure("participants_apply_learning") == 1
    course_services.course_cancel(course=course, by=project_staff, reason="Korrektur")
    assert (_figure("participants_apply_learning"), _figure("courses_held")) == (0, 0)


def test_a_task_done_in_the_minutes_shows_at_once(mainz, project_staff):
    network = NetworkFactory(members=[mainz])
    meeting = took_place(MeetingFactory(network=network))
    item = MinutesItemFactory(minutes=MinutesFactory(meeting=meeting))
    assert _figure("minutes_tasks_done") == 0
    meeting_services.task_mark_done(item=item, by=project_staff)
    assert _figure("minutes_tasks_done") == 1


def test_meeting_attendance_shows_at_once(mainz, project_staff):
    network = NetworkFactory(members=[mainz])
    meeting = took_place(MeetingFactory(network=network))
    registration = MeetingRegistrationFactory(meeting=meeting, participant=UserFactory(authority=mainz))
    assert (_figure("meetings_held"), _figure("meeting_participants")) == (1, 0)
    meeting_services.attendance_record(meeting=meeting, present_ids={registration.pk}, by=project_staff)
    assert _figure("meeting_participants") == 1


def test_a_network_gaining_a_member_of_the_other_state_shows_at_once(mainz, hannover):
    network = NetworkFactory(members=[mainz])
    took_place(MeetingFactory(network=network))
    assert (_figure("meetings_held", "RP"), _figure("meetings_held", "NI")) == (1, 0)
    network.members.add(hannover)
    assert (_figure("meetings_held", "NI"), _figure("meetings_held", IN_BOTH)) == (1, 1)


def test_a_download_shows_at_once(mainz):
    document = Document.objects.create(
        title="Leitfaden",
        category=DocumentCategory.GUIDE,
        file="library/leitfaden.pdf",
        original_name="leitfaden.pdf",
        content_type="application/pdf",
        size=100,
    )
    assert _figure("documents_downloaded") == 0
    library_services.document_download_record(document=document, by=UserFactory(authority=mainz))
    assert _figure("documents_downloaded") == 1


def test_process_started_and_measure_done_show_at_once(mainz, project_staff):
    assert _figure("processes_started") == 0
    process = process_services.process_start(
        authority=mainz, coach=project_staff, started_on=timezone.localdate(), by=project_staff
    )
    assert _figure("processes_started") == 1
    measure = MeasureFactory(process=process)
    assert _figure("measures_done") == 0
    process_services.measure_update(measure=measure, by=project_staff, status=MeasureStatus.DONE)
    assert _figure("measures_done") == 1


def test_an_authority_joining_shows_at_once(mainz):
    before = _figure("authorities_participating")
    registry_services.authority_change_status(
        authority=mainz, status=ParticipationStatus.WITHDRAWN, by=None, changed_on=date(2020, 1, 1)
    )
    assert _figure("authorities_participating") == before
    registry_services.authority_change_status(
        authority=mainz, status=ParticipationStatus.PARTICIPATING, by=None
    )
    assert _figure("authorities_participating") == before + 1


def test_bulk_writes_change_the_generation(mainz):
    course, enrollment = _course_held(mainz)
    for write in (
        lambda: Attendance.objects.bulk_create(
            [Attendance(enrollment=enrollment, course_date=course.dates.get(), present=True)]
        ),
        lambda: Attendance.objects.update(present=False),
        lambda: Attendance.objects.bulk_update(list(Attendance.objects.all()), ["present"]),
        lambda: Attendance.objects.all().delete(),
    ):
        before = facts.generation()
        write()
        assert facts.generation() != before


def _renewals():
    return [sids for sids, func, _robust in connection.run_on_commit if func is facts._new_generation]


def test_a_transaction_renews_the_generation_on_commit_once_and_despite_a_rollback(mainz):
    course, enrollment = _course_held(mainz)
    for present in (True, False, True):
        Attendance.objects.update_or_create(
            enrollment=enrollment, course_date=course.dates.get(), defaults={"present": present}
        )
    assert len(_renewals()) == 1  # however many rows the transaction writes

    # A renewal registered only inside a savepoint goes with its rollback; the outer one stays.
    connection.run_on_commit[:] = [e for e in connection.run_on_commit if e[1] is not facts._new_generation]
    try:
        with transaction.atomic():
            Attendance.objects.update(present=False)
            assert len(_renewals()) == 1
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert _renewals() == []
    Attendance.objects.update(present=True)
    with transaction.atomic():
        Attendance.objects.update(present=False)
    assert len(_renewals()) == 1


def test_a_login_changes_no_fact(member):
    before = facts.generation()
    member.last_login = timezone.now()
    member.save(update_fields=["last_login"])
    assert facts.generation() == before


def test_a_course_date_ending_shows_when_it_has_passed(mainz):
    noon = at(timezone.localdate(), 12)  # the day's midnight must not come first
    course = CourseFactory(status=CourseStatus.PUBLISHED)
    course_date = course.dates.get()
    course_date.starts_at, course_date.ends_at = noon - timedelta(hours=1), noon + timedelta(minutes=30)
    course_date.save()
    enrollment = EnrollmentFactory(course=course, participant=UserFactory(authority=mainz))
    Attendance.objects.create(enrollment=enrollment, course_date=course_date, present=True)
    with mock.patch("django.utils.timezone.now", return_value=noon):
        assert (_figure("courses_held"), _figure("participants_people")) == (0, 0)
    with mock.patch("django.utils.timezone.now", return_value=noon + timedelta(minutes=20)):
        assert _queries([_this_year("courses_held")]) == 0  # still running: from the cache
    with mock.patch("django.utils.timezone.now", return_value=noon + timedelta(minutes=31)):
        assert (_figure("courses_held"), _figure("participants_people")) == (1, 1)


def test_the_page_shows_a_write_on_the_next_view(client_for, funder, mainz, project_staff):
    course, enrollment = _course_held(mainz)
    url = reverse("reports:indicators")

    def people():
        rows = client_for(funder).get(url).context["rows"]
        return next(r for r in rows if r.indicator.computation == "participants_people").columns[0].value

    before = people()
    enrollment_services.attendance_record(
        course_date=course.dates.get(), present_ids={enrollment.pk}, by=project_staff
    )
    assert people() == before + 1


def _redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=0.2).ping())
    except redis.exceptions.RedisError:
        return False


@pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_with_redis_a_write_shows_at_once(mainz, project_staff):
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": f"test-figures-{uuid.uuid4().hex}",
            "TIMEOUT": 60,
        }
    }
    with override_settings(CACHES=redis_cache):
        course, enrollment = _course_held(mainz)
        assert _figure("participants_people") == 0
        assert _queries([_this_year("participants_people")]) == 0
        enrollment_services.attendance_record(
            course_date=course.dates.get(), present_ids={enrollment.pk}, by=project_staff
        )
        assert _figure("participants_people") == 1
        cache.delete_many([facts.GENERATION_KEY])


def test_the_page_counts_nothing_again_while_no_fact_changed(
    both_states, current_project, client_for, funder, mainz
):
    """The default page (this year until today, and the development over the project's periods):
    cold at most 20 queries; again with nothing changed, none of them counts a figure."""
    client = client_for(funder)
    url = reverse("reports:indicators")
    client.get(url)  # the session is settled
    cache.clear()
    cold = page_queries(client, url)
    warm = page_queries(client, url)
    DocumentDownload.objects.create(
        document=Document.objects.get(), user=UserFactory(authority=mainz), day=timezone.localdate()
    )
    after = page_queries(client, url)
    # Cold: the session, the person, the projects' starts, the indicators and the periods (5; the
    # page shows no mappings); the table's and the development's figures together (5): the grouped
    # figures in one statement, the processes completed, the survey's answers (2), how long the running
    # figures hold. Warm: the session and the person alone (the projects' starts, the indicators and
    # the periods are kept under the frame generation, tests/reports/test_frame_cache.py). After a
    # download: the running cells counted anew (the ended periods' cells come from the cache, but the
    # statement that counts the rest is one all the same); the frame is still kept.
    assert (cold, warm, after) == (10, 2, 7)


def test_project_staff_and_funders_see_the_same_figures(both_states, client_for, funder, project_staff):
    """What is kept is the same for everyone who sees it: the raw figures, protected alike on reading."""
    url = reverse("reports:indicators")

    def cells(user):
        response = client_for(user).get(url)
        return [[column.cells for column in row.columns] for row in response.context["rows"]], [
            row["cells"] for row in response.context["development"].rows
        ]

    assert cells(funder) == cells(project_staff)
    cache.clear()
    assert cells(project_staff) == cells(funder)


def test_a_counted_model_cannot_be_emptied_through_its_manager():
    from training.models import Enrollment

    assert not hasattr(Enrollment.objects, "delete")
    assert Enrollment.objects.all().delete.alters_data


def test_the_generation_changes_again_after_the_commit_once_per_transaction(mainz):
    """A reader between the write and the commit reads the data from before it: what it keeps under
    the new generation must not outlive the commit. (The test runs in one transaction.)"""
    first = facts.generation()
    for _ in range(3):
        UserFactory(authority=mainz)
    during = facts.generation()
    assert during != first
    after_commit = [f for _ids, f, _robust in connection.run_on_commit if f is facts._new_generation]
    assert len(after_commit) == 1
    after_commit[0]()
    assert facts.generation() != during
