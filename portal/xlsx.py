"""Small helpers for the portal's spreadsheet exports (openpyxl, write-only workbooks)."""

import io

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def text(sheet, value) -> WriteOnlyCell:
    # Always text: openpyxl stores a string that starts with "=" as a formula ("CSV injection").
    cell = WriteOnlyCell(sheet, value=str(value) if value is not None else "")
    cell.data_type = "s"
    return cell


def date(sheet, value, number_format: str = "DD.MM.YYYY") -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def header(sheet, titles) -> None:
    bold = Font(bold=True)
    cells = []
    for title in titles:
        cell = text(sheet, title)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)


def to_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
