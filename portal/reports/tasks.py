"""The worker renders the report PDF of a version and reports its progress on the way.

DESIGN: PDFs are rendered by the worker, never in a web request.
"""

import io

from celery import shared_task
from pypdf import PdfReader

from portal.reports import services
from portal.reports.documents import render_report_pdf
from portal.reports.models import ReportVersion, VersionStatus


@shared_task
def render_version(version_id: int) -> None:
    version = ReportVersion.objects.select_related("period").filter(pk=version_id).first()
    if version is None or version.status == VersionStatus.DONE:
        return
    period = version.period

    def progress(percent: int, step: str) -> None:
        services.version_progress(version_id=version_id, percent=percent, step=step)

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
        services.version_fail(version_id=version_id, error=f"{type(error).__name__}: {error}")
        raise
    services.version_store(version_id=version_id, content=content, pages=pages)
