from html import escape

from django import template
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
