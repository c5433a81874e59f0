"""The training services as a specification: seats, waiting list, who may enroll whom, the course's
life cycle, attendance and feedback. Concurrency is in test_concurrency.py."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from tests.factories import AuthorityFactory, CourseDateFactory, CourseFactory, EnrollmentFactory, UserFactory
from training.models import (
    Attendance,
    Course,
    CourseStatus,
    Enrollment,
    EnrollmentMode,
    EnrollmentStatus,
    Feedback,
    OpenTo,
)
from training.services import courses as course_services
from training.services import enrollments as services
from training.services import feedback as feedback_services
from training.services.enrollments import EnrollmentRefused

CONFIRMED = EnrollmentStatus.CONFIRMED
REQUESTED = EnrollmentStatus.REQUESTED
WAITLISTED = EnrollmentStatus.WAITLISTED
CANCELLED = EnrollmentStatus.CANCELLED


@pytest.fixture
def staff_of(db):
    """`staff_of(authority, n)`: n authority-staff users of one authority (a new one if None)."""

    def make(authority=None, n=1):
        authority = authority or AuthorityFactory()
        return UserFactory.create_batch(n, authority=authority)

    return make


def enroll_themselves(course, people):
    return [services.enrollment_create(course=course, participant=p, by=p) for p in people]


def statuses(course):
    """(participant, status, waitlist position) in the order people enrolled."""
    return [
        (e.participant, e.status, e.waitlist_position)
        for e in Enrollment.objects.filter(course=course).select_related("participant").order_by("pk")
    ]


def waiting_list(course):
    return [
        (e.participant, e.waitlist_position)
        for e in Enrollment.objects.filter(course=course, status=WAITLISTED)
        .select_related("participant")
        .order_by("waitlist_position")
    ]


def message(exc_info) -> str:
    return " ".join(exc_info.value.messages)


# --- seats and the waiting list -------------------------------------------------------------------


def test_direct_enrollment_confirms_until_capacity_then_waitlists_in_order(staff_of):
    course = CourseFactory(capacity=2)
    people = staff_of(n=5)

    enroll_themselves(course, people)

    assert statuses(course) == [
        (people[0], CONFIRMED, None),
        (people[1], CONFIRMED, None),
        (people[2], WAITLISTED, 1),
        (people[3], WAITLISTED, 2),
        (people[4], WAITLISTED, 3),
    ]
    first = Enrollment.objects.get(participant=people[0])
    assert first.enrolled_by == people[0]
    assert first.confirmed_at is not None


def test_each_enrollment_mails_the_participant_in_german(
    member, staff_of, django_capture_on_commit_callbacks, mailoutbox
):
    course = CourseFactory(capacity=1, title="Aufenthaltsrecht kompakt")
    (other,) = staff_of()

    with django_capture_on_commit_callbacks(execute=True):
        enroll_themselves(course, [member, other])

    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([member.email], "Anmeldung bestätigt: Aufenthaltsrecht kompakt"),
        ([other.email], "Warteliste: Aufenthaltsrecht kompakt"),
    ]


def test_request_mode_holds_a_seat_until_project_staff_confirm(project_staff, member, staff_of):
    course = CourseFactory(capacity=1, enrollment_mode=EnrollmentMode.REQUEST)
    (other,) = staff_of()

    request, waiting = enroll_themselves(course, [member, other])

    assert (request.status, request.confirmed_at) == (REQUESTED, None)
    # The request holds the only seat: the next person waits.
    assert (waiting.status, waiting.waitlist_position) == (WAITLISTED, 1)
    with pytest.raises(PermissionDenied):
        services.enrollment_confirm(enrollment=request, by=member)

    confirmed = services.enrollment_confirm(enrollment=request, by=project_staff)

    assert confirmed.status == CONFIRMED
    assert confirmed.confirmed_at is not None
    with pytest.raises(EnrollmentRefused):
        services.enrollment_confirm(enrollment=waiting, by=project_staff)


def test_in_request_mode_a_freed_seat_goes_to_the_first_waiting_person_as_a_request(
    project_staff, member, staff_of
):
    course = CourseFactory(capacity=1, enrollment_mode=EnrollmentMode.REQUEST)
    (other,) = staff_of()
    request, waiting = enroll_themselves(course, [member, other])

    services.enrollment_cancel(enrollment=request, by=member)

    waiting.refresh_from_db()
    assert (waiting.status, waiting.waitlist_position) == (REQUESTED, None)


def test_cancelling_a_confirmed_seat_promotes_the_first_waiting_person_and_mails_them(
    staff_of, django_capture_on_commit_callbacks, mailoutbox
):
    course = CourseFactory(capacity=2, title="Fachkräfteeinwanderung")
    people = staff_of(n=5)
    seat, *_ = enroll_themselves(course, people)

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.enrollment_cancel(enrollment=seat, by=people[0])

    assert (cancelled.status, cancelled.cancelled_by) == (CANCELLED, people[0])
    assert cancelled.cancelled_at is not None
    assert statuses(course)[1:] == [
        (people[1], CONFIRMED, None),
        (people[2], CONFIRMED, None),
        (people[3], WAITLISTED, 1),
        (people[4], WAITLISTED, 2),
    ]
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([people[0].email], "Abmeldung: Fachkräfteeinwanderung"),
        ([people[2].email], "Platz frei geworden: Fachkräfteeinwanderung"),
    ]


def test_cancelling_a_waiting_place_closes_the_gap_and_promotes_nobody(staff_of):
    course = CourseFactory(capacity=1)
    people = staff_of(n=5)
    enrollments = enroll_themselves(course, people)

    services.enrollment_cancel(enrollment=enrollments[2], by=people[2])

    assert waiting_list(course) == [(people[1], 1), (people[3], 2), (people[4], 3)]
    assert Enrollment.objects.filter(course=course).holding_seats().get().participant == people[0]


def test_cancelling_twice_changes_nothing(staff_of):
    course = CourseFactory(capacity=1)
    people = staff_of(n=3)
    seat, *_ = enroll_themselves(course, people)
    services.enrollment_cancel(enrollment=seat, by=people[0])

    again = services.enrollment_cancel(enrollment=seat, by=people[0])

    assert again.status == CANCELLED
    assert waiting_list(course) == [(people[2], 1)]


def test_raising_the_capacity_promotes_in_waiting_list_order(project_staff, staff_of):
    course = CourseFactory(capacity=1)
    people = staff_of(n=6)
    enroll_themselves(course, people)

    course_services.course_update(course=course, by=project_staff, capacity=4)

    assert [status for _, status, _ in statuses(course)] == [CONFIRMED] * 4 + [WAITLISTED] * 2
    assert waiting_list(course) == [(people[4], 1), (people[5], 2)]


def test_lowering_the_capacity_takes_no_seat_away(project_staff, staff_of):
    course = CourseFactory(capacity=3)
    enroll_themselves(course, staff_of(n=3))

    course_services.course_update(course=course, by=project_staff, capacity=1)

    assert Enrollment.objects.filter(course=course, status=CONFIRMED).count() == 3


def test_the_seat_limit_per_authority_sends_the_next_colleague_to_the_waiting_list(mainz, staff_of):
    course = CourseFactory(capacity=5, seats_per_authority=2)
    people = staff_of(mainz, n=3)

    enroll_themselves(course, people)

    assert [(status, position) for _, status, position in statuses(course)] == [
        (CONFIRMED, None),
        (CONFIRMED, None),
        (WAITLISTED, 1),
    ]


def test_a_person_of_a_full_authority_keeps_their_place_while_the_next_one_moves_up(
    member, coordinator, outsider, staff_of
):
    course = CourseFactory(capacity=3, seats_per_authority=1)
    (third,), (fourth,) = staff_of(), staff_of()
    # member (Mainz) confirmed, coordinator (Mainz) waits for Mainz's seat, outsider and third take
    # the other seats, fourth waits behind the coordinator.
    enrollments = enroll_themselves(course, [member, coordinator, outsider, third, fourth])
    assert waiting_list(course) == [(coordinator, 1), (fourth, 2)]

    services.enrollment_cancel(enrollment=enrollments[2], by=outsider)

    assert waiting_list(course) == [(coordinator, 1)]
    assert Enrollment.objects.get(participant=fourth).status == CONFIRMED
    mainz_seats = Enrollment.objects.filter(course=course, participant__authority=member.authority)
    assert mainz_seats.holding_seats().count() == 1


def test_raising_the_seat_limit_per_authority_promotes_the_waiting_colleague(
    project_staff, member, coordinator
):
    course = CourseFactory(capacity=5, seats_per_authority=1)
    enroll_themselves(course, [member, coordinator])

    course_services.course_update(course=course, by=project_staff, seats_per_authority=2)

    assert Enrollment.objects.get(participant=coordinator).status == CONFIRMED
    assert waiting_list(course) == []


# --- when and for whom enrollment is open ---------------------------------------------------------


def test_before_the_registration_window_authority_staff_are_told_when_it_opens(member):
    opens = timezone.make_aware(dt.datetime(2099, 3, 2, 9, 30))
    course = CourseFactory(registration_opens=opens, registration_closes=opens + dt.timedelta(days=30))

    with pytest.raises(EnrollmentRefused) as refused:
        services.enrollment_create(course=course, participant=member, by=member)

    assert message(refused) == "Die Anmeldung beginnt am 02.03.2099, 09:30 Uhr."
    assert not Enrollment.objects.exists()


def test_after_the_registration_window_authority_staff_are_told_since_when_it_is_closed(member, coordinator):
    closes = timezone.make_aware(dt.datetime(2020, 11, 5, 18, 0))
    course = CourseFactory(registration_opens=closes - dt.timedelta(days=30), registration_closes=closes)

    with pytest.raises(EnrollmentRefused) as refused:
        services.enrollment_create(course=course, participant=member, by=coordinator)

    assert message(refused) == "Die Anmeldung ist seit dem 05.11.2020, 18:00 Uhr geschlossen."


def test_project_staff_may_enroll_outside_the_registration_window(project_staff, member):
    course = CourseFactory(
        registration_opens=timezone.now() - dt.timedelta(days=30),
        registration_closes=timezone.now() - dt.timedelta(days=1),
    )

    enrollment = services.enrollment_create(course=course, participant=member, by=project_staff)

    assert (enrollment.status, enrollment.enrolled_by) == (CONFIRMED, project_staff)


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (CourseStatus.DRAFT, "Die Schulung ist noch nicht veröffentlicht."),
        (CourseStatus.CANCELLED, "Die Schulung wurde abgesagt."),
        (CourseStatus.COMPLETED, "Die Schulung ist abgeschlossen."),
    ],
)
def test_nobody_enrolls_in_a_course_that_is_not_published(project_staff, member, status, reason):
    course = CourseFactory(status=status)

    for by in (member, project_staff):
        with pytest.raises(EnrollmentRefused) as refused:
            services.enrollment_create(course=course, participant=member, by=by)
        assert message(refused) == reason


def test_a_course_not_open_to_the_participants_state_is_refused(project_staff, member, outsider):
    course = CourseFactory(open_to=OpenTo.NI)

    for by in (member, project_staff):
        with pytest.raises(EnrollmentRefused) as refused:
            services.enrollment_create(course=course, participant=member, by=by)
        assert message(refused) == "Die Schulung ist für Behörden aus diesem Land nicht geöffnet."

    assert services.enrollment_create(course=course, participant=outsider, by=outsider).status == CONFIRMED


# --- who enrolls whom ------------------------------------------------------------------------------


def test_a_coordinator_enrolls_and_cancels_a_colleague_of_their_authority(coordinator, member):
    course = CourseFactory()

    enrollment = services.enrollment_create(course=course, participant=member, by=coordinator)
    assert (enrollment.participant, enrollment.status) == (member, CONFIRMED)
    assert enrollment.enrolled_by == coordinator

    cancelled = services.enrollment_cancel(enrollment=enrollment, by=coordinator)
    assert (cancelled.status, cancelled.cancelled_by) == (CANCELLED, coordinator)


def test_a_coordinator_may_not_enroll_or_cancel_another_authoritys_person(coordinator, outsider):
    course = CourseFactory()

    with pytest.raises(PermissionDenied):
        services.enrollment_create(course=course, participant=outsider, by=coordinator)

    enrollment = services.enrollment_create(course=course, participant=outsider, by=outsider)
    with pytest.raises(PermissionDenied):
        services.enrollment_cancel(enrollment=enrollment, by=coordinator)
    enrollment.refresh_from_db()
    assert enrollment.status == CONFIRMED


def test_a_member_may_not_enroll_or_cancel_a_colleague(member, coordinator):
    course = CourseFactory()

    with pytest.raises(PermissionDenied):
        services.enrollment_create(course=course, participant=coordinator, by=member)

    enrollment = services.enrollment_create(course=course, participant=coordinator, by=coordinator)
    with pytest.raises(PermissionDenied):
        services.enrollment_cancel(enrollment=enrollment, by=member)


def test_project_staff_enroll_and_cancel_anyone(project_staff, member, outsider):
    course = CourseFactory()

    for person in (member, outsider):
        enrollment = services.enrollment_create(course=course, participant=person, by=project_staff)
        services.enrollment_cancel(enrollment=enrollment, by=project_staff)

    assert list(Enrollment.objects.values_list("status", "cancelled_by")) == [
        (CANCELLED, project_staff.pk),
        (CANCELLED, project_staff.pk),
    ]


def test_funders_and_project_staff_cannot_be_participants(project_staff, funder):
    course = CourseFactory()

    for participant, by in [(funder, funder), (funder, project_staff), (project_staff, project_staff)]:
        with pytest.raises(PermissionDenied):
            services.enrollment_create(course=course, participant=participant, by=by)
    assert not Enrollment.objects.exists()


def test_nobody_enrolls_twice(coordinator, member):
    course = CourseFactory(capacity=1)
    services.enrollment_create(course=course, participant=member, by=member)

    with pytest.raises(EnrollmentRefused) as refused:
        services.enrollment_create(course=course, participant=member, by=coordinator)

    assert message(refused) == f"{member} ist für diese Schulung bereits angemeldet."
    # Also not from the waiting list.
    services.enrollment_create(course=course, participant=coordinator, by=coordinator)
    with pytest.raises(EnrollmentRefused):
        services.enrollment_create(course=course, participant=coordinator, by=coordinator)
    assert Enrollment.objects.count() == 2


def test_the_database_refuses_a_second_active_enrollment(member):
    # The last line of defence if a service ever forgot to check.
    enrollment = EnrollmentFactory(participant=member)

    with pytest.raises(IntegrityError):
        EnrollmentFactory(
            course=enrollment.course, participant=member, status=WAITLISTED, waitlist_position=1
        )


def test_the_database_refuses_a_waiting_position_without_waiting(member):
    with pytest.raises(IntegrityError):
        EnrollmentFactory(participant=member, status=CONFIRMED, waitlist_position=1)


def test_a_cancelled_person_may_enroll_again(member):
    course = CourseFactory()
    first = services.enrollment_create(course=course, participant=member, by=member)
    services.enrollment_cancel(enrollment=first, by=member)

    again = services.enrollment_create(course=course, participant=member, by=member)

    assert again.pk != first.pk
    assert again.status == CONFIRMED
    assert sorted(Enrollment.objects.values_list("status", flat=True)) == [CANCELLED, CONFIRMED]


# --- the course's life cycle ------------------------------------------------------------------------


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


# --- attendance and feedback ------------------------------------------------------------------------


@pytest.fixture
def held_course(project_staff, staff_of):
    """A course of two dates with two confirmed participants and one on the waiting list."""
    course = CourseFactory(capacity=2)
    CourseDateFactory(course=course, starts_at=course.dates.get().starts_at + dt.timedelta(days=1))
    return course, enroll_themselves(course, staff_of(n=3))


def test_project_staff_record_attendance_per_date_for_confirmed_participants(project_staff, held_course):
    course, (present, absent, waiting) = held_course
    first, second = course.dates.all()

    marked_present = services.attendance_record(
        course_date=first, present_ids={present.pk, waiting.pk}, by=project_staff
    )

    assert marked_present == 1
    assert set(Attendance.objects.values_list("enrollment", "course_date", "present")) == {
        (present.pk, first.pk, True),
        (absent.pk, first.pk, False),
    }
    # Recording again corrects the list instead of adding to it.
    services.attendance_record(course_date=first, present_ids={absent.pk}, by=project_staff)
    services.attendance_record(course_date=second, present_ids={present.pk, absent.pk}, by=project_staff)
    assert set(Attendance.objects.values_list("enrollment", "course_date", "present", "marked_by")) == {
        (present.pk, first.pk, False, project_staff.pk),
        (absent.pk, first.pk, True, project_staff.pk),
        (present.pk, second.pk, True, project_staff.pk),
        (absent.pk, second.pk, True, project_staff.pk),
    }


def test_only_project_staff_record_attendance(coordinator, held_course):
    course, (present, *_) = held_course

    with pytest.raises(PermissionDenied):
        services.attendance_record(course_date=course.dates.first(), present_ids={present.pk}, by=coordinator)
    assert not Attendance.objects.exists()


def test_feedback_is_possible_only_after_attending(project_staff, held_course):
    course, (present, absent, waiting) = held_course
    services.attendance_record(course_date=course.dates.first(), present_ids={present.pk}, by=project_staff)

    for enrollment in (absent, waiting):
        with pytest.raises(ValidationError) as refused:
            feedback_services.feedback_submit(
                enrollment=enrollment, by=enrollment.participant, usefulness=5, will_apply="", comments=""
            )
        assert message(refused) == "Eine Rückmeldung ist nach der Teilnahme an der Schulung möglich."

    feedback = feedback_services.feedback_submit(
        enrollment=present, by=present.participant, usefulness=4, will_apply="Checklisten", comments="Gut."
    )
    assert (feedback.enrollment, feedback.usefulness, feedback.will_apply) == (present, 4, "Checklisten")


def test_a_second_feedback_replaces_the_first(project_staff, held_course):
    course, (present, *_) = held_course
    services.attendance_record(course_date=course.dates.first(), present_ids={present.pk}, by=project_staff)

    for usefulness in (2, 5):
        feedback_services.feedback_submit(
            enrollment=present, by=present.participant, usefulness=usefulness, will_apply="", comments=""
        )

    assert list(Feedback.objects.values_list("enrollment", "usefulness")) == [(present.pk, 5)]


def test_only_the_participant_gives_feedback(project_staff, coordinator, held_course):
    course, (present, *_) = held_course
    services.attendance_record(course_date=course.dates.first(), present_ids={present.pk}, by=project_staff)

    for by in (project_staff, coordinator):
        with pytest.raises(PermissionDenied):
            feedback_services.feedback_submit(
                enrollment=present, by=by, usefulness=5, will_apply="", comments=""
            )


@pytest.mark.parametrize("usefulness", [0, 6])
def test_the_database_keeps_usefulness_between_1_and_5(project_staff, held_course, usefulness):
    course, (present, *_) = held_course
    services.attendance_record(course_date=course.dates.first(), present_ids={present.pk}, by=project_staff)

    with pytest.raises(IntegrityError):
        feedback_services.feedback_submit(
            enrollment=present, by=present.participant, usefulness=usefulness, will_apply="", comments=""
        )
    assert not Feedback.objects.exists()


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
