from html import escape

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from portal import bilingual, formats

register = template.Library()


@register.filter
def page_window(paginator, number, around=2):
    """Page numbers to show: first, last and a few around the current one; None marks a gap."""
    pages = sorted({1, paginator.num_pages, *range(number - around, number + around + 1)})
    pages = [p for p in pages if 1 <= p <= paginator.num_pages]
    window, previous = [], 0
    for p in pages:
        if p - previous > 1:
            window.append(None)
        window.append(p)
        previous = p
    return window


class WideTableNode(template.Node):
    def __init__(self, nodelist, pieces, label):
        self.nodelist, self.pieces, self.label = nodelist, pieces, label

    def render(self, context):
        include = context.template.engine.get_template("includes/wide_table.html")
        values = {
            "table": self.nodelist.render(context),
            "labelledby": "".join(str(piece.resolve(context)) for piece in self.pieces),
            "label": self.label.resolve(context) if self.label else "",
        }
        with context.push(**values):
            return include.render(context)


@register.tag
def wide_table(parser, token):
    """`{% wide_table "caption-id" %}<table>…</table>{% endwide_table %}`: every table that may be
    wider than the page sits in one kind of region (includes/wide_table.html): it scrolls sideways
    on its own, takes keyboard focus, is named by its caption (the pieces are joined into the
    caption's id) or by `label=…`, and keeps its first column in view while scrolling."""
    bits = token.split_contents()[1:]
    label = None
    pieces = []
    for bit in bits:
        if bit.startswith("label="):
            label = parser.compile_filter(bit.removeprefix("label="))
        else:
            pieces.append(parser.compile_filter(bit))
    if not pieces and label is None:
        raise template.TemplateSyntaxError("wide_table needs the caption's id or label=…")
    nodelist = parser.parse(("endwide_table",))
    parser.delete_first_token()
    return WideTableNode(nodelist, pieces, label)


@register.filter
def numeric_cells(cells):
    """`{{ row.cells|numeric_cells }}`: one right-aligned table cell per (escaped) value, written in
    one go: the indicator page's tables have hundreds of them, and a template loop costs a node
    render per cell."""
    # The same markup as format_html_join, without its lazy wrappers per cell: every value escaped.
    return mark_safe(  # noqa: S308
        "".join(
            f'<td class="kern-table__cell kern-table__cell--numeric">{escape(str(value))}</td>'
            for value in cells
        )
    )


@register.filter
def localized(obj, field):
    """`{{ indicator|localized:"name" }}`: the German or English name, by the reader's language."""
    return bilingual.localized(obj, field)


@register.filter(expects_localtime=True)
def weekday_date(value):
    """ "Dienstag, 10.03.2026" / "Tuesday, 10/03/2026": the weekday and the language's short date."""
    return formats.weekday_date(value) if value else ""


def _text(value):
    return conditional_escape(localize(value))


@register.simple_tag
def start_sections(sections):
    """The sections of a start page (portal/start_sections.py), each a card of items linked to where the
    work is done. Written here with exactly the markup of the template loop it replaced (compared in
    tests/pages/test_start_sections_markup.py): the loop was a quarter of the page's template time."""
    out = ['\n<div class="portal-start-grid">\n  ']
    for section in sections:
        key, title = _text(section.key), _text(section.title)
        out.append(
            f'\n    <section class="kern-card portal-start-section" aria-labelledby="start-{key}">\n'
            '      <div class="kern-card__container">\n        <div class="kern-card__header">\n'
            f'          <h2 class="kern-title" id="start-{key}">{title}'
        )
        if section.total is not None:
            out.append(
                ' <span class="kern-badge kern-badge--info"><span class="kern-label kern-label--small">'
                f"{_text(section.total)}</span></span>"
            )
        out.append('</h2>\n        </div>\n        <div class="kern-card__body">\n          ')
        if section.items:
            out.append('\n            <ul class="portal-start-list">\n              ')
            for item in section.items:
                item_title = _text(item.title)
                out.append(
                    "\n                <li>\n"
                    f'                  <a class="kern-link" href="{_text(item.url)}">{item_title}</a>\n'
                    "                  "
                )
                if item.badge:
                    out.append(
                        ' <span class="kern-badge kern-badge--warning">'
                        f'<span class="kern-label kern-label--small">{_text(item.badge)}</span></span>'
                    )
                out.append("\n                  ")
                if item.meta:
                    out.append(
                        '<p class="kern-body kern-body--small portal-start-list__meta">'
                        f"{_text(item.meta)}</p>"
                    )
                out.append("\n                  ")
                for link in item.links:
                    out.append(
                        '<p class="kern-body kern-body--small">'
                        f'<a class="kern-link" href="{_text(link.url)}">{_text(link.label)}'
                        f'<span class="kern-sr-only">: {item_title}</span></a></p>'
                    )
                out.append("\n                </li>\n              ")
            out.append("\n            </ul>\n          ")
        else:
            out.append(f'\n            <p class="kern-body">{_text(section.empty)}</p>\n          ')
        out.append("\n        </div>\n        ")
        if section.more:
            out.append(
                f'<div class="kern-card__footer"><a class="kern-link" href="{_text(section.more.url)}">'
                f"{_text(section.more.label)}</a></div>"
            )
        out.append("\n      </div>\n    </section>\n  ")
    out.append("\n</div>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
