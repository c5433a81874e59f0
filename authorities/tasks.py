"""The worker's part of the measure plan as a PDF: render it and keep the file. The request that
queues it is authorities.services.overview.measure_plan_request.

DESIGN: PDFs are rendered by the worker, never in a web request. A request records who asked and
when; the page shows the file once it was rendered after the last request.
"""

from celery import shared_task
from django.core.files.base import ContentFile
from django.utils import timezone

from authorities import documents
from authorities.models.overview import MeasurePlanDocument


@shared_task
def render_measure_plan(document_id: int) -> None:
    started = timezone.now()
    document = (
        MeasurePlanDocument.objects.select_related("process__authority", "process__coach")
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        return
    _name, _mimetype, content = documents.measure_plan_pdf(document.process)
    _store(document, content, started)


def _store(document: MeasurePlanDocument, content: bytes, started) -> None:
    """Save the new file first, then delete the old one, so a download never finds nothing."""
    storage = document.file.storage
    old = document.file.name
    new = storage.save(document.file.field.generate_filename(document, "document.pdf"), ContentFile(content))
    # The time rendering began: a request that came in meanwhile keeps the document "not ready".
    updated = MeasurePlanDocument.objects.filter(pk=document.pk).update(file=new, generated_at=started)
    # Nothing updated: the row went away while rendering (process deleted); keep no orphan file.
    for name in [old] if updated else [new]:
        if name:
            storage.delete(name)
