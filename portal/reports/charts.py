"""Bar charts as SVG, drawn on the server for the report PDF.

A chart never stands alone: the report prints the same numbers in a table beneath it, so the SVG is
marked as an image with a text alternative and its numbers stay readable without it.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 480
LABEL_WIDTH = 190
ROW_HEIGHT = 18
BAR_HEIGHT = 11
TEXT_STYLE = 'font-family="Fira Sans, DejaVu Sans, sans-serif" font-size="8"'
BAR_COLOUR = "#0c4d8c"
MARK_COLOUR = "#171a2b"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: nothing to draw (no target, or a protected small number)
    text: str  # the value as printed at the end of the bar, e.g. "45,0 %" or "< 3"


def bar_chart(
    *, title: str, bars: list[Bar], maximum: float | None = None, mark: float | None = None
) -> SafeString:
    """Horizontal bars scaled to `maximum` (default: the largest value); `mark` draws a vertical
    line, e.g. at 100 % of the target. Labels are escaped; nothing from outside is referenced.
    Drawn once per process for the same title, bars and scale: the indicator page shows the same
    twenty charts to everyone until a figure changes."""
    texts = tuple(Bar(str(bar.label), bar.value, str(bar.text)) for bar in bars)  # no lazy text as a key
    return _drawn(str(title), texts, maximum, mark)


@lru_cache(maxsize=1024)
def _drawn(title: str, bars: tuple[Bar, ...], maximum: float | None, mark: float | None) -> SafeString:
    values = [bar.value for bar in bars if bar.value is not None]
    scale_to = max([maximum or 0, *values, mark or 0]) or 1
    plot_width = WIDTH - LABEL_WIDTH - 60
    height = ROW_HEIGHT * len(bars) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, bar in enumerate(bars):
        y = 4 + index * ROW_HEIGHT
        label = bar.label if len(bar.label) <= 42 else bar.label[:41] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT - 2}" text-anchor="end" {TEXT_STYLE}>'
            f"{escape(label)}</text>"
        )
        length = 0.0 if bar.value is None else plot_width * max(bar.value, 0) / scale_to
        if length:
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{BAR_COLOUR}"/>'
            )
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{y + BAR_HEIGHT - 2}" {TEXT_STYLE}>'
            f"{escape(bar.text)}</text>"
        )
    if mark is not None:
        x = LABEL_WIDTH + plot_width * mark / scale_to
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" stroke="{MARK_COLOUR}" '
            'stroke-width="0.8" stroke-dasharray="3,2"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text in it is escaped above)
