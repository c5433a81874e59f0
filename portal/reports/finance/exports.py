"""The finances as files: the Belegliste as XLSX in the usual column order and the financing overview
as XLSX and CSV. Amounts are written as numbers (`Decimal`), text through the formula-safe helpers
(`portal.xlsx.text`, the CSV guard of `portal.downloads`)."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from portal import xlsx
from portal.reports.finance.selectors import Overview, share

MONEY = "#,##0.00"


def _money(sheet, value: Decimal | None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = MONEY
    return cell


def belegliste_header() -> list[str]:
    # The usual order of a Belegliste; the work package follows the amount.
    return [
        _("lfd. Nr."),
        _("Datum"),
        _("Beleg-Nr."),
        _("Empfänger/Zweck"),
        _("Kategorie"),
        _("Betrag"),
        _("Arbeitspaket"),
    ]


def belegliste_xlsx(expenditures: Iterable[Any]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Belegliste"))
    xlsx.header(sheet, belegliste_header())
    total = Decimal("0.00")
    for row in expenditures:
        total += row.amount
        sheet.append(
            [
                row.number,
                xlsx.date(sheet, row.paid_on),
                xlsx.text(sheet, row.receipt_number),
                xlsx.text(sheet, row.purpose),
                xlsx.text(sheet, row.category.name),
                _money(sheet, row.amount),
                xlsx.text(sheet, str(row.work_package)) if row.work_package else None,
            ]
        )
    sheet.append([None, None, None, None, xlsx.text(sheet, _("Summe")), _money(sheet, total)])
    return xlsx.to_bytes(workbook)


def overview_rows(overview: Overview) -> list[list[Any]]:
    """The overview as rows of cells (numbers stay `Decimal`); the CSV and the XLSX write the same."""
    years = overview.years
    rows: list[list[Any]] = [
        [_("Förderprojekt"), overview.project.title],
        [_("Stand"), overview.as_of],
        [],
        [_("Kostenkategorie")]
        + [_("Plan %(year)s") % {"year": y} for y in years]
        + [_("Ist %(year)s") % {"year": y} for y in years]
        + [_("Plan gesamt"), _("Ist gesamt"), _("Restmittel"), _("Anteil verbraucht in %")],
    ]
    for row in overview.categories:
        rows.append(
            [row.category.long_name]
            + [row.planned.get(y, Decimal("0.00")) for y in years]
            + [row.spent.get(y, Decimal("0.00")) for y in years]
            + [row.planned_total, row.spent_total, row.remaining, _rounded(row.used)]
        )
    rows.append(
        [_("Summe")]
        + overview.planned_by_year
        + overview.spent_by_year
        + [overview.planned_total, overview.spent_total, overview.remaining, _rounded(overview.used)]
    )
    rows += [
        [],
        [
            _("Finanzierungsquelle"),
            _("geplanter Betrag"),
            _("geplanter Anteil in %"),
            _("eingegangen"),
            _("erreichter Anteil in %"),
            _("Anteil an den Ausgaben"),
            _("noch abzurufen"),
        ],
    ]
    for source in overview.sources:
        rows.append(
            [
                source.source.name,
                source.source.planned_amount,
                _rounded(source.planned_share),
                source.received,
                _rounded(source.received_share),
                source.spent_share,
                source.outstanding,
            ]
        )
    rows.append(
        [
            _("Summe"),
            overview.sources_total,
            _rounded(_full(overview)),
            overview.received_total,
            None,
            overview.spent_shared,
            overview.outstanding_total,
        ]
    )
    if overview.work_packages:
        rows += [
            [],
            [
                _("Arbeitspaket"),
                _("geplanter Betrag"),
                _("Ist"),
                _("Restmittel"),
                _("Anteil verbraucht in %"),
            ],
        ]
        rows += [
            [row.label, row.planned, row.spent, row.remaining, _rounded(row.used)]
            for row in overview.work_packages
        ]
        rows.append([_("Summe"), None, overview.work_packages_total, None, None])
    rows += [[], [_("Land"), _("Ist")]]
    rows += [[label or _("beide Länder"), amount] for label, amount in overview.per_state]
    return rows


def _full(overview: Overview) -> Decimal | None:
    return share(overview.sources_total, overview.planned_total)


def _rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"))


def overview_xlsx(overview: Overview) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Finanzübersicht"))
    for index, cells in enumerate(overview_rows(overview)):
        if index == 3:
            xlsx.header(sheet, cells)
            continue
        sheet.append([_cell(sheet, value) for value in cells])
    return xlsx.to_bytes(workbook)


def _cell(sheet, value):
    if isinstance(value, Decimal):
        return _money(sheet, value)
    if value is None:
        return None
    if hasattr(value, "year") and not isinstance(value, str):
        return xlsx.date(sheet, value)
    return xlsx.text(sheet, value)
