"""Section 4: the AMIF report as a PDF against a plain WeasyPrint document of the same density.

The plain document uses the portal's PDF base template (fonts, page rules, PDF/UA-1) and renders as
portal.pdf.render_pdf does. It is made as dense as the report it is compared with: the same number of
pages, the same number of table cells (<td>/<th> in the report's HTML) and about the same amount of
text (characters extracted from the report's PDF), spread evenly over the pages as tables of four
columns and a paragraph. The report's `report_context` is counted on its own (target: ≤ 40 queries),
and the peak RSS of a process that renders the report (and the plain document at 30 pages) is
measured in a forked child (resource.getrusage)."""

import gc
import io
import multiprocessing
import os
import re
import resource
import statistics
import time
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.template import engines
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from pypdf import PdfReader
from weasyprint import HTML

from portal.ops.bench.report import Row
from portal.pdf import _FETCHER, _static_prefix

REPEAT = int(os.environ.get("BENCH_PDF_REPEAT", "3"))
TARGET = 1.2

RSS_PAGES = 30
RSS_TARGET_MB = 300

# The report's table typography (templates/pdf/progress_report.html: 8.5pt, narrow padding), so that a
# page of the plain document holds what a page of the report holds; with the base template's larger
# tables a section of the report's density ran over two pages, and the plain document had twice the
# report's pages for the same content (30 against 15 at 10x).
PLAIN_TEMPLATE = engines["django"].from_string(
    """{% extends "pdf/base.html" %}
{% block title %}Vergleichsdokument{% endblock %}
{% block style %}table { font-size: 8.5pt; margin-bottom: 3mm; }
th, td { padding: 1.1mm 1.4mm; }{% endblock %}
{% block content %}<h1>Vergleichsdokument</h1>
{% for page in pages %}<section{% if not forloop.last %} style="break-after: page"{% endif %}>
<h2>Abschnitt {{ page }}</h2>{% if text %}<p>{{ text }}</p>{% endif %}
<table><thead><tr><th>Kennzahl</th><th>Rheinland-Pfalz</th><th>Niedersachsen</th><th>Gesamt</th></tr></thead>
<tbody>{% for row in rows %}<tr><td>Kennzahl {{ page }}.{{ row }} {{ label }}</td><td>{{ row }}</td>
<td>{{ page }}</td><td>{{ row|add:page }}</td></tr>{% endfor %}</tbody></table>
</section>{% endfor %}{% endblock %}"""
)
WORDS = "Die Ausländerbehörde berät Kundinnen und Kunden freundlich verständlich und zügig. "


@dataclass(frozen=True)
class Density:
    """What a page holds on average: table cells and characters of text."""

    cells: float
    characters: float

    @classmethod
    def of(cls, html: str, pdf: bytes) -> "Density":
        pages = page_count(pdf)
        cells = len(re.findall(r"<t[dh][\s>]", html))
        text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
        return cls(cells / pages, len(re.sub(r"\s", "", text)) / pages)


# 20 rows of four cells, as before the density was matched.
DEFAULT_DENSITY = Density(cells=84, characters=900)


def _words(characters: int) -> str:
    """About `characters` characters of German text (not counting spaces)."""
    if characters <= 0:
        return ""
    return (WORDS * (characters // len(WORDS.replace(" ", "")) + 1))[: characters + characters // 8].strip()


def plain_html(pages: int, density: Density = DEFAULT_DENSITY) -> str:
    """`pages` sections, each with the cells and characters of an average page of the report. Like
    the report's (indicator names, authorities, courses), most of the text stands in table cells: a
    quarter in a paragraph, the rest spread over the rows' first cells."""
    rows = max(1, round(density.cells / 4) - 1)  # minus the header row: within two cells a page
    table_characters = rows * 20 + 60  # "Kennzahl p.r" and three numbers a row, header, headings
    filler = max(0, int(density.characters) - table_characters)
    return PLAIN_TEMPLATE.render(
        {
            "lang": translation.get_language(),
            "pages": range(1, pages + 1),
            "rows": range(1, rows + 1),
            "text": _words(filler // 4),
            "label": _words((filler - filler // 4) // rows),
        }
    )


def plain_pdf(pages: int, density: Density = DEFAULT_DENSITY) -> bytes:
    return HTML(string=plain_html(pages, density), base_url=_static_prefix(), url_fetcher=_FETCHER).write_pdf(
        pdf_variant="pdf/ua-1"
    )


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@dataclass(frozen=True)
class Timing:
    """Median wall-clock and CPU seconds of one rendering (CPU: this process only, so the database's
    share of the report is left out; it shows how much of a wall-clock ratio is the machine's load)."""

    seconds: float
    cpu: float


def _medians(first, second, repeat: int = REPEAT) -> tuple[Timing, bytes, Timing, bytes]:
    """Median seconds and the last result of two renderings, timed in turns after one warm-up each
    (fonts are unpacked once per process).

    Each rendering is timed from a collected heap to a collected heap: the garbage collector runs
    before the clock starts and once more before it stops. So each document pays for its own garbage
    and for none of the other's. Timed in turns without this, a full collection (0.1–0.25 s at 1x,
    most of it freeing the previous document's boxes) fell into whichever rendering happened to
    cross the collector's threshold, mostly the report's, and moved the 1x ratio by up to 0.15."""
    results = [first(), second()]
    times: list[list[tuple[float, float]]] = [[], []]
    for _ in range(repeat):
        for index, function in enumerate((first, second)):
            gc.collect()
            start, cpu = time.perf_counter(), time.process_time()
            results[index] = function()
            gc.collect()
            times[index].append((time.perf_counter() - start, time.process_time() - cpu))
    first_timing, second_timing = (
        Timing(statistics.median(t for t, _c in pairs), statistics.median(c for _t, c in pairs))
        for pairs in times
    )
    return first_timing, results[0], second_timing, results[1]


def _peak_rss(function, queue) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    pages = page_count(function())
    queue.put((before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, pages))


def peak_rss(function) -> tuple[float, float, int]:
    """Peak RSS in MB of a forked process at its start and after rendering, and the pages rendered.
    The child uses the parent's database connection while the parent waits for it (never both at
    once) and leaves without closing it (multiprocessing ends a forked child with os._exit)."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_peak_rss, args=(function, queue))
    child.start()
    before, after, pages = queue.get(timeout=600)
    child.join()
    return before / 1024, after / 1024, pages


def report_function():
    try:
        from portal.reports.documents import render_report_pdf
    except ImportError:
        return None
    return render_report_pdf


def measure(data: str, queries_1x: dict, repeat: int = REPEAT, rss: bool = True) -> list[Row]:
    """Rows for one data size; `queries_1x` keeps the 1x query count for the 10x row. `rss=False`
    leaves out the forked memory measurement (a fork inside a multi-threaded test worker can hang)."""
    render_report_pdf = report_function()
    if render_report_pdf is None:
        return [Row("4", "AMIF-Bericht (PDF)", data, "noch nicht verfügbar (portal.reports.documents fehlt)")]

    from portal.reports.documents import report_context

    def report():
        return render_report_pdf(date_from=date(2024, 1, 1), date_to=timezone.localdate())

    with translation.override("de"):
        # What a process reads once and keeps (e.g. the programme's start) is not the report's: without
        # this warm-up the 1x count had three queries more than the 10x count.
        report_context(date_from=date(2024, 1, 1), date_to=timezone.localdate())
        with CaptureQueriesContext(connection) as context_queries:
            context = report_context(date_from=date(2024, 1, 1), date_to=timezone.localdate())
        html = render_to_string("pdf/progress_report.html", {"lang": "de", **context})
        with CaptureQueriesContext(connection) as queries:
            first = report()
        pages = page_count(first)
        density = Density.of(html, first)
        report_timing, _report, plain_timing, plain = _medians(
            report, lambda: plain_pdf(pages, density), repeat
        )
        if rss:
            rss_start, rss_report, _pages = peak_rss(report)
            _start, rss_plain, _plain_pages = peak_rss(lambda: plain_pdf(RSS_PAGES, density))
        plain_density = Density.of(plain_html(pages, density), plain)
    plain_pages = page_count(plain)
    # Both documents hold the same content: the plain one has a section for each of the report's pages
    # with the cells and characters of an average page. So the ratio is taken per page of the report
    # for both; should a section of the plain document run over a page, that does not halve its time.
    per_page = report_timing.seconds / plain_timing.seconds
    cpu_per_page = report_timing.cpu / plain_timing.cpu
    before = queries_1x.setdefault("report", len(queries))
    context_before = queries_1x.setdefault("context", len(context_queries))
    rows = [
        Row(
            "4",
            "Vergleich: schlichtes WeasyPrint-Dokument gleicher Dichte",
            data,
            f"{plain_timing.seconds:.2f} s, {plain_pages} S., je Seite {plain_density.cells:.0f} Zellen, "
            f"{plain_density.characters:.0f} Zeichen; CPU {plain_timing.cpu:.2f} s",
        ),
        Row(
            "4",
            "AMIF-Bericht (PDF), je Seite",
            data,
            f"{report_timing.seconds:.2f} s, {pages} S., je Seite {density.cells:.0f} Zellen, "
            f"{density.characters:.0f} Zeichen; CPU {report_timing.cpu:.2f} s ({cpu_per_page:.2f}x)",
            per_page,
            f"{len(queries)} (1x: {before})",
            f"≤ {TARGET}x je Seite, Abfragen gleich",
            round(per_page, 2) <= TARGET and before == len(queries),
        ),
        Row(
            "4",
            "report_context (Abfragen)",
            data,
            f"{len(context_queries)}",
            None,
            f"{len(context_queries)} (1x: {context_before})",
            "≤ 40, gleich",
            len(context_queries) <= 40 and context_before == len(context_queries),
        ),
    ]
    if rss:
        rows.append(
            Row(
                "4",
                f"Spitzen-RSS des Prozesses (Start {rss_start:.0f} MB)",
                data,
                f"Bericht ({pages} S.): {rss_report:.0f} MB; Vergleich {RSS_PAGES} S.: {rss_plain:.0f} MB",
                None,
                "",
                f"< {RSS_TARGET_MB} MB",
                max(rss_report, rss_plain) < RSS_TARGET_MB,
            )
        )
    return rows
