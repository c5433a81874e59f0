import csv
import logging
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify

logger = logging.getLogger(__name__)

# A cell that starts with one of these is run as a formula by Excel and LibreOffice ("CSV injection",
# OWASP): `=HYPERLINK(…)` in a self-chosen name would arrive in project staff's spreadsheet as a link.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# German letters as German writes them without umlauts (slugify alone drops the dots: "qualitat").
GERMAN_LETTERS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
)


def transliterate(text: str) -> str:
    return text.translate(GERMAN_LETTERS)


def file_slug(text: str, *, max_length: int = 60) -> str:
    """The part of a download's name made from a title or a name: "Servicequalität in der ABH" becomes
    "servicequalitaet-in-der-abh" (every download name goes through here)."""
    return slugify(transliterate(text))[:max_length].strip("-")


def as_download(response, filename: str, *, private: bool = True):
    """Headers of every file the portal hands out: saved, never rendered, and — for files whose access
    depends on the person — kept by no shared cache."""
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    if private:
        response["Cache-Control"] = "private, no-store"
    return response


def csv_cell(value) -> str | int | float | Decimal:
    """One value as a CSV cell: numbers stay numbers, everything else is text that no spreadsheet runs."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%d.%m.%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    text = str(value)
    # The apostrophe keeps the cell text; spreadsheets do not show it.
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_download(filename: str, rows: Iterable[Iterable]) -> HttpResponse:
    """Every CSV export of the portal: semicolons and UTF-8 with a byte-order mark, so that German
    Excel opens the file without an import dialogue, and every cell through `csv_cell`."""
    response = as_download(HttpResponse(content_type="text/csv; charset=utf-8"), filename)
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return response


def stored_file_download(file, filename: str, content_type: str):
    """A file kept in the media storage as a download; 404 (and a log line for the operators) when the
    storage no longer has it, e.g. after a database was restored without its files."""
    try:
        content = file.open("rb")
    except (ValueError, FileNotFoundError) as error:  # ValueError: the field holds no file
        logger.error("stored file missing: %s (%s)", file.name, error)
        raise Http404 from error
    return as_download(FileResponse(content, content_type=content_type), filename)
