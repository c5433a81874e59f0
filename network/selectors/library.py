"""Reads of the library: the download total a document page shows, and the report figure."""

from dataclasses import dataclass
from datetime import date

from network.models.library import Document, DocumentDownload


def download_total(document: Document) -> int:
    """What the document page shows: the dated events and the undated total from before them."""
    return document.legacy_download_count + document.downloads.count()


# --- the report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LibraryFigures:
    published: int
    downloads: int


def documents_published_and_downloaded(
    *, date_from: date | None = None, date_to: date | None = None
) -> LibraryFigures:
    """Documents published in the period and downloads made in it (both days included).

    A download is a person of an authority and a document on one day (DocumentDownload), whenever the
    document was published; the undated totals from before those events (`legacy_download_count`)
    belong to no period. Without dates, everything counts.
    """
    documents = Document.objects.all()
    downloads = DocumentDownload.objects.all()
    if date_from:
        documents = documents.filter(uploaded_at__date__gte=date_from)
        downloads = downloads.filter(day__gte=date_from)
    if date_to:
        documents = documents.filter(uploaded_at__date__lte=date_to)
        downloads = downloads.filter(day__lte=date_to)
    return LibraryFigures(published=documents.count(), downloads=downloads.count())
