"""The reminder scans of the trainings on a frozen clock: the right people on the right day, nobody
else, nothing twice, and a run missed for hours or days still sends once."""

from datetime import UTC, datetime, timedelta

from portal.notifications.models import DeliveryMode, Notification, NotificationPreference
from tests.factories import CourseDateFactory, CourseFactory, EnrollmentFactory, UserFactory
from tests.helpers import attended as _attended  # a local `attended` names the enrollment
from training.models import CourseStatus, EnrollmentStatus, OpenTo
from training.scans import course_reminders, deadlines_for_coordinators, follow_ups, months_before

# A Wednesday, 10:00 German time.
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def _course(first_start, *, days=1, closes=None, **values):
    closes = closes or first_start - timedelta(days=1)
    values.setdefault("registration_opens", closes - timedelta(days=60))
    course = CourseFactory(dates=None, registration_closes=closes, **values)
    for day in range(days):
        start = first_start + timedelta(days=day)
        CourseDateFactory(course=course, starts_at=start, ends_at=start + timedelta(hours=6))
    return course


# --- 7 days and 1 day before the first date ---------------------------------------------------------


def test_reminders_go_to_confirmed_participants_7_days_and_1_day_before(member, coordinator, mailoutbox, run):
    start = NOW + timedelta(days=10)
    course = _course(start, days=2, title="Interkulturelle Kompetenz")
    EnrollmentFactory(course=course, participant=member)
    EnrollmentFactory(course=course, participant=coordinator)

    assert run(course_reminders, start - timedelta(days=7, hours=1)) == 0  # not yet
    assert run(course_reminders, start - timedelta(days=7)) == 2
    assert run(course_reminders, start - timedelta(days=6)) == 0  # the next hourly runs: nothing new
    assert run(course_reminders, start - timedelta(days=1, hours=1)) == 0
    assert run(course_reminders, start - timedelta(days=1)) == 2
    assert run(course_reminders, start - timedelta(hours=1)) == 0

    assert len(mailoutbox) == 4
    assert sorted(mail.to[0] for mail in mailoutbox[:2]) == sorted([member.email, coordinator.email])
    mail = mailoutbox[0]
    assert mail.subject == "Erinnerung: „Interkulturelle Kompetenz“ am 05.12.2026"
    assert "Sie beginnt am Samstag, 05.12.2026 um 10:00 Uhr." in mail.body
    assert f"/schulungen/{course.pk}/" in mail.body
    assert f'/schulungen/{course.pk}/"' in mail.alternatives[0][0]
    assert set(Notification.objects.values_list("occasion", flat=True)) == {"7d", "1d"}


def test_a_run_missed_for_days_sends_the_reminder_that_is_due_once(member, mailoutbox, run):
    start = NOW + timedelta(days=10)
    EnrollmentFactory(course=_course(start), participant=member)

    # Beat was down from 8 days before until 3 days before: the 7-day reminder still goes out, once.
    assert run(course_reminders, start - timedelta(days=3)) == 1
    assert run(course_reminders, start - timedelta(days=3) + timedelta(hours=5)) == 0
    # Down again until 5 hours before: only the 1-day reminder, never the 7-day one a second time.
    assert run(course_reminders, start - timedelta(hours=5)) == 1
    assert run(course_reminders, start + timedelta(minutes=1)) == 0  # the course has begun

    assert len(mailoutbox) == 2
    assert list(Notification.objects.order_by("pk").values_list("occasion", flat=True)) == ["7d", "1d"]


def test_a_run_late_for_both_sends_only_the_1_day_reminder(member, mailoutbox, run):
    start = NOW + timedelta(days=10)
    EnrollmentFactory(course=_course(start), participant=member)

    assert run(course_reminders, start - timedelta(hours=20)) == 1

    assert Notification.objects.get().occasion == "1d"


def test_no_reminder_without_a_confirmed_seat_a_published_course_or_the_wish(
    member, coordinator, outsider, project_staff, mailoutbox, run
):
    start = NOW + timedelta(days=7)
    course = _course(start)
    EnrollmentFactory(
        course=course, participant=member, status=EnrollmentStatus.WAITLISTED, waitlist_position=1
    )
    EnrollmentFactory(course=course, participant=coordinator, status=EnrollmentStatus.CANCELLED)
    EnrollmentFactory(course=course, participant=project_staff, status=EnrollmentStatus.REQUESTED)
    NotificationPreference.objects.create(
        user=outsider, kind="training.course_reminder", mode=DeliveryMode.OFF
    )
    EnrollmentFactory(course=course, participant=outsider)
    cancelled = _course(start, status=CourseStatus.CANCELLED)
    EnrollmentFactory(course=cancelled, participant=UserFactory())
    later = _course(start + timedelta(days=2))  # 9 days ahead: not yet
    EnrollmentFactory(course=later, participant=UserFactory())
    begun = _course(NOW - timedelta(hours=1), days=2)  # the first date has passed
    EnrollmentFactory(course=begun, participant=UserFactory())

    assert run(course_reminders, NOW) == 0
    assert mailoutbox == []


# --- three months after the last date ---------------------------------------------------------------


def test_months_before_keeps_the_day_or_takes_the_last_of_the_month():
    assert months_before(datetime(2026, 11, 25, 9, 0, tzinfo=UTC), 3) == datetime(
        2026, 8, 25, 9, 0, tzinfo=UTC
    )
    assert months_before(datetime(2026, 5, 31, tzinfo=UTC), 3) == datetime(2026, 2, 28, tzinfo=UTC)
    assert months_before(datetime(2026, 2, 15, tzinfo=UTC), 3) == datetime(2025, 11, 15, tzinfo=UTC)


def test_follow_up_three_months_after_the_last_date_to_those_who_attended(
    member, coordinator, outsider, mailoutbox, run
):
    first = datetime(2026, 8, 24, 7, 0, tzinfo=UTC)
    course = _course(first, days=2, title="Aufenthaltsrecht kompakt")  # last date ends 25.08., 13:00 UTC
    attended = _attended(course, member)
    _attended(course, coordinator, present=False)
    NotificationPreference.objects.create(user=outsider, kind="training.follow_up", mode=DeliveryMode.OFF)
    _attended(course, outsider)
    last_end = datetime(2026, 8, 25, 13, 0, tzinfo=UTC)

    assert run(follow_ups, datetime(2026, 11, 25, 12, 0, tzinfo=UTC)) == 0  # three months less an hour
    assert run(follow_ups, datetime(2026, 11, 25, 13, 0, tzinfo=UTC)) == 1
    assert run(follow_ups, datetime(2026, 11, 25, 14, 0, tzinfo=UTC)) == 0

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [member.email]
    assert mail.subject == "Setzen Sie das Gelernte ein? Nachfrage zu „Aufenthaltsrecht kompakt“"
    assert f"/schulungen/anmeldungen/{attended.pk}/nachfrage/" in mail.body
    assert months_before(datetime(2026, 11, 25, 13, 0, tzinfo=UTC), 3) == last_end


def test_follow_up_missed_for_days_still_goes_once_but_not_after_a_month(
    member, coordinator, mailoutbox, run
):
    _attended(_course(datetime(2026, 8, 25, 7, 0, tzinfo=UTC)), member)
    _attended(_course(datetime(2026, 7, 10, 7, 0, tzinfo=UTC)), coordinator)  # due in October: too late

    assert run(follow_ups, datetime(2026, 11, 29, 6, 0, tzinfo=UTC)) == 1  # beat down for four days
    assert run(follow_ups, datetime(2026, 11, 30, 6, 0, tzinfo=UTC)) == 0

    assert [mail.to for mail in mailoutbox] == [[member.email]]


# --- registration deadline for coordinators ---------------------------------------------------------


def test_coordinators_of_authorities_without_enrollment_hear_of_the_deadline_once(
    mainz, hannover, member, coordinator, outsider, mailoutbox, run
):
    course = _course(
        NOW + timedelta(days=20), closes=NOW + timedelta(days=10), title="Willkommenskultur im Amt"
    )
    worms = UserFactory(coordinator=True, email="coordinator@worms.example.org")  # an RP authority
    mainz_second = UserFactory(authority=mainz, coordinator=True, email="second@mainz.example.org")

    assert run(deadlines_for_coordinators, NOW) == 0  # ten days before: not yet
    assert run(deadlines_for_coordinators, NOW + timedelta(days=3)) == 4
    assert run(deadlines_for_coordinators, NOW + timedelta(days=4)) == 0
    assert run(deadlines_for_coordinators, NOW + timedelta(days=9, hours=23)) == 0

    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(
        [coordinator.email, mainz_second.email, outsider.email, worms.email]
    )
    assert member.email not in {mail.to[0] for mail in mailoutbox}  # not a coordinator
    mail = next(mail for mail in mailoutbox if mail.to == [coordinator.email])
    assert mail.subject == "Anmeldeschluss am 05.12.2026: „Willkommenskultur im Amt“"
    assert "Aus Ihrer Behörde (Stadt Mainz) ist bisher niemand angemeldet." in mail.body
    assert f"/schulungen/{course.pk}/" in mail.body


def test_no_deadline_notice_for_authorities_already_enrolled_or_of_the_wrong_state(
    mainz, member, coordinator, outsider, mailoutbox, run
):
    course = _course(NOW + timedelta(days=20), closes=NOW + timedelta(days=5), open_to=OpenTo.RP)
    EnrollmentFactory(course=course, participant=member)  # Mainz is enrolled; Hannover is in NI
    switched_off = UserFactory(coordinator=True)
    NotificationPreference.objects.create(
        user=switched_off, kind="training.deadline_for_coordinators", mode=DeliveryMode.OFF
    )
    _course(NOW + timedelta(days=20), closes=NOW + timedelta(days=5), status=CourseStatus.DRAFT)
    _course(NOW + timedelta(days=20), closes=NOW - timedelta(hours=1))  # registration closed
    _course(
        NOW + timedelta(days=20), closes=NOW + timedelta(days=5), registration_opens=NOW + timedelta(days=1)
    )

    assert run(deadlines_for_coordinators, NOW) == 0
    assert mailoutbox == []


def test_a_cancelled_enrollment_does_not_count_as_enrolled(mainz, member, coordinator, mailoutbox, run):
    course = _course(NOW + timedelta(days=20), closes=NOW + timedelta(days=5), open_to=OpenTo.RP)
    EnrollmentFactory(course=course, participant=member, status=EnrollmentStatus.CANCELLED)

    assert run(deadlines_for_coordinators, NOW) == 1
    assert [mail.to for mail in mailoutbox] == [[coordinator.email]]
