"""What every PDF of the portal shares: the allow-list URL fetcher, the fonts and PDF/UA-1 rendering.

PDFs come from templates under templates/pdf/ (extending pdf/base.html) and are rendered by the
worker, never in a web request. WeasyPrint is imported here, at the top, so the worker pays for it
once at start.
"""

import functools
import io
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils import translation
from fontTools.ttLib import TTFont
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from portal.links import absolute_url

PDF = "application/pdf"


def _static_prefix() -> str:
    return urljoin(absolute_url("/"), settings.STATIC_URL)


class StaticFilesOnly(URLFetcher):
    """Serves the portal's own static files to WeasyPrint and refuses everything else.

    No network and no file:// URLs: a template that names another address gets nothing, and
    WeasyPrint logs a warning instead of fetching it.
    """

    def fetch(self, url, headers=None):
        prefix = _static_prefix()
        if not url.startswith(prefix):
            raise ValueError(f"Only the portal's static files may be used in PDFs, not {url}")
        name = unquote(urlsplit(url[len(prefix) :]).path)
        if not name or ".." in Path(name).parts or name.startswith("/"):
            raise ValueError(f"Not a static file: {url}")
        path = _static_path(name)
        if path is None:
            raise ValueError(f"Static file not found: {name}")
        if name.endswith(".woff2"):
            return URLFetcherResponse(url, _decompressed_font(path), {"Content-Type": "font/ttf"})
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, Path(path).read_bytes(), {"Content-Type": content_type})


@functools.cache
def _decompressed_font(path: str) -> bytes:
    # Unpacking a WOFF2 font took 0.4 s per font and document; once per worker process is enough.
    font = TTFont(path)
    font.flavor = None
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


# One fetcher per process: making one sets up an HTTPS context each time (17 ms), unused here.
_FETCHER = StaticFilesOnly()


def _static_path(name: str) -> str | None:
    # Collected files first (production, with hashed names), then the finders (development).
    try:
        if staticfiles_storage.exists(name):
            return staticfiles_storage.path(name)
    except NotImplementedError:
        pass
    return finders.find(name)


def render_pdf(template: str, context: dict) -> bytes:
    """A tagged PDF/UA-1 document; the template sets <title> and <html lang>."""
    html = render_to_string(template, {"lang": translation.get_language(), **context})
    return HTML(string=html, base_url=_static_prefix(), url_fetcher=_FETCHER).write_pdf(
        pdf_variant="pdf/ua-1"
    )
