"""The training pages as each role uses them: catalogue and filters, enrollment and cancellation through
the views with German messages, who may see and change which enrollment (404 for other authorities',
no participant names for funders), the course form with its dates, attendance, feedback, "Meine
Schulungen", and the query budget of the catalogue, the course page and the participant list."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    CourseDateFactory,
    CourseFactory,
    EnrollmentFactory,
    TopicFactory,
    UserFactory,
)
from tests.helpers import attended, page_queries
from training.models import (
    Attendance,
    Course,
    CourseDate,
    CourseFormat,
    CourseStatus,
    Enrollment,
    EnrollmentMode,
    EnrollmentStatus,
    Feedback,
    OpenTo,
    Topic,
)

CATALOGUE = reverse("training:catalogue")
MINE = reverse("training:mine")
CREATE = reverse("training:create")

CONFIRMED = EnrollmentStatus.CONFIRMED
WAITLISTED = EnrollmentStatus.WAITLISTED
REQUESTED = EnrollmentStatus.REQUESTED
CANCELLED = EnrollmentStatus.CANCELLED


def url(name, *args):
    return reverse(f"training:{name}", args=args)


def page_text(response) -> str:
    """The visible text of the page's main content, tags removed and spaces collapsed."""
    html = response.content.decode()
    main = html.split('id="inhalt"', 1)[-1]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def table_text(response) -> str:
    """The visible text of the page's (first) table body."""
    body = response.content.decode().split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", "<tbody" + body).split())


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def field_error(html: str, field_id: str) -> str:
    """The error text shown right below a field (not the summary)."""
    match = re.search(rf'<div [^>]*id="{field_id}-error"[^>]*>(.*?)</div>', html, re.S)
    assert match, f"no error next to {field_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", match[1]).split())


def ticked(html: str, name: str) -> set[str]:
    """The values of the checked checkboxes or radio buttons called `name`."""
    inputs = re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)
    return {re.search(r'value="([^"]*)"', tag)[1] for tag in inputs if re.search(r"\schecked\b", tag)}


def course_titles(response) -> list[str]:
    """The course titles linked in the catalogue's list, in order."""
    html = response.content.decode()
    body = (
        html.split('class="portal-cards portal-course-list"', 1)[-1] if "portal-course-list" in html else ""
    )
    return re.findall(r'<a class="kern-link" href="/schulungen/\d+/">([^<]+)</a>', body)


def in_days(days, hour=9):
    return timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0) + timedelta(days=days)


def course_on(days, *, title, **values):
    """A course with one date `days` from now (negative: in the past)."""
    course = CourseFactory(title=title, dates=None, **values)
    CourseDateFactory(course=course, starts_at=in_days(days), ends_at=in_days(days, hour=16))
    return course


@pytest.fixture
def course(db):
    return course_on(30, title="Aufenthaltsrecht kompakt", capacity=3)


@pytest.fixture
def colleague(mainz):
    """A second member of staff at Mainz, beside `member` and `coordinator`."""
    return UserFactory(
        authority=mainz, first_name="Clara", last_name="Kollegin", email="clara@mainz.example.org"
    )


@pytest.fixture
def hannover_member(hannover):
    return UserFactory(
        authority=hannover, first_name="Hanno", last_name="Verden", email="hanno@hannover.example.org"
    )


# --- catalogue ---------------------------------------------------------------------------------------


def test_catalogue_shows_upcoming_published_courses_with_free_seats_and_own_status(
    client_for, member, colleague, mainz
):
    open_course = course_on(20, title="A: Offene Schulung", capacity=3)
    EnrollmentFactory(course=open_course, participant=member)
    full = course_on(25, title="B: Ausgebuchte Schulung", capacity=1)
    EnrollmentFactory(course=full, participant=colleague)
    EnrollmentFactory(course=full, participant=member, status=WAITLISTED, waitlist_position=1)
    course_on(-20, title="Vergangene Schulung")
    course_on(30, title="Entwurf einer Schulung", status=CourseStatus.DRAFT)
    course_on(30, title="Abgesagte Schulung", status=CourseStatus.CANCELLED)
    cancelled_mine = course_on(35, title="C: Storniert", capacity=5)
    EnrollmentFactory(course=cancelled_mine, participant=member, status=CANCELLED, confirmed_at=None)

    response = client_for(member).get(CATALOGUE)

    assert response.status_code == 200
    assert course_titles(response) == ["A: Offene Schulung", "B: Ausgebuchte Schulung", "C: Storniert"]
    text = page_text(response)
    assert "3 Schulungen gefunden" in text
    cards = text.split("Präsenz ")
    open_card = next(card for card in cards if card.startswith("A: Offene Schulung"))
    assert "2 Plätze frei" in open_card and "Angemeldet" in open_card
    full_card = next(card for card in cards if card.startswith("B: Ausgebuchte Schulung"))
    assert "Ausgebucht – Warteliste" in full_card and "Warteliste, Platz 1" in full_card
    cancelled_card = next(card for card in cards if card.startswith("C: Storniert"))
    assert "5 Plätze frei" in cancelled_card and "Angemeldet" not in cancelled_card


def test_catalogue_shows_drafts_only_to_project_staff(client_for, project_staff, member, funder):
    course_on(30, title="Entwurf einer Schulung", status=CourseStatus.DRAFT)
    course_on(31, title="Veröffentlichte Schulung")

    staff_page = client_for(project_staff).get(CATALOGUE)
    assert course_titles(staff_page) == ["Entwurf einer Schulung", "Veröffentlichte Schulung"]
    assert "Entwurf" in page_text(staff_page)
    for user in (member, funder):
        assert course_titles(client_for(user).get(CATALOGUE)) == ["Veröffentlichte Schulung"]


def test_authority_staff_see_only_courses_open_to_their_state(client_for, member, outsider, funder):
    rp = course_on(30, title="Nur Rheinland-Pfalz", open_to=OpenTo.RP)
    ni = course_on(31, title="Nur Niedersachsen", open_to=OpenTo.NI)
    course_on(32, title="Beide Länder", open_to=OpenTo.BOTH)

    assert course_titles(client_for(member).get(CATALOGUE)) == ["Nur Rheinland-Pfalz", "Beide Länder"]
    assert course_titles(client_for(outsider).get(CATALOGUE)) == ["Nur Niedersachsen", "Beide Länder"]
    assert len(course_titles(client_for(funder).get(CATALOGUE))) == 3
    # The course page and enrollment of a course for the other state do not exist for them.
    assert client_for(member).get(url("detail", ni.pk)).status_code == 404
    assert client_for(outsider).get(url("detail", rp.pk)).status_code == 404
    assert client_for(outsider).post(url("enroll", rp.pk)).status_code == 404
    assert not Enrollment.objects.exists()


@pytest.fixture
def assorted(db, member):
    """Three upcoming courses that differ in topic, state, format, month and free seats."""
    law = TopicFactory(name="Aufenthaltsrecht")
    culture = TopicFactory(name="Interkulturelle Kompetenz")
    full = course_on(30, title="Präsenz in Rheinland-Pfalz", topic=law, open_to=OpenTo.RP, capacity=1)
    EnrollmentFactory(course=full, participant=UserFactory(authority=member.authority))
    course_on(
        75,
        title="Online in Niedersachsen",
        topic=culture,
        open_to=OpenTo.NI,
        format=CourseFormat.ONLINE,
        location="",
        online_link="https://video.example.org/raum",
    )
    course_on(
        32,
        title="Hybrid für beide",
        topic=law,
        open_to=OpenTo.BOTH,
        format=CourseFormat.HYBRID,
        online_link="https://video.example.org/raum",
    )
    return {"law": law, "culture": culture}


def _month(days) -> str:
    return f"{in_days(days):%Y-%m}"


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, ["Präsenz in Rheinland-Pfalz", "Hybrid für beide", "Online in Niedersachsen"]),
        ({"topic": "culture"}, ["Online in Niedersachsen"]),
        ({"topic": "law"}, ["Präsenz in Rheinland-Pfalz", "Hybrid für beide"]),
        ({"state": "RP"}, ["Präsenz in Rheinland-Pfalz", "Hybrid für beide"]),
        ({"state": "NI"}, ["Hybrid für beide", "Online in Niedersachsen"]),
        ({"format": "online"}, ["Online in Niedersachsen"]),
        ({"format": "in_person"}, ["Präsenz in Rheinland-Pfalz"]),
        ({"month": 75}, ["Online in Niedersachsen"]),
        ({"free_seats": "on"}, ["Hybrid für beide", "Online in Niedersachsen"]),
        ({"state": "RP", "free_seats": "on", "topic": "law"}, ["Hybrid für beide"]),
        # Values that are not on offer are ignored, not an error.
        (
            {"state": "BY", "month": "kaputt"},
            ["Präsenz in Rheinland-Pfalz", "Hybrid für beide", "Online in Niedersachsen"],
        ),
    ],
)
def test_catalogue_filters(client_for, funder, assorted, params, expected):
    query = dict(params)
    if "topic" in query:
        query["topic"] = assorted[query["topic"]].pk
    if isinstance(query.get("month"), int):
        query["month"] = _month(query["month"])

    response = client_for(funder).get(CATALOGUE, query)

    assert response.status_code == 200
    assert course_titles(response) == expected
    assert f"{len(expected)} Schulung" in page_text(response)


def test_catalogue_month_filter_counts_a_course_with_several_dates_in_the_month_once(client_for, funder):
    course = course_on(40, title="Zweitägig")
    CourseDateFactory(course=course, starts_at=in_days(41), ends_at=in_days(41, hour=16))
    month = f"{in_days(40):%Y-%m}"
    assert course_titles(client_for(funder).get(CATALOGUE, {"month": month})).count("Zweitägig") == 1


def test_catalogue_says_so_when_no_course_matches(client_for, member, course):
    response = client_for(member).get(CATALOGUE, {"format": "online"})
    assert course_titles(response) == []
    assert "Keine Schulung passt zu den gewählten Filtern." in page_text(response)


# --- enrollment through the course page --------------------------------------------------------------


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
    assert f"{sentence} {timezone.localtime(moment):%d.%m.%Y}, 10:00 h." in text
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


def test_coordinator_may_not_confirm_requests_of_their_own_authority(
    client_for, coordinator, colleague, course
):
    enrollment = EnrollmentFactory(course=course, participant=colleague, status=REQUESTED, confirmed_at=None)
    assert client_for(coordinator).post(url("enrollment_confirm", enrollment.pk)).status_code == 403
    enrollment.refresh_from_db()
    assert enrollment.status == REQUESTED


def test_project_staff_confirm_a_request_from_the_participant_list(
    client_for, project_staff, member, django_capture_on_commit_callbacks, mailoutbox
):
    course = course_on(30, title="Auf Anfrage", enrollment_mode=EnrollmentMode.REQUEST)
    enrollment = EnrollmentFactory(course=course, participant=member, status=REQUESTED, confirmed_at=None)
    client = client_for(project_staff)
    assert f"{member} bestätigen" in page_text(client.get(url("participants", course.pk)))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("enrollment_confirm", enrollment.pk), follow=True)

    assert response.redirect_chain == [(url("participants", course.pk), 302)]
    assert messages_of(response) == [f"Die Anmeldung von {member} ist bestätigt."]
    enrollment.refresh_from_db()
    assert enrollment.status == CONFIRMED
    assert [mail.to for mail in mailoutbox] == [[member.email]]

    again = client.post(url("enrollment_confirm", enrollment.pk), follow=True)
    assert messages_of(again) == ["Nur offene Anfragen können bestätigt werden."]


def test_coordinator_sees_only_their_own_authoritys_participants(
    client_for, coordinator, colleague, hannover_member, course
):
    EnrollmentFactory(course=course, participant=colleague)
    EnrollmentFactory(course=course, participant=hannover_member)
    client = client_for(coordinator)

    participants = page_text(client.get(url("participants", course.pk)))
    detail = page_text(client.get(url("detail", course.pk)))

    assert str(colleague) in participants and str(colleague) in detail
    assert str(hannover_member) not in participants and str(hannover_member) not in detail
    assert "CSV herunterladen" not in participants and "Anwesenheit" not in participants
    assert client.get(url("participants_csv", course.pk)).status_code == 403


def test_funders_see_no_participant_names(client_for, funder, member, hannover_member, course):
    EnrollmentFactory(course=course, participant=member)
    EnrollmentFactory(course=course, participant=hannover_member, status=WAITLISTED, waitlist_position=1)
    client = client_for(funder)
    # Everyone is called Erika in the factories, the funder too; the last names and addresses are unique.
    names = [member.last_name, member.email, hannover_member.last_name, hannover_member.email]

    for page in (CATALOGUE, url("detail", course.pk)):
        response = client.get(page)
        assert response.status_code == 200
        html = response.content.decode()
        assert not [name for name in names if name in html], page
    for view in ("participants", "participants_csv", "feedback_results"):
        assert client.get(url(view, course.pk)).status_code == 403, view
    assert client.get(url("attendance", course.pk, course.dates.get().pk)).status_code == 403


@pytest.mark.parametrize("who", ["member", "coordinator", "funder"])
def test_only_project_staff_manage_courses(client_for, request, who, course):
    client = client_for(request.getfixturevalue(who))
    date = course.dates.get()
    for method, path in [
        ("get", CREATE),
        ("post", CREATE),
        ("get", url("edit", course.pk)),
        ("post", url("edit", course.pk)),
        ("post", url("publish", course.pk)),
        ("post", url("duplicate", course.pk)),
        ("get", url("cancel", course.pk)),
        ("post", url("cancel", course.pk)),
        ("get", url("participants_csv", course.pk)),
        ("get", url("attendance", course.pk, date.pk)),
        ("post", url("attendance", course.pk, date.pk)),
        ("get", url("feedback_results", course.pk)),
    ]:
        assert getattr(client, method)(path).status_code == 403, f"{method} {path}"
    assert Course.objects.count() == 1
    course.refresh_from_db()
    assert course.status == CourseStatus.PUBLISHED


def test_member_has_no_participant_list(client_for, member, course):
    assert client_for(member).get(url("participants", course.pk)).status_code == 403


def test_authority_staff_get_404_for_drafts(client_for, member, coordinator):
    draft = course_on(30, title="Entwurf", status=CourseStatus.DRAFT)
    assert client_for(member).get(url("detail", draft.pk)).status_code == 404
    assert client_for(coordinator).get(url("participants", draft.pk)).status_code == 404
    assert client_for(member).post(url("enroll", draft.pk)).status_code == 404


# --- project staff: the course form --------------------------------------------------------------------


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


def course_form(topic, dates=(), initial_dates=0, **overrides) -> dict:
    """POST data of the course form with its dates formset (prefix `termine`, three rows by default)."""
    data = {
        "title": "Fachkräfteeinwanderung für Einsteiger",
        "topic": topic.pk,
        "description": "Das beschleunigte Fachkräfteverfahren Schritt für Schritt.",
        "contents": "§ 81a AufenthG\nVorabzustimmung",
        "target_group": "Sachbearbeitung",
        "format": CourseFormat.IN_PERSON,
        "location": "Mainz, Landesverwaltung",
        "online_link": "",
        "trainers": "Dr. Jana Albrecht",
        "capacity": "16",
        "seats_per_authority": "",
        "open_to": OpenTo.BOTH,
        "registration_opens": "",
        "registration_closes": "",
        "enrollment_mode": EnrollmentMode.DIRECT,
        "termine-TOTAL_FORMS": str(max(3, len(dates))),
        "termine-INITIAL_FORMS": str(initial_dates),
        "termine-MIN_NUM_FORMS": "1",
        "termine-MAX_NUM_FORMS": "20",
    }
    for index, row in enumerate(dates):
        for key, value in row.items():
            data[f"termine-{index}-{key}"] = value
    return {**data, **overrides}


def a_date(days, room="Raum 2.01", **extra) -> dict:
    return {
        "starts_at": _local(in_days(days)),
        "ends_at": _local(in_days(days, hour=16)),
        "room": room,
        **extra,
    }


@pytest.fixture
def topic(db):
    return TopicFactory(name="Fachkräfteeinwanderung")


def test_project_staff_create_a_course_with_dates(client_for, project_staff, topic):
    data = course_form(topic, dates=[a_date(40), a_date(41, room="")])

    response = client_for(project_staff).post(CREATE, data, follow=True)

    course = Course.objects.get()
    assert response.redirect_chain == [(url("detail", course.pk), 302)]
    assert messages_of(response) == ["Die Schulung wurde als Entwurf angelegt."]
    assert (course.status, course.created_by, course.capacity, course.topic) == (
        CourseStatus.DRAFT,
        project_staff,
        16,
        topic,
    )
    starts = [timezone.localtime(d.starts_at) for d in course.dates.all()]
    assert starts == [in_days(40), in_days(41)]
    assert starts[0].tzinfo is not None and str(starts[0].tzinfo) == "Europe/Berlin"
    assert [d.room for d in course.dates.all()] == ["Raum 2.01", ""]
    assert "Veröffentlichen" in page_text(response)


def test_course_form_page_renders_for_project_staff(client_for, project_staff, course):
    client = client_for(project_staff)
    create = client.get(CREATE).content.decode()
    # German throughout, also the blank choice of the selects (Django's own is not translated yet).
    assert "Select an option" not in create
    assert create.count('<option value="" selected>Bitte wählen</option>') == 2
    html = client.get(url("edit", course.pk)).content.decode()
    assert f'name="termine-0-pk" value="{course.dates.get().pk}"' in html
    assert f'value="{_local(course.dates.get().starts_at)}"' in html
    # Every date row has its own box to remove it, as the hint on the page says.
    assert "„Löschen“ ankreuzen" in html
    for row in range(3):
        assert re.search(rf'<input type="checkbox" name="termine-{row}-DELETE"[^>]*>', html)
        assert f'<label class="kern-label" for="id_termine-{row}-DELETE">Löschen' in html


@pytest.mark.parametrize(
    "change, field_id, error",
    [
        (
            {"dates": [{**a_date(40), "ends_at": _local(in_days(40, hour=8))}]},
            "id_termine-0-ends_at",
            "Das Ende muss nach dem Beginn liegen.",
        ),
        ({"dates": []}, "id_termine-0-starts_at", "Dieses Feld ist zwingend erforderlich."),
        (
            {"dates": [{"starts_at": _local(in_days(40)), "ends_at": ""}]},
            "id_termine-0-ends_at",
            "Dieses Feld ist zwingend erforderlich.",
        ),
        ({"location": ""}, "id_location", "Bitte geben Sie den Ort an."),
        ({"format": CourseFormat.HYBRID, "location": ""}, "id_location", "Bitte geben Sie den Ort an."),
        (
            {"format": CourseFormat.ONLINE, "location": ""},
            "id_online_link",
            "Bitte geben Sie den Link zur Online-Veranstaltung an.",
        ),
        (
            {"registration_opens": _local(in_days(10)), "registration_closes": _local(in_days(5))},
            "id_registration_closes",
            "Der Anmeldeschluss muss nach dem Anmeldebeginn liegen.",
        ),
        ({"capacity": "0"}, "id_capacity", "Dieser Wert muss größer oder gleich 1 sein."),
        ({"title": ""}, "id_title", "Dieses Feld ist zwingend erforderlich."),
    ],
    ids=[
        "end-before-start",
        "no-date",
        "no-end",
        "no-location",
        "hybrid-no-location",
        "online-no-link",
        "closes-before-opens",
        "no-seats",
        "no-title",
    ],
)
def test_invalid_course_input_is_shown_next_to_the_field_and_nothing_is_saved(
    client_for, project_staff, topic, change, field_id, error
):
    change = dict(change)
    data = course_form(topic, dates=change.pop("dates", [a_date(40)]), **change)

    response = client_for(project_staff).post(CREATE, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert field_error(html, field_id) == error
    assert "Bitte korrigieren Sie" in html
    # What was typed stays in the form.
    assert 'value="Fachkräfteeinwanderung für Einsteiger"' in html or not data["title"]
    assert not Course.objects.exists() and not CourseDate.objects.exists()


def test_edit_keeps_the_dates_and_their_attendance(client_for, project_staff, member, topic):
    course = course_on(-1, title="Gestern", topic=topic)
    date = course.dates.get()
    enrollment = EnrollmentFactory(course=course, participant=member)
    Attendance.objects.create(enrollment=enrollment, course_date=date, present=True)
    data = course_form(
        topic,
        dates=[
            {
                "pk": date.pk,
                "starts_at": _local(date.starts_at),
                "ends_at": _local(date.ends_at),
                "room": "Aula",
            },
            a_date(1, room="Raum 3"),
        ],
        initial_dates=1,
        title="Gestern und morgen",
    )

    response = client_for(project_staff).post(url("edit", course.pk), data, follow=True)

    assert messages_of(response) == ["Die Schulung wurde gespeichert."]
    course.refresh_from_db()
    assert course.title == "Gestern und morgen"
    dates = list(course.dates.all())
    assert dates[0].pk == date.pk and dates[0].room == "Aula"
    assert len(dates) == 2 and dates[1].room == "Raum 3"
    assert Attendance.objects.get(enrollment=enrollment).course_date_id == date.pk


def test_edit_removes_a_date_marked_for_deletion(client_for, project_staff, topic):
    course = course_on(30, title="Zwei Tage", topic=topic)
    first = course.dates.get()
    second = CourseDateFactory(course=course, starts_at=in_days(31), ends_at=in_days(31, hour=16))
    rows = [
        {"pk": d.pk, "starts_at": _local(d.starts_at), "ends_at": _local(d.ends_at), "room": d.room}
        for d in (first, second)
    ]
    rows[1]["DELETE"] = "on"

    client_for(project_staff).post(url("edit", course.pk), course_form(topic, dates=rows, initial_dates=2))

    assert list(course.dates.values_list("pk", flat=True)) == [first.pk]


def test_edit_cannot_take_over_another_courses_date(client_for, project_staff, topic):
    course = course_on(30, title="Meine", topic=topic)
    other = course_on(50, title="Fremde", topic=topic)
    foreign = other.dates.get()
    row = {**a_date(33), "pk": foreign.pk}

    client_for(project_staff).post(url("edit", course.pk), course_form(topic, dates=[row], initial_dates=1))

    foreign.refresh_from_db()
    assert foreign.course == other and timezone.localtime(foreign.starts_at) == in_days(50)
    assert [timezone.localtime(d.starts_at) for d in course.dates.all()] == [in_days(33)]


def test_invalid_edit_changes_nothing(client_for, project_staff, topic):
    course = course_on(30, title="Unverändert", topic=topic)
    date = course.dates.get()
    bad = {"pk": date.pk, "starts_at": _local(date.starts_at), "ends_at": _local(date.starts_at)}

    response = client_for(project_staff).post(
        url("edit", course.pk), course_form(topic, dates=[bad], initial_dates=1)
    )

    assert (
        field_error(response.content.decode(), "id_termine-0-ends_at")
        == "Das Ende muss nach dem Beginn liegen."
    )
    course.refresh_from_db()
    date.refresh_from_db()
    assert course.title == "Unverändert" and date.ends_at > date.starts_at


def test_removing_every_date_is_refused(client_for, project_staff, topic):
    course = course_on(30, title="Ein Termin", topic=topic)
    date = course.dates.get()
    row = {
        "pk": date.pk,
        "starts_at": _local(date.starts_at),
        "ends_at": _local(date.ends_at),
        "DELETE": "on",
    }

    response = client_for(project_staff).post(
        url("edit", course.pk), course_form(topic, dates=[row], initial_dates=1)
    )

    assert response.status_code == 200
    assert field_error(response.content.decode(), "termine") == "Bitte geben Sie mindestens einen Termin an."
    assert list(course.dates.all()) == [date]


def test_raising_the_capacity_in_the_form_moves_the_waiting_list(client_for, project_staff, member, topic):
    course = course_on(30, title="Voll", topic=topic, capacity=1)
    EnrollmentFactory(course=course)
    waiting = EnrollmentFactory(course=course, participant=member, status=WAITLISTED, waitlist_position=1)
    date = course.dates.get()
    row = {"pk": date.pk, "starts_at": _local(date.starts_at), "ends_at": _local(date.ends_at)}

    client_for(project_staff).post(
        url("edit", course.pk), course_form(topic, dates=[row], initial_dates=1, capacity="2")
    )

    waiting.refresh_from_db()
    assert (waiting.status, waiting.waitlist_position) == (CONFIRMED, None)


def test_project_staff_publish_a_draft(client_for, project_staff, member):
    draft = course_on(30, title="Entwurf", status=CourseStatus.DRAFT)
    response = client_for(project_staff).post(url("publish", draft.pk), follow=True)
    assert messages_of(response) == ["Die Schulung ist veröffentlicht."]
    draft.refresh_from_db()
    assert draft.status == CourseStatus.PUBLISHED
    assert course_titles(client_for(member).get(CATALOGUE)) == ["Entwurf"]


def test_a_draft_without_dates_cannot_be_published(client_for, project_staff):
    draft = CourseFactory(status=CourseStatus.DRAFT, dates=None)
    response = client_for(project_staff).post(url("publish", draft.pk), follow=True)
    assert messages_of(response) == ["Eine Schulung ohne Termin kann nicht veröffentlicht werden."]
    draft.refresh_from_db()
    assert draft.status == CourseStatus.DRAFT


def test_project_staff_duplicate_a_course(client_for, project_staff, member, course):
    EnrollmentFactory(course=course, participant=member)
    response = client_for(project_staff).post(url("duplicate", course.pk), follow=True)

    copy = Course.objects.exclude(pk=course.pk).get()
    assert response.redirect_chain == [(url("edit", copy.pk), 302)]
    assert messages_of(response) == ["Die Kopie wurde als Entwurf angelegt. Bitte passen Sie die Termine an."]
    assert (copy.title, copy.status, copy.created_by) == (
        "Aufenthaltsrecht kompakt (Kopie)",
        CourseStatus.DRAFT,
        project_staff,
    )
    assert [d.starts_at for d in copy.dates.all()] == [d.starts_at for d in course.dates.all()]
    assert not copy.dates.filter(pk__in=course.dates.values("pk")).exists()
    assert not copy.enrollments.exists()


def test_project_staff_cancel_a_course_and_everyone_enrolled_gets_a_mail(
    client_for,
    project_staff,
    member,
    colleague,
    hannover_member,
    course,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    EnrollmentFactory(course=course, participant=member)
    EnrollmentFactory(course=course, participant=colleague, status=WAITLISTED, waitlist_position=1)
    EnrollmentFactory(course=course, participant=hannover_member, status=CANCELLED, confirmed_at=None)
    client = client_for(project_staff)
    assert "Die Absage lässt sich nicht rückgängig machen." in page_text(client.get(url("cancel", course.pk)))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("cancel", course.pk), {"reason": "Die Trainerin ist erkrankt."}, follow=True
        )

    assert messages_of(response) == [
        "Die Schulung wurde abgesagt; alle Angemeldeten werden per E-Mail informiert."
    ]
    assert "Diese Schulung wurde abgesagt." in page_text(response)
    course.refresh_from_db()
    assert course.status == CourseStatus.CANCELLED
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([member.email, colleague.email])
    assert all("Die Trainerin ist erkrankt." in mail.body for mail in mailoutbox)
    # The course page tells the participant; nobody can enroll any more.
    text = page_text(client_for(member).get(url("detail", course.pk)))
    assert "Diese Schulung wurde abgesagt." in text


def test_project_staff_extend_the_topic_list(client_for, project_staff, course):
    client = client_for(project_staff)
    page = page_text(client.get(url("topics")))
    assert "Aufenthaltsrecht (1 Schulung)" in page and "Führung im Wandel (0 Schulungen)" in page

    response = client.post(url("topics"), {"name": "  Datenschutz in der Ausländerbehörde "}, follow=True)

    assert messages_of(response) == ["Das Thema „Datenschutz in der Ausländerbehörde“ wurde hinzugefügt."]
    assert "Datenschutz in der Ausländerbehörde (0 Schulungen)" in page_text(response)
    assert ">Datenschutz in der Ausländerbehörde</option>" in client.get(CREATE).content.decode()

    again = client.post(url("topics"), {"name": "Aufenthaltsrecht"})
    assert field_error(again.content.decode(), "id_name") == "Dieses Thema gibt es bereits."
    empty = client.post(url("topics"), {"name": ""})
    assert field_error(empty.content.decode(), "id_name") == "Dieses Feld ist zwingend erforderlich."


@pytest.mark.parametrize("who", ["member", "coordinator", "funder"])
def test_only_project_staff_extend_the_topic_list(client_for, request, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(url("topics")).status_code == 403
    assert client.post(url("topics"), {"name": "Eigenes Thema"}).status_code == 403
    assert not Topic.objects.filter(name="Eigenes Thema").exists()


# --- participant list and CSV ---------------------------------------------------------------------------


def test_project_staff_see_the_participant_list_with_authority_and_status(
    client_for, project_staff, member, hannover_member, course
):
    EnrollmentFactory(course=course, participant=member)
    EnrollmentFactory(course=course, participant=hannover_member, status=WAITLISTED, waitlist_position=1)
    EnrollmentFactory(course=course, status=CANCELLED, confirmed_at=None, participant__last_name="Storniert")

    text = table_text(client_for(project_staff).get(url("participants", course.pk)))

    assert f"{member.get_full_name()} Stadt Mainz Angemeldet" in text
    assert f"{hannover_member.get_full_name()} Region Hannover Warteliste, Platz 1" in text
    assert "Storniert" not in text


def test_participants_csv_has_a_bom_and_semicolons(
    client_for, project_staff, member, hannover_member, course
):
    EnrollmentFactory(course=course, participant=member)
    EnrollmentFactory(course=course, participant=hannover_member, status=WAITLISTED, waitlist_position=1)

    response = client_for(project_staff).get(url("participants_csv", course.pk))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="teilnehmende-{course.pk}.csv"'
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeffName;")
    rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff")), delimiter=";"))
    assert rows == [
        ["Name", "E-Mail-Adresse", "Ausländerbehörde", "Status", "Platz auf der Warteliste"],
        [member.get_full_name(), member.email, "Stadt Mainz", "Bestätigt", ""],
        [hannover_member.get_full_name(), hannover_member.email, "Region Hannover", "Warteliste", "1"],
    ]


# --- attendance -------------------------------------------------------------------------------------------


def test_project_staff_mark_attendance(client_for, project_staff, member, colleague, hannover_member, course):
    date = course.dates.get()
    there = EnrollmentFactory(course=course, participant=member)
    away = EnrollmentFactory(course=course, participant=colleague)
    EnrollmentFactory(course=course, participant=hannover_member, status=WAITLISTED, waitlist_position=1)
    client = client_for(project_staff)
    path = url("attendance", course.pk, date.pk)

    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="{there.pk}"' in html and f'value="{away.pk}"' in html
    assert str(hannover_member) not in html, "only confirmed participants are on the list"

    response = client.post(path, {"present": [str(there.pk)]}, follow=True)

    assert messages_of(response) == ["Anwesenheit gespeichert: 1 anwesend."]
    assert response.redirect_chain == [(path, 302)]
    marks = dict(Attendance.objects.values_list("enrollment_id", "present"))
    assert marks == {there.pk: True, away.pk: False}
    html = response.content.decode()
    assert ticked(html, "present") == {str(there.pk)}

    # Marking again updates the same rows.
    client.post(path, {"present": [str(away.pk)]})
    assert dict(Attendance.objects.values_list("enrollment_id", "present")) == {
        there.pk: False,
        away.pk: True,
    }


def test_attendance_ignores_enrollments_of_other_courses(client_for, project_staff, member, course):
    other = course_on(40, title="Andere")
    foreign = EnrollmentFactory(course=other, participant=member)
    path = url("attendance", course.pk, course.dates.get().pk)

    client_for(project_staff).post(path, {"present": [str(foreign.pk)]})

    assert not Attendance.objects.filter(enrollment=foreign).exists()


def test_attendance_of_another_courses_date_is_404(client_for, project_staff, course):
    other = course_on(40, title="Andere")
    assert (
        client_for(project_staff).get(url("attendance", course.pk, other.dates.get().pk)).status_code == 404
    )


# --- feedback -----------------------------------------------------------------------------------------------


@pytest.fixture
def past_course(db):
    return course_on(-3, title="Vergangene Schulung", status=CourseStatus.COMPLETED)


def test_participant_who_attended_gives_feedback(client_for, member, past_course):
    enrollment = attended(past_course, member)
    client = client_for(member)
    assert "Rückmeldung geben" in page_text(client.get(MINE))
    page = client.get(url("feedback", enrollment.pk))
    assert "Wie war die Schulung „Vergangene Schulung“?" in page_text(page)

    response = client.post(
        url("feedback", enrollment.pk),
        {"usefulness": "4", "will_apply": "Die Checkliste", "comments": "Gern mehr Fälle."},
        follow=True,
    )

    assert response.redirect_chain == [(MINE, 302)]
    assert messages_of(response) == ["Vielen Dank für Ihre Rückmeldung."]
    feedback = Feedback.objects.get(enrollment=enrollment)
    assert (feedback.usefulness, feedback.will_apply, feedback.comments) == (
        4,
        "Die Checkliste",
        "Gern mehr Fälle.",
    )
    assert "Rückmeldung ändern" in page_text(response)

    # Changing it keeps one answer per enrollment; the form shows the earlier answer.
    assert ticked(client.get(url("feedback", enrollment.pk)).content.decode(), "usefulness") == {"4"}
    client.post(url("feedback", enrollment.pk), {"usefulness": "5"})
    assert Feedback.objects.get().usefulness == 5


@pytest.mark.parametrize("situation", ["absent", "not-marked", "waitlisted"])
def test_feedback_form_only_for_participants_who_attended(client_for, member, past_course, situation):
    if situation == "absent":
        enrollment = attended(past_course, member, present=False)
    elif situation == "not-marked":
        enrollment = EnrollmentFactory(course=past_course, participant=member)
    else:
        enrollment = EnrollmentFactory(
            course=past_course, participant=member, status=WAITLISTED, waitlist_position=1
        )
    client = client_for(member)

    assert "Rückmeldung geben" not in page_text(client.get(MINE))
    assert client.get(url("feedback", enrollment.pk)).status_code == 404
    assert client.post(url("feedback", enrollment.pk), {"usefulness": "5"}).status_code == 404
    assert not Feedback.objects.exists()


def test_feedback_needs_a_rating_from_1_to_5(client_for, member, past_course):
    enrollment = attended(past_course, member)
    client = client_for(member)
    response = client.post(url("feedback", enrollment.pk), {"usefulness": "9"})
    assert response.status_code == 200
    error = "Bitte eine gültige Auswahl treffen. 9 ist keine gültige Auswahl."
    assert field_error(response.content.decode(), "id_usefulness") == error
    missing = client.post(url("feedback", enrollment.pk), {"will_apply": "Alles"})
    assert field_error(missing.content.decode(), "id_usefulness") == "Dieses Feld ist zwingend erforderlich."
    assert "Alles</textarea>" in missing.content.decode()
    assert not Feedback.objects.exists()


def test_project_staff_see_aggregated_feedback(client_for, project_staff, past_course):
    for usefulness, will_apply in [(5, "Checklisten"), (4, ""), (2, "")]:
        enrollment = attended(past_course, UserFactory())
        Feedback.objects.create(enrollment=enrollment, usefulness=usefulness, will_apply=will_apply)
    attended(past_course, UserFactory())  # attended, no answer

    response = client_for(project_staff).get(url("feedback_results", past_course.pk))

    text = page_text(response)
    assert response.context["summary"] == {"count": 3, "useful": 2, "average": pytest.approx(11 / 3)}
    assert "3 Rückmeldungen" in text
    assert "2 halten die Schulung für nützlich für ihre Arbeit (4 oder 5)" in text
    assert "3,7 durchschnittliche Bewertung (1 bis 5)" in text
    assert "Anwenden: Checklisten" in text
    assert response.context["distribution"] == [(5, 1), (4, 1), (3, 0), (2, 1), (1, 0)]


def test_feedback_results_without_answers(client_for, project_staff, past_course):
    text = page_text(client_for(project_staff).get(url("feedback_results", past_course.pk)))
    assert "0 Rückmeldungen" in text and "– durchschnittliche Bewertung" in text


@pytest.mark.parametrize("who", ["member", "coordinator", "funder"])
def test_feedback_results_are_for_project_staff_only(client_for, request, who, past_course):
    assert (
        client_for(request.getfixturevalue(who)).get(url("feedback_results", past_course.pk)).status_code
        == 403
    )


# --- my trainings -------------------------------------------------------------------------------------------


def test_my_trainings_groups_upcoming_waiting_and_past(client_for, member, colleague, past_course):
    upcoming = course_on(10, title="Bald")
    EnrollmentFactory(course=upcoming, participant=member)
    requested = course_on(12, title="Angefragt", enrollment_mode=EnrollmentMode.REQUEST)
    EnrollmentFactory(course=requested, participant=member, status=REQUESTED, confirmed_at=None)
    full = course_on(20, title="Voll", capacity=1)
    EnrollmentFactory(course=full, participant=colleague)
    EnrollmentFactory(course=full, participant=member, status=WAITLISTED, waitlist_position=1)
    attended(past_course, member)
    dropped = course_on(15, title="Abgemeldet")
    EnrollmentFactory(course=dropped, participant=member, status=CANCELLED, confirmed_at=None)
    EnrollmentFactory(course=course_on(16, title="Nur die Kollegin"), participant=colleague)

    response = client_for(member).get(MINE)

    groups = {key: [e.course.title for e in response.context[key]] for key in ("upcoming", "waiting", "past")}
    assert groups == {"upcoming": ["Bald", "Angefragt"], "waiting": ["Voll"], "past": ["Vergangene Schulung"]}
    text = page_text(response)
    upcoming_part, rest = text.split("Auf der Warteliste", 1)
    waiting_part, past_part = rest.split("Besuchte Schulungen", 1)
    assert "Bald" in upcoming_part and "Angefragt" in upcoming_part
    assert "Voll" in waiting_part and "Warteliste, Platz 1" in waiting_part
    assert "Vergangene Schulung" in past_part and "Rückmeldung geben" in past_part
    assert "Abgemeldet" not in text and "Nur die Kollegin" not in text


def test_my_trainings_marks_a_cancelled_course(client_for, project_staff, member, course):
    EnrollmentFactory(course=course, participant=member)
    client_for(project_staff).post(url("cancel", course.pk), {"reason": ""})

    text = page_text(client_for(member).get(MINE))

    upcoming = text.split("Kommende Schulungen", 1)[1].split("Auf der Warteliste", 1)[0]
    assert "Aufenthaltsrecht kompakt" in upcoming and "Abgesagt" in upcoming
    assert "Angemeldet" not in text


def test_my_trainings_when_nothing_is_booked(client_for, member):
    text = page_text(client_for(member).get(MINE))
    assert "Sie sind für keine kommende Schulung angemeldet." in text
    assert "Sie stehen auf keiner Warteliste." in text


@pytest.mark.parametrize("who", ["project_staff", "funder"])
def test_my_trainings_sends_others_to_the_catalogue(client_for, request, who):
    response = client_for(request.getfixturevalue(who)).get(MINE)
    assert response.status_code == 302 and response["Location"] == CATALOGUE


# --- query counts -----------------------------------------------------------------------------------------


def _add_courses(n, member):
    for i in range(n):
        course = course_on(10 + i % 60, title=f"Schulung {i:03d}", capacity=3)
        EnrollmentFactory(course=course)
        if i % 2:
            EnrollmentFactory(course=course, participant=member)
        CourseDateFactory(
            course=course, starts_at=in_days(70 + i % 30), ends_at=in_days(70 + i % 30, hour=16)
        )


@pytest.mark.parametrize("who", ["member", "project_staff", "funder"])
@pytest.mark.parametrize(
    "params", [{}, {"free_seats": "on", "state": "RP", "format": "in_person"}, {"seite": "2"}]
)
def test_catalogue_runs_the_same_queries_for_5_and_50_courses(
    client_for, request, member, who, params, django_assert_max_num_queries
):
    client = client_for(request.getfixturevalue(who))
    _add_courses(5, member)
    with_5 = page_queries(client, CATALOGUE, params)
    _add_courses(45, member)

    with django_assert_max_num_queries(with_5):
        response = client.get(CATALOGUE, params)
    assert len(course_titles(response)) == 20


def _add_enrollments(course, n, authority):
    for i in range(n):
        participant = UserFactory(authority=authority)
        if i % 3 == 2:
            EnrollmentFactory(
                course=course, participant=participant, status=WAITLISTED, waitlist_position=i // 3 + 1
            )
        else:
            EnrollmentFactory(course=course, participant=participant)


@pytest.mark.parametrize("who", ["member", "coordinator", "project_staff", "funder"])
def test_course_detail_runs_the_same_queries_for_5_and_50_enrollments(
    client_for, request, mainz, who, django_assert_max_num_queries
):
    course = course_on(30, title="Groß", capacity=200)
    client = client_for(request.getfixturevalue(who))
    # Colleagues who could be enrolled make the coordinator's drop-down grow too.
    UserFactory.create_batch(3, authority=mainz)
    _add_enrollments(course, 5, mainz)
    with_5 = page_queries(client, url("detail", course.pk))
    UserFactory.create_batch(20, authority=mainz)
    _add_enrollments(course, 45, mainz)

    with django_assert_max_num_queries(with_5):
        client.get(url("detail", course.pk))


@pytest.mark.parametrize("who", ["coordinator", "project_staff"])
def test_participant_list_runs_the_same_queries_for_5_and_50_enrollments(
    client_for, request, mainz, hannover, who, django_assert_max_num_queries
):
    course = course_on(30, title="Groß", capacity=200, enrollment_mode=EnrollmentMode.REQUEST)
    CourseDateFactory(course=course, starts_at=in_days(31), ends_at=in_days(31, hour=16))
    client = client_for(request.getfixturevalue(who))
    _add_enrollments(course, 5, mainz)
    EnrollmentFactory(
        course=course, participant=UserFactory(authority=hannover), status=REQUESTED, confirmed_at=None
    )
    with_5 = page_queries(client, url("participants", course.pk))
    _add_enrollments(course, 45, mainz)
    for _ in range(5):
        EnrollmentFactory(
            course=course, participant=UserFactory(authority=hannover), status=REQUESTED, confirmed_at=None
        )

    with django_assert_max_num_queries(with_5):
        response = client.get(url("participants", course.pk))
    assert len(response.context["enrollments"]) == (50 if who == "coordinator" else 56)


def test_attendance_page_runs_the_same_queries_for_5_and_50_enrollments(
    client_for, project_staff, mainz, course, django_assert_max_num_queries
):
    course.capacity = 200
    course.save()
    path = url("attendance", course.pk, course.dates.get().pk)
    client = client_for(project_staff)
    _add_enrollments(course, 5, mainz)
    with_5 = page_queries(client, path)
    _add_enrollments(course, 45, mainz)

    with django_assert_max_num_queries(with_5):
        client.get(path)


def test_my_trainings_runs_the_same_queries_for_2_and_20_enrollments(
    client_for, member, django_assert_max_num_queries
):
    client = client_for(member)

    def book(n, start):
        for i in range(n):
            course = course_on(start + i if i % 2 else -start - i, title=f"Kurs {start + i}")
            attended(course, member)

    book(2, 1)
    with_2 = page_queries(client, MINE)
    book(18, 10)

    with django_assert_max_num_queries(with_2):
        client.get(MINE)
