"""Enrolling and cancelling through the course page, as each role uses it: German messages, the waiting
list, the registration window (in the reader's language), coordinators enrolling colleagues, and
who may see and change which enrollment (404 for other authorities'); the course page's query budget."""

import pytest
from django.utils import timezone

from tests.factories import EnrollmentFactory, UserFactory
from tests.helpers import page_queries
from tests.training.helpers import (
    CANCELLED,
    CATALOGUE,
    CONFIRMED,
    REQUESTED,
    WAITLISTED,
    add_enrollments,
    course_on,
    in_days,
    messages_of,
    page_text,
    url,
)
from training.models import Attendance, CourseStatus, Enrollment, EnrollmentMode, Feedback, OpenTo


def test_member_enrolls_sees_the_confirmation_and_cancels(
    client_for, member, course, django_capture_on_commit_callbacks, mailoutbox
):
    client = client_for(member)
    page = client.get(url("detail", course.pk))
    assert "Jetzt anmelden" in page_text(page) and "3 von 3 Plätzen frei" in page_text(page)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("enroll", course.pk), follow=True)

    enrollment = Enrollment.objects.get(course=course, participant=member)
    assert enrollment.status == CONFIRMED and enrollment.enrolled_by == member
    assert response.redirect_chain == [(url("detail", course.pk), 302)]
    assert messages_of(response) == [
        f"{member} ist angemeldet. Eine Bestätigung wurde per E-Mail verschickt."
    ]
    text = page_text(response)
    assert "Angemeldet" in text and "Anmeldung stornieren" in text and "2 von 3 Plätzen frei" in text
    assert [mail.to for mail in mailoutbox] == [[member.email]]

    again = client.post(url("enroll", course.pk), follow=True)
    assert messages_of(again) == [f"{member} ist für diese Schulung bereits angemeldet."]
    assert Enrollment.objects.filter(course=course).count() == 1

    response = client.post(url("enrollment_cancel", enrollment.pk), follow=True)
    assert messages_of(response) == [f"Die Anmeldung von {member} wurde storniert."]
    enrollment.refresh_from_db()
    assert enrollment.status == CANCELLED and enrollment.cancelled_by == member
    assert "Jetzt anmelden" in page_text(response)


def test_full_course_puts_the_member_on_the_waiting_list_with_position(client_for, member, colleague, course):
    for _ in range(3):
        EnrollmentFactory(course=course)
    EnrollmentFactory(course=course, status=WAITLISTED, waitlist_position=1)
    client = client_for(member)
    assert "Auf die Warteliste setzen" in page_text(client.get(url("detail", course.pk)))

    response = client.post(url("enroll", course.pk), follow=True)

    assert messages_of(response) == [f"{member} steht auf Platz 2 der Warteliste."]
    assert "Sie stehen auf Platz 2 der Warteliste" in page_text(response)
    assert "Warteliste, Platz 2" in page_text(client.get(CATALOGUE))


def test_waiting_list_moves_up_when_someone_cancels_through_the_page(client_for, member, colleague):
    course = course_on(30, title="Ein Platz", capacity=1)
    client_for(colleague).post(url("enroll", course.pk))
    client_for(member).post(url("enroll", course.pk))
    assert Enrollment.objects.get(participant=member).status == WAITLISTED

    seat = Enrollment.objects.get(participant=colleague)
    client_for(colleague).post(url("enrollment_cancel", seat.pk))

    assert Enrollment.objects.get(participant=member).status == CONFIRMED
    assert "Angemeldet" in page_text(client_for(member).get(url("detail", course.pk)))


def test_request_mode_says_the_seat_is_reserved(client_for, member):
    course = course_on(30, title="Auf Anfrage", enrollment_mode=EnrollmentMode.REQUEST)
    client = client_for(member)
    assert "Teilnahme anfragen" in page_text(client.get(url("detail", course.pk)))

    response = client.post(url("enroll", course.pk), follow=True)

    assert messages_of(response) == [f"Die Anfrage für {member} ist eingegangen; der Platz ist reserviert."]
    assert Enrollment.objects.get().status == REQUESTED


def _berlin(moment) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y, %H:%M Uhr")


@pytest.mark.parametrize(
    "values, reason",
    [
        (
            {"registration_opens": in_days(5), "registration_closes": in_days(20)},
            lambda c: f"Die Anmeldung beginnt am {_berlin(c.registration_opens)}.",
        ),
        (
            {"registration_opens": in_days(-20), "registration_closes": in_days(-1)},
            lambda c: f"Die Anmeldung ist seit dem {_berlin(c.registration_closes)} geschlossen.",
        ),
        ({"status": CourseStatus.CANCELLED}, lambda c: "Die Schulung wurde abgesagt."),
    ],
    ids=["not-yet-open", "closed", "cancelled"],
)
def test_outside_the_registration_window_the_page_explains_why(
    client_for, member, coordinator, colleague, values, reason
):
    course = course_on(30, title="Geschlossen", **values)
    client = client_for(member)

    text = page_text(client.get(url("detail", course.pk)))
    assert "Anmeldung nicht möglich" in text and reason(course) in text
    assert "Jetzt anmelden" not in text and "Auf die Warteliste setzen" not in text

    # Posting anyway is refused with the same reason, for oneself and for a colleague.
    response = client.post(url("enroll", course.pk), follow=True)
    assert messages_of(response) == [reason(course)]
    coordinated = client_for(coordinator).post(
        url("enroll", course.pk), {"participant": colleague.pk}, follow=True
    )
    assert messages_of(coordinated) == [reason(course)]
    assert "Kollegin oder Kollegen anmelden" not in page_text(coordinated)
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize(
    "values, sentence",
    [
        (
            {"registration_opens": in_days(5, hour=10), "registration_closes": in_days(20)},
            "Enrollment opens on",
        ),
        (
            {"registration_opens": in_days(-20), "registration_closes": in_days(-1, hour=10)},
            "Enrollment closed on",
        ),
    ],
    ids=["not-yet-open", "closed"],
)
def test_the_english_course_page_writes_the_registration_time_the_english_way(
    client_for, member, values, sentence
):
    course = course_on(30, title="Residence law", **values)
    client = client_for(member)
    client.cookies["portal_language"] = "en"

    text = page_text(client.get(url("detail", course.pk)))

    moment = course.registration_opens if sentence == "Enrollment opens on" else course.registration_closes
    assert f"{sentence} {timezone.localtime(moment):%d/%m/%Y}, 10:00." in text
    assert "Uhr" not in text


def test_coordinator_enrolls_a_colleague_of_their_own_authority(
    client_for, coordinator, colleague, course, django_capture_on_commit_callbacks, mailoutbox
):
    client = client_for(coordinator)
    page = client.get(url("detail", course.pk))
    assert "Kollegin oder Kollegen anmelden" in page_text(page)
    assert f'<option value="{colleague.pk}">' in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("enroll", course.pk), {"participant": colleague.pk}, follow=True)

    enrollment = Enrollment.objects.get()
    assert (enrollment.participant, enrollment.enrolled_by, enrollment.status) == (
        colleague,
        coordinator,
        CONFIRMED,
    )
    assert messages_of(response) == [
        f"{colleague} ist angemeldet. Eine Bestätigung wurde per E-Mail verschickt."
    ]
    assert f"{colleague} abmelden" in page_text(response)
    # The colleague is told, not the coordinator; the coordinator's own status is untouched.
    assert [mail.to for mail in mailoutbox] == [[colleague.email]]
    assert "Jetzt anmelden" in page_text(response)

    response = client.post(url("enrollment_cancel", enrollment.pk), follow=True)
    assert messages_of(response) == [f"Die Anmeldung von {colleague} wurde storniert."]
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.cancelled_by) == (CANCELLED, coordinator)


@pytest.mark.parametrize("who", ["hannover_member", "project_staff", "funder", "unknown"])
def test_coordinator_cannot_enroll_someone_of_another_authority_by_tampering(
    client_for, request, coordinator, course, who
):
    participant_id = 999_999 if who == "unknown" else request.getfixturevalue(who).pk

    response = client_for(coordinator).post(
        url("enroll", course.pk), {"participant": participant_id}, follow=True
    )

    assert messages_of(response) == ["Bitte wählen Sie eine Person aus der Liste aus."]
    assert not Enrollment.objects.exists()


def test_coordinator_cannot_enroll_an_inactive_colleague(client_for, coordinator, mainz, course):
    gone = UserFactory(authority=mainz, is_active=False)
    response = client_for(coordinator).post(url("enroll", course.pk), {"participant": gone.pk}, follow=True)
    assert messages_of(response) == ["Bitte wählen Sie eine Person aus der Liste aus."]
    assert not Enrollment.objects.exists()


def test_member_cannot_enroll_others(client_for, member, colleague, course):
    response = client_for(member).post(url("enroll", course.pk), {"participant": colleague.pk})
    assert response.status_code == 403
    assert "Kollegin oder Kollegen anmelden" not in page_text(
        client_for(member).get(url("detail", course.pk))
    )
    assert not Enrollment.objects.exists()


def test_only_authority_staff_enroll_themselves(client_for, project_staff, funder, course):
    assert client_for(project_staff).post(url("enroll", course.pk)).status_code == 403
    assert client_for(funder).post(url("enroll", course.pk)).status_code == 403
    assert not Enrollment.objects.exists()


def test_project_staff_enroll_anyone_the_course_is_open_to(
    client_for, project_staff, hannover_member, member
):
    course = course_on(30, title="Nur Niedersachsen", open_to=OpenTo.NI)
    client = client_for(project_staff)

    response = client.post(url("enroll", course.pk), {"participant": hannover_member.pk}, follow=True)
    assert response.redirect_chain == [(url("participants", course.pk), 302)]
    assert messages_of(response) == [
        f"{hannover_member} ist angemeldet. Eine Bestätigung wurde per E-Mail verschickt."
    ]
    assert Enrollment.objects.get().enrolled_by == project_staff

    response = client.post(url("enroll", course.pk), {"participant": member.pk}, follow=True)
    assert messages_of(response) == ["Die Schulung ist für Behörden aus diesem Land nicht geöffnet."]
    assert Enrollment.objects.count() == 1


def test_enrollment_needs_post(client_for, member, course):
    assert client_for(member).get(url("enroll", course.pk)).status_code == 405
    enrollment = EnrollmentFactory(course=course, participant=member)
    assert client_for(member).get(url("enrollment_cancel", enrollment.pk)).status_code == 405
    enrollment.refresh_from_db()
    assert enrollment.status == CONFIRMED


def test_cancel_returns_only_to_a_page_of_the_portal(client_for, member, course):
    enrollment = EnrollmentFactory(course=course, participant=member)
    response = client_for(member).post(
        url("enrollment_cancel", enrollment.pk), {"next": "https://evil.example.com/"}
    )
    assert response["Location"] == url("detail", course.pk)


# --- access: other people's enrollments ---------------------------------------------------------------


@pytest.fixture
def foreign_enrollment(hannover_member):
    """An enrollment of someone at Hannover, in a course open to both states; attended, with feedback."""
    course = course_on(-5, title="Vergangen, beide Länder")
    enrollment = EnrollmentFactory(course=course, participant=hannover_member)
    Attendance.objects.create(enrollment=enrollment, course_date=course.dates.get(), present=True)
    return enrollment


@pytest.mark.parametrize("who", ["member", "coordinator", "funder"])
@pytest.mark.parametrize(
    "view, method",
    [
        ("enrollment_cancel", "post"),
        ("enrollment_confirm", "post"),
        ("feedback", "get"),
        ("feedback", "post"),
    ],
)
def test_other_authorities_enrollments_are_404(client_for, request, foreign_enrollment, who, view, method):
    client = client_for(request.getfixturevalue(who))
    data = {"usefulness": "1", "will_apply": "", "comments": "manipuliert"} if view == "feedback" else {}

    response = getattr(client, method)(url(view, foreign_enrollment.pk), data)

    assert response.status_code == 404
    foreign_enrollment.refresh_from_db()
    assert foreign_enrollment.status == CONFIRMED
    assert not Feedback.objects.exists()


def test_member_cannot_touch_a_colleagues_enrollment(client_for, member, colleague, course):
    enrollment = EnrollmentFactory(course=course, participant=colleague)
    client = client_for(member)
    assert client.post(url("enrollment_cancel", enrollment.pk)).status_code == 404
    assert client.get(url("feedback", enrollment.pk)).status_code == 404
    enrollment.refresh_from_db()
    assert enrollment.status == CONFIRMED


@pytest.mark.parametrize("who", ["member", "coordinator", "project_staff", "funder"])
def test_course_detail_runs_the_same_queries_for_5_and_50_enrollments(
    client_for, request, mainz, who, django_assert_max_num_queries
):
    course = course_on(30, title="Groß", capacity=200)
    client = client_for(request.getfixturevalue(who))
    # Colleagues who could be enrolled make the coordinator's drop-down grow too.
    UserFactory.create_batch(3, authority=mainz)
    add_enrollments(course, 5, mainz)
    with_5 = page_queries(client, url("detail", course.pk))
    UserFactory.create_batch(20, authority=mainz)
    add_enrollments(course, 45, mainz)

    with django_assert_max_num_queries(with_5):
        client.get(url("detail", course.pk))


@pytest.mark.parametrize(
    "who, expected",
    [("member", 5), ("coordinator", 7), ("project_staff", 4), ("funder", 4)],
)
def test_course_page_query_budget(client_for, request, mainz, who, expected, django_assert_num_queries):
    """Session, user, the course with its seats, topic and marks on future dates, its dates, and for
    authority staff the enrollments they see (their own and their authority's in one query); a
    coordinator's choice of colleagues asks whether there is anyone, then lists them: pinned, so that
    a query more shows at once."""
    course = course_on(30, title="Groß", capacity=200)
    UserFactory.create_batch(3, authority=mainz)
    add_enrollments(course, 5, mainz)
    client = client_for(request.getfixturevalue(who))
    client.get(url("detail", course.pk))

    with django_assert_num_queries(expected):
        client.get(url("detail", course.pk))
