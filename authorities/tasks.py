"""The measure plan as a stored PDF: the request that enqueues it and the worker task that renders it.

DESIGN: PDFs are rendered by the worker, never in a web request. A request records who asked and
when; the page shows the file once it was rendered after the last request.
"""

from celery import shared_task
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from authorities import process_documents
from authorities.models import ChangeProcess, MeasurePlanDocument

# --- request (in the web request: only a database row and a queued task) -------------------------


@transaction.atomic
def measure_plan_request(*, process: ChangeProcess, by) -> MeasurePlanDocument:
    """Project staff and the authority's coordinator ask for the plan; it is made anew each time."""
    if not (by.is_project_staff or (by.is_coordinator and by.authority_id == process.authority_id)):
        raise PermissionDenied
    document, _created = MeasurePlanDocument.objects.update_or_create(
        process=process, defaults={"requested_at": timezone.now(), "requested_by": by}
    )
    render_measure_plan.delay_on_commit(document.pk)
    return document


# --- task -----------------------------------------------------------------------------------------


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
    _name, _mimetype, content = process_documents.measure_plan_pdf(document.process)
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
