"""Downloads of the training app: calendar files and feed, certificates, sign-in sheets, XLSX export."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from portal import xlsx
from tests.factories import CourseDateFactory, CourseFactory, EnrollmentFactory, UserFactory
from tests.helpers import pdf_text
from training import documents, ics
from training.models import (
    Attendance,
    CalendarToken,
    Certificate,
    CourseStatus,
    EnrollmentStatus,
    OpenTo,
    SignInSheet,
)
from training.services import enrollments as services

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args):
    return dt.datetime(*args, tzinfo=BERLIN)


def unfold(text: str) -> list[str]:
    """The logical lines of an iCalendar text (RFC 5545, 3.1)."""
    assert text.endswith("\r\n")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def course(db):
    course = CourseFactory(
        title="Aufenthaltsrecht kompakt",
        trainers="Dr. Petra Schulz",
        contents="Aufenthaltstitel im Überblick\n- Beschäftigung und Zustimmung der BA",
        dates=None,
    )
    CourseDateFactory(course=course, starts_at=berlin(2026, 3, 10, 9), ends_at=berlin(2026, 3, 10, 16, 30))
    CourseDateFactory(course=course, starts_at=berlin(2026, 7, 14, 9), ends_at=berlin(2026, 7, 14, 12))
    return course


# --- iCalendar -----------------------------------------------------------------------------------


def test_course_calendar_has_every_date_with_stable_uids_in_utc(course, settings):
    settings.PORTAL_BASE_URL = "https://abh-portal.example.org"
    first, second = course.dates.order_by("starts_at")

    lines = unfold(ics.course_calendar(course))
    again = unfold(ics.course_calendar(course))

    uids = [line for line in lines if line.startswith("UID:")]
    assert uids == [
        f"UID:course-{course.pk}-date-{first.pk}@abh-portal.example.org",
        f"UID:course-{course.pk}-date-{second.pk}@abh-portal.example.org",
    ]
    assert uids == [line for line in again if line.startswith("UID:")]
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert lines.count("BEGIN:VEVENT") == 2
    # 09:00 in Berlin is 08:00 UTC in winter and 07:00 UTC in summer.
    assert "DTSTART:20260310T080000Z" in lines
    assert "DTEND:20260310T153000Z" in lines
    assert "DTSTART:20260714T070000Z" in lines
    assert f"URL:https://abh-portal.example.org/schulungen/{course.pk}/" in lines
    assert "SUMMARY:Aufenthaltsrecht kompakt (Termin 1 von 2)" in lines


def test_calendar_text_is_escaped_and_folded_at_75_octets(db):
    course = CourseFactory(
        title="Recht, Praxis; Teil \\ eins",
        description="Erste Zeile\nZweite Zeile mit Umlauten: " + "äöüß " * 40,
        location="Mainz, Rathaus",
        dates=None,
    )
    CourseDateFactory(course=course, room="Saal 3")

    text = ics.course_calendar(course)

    raw_lines = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in raw_lines)
    assert any(line.startswith(" ") for line in raw_lines), "the long description must be folded"
    text.encode("utf-8").decode("utf-8")  # every fold lies between characters
    lines = unfold(text)
    assert "SUMMARY:Recht\\, Praxis\\; Teil \\\\ eins" in lines
    assert "LOCATION:Mainz\\, Rathaus\\, Saal 3" in lines
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert description.startswith("DESCRIPTION:Erste Zeile\\nZweite Zeile mit Umlauten: äöüß äöüß")
    assert "\n" not in description


def test_course_ics_view_for_whoever_may_see_the_course(course, member, outsider, client_for):
    url = reverse("training:course_ics", args=[course.pk])
    response = client_for(member).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.decode().count("BEGIN:VEVENT") == 2

    course.open_to = OpenTo.RP
    course.save()
    assert client_for(outsider).get(url).status_code == 404  # an authority in Niedersachsen
    course.status = CourseStatus.DRAFT
    course.save()
    assert client_for(member).get(url).status_code == 404


def test_personal_feed_by_secret_token_without_login(course, member):
    EnrollmentFactory(course=course, participant=member)
    requested = EnrollmentFactory(participant=member, status=EnrollmentStatus.REQUESTED)
    waiting = EnrollmentFactory(participant=member, status=EnrollmentStatus.WAITLISTED, waitlist_position=1)
    token = CalendarToken.objects.create(user=member)

    response = Client().get(reverse("training:calendar_feed", args=[token.token]))

    assert response.status_code == 200
    text = response.content.decode()
    assert f"UID:course-{course.pk}-date-" in text
    assert text.count("BEGIN:VEVENT") == 3
    assert "STATUS:TENTATIVE" in text  # the request is not decided yet
    assert f"course-{requested.course_id}-" in text
    assert f"course-{waiting.course_id}-" not in text
    assert Client().get(reverse("training:calendar_feed", args=["falsches-token"])).status_code == 404


def test_rotating_the_feed_link_invalidates_the_old_one(member, client_for):
    client = client_for(member)
    url = reverse("training:calendar_settings")
    assert "Kalender-Link erstellen" in client.get(url).content.decode()

    client.post(url)
    old = CalendarToken.objects.get(user=member).token
    assert reverse("training:calendar_feed", args=[old]) in client.get(url).content.decode()
    client.post(url)
    new = CalendarToken.objects.get(user=member).token

    assert new != old
    assert Client().get(reverse("training:calendar_feed", args=[old])).status_code == 404
    assert Client().get(reverse("training:calendar_feed", args=[new])).status_code == 200


def test_calendar_settings_only_for_authority_staff(funder, client_for):
    assert client_for(funder).get(reverse("training:calendar_settings")).status_code == 403


def test_confirmation_mail_carries_the_course_calendar(
    course, member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.enrollment_create(course=course, participant=member, by=member)

    assert len(mailoutbox) == 1
    [(filename, content, mimetype)] = mailoutbox[0].attachments
    assert filename == "schulung-aufenthaltsrecht-kompakt.ics"
    assert mimetype == "text/calendar"
    assert content.count("BEGIN:VEVENT") == 2
    assert f"UID:course-{course.pk}-date-" in content


def test_waiting_list_mail_has_no_calendar(member, mailoutbox, django_capture_on_commit_callbacks):
    full = CourseFactory(capacity=1)
    EnrollmentFactory(course=full)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrollment_create(course=full, participant=member, by=member)
    assert mailoutbox[0].attachments == []


# --- PDFs: the URL fetcher -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/logo.png",
        "file:///etc/passwd",
        "http://127.0.0.1:8000/static/../../etc/passwd",
        "http://127.0.0.1:8000/static/..%2F..%2Fportal%2Fsettings.py",
        "http://127.0.0.1:8000/media/training/x.pdf",
    ],
)
def test_pdf_fetcher_refuses_everything_but_static_files(url, settings):
    settings.PORTAL_BASE_URL = "http://127.0.0.1:8000"
    with pytest.raises(ValueError):
        documents.StaticFilesOnly().fetch(url)


def test_pdf_fetcher_serves_the_portals_static_files(settings):
    settings.PORTAL_BASE_URL = "http://127.0.0.1:8000"
    response = documents.StaticFilesOnly().fetch("http://127.0.0.1:8000/static/css/portal.css")
    assert b".portal" in response.read()


# --- certificates -----------------------------------------------------------------------------


@pytest.fixture
def attended(course, member):
    """The member was there on the first date (7.5 hours) and missed the second."""
    enrollment = EnrollmentFactory(course=course, participant=member)
    first, second = course.dates.order_by("starts_at")
    Attendance.objects.create(enrollment=enrollment, course_date=first, present=True)
    Attendance.objects.create(enrollment=enrollment, course_date=second, present=False)
    return enrollment


@pytest.fixture
def absent(course, mainz):
    """A colleague who was enrolled and came to no date."""
    enrollment = EnrollmentFactory(course=course, participant=UserFactory(authority=mainz))
    for course_date in course.dates.all():
        Attendance.objects.create(enrollment=enrollment, course_date=course_date, present=False)
    return enrollment


def issue(client, course, capture):
    with capture(execute=True):
        return client.post(reverse("training:certificates_issue", args=[course.pk]))


def test_certificates_only_for_those_who_attended(
    course, attended, absent, project_staff, client_for, django_capture_on_commit_callbacks
):
    response = issue(client_for(project_staff), course, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    certificate = Certificate.objects.get()
    assert certificate.enrollment == attended
    assert certificate.ready
    assert certificate.requested_by == project_staff


def test_certificate_pdf_names_the_participant_the_course_and_the_hours(attended, member):
    member.first_name, member.last_name = "Jürgen", "Weiß"
    member.save()

    filename, mimetype, content = documents.certificate_pdf(attended)

    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF")
    assert filename.endswith(".pdf")
    text = pdf_text(content)
    assert "Teilnahmebescheinigung" in text
    assert "Jürgen Weiß" in text
    assert "Stadt Mainz" in text
    assert "Aufenthaltsrecht kompakt" in text
    assert "7,5 Stunden an 1 Termin" in text
    assert "Dienstag, 10. März 2026" in text
    assert "14. Juli" not in text  # the missed date
    assert "Dr. Petra Schulz" in text
    assert "Beschäftigung und Zustimmung der BA" in text
    reader = PdfReader(io.BytesIO(content))
    assert reader.metadata.title.startswith("Teilnahmebescheinigung für Jürgen Weiß")
    assert reader.trailer["/Root"]["/Lang"] == "de"
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]


def test_certificate_download_for_participant_coordinator_and_project_staff(
    course,
    attended,
    absent,
    member,
    coordinator,
    outsider,
    funder,
    project_staff,
    client_for,
    django_capture_on_commit_callbacks,
):
    issue(client_for(project_staff), course, django_capture_on_commit_callbacks)
    url = reverse("training:certificate", args=[attended.pk])

    for user in (member, coordinator, project_staff):
        response = client_for(user).get(url)
        assert response.status_code == 200, user
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith('attachment; filename="teilnahmebescheinigung-')
        assert response["X-Content-Type-Options"] == "nosniff"
        assert body(response).startswith(b"%PDF")
    # Another authority, the funder, and a colleague who sees only their own enrollments.
    for user in (outsider, funder, absent.participant):
        assert client_for(user).get(url).status_code == 404, user
    # The person who came to no date has no certificate, not even for project staff.
    absent_url = reverse("training:certificate", args=[absent.pk])
    assert client_for(absent.participant).get(absent_url).status_code == 404
    assert client_for(project_staff).get(absent_url).status_code == 404


def test_certificate_is_withdrawn_when_attendance_is_corrected(
    course, attended, project_staff, client_for, django_capture_on_commit_callbacks
):
    issue(client_for(project_staff), course, django_capture_on_commit_callbacks)
    attended.attendances.update(present=False)

    issue(client_for(project_staff), course, django_capture_on_commit_callbacks)

    assert not Certificate.objects.exists()
    url = reverse("training:certificate", args=[attended.pk])
    assert client_for(project_staff).get(url).status_code == 404


def test_certificate_being_made_shows_a_page_to_come_back(attended, member, project_staff, client_for):
    # Queued, but the worker has not run (no commit callbacks executed).
    Certificate.objects.create(enrollment=attended, requested_by=project_staff)
    response = client_for(member).get(reverse("training:certificate", args=[attended.pk]))
    assert response.status_code == 200
    assert "wird gerade erstellt" in response.content.decode()


def test_only_project_staff_issue_certificates(course, attended, coordinator, client_for):
    response = client_for(coordinator).post(reverse("training:certificates_issue", args=[course.pk]))
    assert response.status_code == 403
    assert not Certificate.objects.exists()


# --- sign-in sheets ---------------------------------------------------------------------------


def test_sign_in_sheet_lists_every_confirmed_participant(
    course, member, coordinator, outsider, project_staff, client_for, django_capture_on_commit_callbacks
):
    member.first_name, member.last_name = "Jürgen", "Weiß"
    member.save()
    EnrollmentFactory(course=course, participant=member)
    EnrollmentFactory(course=course, participant=outsider)
    EnrollmentFactory(
        course=course, participant=coordinator, status=EnrollmentStatus.WAITLISTED, waitlist_position=1
    )
    course_date = course.dates.order_by("starts_at").first()
    client = client_for(project_staff)
    pdf_url = reverse("training:sign_in_sheet", args=[course.pk, course_date.pk])
    assert client.get(pdf_url).status_code == 404  # nothing requested yet

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("training:sign_in_sheet_request", args=[course.pk, course_date.pk]))
    assert response.status_code == 302

    response = client.get(pdf_url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="unterschriftenliste-')
    content = body(response)
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "Unterschrift" in text
    assert "Weiß, Jürgen" in text
    assert "Stadt Mainz" in text
    assert f"{outsider.last_name}, {outsider.first_name}" in text
    assert "Region Hannover" in text
    assert coordinator.last_name not in text  # waiting list


def test_sign_in_sheet_being_made_and_only_for_project_staff(course, member, project_staff, client_for):
    course_date = course.dates.first()
    SignInSheet.objects.create(course_date=course_date, requested_by=project_staff)
    url = reverse("training:sign_in_sheet", args=[course.pk, course_date.pk])

    response = client_for(project_staff).get(url)
    assert response.status_code == 200
    assert "wird gerade erstellt" in response.content.decode()
    assert client_for(member).get(url).status_code == 403
    request_url = reverse("training:sign_in_sheet_request", args=[course.pk, course_date.pk])
    assert client_for(member).post(request_url).status_code == 403


def test_documents_page_for_project_staff(course, attended, project_staff, member, client_for):
    url = reverse("training:documents", args=[course.pk])
    response = client_for(project_staff).get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bescheinigungen ausstellen" in page
    assert member.last_name in page
    assert client_for(member).get(url).status_code == 403


# --- XLSX ---------------------------------------------------------------------------------------


def test_participant_list_as_xlsx(course, member, outsider, project_staff, coordinator, client_for):
    member.first_name = '=HYPERLINK("https://example.org")'
    member.save()
    EnrollmentFactory(course=course, participant=member)
    EnrollmentFactory(
        course=course, participant=outsider, status=EnrollmentStatus.WAITLISTED, waitlist_position=1
    )
    url = reverse("training:participants_xlsx", args=[course.pk])

    response = client_for(project_staff).get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == xlsx.XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="teilnehmende-')
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == (
        "Name",
        "E-Mail-Adresse",
        "Ausländerbehörde",
        "Land",
        "Status",
        "Platz auf der Warteliste",
        "angemeldet am",
    )
    assert len(rows) == 3
    by_email = {row[1]: row for row in rows[1:]}
    first = by_email[member.email]
    assert first[0] == f'=HYPERLINK("https://example.org") {member.last_name}'  # text, not a formula
    assert first[2:6] == ("Stadt Mainz", "Rheinland-Pfalz", "Bestätigt", None)
    assert isinstance(first[6], dt.datetime)
    assert by_email[outsider.email][2:6] == ("Region Hannover", "Niedersachsen", "Warteliste", 1)

    assert client_for(coordinator).get(url).status_code == 403


def test_xlsx_cell_with_formula_stays_text(course, member):
    member.last_name = "=1+1"
    member.save()
    EnrollmentFactory(course=course, participant=member)
    _name, _type, content = documents.participants_xlsx(course)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A2"].data_type == "s"
