"""The training's documents: certificates for those who attended, sign-in sheets, the documents page
and the participant list as XLSX (PDFs rendered from templates, never fetching anything but static files)."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from portal import xlsx
from tests.factories import EnrollmentFactory, UserFactory
from tests.helpers import pdf_text
from tests.training.helpers import two_dates_in_2026
from training import documents
from training.models import (
    Attendance,
    Certificate,
    EnrollmentStatus,
    SignInSheet,
)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def course(db):
    return two_dates_in_2026()


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
    assert first[2:6] == ("Stadt Mainz", "Rheinland-Pfalz", "Angemeldet", None)
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
