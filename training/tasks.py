"""Stored PDFs: the requests that enqueue them and the worker tasks that render them.

DESIGN: PDFs are rendered by the worker, never in a web request. A request records who asked and
when; the page shows the file once it was rendered after the last request.
"""

from celery import shared_task
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from training import documents
from training.models import Certificate, Course, CourseDate, Enrollment, SignInSheet

# --- requests (in the web request: only database rows and a queued task) --------------------------


@transaction.atomic
def certificates_issue(*, course: Course, by) -> int:
    """A certificate for everyone who attended at least one date; returns how many are being made."""
    if not by.is_project_staff:
        raise PermissionDenied
    attended = Enrollment.objects.filter(course=course, attendances__present=True).distinct()
    # Attendance may have been corrected since the last issue: such certificates go.
    for certificate in Certificate.objects.filter(enrollment__course=course).exclude(enrollment__in=attended):
        _discard(certificate)
    now = timezone.now()
    count = 0
    for enrollment in attended:
        certificate, _created = Certificate.objects.update_or_create(
            enrollment=enrollment, defaults={"requested_at": now, "requested_by": by}
        )
        render_certificate.delay_on_commit(certificate.pk)
        count += 1
    return count


@transaction.atomic
def sign_in_sheet_request(*, course_date: CourseDate, by) -> SignInSheet:
    if not by.is_project_staff:
        raise PermissionDenied
    sheet, _created = SignInSheet.objects.update_or_create(
        course_date=course_date, defaults={"requested_at": timezone.now(), "requested_by": by}
    )
    render_sign_in_sheet.delay_on_commit(sheet.pk)
    return sheet


# --- tasks ----------------------------------------------------------------------------------------


@shared_task
def render_certificate(certificate_id: int) -> None:
    started = timezone.now()
    certificate = (
        Certificate.objects.select_related("enrollment__course__topic", "enrollment__participant__authority")
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None:
        return
    enrollment = certificate.enrollment
    if not enrollment.attendances.filter(present=True).exists():
        # Attendance was corrected after the request: nobody gets a certificate for a course they missed.
        _discard(certificate)
        return
    _name, _mimetype, content = documents.certificate_pdf(enrollment, lang=enrollment.participant.language)
    _store(certificate, content, started)


@shared_task
def render_sign_in_sheet(sheet_id: int) -> None:
    started = timezone.now()
    sheet = SignInSheet.objects.select_related("course_date__course").filter(pk=sheet_id).first()
    if sheet is None:
        return
    _name, _mimetype, content = documents.sign_in_sheet_pdf(sheet.course_date)
    _store(sheet, content, started)


def _store(document, content: bytes, started) -> None:
    """Save the new file first, then delete the old one, so a download never finds nothing."""
    storage = document.file.storage
    old = document.file.name
    new = storage.save(document.file.field.generate_filename(document, "document.pdf"), ContentFile(content))
    # The time rendering began: a request that came in meanwhile keeps the document "not ready".
    updated = type(document).objects.filter(pk=document.pk).update(file=new, generated_at=started)
    # Nothing updated: the row went away while rendering (a certificate withdrawn); keep no orphan file.
    for name in [old] if updated else [new]:
        if name:
            storage.delete(name)


def _discard(certificate: Certificate) -> None:
    if certificate.file:
        certificate.file.delete(save=False)
    certificate.delete()
