import logging

from django.http import FileResponse, Http404
from django.utils.http import content_disposition_header

logger = logging.getLogger(__name__)


def as_download(response, filename: str, *, private: bool = True):
    """Headers of every file the portal hands out: saved, never rendered, and — for files whose access
    depends on the person — kept by no shared cache."""
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    if private:
        response["Cache-Control"] = "private, no-store"
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
