"""The indicator page's repeated markup written in Python (issue 18): the rows of the indicator table,
of the target charts' and the development's number tables, and the development's figures. Hundreds
of cells through the template engine were most of the page's time; each piece here is the markup its
template loop wrote, byte for byte (tests/reports/test_indicator_html.py renders both), every value
escaped."""

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from portal.reports.indicator_table import Row

CELL = '<td class="kern-table__cell kern-table__cell--numeric">{}</td>'


def _cells(cells) -> str:
    return "".join(CELL.format(escape(str(value))) for value in cells)


def table_body(rows: list[Row], *, cross_state: bool) -> SafeString:
    """The indicator table's rows; footnote 1 marks the rows that count people, footnote 2 the rows
    counting an event in both states (only when the page shows that footnote)."""
    if not rows:
        empty = escape(_("Es sind keine Indikatoren angelegt."))
        return mark_safe(  # noqa: S308 (escaped)
            '\n          <tr class="kern-table__row">'
            f'<td class="kern-table__cell" colspan="3">{empty}</td></tr>\n        '
        )
    people = f'<sup><a href="#fussnote-kleine-zahlen" aria-label="{escape(_("Fußnote 1"))}">1</a></sup>'
    both = f'<sup><a href="#fussnote-beide-laender" aria-label="{escape(_("Fußnote 2"))}">2</a></sup>'
    parts = []
    for row in rows:
        marks = (people if row.people else "") + (both if cross_state and row.cross_state else "")
        parts.append(
            '\n          <tr class="kern-table__row">\n'
            f'            <td class="kern-table__cell">{escape(str(row.indicator.code))}</td>\n'
            f'            <th class="kern-table__cell" scope="row">{escape(str(row.name))}{marks}</th>\n'
            f'            <td class="kern-table__cell">{escape(str(row.unit))}</td>\n'
            f"            {_cells(row.cells)}\n"
            "          </tr>\n"
            "        "
        )
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)


def labelled_rows(rows: list[dict], label: str) -> SafeString:
    """The rows of a chart's number table: the row's `label` (a key of each row) as its header cell,
    then its numeric cells."""
    return mark_safe(  # noqa: S308 (every value escaped)
        "".join(
            '<tr class="kern-table__row"><th class="kern-table__cell" scope="row">'
            f"{escape(str(row[label]))}</th>{_cells(row['cells'])}</tr>"
            for row in rows
        )
    )


def development_figures(rows: list[dict]) -> SafeString:
    """The development's small charts, one figure per indicator (the SVG is already safe)."""
    return mark_safe(  # noqa: S308 (id and title escaped, the SVG escapes its texts)
        "".join(
            f'\n          <figure id="{escape(str(row["id"]))}">\n'
            f'            <figcaption class="kern-title">{escape(str(row["title"]))}</figcaption>\n'
            f"            {row['drawing'].svg}\n"
            "          </figure>\n"
            "        "
            for row in rows
        )
    )
