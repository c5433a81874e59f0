"""The library's computations: documents published and downloaded (the project's figures in every column)."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from network.models import Document, DocumentDownload
from portal.reports.computations.grouped import _dated_rows, _one
from portal.reports.computations.registry import Figure, computation

_PUBLISHED = _dated_rows(Document, "uploaded_at__date", "documents_published")
_DOWNLOADED = _dated_rows(DocumentDownload, "day", "documents_downloaded")


@computation("documents_published", _("Veröffentlichte Instrumente"), many=_PUBLISHED)
def documents_published(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Library documents uploaded in the period. The library serves both states, so `state` is
    ignored: the figure is the project's."""
    return _one(_PUBLISHED, date_from, date_to, state)


@computation("documents_downloaded", _("Downloads veröffentlichter Instrumente"), many=_DOWNLOADED)
def documents_downloaded(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Library downloads in the period: each person of an authority and document counts once a day
    (DocumentDownload), whenever the document was published; project staff and funders never count.
    `state` is ignored, as for documents_published."""
    return _one(_DOWNLOADED, date_from, date_to, state)
