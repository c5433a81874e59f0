"""The course services as a specification: creating with dates, changing (and telling everyone enrolled
when dates or place change), publishing, copying, cancelling."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import CourseDateFactory, CourseFactory, EnrollmentFactory
from tests.training.helpers import enroll_themselves, message, waiting_list
from training.models import Course, CourseStatus
from training.services import courses as course_services
from training.services import enrollments as services


def test_course_create_stores_the_course_and_its_dates_as_a_draft(project_staff):
    start = timezone.now() + dt.timedelta(days=40)
    blueprint = CourseFactory.build()

    course = course_services.course_create(
        by=project_staff,
        dates=[
            {"starts_at": start, "ends_at": start + dt.timedelta(hours=3), "room": "A"},
            {"starts_at": start + dt.timedelta(days=1), "ends_at": start + dt.timedelta(days=1, hours=3)},
        ],
        title="Führung im Wandel",
        description=blueprint.description,
        topic=CourseFactory().topic,
        target_group=blueprint.target_group,
        format=blueprint.format,
        trainers=blueprint.trainers,
        capacity=12,
    )

    assert (course.status, course.created_by) == (CourseStatus.DRAFT, project_staff)
    assert [d.room for d in course.dates.all()] == ["A", ""]


def test_course_update_replaces_the_dates(project_staff):
    course = CourseFactory()
    kept = course.dates.get()
    start = kept.starts_at + dt.timedelta(days=7)

    course_services.course_update(
        course=course,
        by=project_staff,
        dates=[
            {"pk": kept.pk, "room": "Saal"},
            {"starts_at": start, "ends_at": start + dt.timedelta(hours=2)},
        ],
    )

    assert [(d.pk == kept.pk, d.room) for d in course.dates.all()] == [(True, "Saal"), (False, "")]


def test_course_publish_refuses_a_course_without_dates(project_staff):
    course = CourseFactory(status=CourseStatus.DRAFT, dates=None)

    with pytest.raises(ValidationError) as refused:
        course_services.course_publish(course=course, by=project_staff)

    assert message(refused) == "Eine Schulung ohne Termin kann nicht veröffentlicht werden."
    course.refresh_from_db()
    assert course.status == CourseStatus.DRAFT


def test_course_publish_publishes_a_draft_once(project_staff):
    course = CourseFactory(status=CourseStatus.DRAFT)

    assert course_services.course_publish(course=course, by=project_staff).status == CourseStatus.PUBLISHED
    with pytest.raises(ValidationError):
        course_services.course_publish(course=course, by=project_staff)


def test_course_duplicate_copies_details_and_dates_as_a_draft(project_staff, member):
    course = CourseFactory(title="Interkulturelle Kompetenz", capacity=14, seats_per_authority=2)
    later = course.dates.get().starts_at + dt.timedelta(days=1)
    CourseDateFactory(course=course, starts_at=later, room="Raum 2")
    services.enrollment_create(course=course, participant=member, by=member)

    copy = course_services.course_duplicate(course=course, by=project_staff)

    assert copy.pk != course.pk
    assert (copy.title, copy.status, copy.created_by) == (
        "Interkulturelle Kompetenz (Kopie)",
        CourseStatus.DRAFT,
        project_staff,
    )
    assert (copy.capacity, copy.seats_per_authority, copy.topic) == (14, 2, course.topic)
    assert list(copy.dates.values_list("starts_at", "ends_at", "room")) == list(
        course.dates.values_list("starts_at", "ends_at", "room")
    )
    assert not copy.enrollments.exists()
    course.refresh_from_db()
    assert (course.status, course.dates.count()) == (CourseStatus.PUBLISHED, 2)


def test_course_cancel_mails_everyone_enrolled_or_waiting(
    project_staff, staff_of, django_capture_on_commit_callbacks, mailoutbox
):
    course = CourseFactory(capacity=2, title="Kundenorientierung")
    people = staff_of(n=4)
    enrollments = enroll_themselves(course, people)
    services.enrollment_cancel(enrollment=enrollments[3], by=people[3])

    with django_capture_on_commit_callbacks(execute=True):
        course_services.course_cancel(course=course, by=project_staff, reason="Die Trainerin ist erkrankt.")

    course.refresh_from_db()
    assert course.status == CourseStatus.CANCELLED
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in people[:3])
    assert {m.subject for m in mailoutbox} == {"Schulung abgesagt: Kundenorientierung"}
    assert "Die Trainerin ist erkrankt." in mailoutbox[0].body


def test_cancelling_a_cancelled_course_mails_nobody_again(
    project_staff, member, django_capture_on_commit_callbacks, mailoutbox
):
    course = CourseFactory()
    services.enrollment_create(course=course, participant=member, by=member)
    course_services.course_cancel(course=course, by=project_staff)

    with django_capture_on_commit_callbacks(execute=True):
        course_services.course_cancel(course=course, by=project_staff)

    assert mailoutbox == []


def test_cancelling_a_seat_of_a_cancelled_course_promotes_nobody(project_staff, staff_of):
    course = CourseFactory(capacity=1)
    people = staff_of(n=2)
    seat, _ = enroll_themselves(course, people)
    course_services.course_cancel(course=course, by=project_staff)

    services.enrollment_cancel(enrollment=seat, by=people[0])

    assert waiting_list(course) == [(people[1], 1)]


def test_course_factory_gives_a_published_open_course_with_a_future_date(db):
    course = CourseFactory()

    assert course.status == CourseStatus.PUBLISHED
    assert course.registration_problem() is None
    assert course.dates.get().starts_at > timezone.now()
    assert Course.objects.upcoming().filter(pk=course.pk).exists()


def test_everyone_enrolled_is_told_when_dates_or_place_change_but_not_for_other_edits(
    project_staff, member, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    course = CourseFactory(capacity=5)
    EnrollmentFactory(course=course, participant=member)
    EnrollmentFactory(course=course, participant=coordinator, status="cancelled", confirmed_at=None)
    date = course.dates.get()

    with django_capture_on_commit_callbacks(execute=True):
        course_services.course_update(course=course, by=project_staff, title="Neuer Titel")
    assert mailoutbox == []

    day = dt.timedelta(days=1)
    moved = [
        {"pk": date.pk, "starts_at": date.starts_at + day, "ends_at": date.ends_at + day, "room": "Raum 2"}
    ]
    with django_capture_on_commit_callbacks(execute=True):
        course_services.course_update(course=course, by=project_staff, dates=moved)

    assert [m.to for m in mailoutbox] == [[member.email]]
    assert mailoutbox[0].subject == "Geändert: Neuer Titel"
    assert "Raum 2" in mailoutbox[0].body


def test_course_update_refuses_fields_the_course_form_does_not_change(project_staff):
    # The status has services of its own (publish, cancel); course_update once set any attribute.
    course = CourseFactory(status=CourseStatus.DRAFT)

    with pytest.raises(TypeError):
        course_services.course_update(course=course, by=project_staff, status=CourseStatus.PUBLISHED)

    course.refresh_from_db()
    assert course.status == CourseStatus.DRAFT


def test_moving_only_a_date_marks_the_course_changed_for_calendars(project_staff):
    course = CourseFactory()
    date = course.dates.get()
    Course.objects.filter(pk=course.pk).update(updated_at=timezone.now() - dt.timedelta(days=3))
    later = date.starts_at + dt.timedelta(hours=1)

    course_services.course_update(
        course=course,
        by=project_staff,
        dates=[{"pk": date.pk, "starts_at": later, "ends_at": date.ends_at, "room": date.room}],
    )

    course.refresh_from_db()
    assert course.dates.get().starts_at == later
    assert course.updated_at > timezone.now() - dt.timedelta(minutes=1)
