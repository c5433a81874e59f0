"""Renderers of the training app's downloads: certificate and sign-in sheet (PDF), participant list (XLSX).

Each renderer returns `(filename, mimetype, content)` and renders in the language it is given.
PDFs come from templates under templates/pdf/ and are made by the worker (training/tasks.py), never
in a web request; portal/pdf.py renders them (and imports WeasyPrint once, when the worker starts).
"""

import logging

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from portal import xlsx
from portal.downloads import file_slug
from portal.pdf import (
    PDF,
    StaticFilesOnly,  # noqa: F401  (named here for the training tests)
    render_pdf,
)
from training.models import Course, CourseDate, Enrollment, EnrollmentStatus

logger = logging.getLogger(__name__)


# --- PDF (the shared part, fetcher and rendering, is in portal/pdf.py) -----------------------------


def _hours(dates) -> str:
    total = sum(d.hours for d in dates)
    # 7.5 -> "7,5", 8.0 -> "8": the German way without trailing zeros.
    return f"{total:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def _place_of_issue() -> str:
    # The last line of the operator's address is "55116 Mainz"; the certificate names the town.
    last_line = settings.PORTAL_OPERATOR["address"].strip().splitlines()[-1]
    parts = last_line.split(maxsplit=1)
    return parts[1] if len(parts) == 2 and parts[0].isdigit() else last_line


def attended_dates(enrollment: Enrollment) -> list[CourseDate]:
    return list(
        CourseDate.objects.filter(attendances__enrollment=enrollment, attendances__present=True).order_by(
            "starts_at"
        )
    )


def certificate_pdf(enrollment: Enrollment, *, lang: str = "de") -> tuple[str, str, bytes]:
    """The Teilnahmebescheinigung; the caller makes sure the person attended at least one date."""
    course = enrollment.course
    participant = enrollment.participant
    with translation.override(lang):
        dates = attended_dates(enrollment)
        context = {
            "course": course,
            "participant": participant,
            "authority": participant.authority,
            "dates": dates,
            "hours": _hours(dates),
            "topics": [line.strip(" -•\t") for line in course.contents.splitlines() if line.strip(" -•\t")],
            "place": _place_of_issue(),
            "issued_on": timezone.localdate(),
            "operator": settings.PORTAL_OPERATOR,
        }
        content = render_pdf("pdf/certificate.html", context)
        filename = certificate_filename(enrollment)
    return filename, PDF, content


def certificate_filename(enrollment: Enrollment) -> str:
    participant = enrollment.participant
    name = file_slug(
        f"{participant.last_name} {participant.first_name} {enrollment.course.title}", max_length=80
    )
    return _("teilnahmebescheinigung-%(name)s.pdf") % {"name": name or enrollment.pk}


def sign_in_sheet_pdf(course_date: CourseDate, *, lang: str = "de") -> tuple[str, str, bytes]:
    """The Unterschriftenliste of one date: every confirmed participant with an empty signature field."""
    course = course_date.course
    with translation.override(lang):
        enrollments = (
            Enrollment.objects.filter(course=course, status=EnrollmentStatus.CONFIRMED)
            .select_related("participant", "participant__authority")
            .order_by("participant__last_name", "participant__first_name", "pk")
        )
        context = {"course": course, "course_date": course_date, "enrollments": enrollments}
        content = render_pdf("pdf/sign_in_sheet.html", context)
        filename = sign_in_sheet_filename(course_date)
    return filename, PDF, content


def sign_in_sheet_filename(course_date: CourseDate) -> str:
    return _("unterschriftenliste-%(title)s-%(date)s.pdf") % {
        "title": file_slug(course_date.course.title),
        "date": f"{timezone.localtime(course_date.starts_at):%Y-%m-%d}",
    }


# --- XLSX -----------------------------------------------------------------------------------------


def participants_xlsx(course: Course, *, lang: str = "de") -> tuple[str, str, bytes]:
    with translation.override(lang):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Teilnehmende"))
        header = [
            _("Name"),
            _("E-Mail-Adresse"),
            _("Ausländerbehörde"),
            _("Land"),
            _("Status"),
            _("Platz auf der Warteliste"),
            _("angemeldet am"),
        ]
        # Widths must be set before the first row in write-only mode.
        for column, width in zip("ABCDEFG", (28, 34, 34, 18, 14, 12, 18), strict=True):
            sheet.column_dimensions[column].width = width
        xlsx.header(sheet, header)
        for enrollment in Enrollment.objects.filter(course=course).for_participant_list():
            participant, authority = enrollment.participant, enrollment.participant.authority
            enrolled_at = xlsx.date(
                sheet, timezone.localtime(enrollment.created_at).replace(tzinfo=None), "DD.MM.YYYY HH:MM"
            )
            sheet.append(
                [
                    xlsx.text(sheet, participant.get_full_name() or participant.email),
                    xlsx.text(sheet, participant.email),
                    xlsx.text(sheet, authority.name if authority else ""),
                    xlsx.text(sheet, authority.get_state_display() if authority else ""),
                    xlsx.text(sheet, enrollment.get_status_display()),
                    enrollment.waitlist_position,
                    enrolled_at,
                ]
            )
        filename = _("teilnehmende-%(title)s.xlsx") % {"title": file_slug(course.title) or course.pk}
    return filename, xlsx.XLSX, xlsx.to_bytes(workbook)
