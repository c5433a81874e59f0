"""Horizontal bar charts drawn on the server: one drawing, two renditions.

A chart never stands alone: the page and the report print the same numbers in a table beneath it.
The web page shows the drawing as SVG (`BarChart.svg`), marked as an image with a text alternative.
The report PDF shows it as HTML (`BarChart.html`): WeasyPrint 70 lays out and draws each letter of
an SVG `<text>` on its own (in the 11-page report 64 labels, about 1,000 letters), while HTML text
is set a run at a time. There the bars and the target line are borders, which WeasyPrint writes as
artifacts of the tagged PDF, and the labels and values are text in reading order (label, value).
The HTML marks the rows as one picture (`role="img"` with the title) for readers that follow ARIA;
WeasyPrint 70 reads neither `role` nor `aria-hidden` and has no way to write text as an artifact,
so in the PDF the labels are read once more before the table, where the SVG gave the title as the
figure's alternative text. Both renditions take their places from one geometry (`_drawn`).
"""

from dataclasses import dataclass
from functools import cached_property, lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 480
LABEL_WIDTH = 190
ROW_HEIGHT = 18
BAR_HEIGHT = 11
FONT_SIZE = 8
FONT_FAMILY = "Fira Sans, DejaVu Sans, sans-serif"
TEXT_STYLE = f'font-family="{FONT_FAMILY}" font-size="{FONT_SIZE}"'
BAR_COLOUR = "#0c4d8c"
MARK_COLOUR = "#171a2b"
LABEL_GAP = 6  # between a label's end and the bars' start
VALUE_GAP = 4  # between a bar's end and its value
PLOT_WIDTH = WIDTH - LABEL_WIDTH - 60  # room for the value after the longest bar
LABEL_LENGTH = 42  # characters; a longer label is cut and ends with "…"

# The HTML rendition's fixed parts for the PDF's style sheet (templates/pdf/progress_report.html), in
# CSS pixels as the SVG's user units. A row is one line: the label, a tab to the bars' start (tab stops
# every LABEL_WIDTH; a label of ordinary words cut to LABEL_LENGTH characters ends before the first, as
# it ends within the SVG's left edge) and the value after its bar, which is the left border of the
# value's box. The target line is the right border of the chart, which is then as wide as the line is
# far from its left edge (the rows overflow it). Borders are drawn as artifacts of the tagged PDF and
# cost no box of their own. Nothing is positioned, so the text stands in the PDF in the order it is
# read: label, value, row by row. Before, each row was two blocks (the label right-aligned above the
# value's line); one line costs the four charts of the 11-page report a fifth fewer instructions.
HTML_STYLE = mark_safe(  # noqa: S308 (constants only)
    f".bar-chart {{ width: {WIDTH}px; padding: 4px 0; font-family: {FONT_FAMILY}; font-size: {FONT_SIZE}px; "
    f"line-height: {BAR_HEIGHT}px; white-space: pre; tab-size: {LABEL_WIDTH}px; }}\n"
    f".bar-chart--mark {{ border-right: 0.8px dashed {MARK_COLOUR}; }}\n"
    f".bar-row {{ margin: 0 0 {ROW_HEIGHT - BAR_HEIGHT}px; height: {BAR_HEIGHT}px; }}\n"
    f".bar-row span {{ padding: 1px 0 1px {VALUE_GAP}px; border-left: 0 solid {BAR_COLOUR}; }}\n"
)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: nothing to draw (no target, or a protected small number)
    text: str  # the value as printed at the end of the bar, e.g. "45,0 %" or "< 3"


@dataclass(frozen=True)
class _Row:
    label: str  # cut to LABEL_LENGTH characters
    length: float  # of the bar, 0 for none
    text: str


@dataclass(frozen=True)
class BarChart:
    """A drawn chart: its rows' places, and the rendition for the web page (`svg`) and for the
    report PDF (`html`), each written when first asked for."""

    title: str
    rows: tuple[_Row, ...]
    mark: float | None  # the vertical line's distance from the bars' start, or None

    @property
    def height(self) -> int:
        return ROW_HEIGHT * len(self.rows) + 8

    @cached_property
    def svg(self) -> SafeString:
        height, title = self.height, escape(self.title)
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{title}">',
            f"<title>{title}</title>",
        ]
        for index, row in enumerate(self.rows):
            y = 4 + index * ROW_HEIGHT
            parts.append(
                f'<text x="{LABEL_WIDTH - LABEL_GAP}" y="{y + BAR_HEIGHT - 2}" text-anchor="end" '
                f"{TEXT_STYLE}>{escape(row.label)}</text>"
            )
            if row.length:
                parts.append(
                    f'<rect x="{LABEL_WIDTH}" y="{y}" width="{row.length:.1f}" height="{BAR_HEIGHT}" '
                    f'fill="{BAR_COLOUR}"/>'
                )
            parts.append(
                f'<text x="{LABEL_WIDTH + row.length + VALUE_GAP:.1f}" y="{y + BAR_HEIGHT - 2}" '
                f"{TEXT_STYLE}>{escape(row.text)}</text>"
            )
        if self.mark is not None:
            x = LABEL_WIDTH + self.mark
            parts.append(
                f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" stroke="{MARK_COLOUR}" '
                'stroke-width="0.8" stroke-dasharray="3,2"/>'
            )
        parts.append("</svg>")
        return mark_safe("".join(parts))  # noqa: S308 (every text in it is escaped above)

    @cached_property
    def html(self) -> SafeString:
        """The PDF's rendition (HTML_STYLE): per bar a line with its label, a tab and its value, the bar
        drawn as the value's left border. Lengths are inline styles: the PDF has no Content Security
        Policy, the web page does and shows `svg`."""
        title = escape(self.title)
        if self.mark is None:
            parts = [f'<div class="bar-chart" role="img" aria-label="{title}">']
        else:
            parts = [
                f'<div class="bar-chart bar-chart--mark" style="width: {LABEL_WIDTH + self.mark:.1f}px" '
                f'role="img" aria-label="{title}">'
            ]
        for row in self.rows:
            bar = f' style="border-left-width: {row.length:.1f}px"' if row.length else ""
            parts.append(f'<p class="bar-row">{escape(row.label)}\t<span{bar}>{escape(row.text)}</span></p>')
        parts.append("</div>")
        return mark_safe("".join(parts))  # noqa: S308 (every text in it is escaped above)


def bar_chart(
    *, title: str, bars: list[Bar], maximum: float | None = None, mark: float | None = None
) -> BarChart:
    """Horizontal bars scaled to `maximum` (default: the largest value); `mark` draws a vertical
    line, e.g. at 100 % of the target. Labels are escaped; nothing from outside is referenced.
    Drawn once per process for the same title, bars and scale: the indicator page shows the same
    twenty charts to everyone until a figure changes."""
    texts = tuple(Bar(str(bar.label), bar.value, str(bar.text)) for bar in bars)  # no lazy text as a key
    return _drawn(str(title), texts, maximum, mark)


@lru_cache(maxsize=1024)
def _drawn(title: str, bars: tuple[Bar, ...], maximum: float | None, mark: float | None) -> BarChart:
    values = [bar.value for bar in bars if bar.value is not None]
    scale_to = max([maximum or 0, *values, mark or 0]) or 1
    rows = tuple(
        _Row(
            label=bar.label if len(bar.label) <= LABEL_LENGTH else bar.label[: LABEL_LENGTH - 1] + "…",
            length=0.0 if bar.value is None else PLOT_WIDTH * max(bar.value, 0) / scale_to,
            text=bar.text,
        )
        for bar in bars
    )
    return BarChart(title, rows, None if mark is None else PLOT_WIDTH * mark / scale_to)
