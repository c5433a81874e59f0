"""The worker renders the report PDF of a version and reports its progress on the way.

DESIGN: PDFs are rendered by the worker, never in a web request. The one convention of tasks and
services: services.version_request writes the row and queues this task; the task reloads the row
and calls documents.py (renderer and the version's writes), never services.
"""

import io

from celery import shared_task
from pypdf import PdfReader

from portal.reports.documents import render_report_pdf, version_fail, version_progress, version_store
from portal.reports.models import ReportVersion, VersionStatus


@shared_task
def render_version(version_id: int) -> None:
    version = ReportVersion.objects.select_related("period").filter(pk=version_id).first()
    if version is None or version.status == VersionStatus.DONE:
        return
    period = version.period

    def progress(percent: int, step: str) -> None:
        version_progress(version_id=version_id, percent=percent, step=step)

    progress(5, "start")
    try:
        content = render_report_pdf(
            date_from=period.starts_on,
            date_to=period.ends_on,
            state=version.state or None,
            period=period,
            progress=progress,
        )
        pages = len(PdfReader(io.BytesIO(content)).pages)
    except Exception as error:
        version_fail(version_id=version_id, error=f"{type(error).__name__}: {error}")
        raise
    version_store(version_id=version_id, content=content, pages=pages)
