"""The worker's part of the measure plan as a PDF: render it and keep the file. The request that
queues it is authorities.services.overview.measure_plan_request.

DESIGN: PDFs are rendered by the worker, never in a web request. A request records who asked and
when; the page shows the file once it was rendered after the last request (portal/rendered.py).
"""

from celery import shared_task
from django.utils import timezone

from authorities import documents
from authorities.models.overview import MeasurePlanDocument
from authorities.models.survey import SurveyPoster
from portal.rendered import store_rendered


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
    store_rendered(document, content, started)


@shared_task
def render_survey_poster(poster_id: int) -> None:
    started = timezone.now()
    poster = SurveyPoster.objects.select_related("wave__authority").filter(pk=poster_id).first()
    if poster is None:
        return
    _name, _mimetype, content = documents.survey_poster_pdf(poster.wave, poster.size)
    store_rendered(poster, content, started)
