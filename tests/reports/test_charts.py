"""The bar charts (portal/reports/charts.py): one drawing, two renditions. The web page's SVG is byte
for byte what the SVG writer wrote before the report got its HTML rendition (the old writer is kept
below); the report's HTML shows the same labels, values, bar lengths and target line."""

import re
from html import unescape

import pytest
from django.utils.html import escape

from portal.reports import charts
from portal.reports.charts import Bar


def _old_svg(title, bars, maximum=None, mark=None) -> str:
    """The SVG writer as it was (portal/reports/charts.py before the HTML rendition)."""
    width, label_width, row_height, bar_height = 480, 190, 18, 11
    text_style = 'font-family="Fira Sans, DejaVu Sans, sans-serif" font-size="8"'
    values = [bar.value for bar in bars if bar.value is not None]
    scale_to = max([maximum or 0, *values, mark or 0]) or 1
    plot_width = width - label_width - 60
    height = row_height * len(bars) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, bar in enumerate(bars):
        y = 4 + index * row_height
        label = bar.label if len(bar.label) <= 42 else bar.label[:41] + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height - 2}" text-anchor="end" {text_style}>'
            f"{escape(label)}</text>"
        )
        length = 0.0 if bar.value is None else plot_width * max(bar.value, 0) / scale_to
        if length:
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="#0c4d8c"/>'
            )
        parts.append(
            f'<text x="{label_width + length + 4:.1f}" y="{y + bar_height - 2}" {text_style}>'
            f"{escape(bar.text)}</text>"
        )
    if mark is not None:
        x = label_width + plot_width * mark / scale_to
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" stroke="#171a2b" '
            'stroke-width="0.8" stroke-dasharray="3,2"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


CHARTS = [
    # A target chart: over the target, a protected small number, nothing yet, a long label.
    (
        "Erreichter Anteil am Zielwert (kumuliert, Gesamt)",
        [
            Bar("ABH-1 Teilnehmende Ausländerbehörden", 100.0, "100 %"),
            Bar("ABH-2 Bei der Umsetzung interkultureller Maßnahmen begleitete Behörden", 125.0, "125 %"),
            Bar("ABH-7 Teilnehmende an Qualifizierungen", None, "< 3"),
            Bar("ABH-4 Abgeschlossene Veränderungsprozesse", 0.0, "0 %"),
            Bar("ABH-5 Umgesetzte Maßnahmen", 28.8, "28,8 %"),
        ],
        100,
        100,
    ),
    # The self-check's change: negative changes draw no bar.
    (
        "Selbstcheck & <Veränderung>",
        [Bar("Vernetzung", 1.5, "+1,5"), Bar("<Empfang>", -0.5, "-0,5")],
        None,
        None,
    ),
    # The finance chart: the mark inside the bars' range.
    ("Verbrauch", [Bar("Personal", 45.25, "45,3 %"), Bar("Sachkosten", 180.0, "180,0 %")], None, 100.0),
    ("Leer", [], None, None),
]


@pytest.mark.parametrize(("title", "bars", "maximum", "mark"), CHARTS)
def test_the_web_page_gets_the_svg_it_got_before(title, bars, maximum, mark):
    drawing = charts.bar_chart(title=title, bars=bars, maximum=maximum, mark=mark)
    assert drawing.svg == _old_svg(title, bars, maximum, mark)


@pytest.mark.parametrize(("title", "bars", "maximum", "mark"), CHARTS)
def test_the_report_gets_the_same_bars_as_html_text_and_boxes(title, bars, maximum, mark):
    drawing = charts.bar_chart(title=title, bars=bars, maximum=maximum, mark=mark)
    html, svg = drawing.html, drawing.svg
    assert "<svg" not in html and "<text" not in html
    # A picture with the chart's title as its text alternative, as the SVG.
    assert html.startswith('<div class="bar-chart') and f'role="img" aria-label="{escape(title)}">' in html
    # One line per bar: its label, a tab to the bars' start, its value.
    rows = re.findall(r'<p class="bar-row">(.*?)</p>', html)
    labels = [unescape(row.split("\t", 1)[0]) for row in rows]
    values = [unescape(t) for t in re.findall(r'<p class="bar-row">[^\t<]*\t<span[^>]*>(.*?)</span>', html)]
    assert len(rows) == len(bars)
    assert labels == [unescape(t) for t in re.findall(r'text-anchor="end"[^>]*>(.*?)</text>', svg)]
    assert values == [bar.text for bar in bars]
    # The same bar lengths as the SVG's rectangles, none for a hidden, zero or negative value.
    fills = re.findall(r'style="border-left-width: ([\d.]+)px"', html)
    assert fills == re.findall(r'<rect [^>]*width="([\d.]+)"', svg)
    for row, bar in zip(rows, bars, strict=True):
        assert ("border-left-width" in row) == (bar.value is not None and bar.value > 0)
    # The target line where the SVG draws it: the right edge of a chart that wide.
    line = re.search(r'<line x1="([\d.]+)"', svg)
    mark_at = re.search(r'class="bar-chart bar-chart--mark" style="width: ([\d.]+)px"', html)
    assert (line and line.group(1)) == (mark_at and mark_at.group(1))


def test_labels_and_values_are_escaped_and_long_labels_cut():
    drawing = charts.bar_chart(
        title="T <x>",
        bars=[Bar("<script>", 50, "50 %"), Bar("klein", None, "< 3"), Bar("L" * 50, 10, "10 %")],
        maximum=100,
    )
    for markup in (drawing.svg, drawing.html):
        assert "<script>" not in markup and "&lt;script&gt;" in markup
        assert "&lt; 3" in markup and "T &lt;x&gt;" in markup
        assert "L" * 41 + "…" in markup and "L" * 42 not in markup
    assert drawing.svg.count("<rect") == 2 and drawing.html.count("border-left-width") == 2


def test_a_chart_is_drawn_once_per_process_for_the_same_figures():
    bars = [Bar("a", 1, "1")]
    first = charts.bar_chart(title="T", bars=bars)
    assert charts.bar_chart(title="T", bars=list(bars)) is first
    assert first.html is first.html  # each rendition written once
    assert charts.bar_chart(title="T", bars=[Bar("a", 2, "2")]) is not first
