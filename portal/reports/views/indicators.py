"""The indicator table of the AMIF reports: a page and its CSV and XLSX exports, for project staff
and funders (aggregated figures only)."""

from datetime import date

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from portal import xlsx
from portal.downloads import as_download, csv_download
from portal.permissions import role_required
from portal.reports import indicator_html, indicator_table
from portal.reports.computations import compute_many
from portal.reports.development import development_cells, development_from, periods_begun
from portal.reports.forms import IndicatorFilterForm
from portal.reports.indicator_table import CROSS_STATE_FOOTNOTE, FOOTNOTE, display
from portal.reports.target_charts import target_charts


def _period(request) -> tuple[IndicatorFilterForm, date, date, str | None]:
    """The filter and its values; invalid or missing dates fall back to this calendar year."""
    form = IndicatorFilterForm(request.GET)
    values = form.filters()
    today = timezone.localdate()
    date_from = values.get("date_from") or date(today.year, 1, 1)
    date_to = values.get("date_to") or today
    if date_from > date_to:
        date_from, date_to = date(today.year, 1, 1), today
    return form, date_from, date_to, values.get("state") or None


def _table(request):
    form, date_from, date_to, state = _period(request)
    rows = indicator_table.indicator_rows(date_from=date_from, date_to=date_to, state=state)
    return form, date_from, date_to, state, rows


def _filename(date_from, date_to, state, extension):
    suffix = f"-{state.lower()}" if state else ""
    return f"indikatoren-{date_from:%Y-%m-%d}-bis-{date_to:%Y-%m-%d}{suffix}.{extension}"


@role_required("is_project_staff", "is_funder")
def indicators(request):
    form, date_from, date_to, state = _period(request)
    # The table's and the development's figures in one compute_many: one count statement and one
    # read of the survey's answers for both.
    indicators, cells = indicator_table.table_cells(date_from=date_from, date_to=date_to, state=state)
    periods = periods_begun()
    more = development_cells([indicator.computation for indicator in indicators], periods, state)
    values = iter(compute_many(cells + more))
    rows = indicator_table.rows_from(indicators, state, values)
    cross_state = any(row.cross_state for row in rows)
    charts = target_charts(rows, state)
    for chart in charts:
        chart["rows_html"] = indicator_html.labelled_rows(chart["rows"], "label")
    development = development_from(rows, periods, values)
    context = {
        "form": form,
        "rows": rows,
        "table_body": indicator_html.table_body(rows, cross_state=cross_state),
        "date_from": date_from,
        "date_to": date_to,
        "columns": [indicator_table.column_label(s) for s in indicator_table.column_states(state)],
        "protected": any(row.people for row in rows),
        "charts": charts,
        "development": development,
        "development_figures": indicator_html.development_figures(development.rows),
        "development_table": indicator_html.labelled_rows(development.rows, "title"),
        "footnote": FOOTNOTE,
        "cross_state_footnote": CROSS_STATE_FOOTNOTE if cross_state else "",
        "query": request.GET.urlencode(),
        "as_of": indicator_table.interim_as_of(date_to),
    }
    return render(request, "reports/indicators/table.html", context)


@role_required("is_project_staff", "is_funder")
def indicators_csv(request):
    _form, date_from, date_to, state, rows = _table(request)
    lines = [[_("Zeitraum"), f"{date_from:%d.%m.%Y} – {date_to:%d.%m.%Y}"]]
    if as_of := indicator_table.interim_as_of(date_to):
        lines.append([_("Stand"), f"{as_of:%d.%m.%Y}", _("vorläufig: Der Zeitraum ist noch nicht beendet.")])
    lines.append(indicator_table.header(state))
    for row in rows:
        cells = [row.indicator.code, row.name, row.unit]
        for column in row.columns:
            cells += [
                display(column.value, people=row.people, grouping=False),
                display(column.cumulative, people=row.people, grouping=False),
                "" if column.target is None else display(column.target, grouping=False),
                "" if column.percent is None else display(column.percent, grouping=False),
            ]
        lines.append(cells)
    lines += [[], [FOOTNOTE]]
    if any(row.cross_state for row in rows):
        lines.append([CROSS_STATE_FOOTNOTE])
    return csv_download(_filename(date_from, date_to, state, "csv"), lines)


@role_required("is_project_staff", "is_funder")
def indicators_xlsx(request):
    _form, date_from, date_to, state, rows = _table(request)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Indikatoren"))
    sheet.append([xlsx.text(sheet, _("Zeitraum")), xlsx.date(sheet, date_from), xlsx.date(sheet, date_to)])
    if as_of := indicator_table.interim_as_of(date_to):
        sheet.append(
            [xlsx.text(sheet, _("Stand")), xlsx.date(sheet, as_of), xlsx.text(sheet, _("vorläufig"))]
        )
    xlsx.header(sheet, indicator_table.header(state))
    for row in rows:
        cells = [
            xlsx.text(sheet, row.indicator.code),
            xlsx.text(sheet, row.name),
            xlsx.text(sheet, row.unit),
        ]
        for column in row.columns:
            cells += [xlsx.text(sheet, v) if isinstance(v, str) else v for v in column.export_cells]
        sheet.append(cells)
    sheet.append([])
    sheet.append([xlsx.text(sheet, FOOTNOTE)])
    response = HttpResponse(xlsx.to_bytes(workbook), content_type=xlsx.XLSX)
    return as_download(response, _filename(date_from, date_to, state, "xlsx"))
