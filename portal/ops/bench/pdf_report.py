"""Section 4: the AMIF report as a PDF against a plain WeasyPrint document with the same page count.

The plain document uses the portal's PDF base template (fonts, page rules, PDF/UA-1) and renders as
portal.pdf.render_pdf does; each page holds a heading and a table of 20 short rows. The report's
function comes from portal.reports.documents when it exists; until then the section says so."""

import io
import os
import statistics
import time
from datetime import date

from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from pypdf import PdfReader
from weasyprint import HTML

from portal.ops.bench.report import Row
from portal.pdf import _FETCHER, _static_prefix

REPEAT = int(os.environ.get("BENCH_PDF_REPEAT", "3"))
TARGET = 1.2

PLAIN_TEMPLATE = engines["django"].from_string(
    """{% extends "pdf/base.html" %}
{% block title %}Vergleichsdokument{% endblock %}
{% block content %}<h1>Vergleichsdokument</h1>
{% for page in pages %}<section{% if not forloop.last %} style="break-after: page"{% endif %}>
<h2>Abschnitt {{ page }}</h2>
<table><thead><tr><th>Kennzahl</th><th>Rheinland-Pfalz</th><th>Niedersachsen</th><th>Gesamt</th></tr></thead>
<tbody>{% for row in rows %}<tr><td>Kennzahl {{ page }}.{{ row }}</td><td>{{ row }}</td><td>{{ page }}</td>
<td>{{ row|add:page }}</td></tr>{% endfor %}</tbody></table>
</section>{% endfor %}{% endblock %}"""
)


def plain_pdf(pages: int) -> bytes:
    html = PLAIN_TEMPLATE.render(
        {"lang": translation.get_language(), "pages": range(1, pages + 1), "rows": range(1, 21)}
    )
    return HTML(string=html, base_url=_static_prefix(), url_fetcher=_FETCHER).write_pdf(
        pdf_variant="pdf/ua-1"
    )


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _medians(first, second, repeat: int = REPEAT) -> tuple[float, bytes, float, bytes]:
    """Median seconds and the last result of two renderings, timed in turns after one warm-up each
    (fonts are unpacked once per process)."""
    results = [first(), second()]
    times = [[], []]
    for _ in range(repeat):
        for index, function in enumerate((first, second)):
            start = time.perf_counter()
            results[index] = function()
            times[index].append(time.perf_counter() - start)
    return statistics.median(times[0]), results[0], statistics.median(times[1]), results[1]


def report_function():
    try:
        from portal.reports.documents import render_report_pdf
    except ImportError:
        return None
    return render_report_pdf


def measure(data: str, queries_1x: dict, repeat: int = REPEAT) -> list[Row]:
    """Rows for one data size; `queries_1x` keeps the 1x query count for the 10x row."""
    render_report_pdf = report_function()
    if render_report_pdf is None:
        return [Row("4", "AMIF-Bericht (PDF)", data, "noch nicht verfügbar (portal.reports.documents fehlt)")]

    def report():
        return render_report_pdf(date_from=date(2024, 1, 1), date_to=timezone.localdate())

    with translation.override("de"):
        with CaptureQueriesContext(connection) as queries:
            pages = page_count(report())
        report_seconds, _report, plain_seconds, plain = _medians(report, lambda: plain_pdf(pages), repeat)
    plain_pages = page_count(plain)
    per_page = (report_seconds / pages) / (plain_seconds / plain_pages)
    before = queries_1x.setdefault("report", len(queries))
    return [
        Row(
            "4",
            "Vergleich: schlichtes WeasyPrint-Dokument",
            data,
            f"{plain_seconds:.2f} s, {plain_pages} S.",
        ),
        Row(
            "4",
            "AMIF-Bericht (PDF), je Seite",
            data,
            f"{report_seconds:.2f} s, {pages} S.",
            per_page,
            f"{len(queries)} (1x: {before})",
            f"≤ {TARGET}x je Seite, Abfragen gleich",
            round(per_page, 2) <= TARGET and before == len(queries),
        ),
    ]
