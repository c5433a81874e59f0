"""The worker's tasks: render a requested PDF and store it (portal/rendered.py).

DESIGN: PDFs are rendered by the worker, never in a web request. The requests that queue these tasks
are services (training/services/documents.py); a task takes a primary key, reloads, renders with
training/documents.py and stores the file. It never imports the services.
"""

from celery import shared_task
from django.utils import timezone

from portal.rendered import discard_rendered, store_rendered
from training import documents
from training.models import Certificate, SignInSheet


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
        discard_rendered(certificate)
        return
    _name, _mimetype, content = documents.certificate_pdf(enrollment, lang=enrollment.participant.language)
    store_rendered(certificate, content, started)


@shared_task
def render_sign_in_sheet(sheet_id: int) -> None:
    started = timezone.now()
    sheet = SignInSheet.objects.select_related("course_date__course").filter(pk=sheet_id).first()
    if sheet is None:
        return
    _name, _mimetype, content = documents.sign_in_sheet_pdf(sheet.course_date)
    store_rendered(sheet, content, started)
