"""A small, safe Markdown subset for discussion posts.

Everything is escaped first; only then are a few patterns turned back into markup: paragraphs and
line breaks, **bold**, *italic*, `code`, bullet lists ("- ") and links [text](https://…). Anything
else, raw HTML included, stays literal text. No dependency: the subset is small enough to read.
"""

import html
import re

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

# The hint under every field whose text is rendered with render_markdown (posts, minutes).
MARKDOWN_HELP = _(
    "Einfacher Text. Möglich sind **fett**, *kursiv*, `Code`, Aufzählungen mit „- “ am Zeilenanfang "
    "und Links in der Form [Text](https://…). HTML wird als Text angezeigt."
)

# Placeholders keep finished pieces (code spans, links) out of reach of the later patterns;
# NUL cannot come from the input because it is stripped first.
_TOKEN = "\x00{}\x00"
_TOKEN_PATTERN = re.compile("\x00(\\d+)\x00")

_CODE = re.compile(r"`([^`\n]+)`")
# The scheme is part of the pattern: javascript:, data: and relative targets never become links.
# The text is already escaped, so neither part can contain < > or ".
_LINK = re.compile(r"\[([^\[\]\n]+)\]\((https?://[^\s()]+)\)", re.IGNORECASE)
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])")
_BULLET = re.compile(r"^- +(?=\S)")
_BLANK_LINES = re.compile(r"\n[ \t]*\n+")


def _emphasis(text: str) -> str:
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    return _ITALIC.sub(r"<em>\1</em>", text)


def _inline(line: str) -> str:
    pieces: list[str] = []

    def keep(markup: str) -> str:
        pieces.append(markup)
        return _TOKEN.format(len(pieces) - 1)

    text = html.escape(line, quote=True)
    text = _CODE.sub(lambda m: keep(f"<code>{m[1]}</code>"), text)
    text = _LINK.sub(lambda m: keep(f'<a href="{m[2]}" rel="nofollow noopener">{_emphasis(m[1])}</a>'), text)
    text = _emphasis(text)
    # Links may hold code spans, so restore until nothing is left.
    while _TOKEN_PATTERN.search(text):
        text = _TOKEN_PATTERN.sub(lambda m: pieces[int(m[1])], text)
    return text


def _block(lines: list[str]) -> str:
    """A block between blank lines: runs of "- " lines become a list, other runs a paragraph."""
    parts: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush_paragraph():
        if paragraph:
            parts.append("<p>" + "<br>\n".join(_inline(line) for line in paragraph) + "</p>")
            paragraph.clear()

    def flush_items():
        if items:
            parts.append("<ul>" + "".join(f"<li>{_inline(item)}</li>" for item in items) + "</ul>")
            items.clear()

    for line in lines:
        bullet = _BULLET.match(line)
        if bullet:
            flush_paragraph()
            items.append(line[bullet.end() :])
        else:
            flush_items()
            paragraph.append(line)
    flush_paragraph()
    flush_items()
    return "\n".join(parts)


def render_markdown(text: str) -> SafeString:
    text = (text or "").replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return SafeString("")
    blocks = []
    for block in _BLANK_LINES.split(text):
        blocks.append(_block([line.strip() for line in block.split("\n") if line.strip()]))
    # Safe: every character of the input went through html.escape before any markup was added.
    return mark_safe("\n".join(b for b in blocks if b))  # noqa: S308
