"""Spreadsheet exports never hand a planted formula to Excel: every CSV export goes through
`portal.downloads.csv_download`, which keeps a cell that starts with = + - @ TAB CR as text (a leading
apostrophe), and every XLSX export stores such a value as a text cell, not as a formula."""

import csv
import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal.downloads import FORMULA_START, csv_cell
from portal.reports.models import Indicator
from tests.factories import (
    AuthorityFactory,
    ChangeProcessFactory,
    CourseDateFactory,
    CourseFactory,
    EnrollmentFactory,
    UserFactory,
)
from training.models import Attendance, CourseStatus

HYPERLINK = '=HYPERLINK("http://x.example","y")'
PHONE = "+49 6131 12-0"
SUM = "@SUM(1+1)"
MINUS = "-1+1"
TAB = "\tAm Markt 1"
CR = "\rMainz"
PERIOD = {"date_from": "2025-01-01", "date_to": "2025-06-30"}


@pytest.fixture
def planted(db):
    """An authority, people, a course, a coach and an indicator whose names are formulas."""
    authority = AuthorityFactory(name=HYPERLINK, phone=PHONE, street=TAB, seat=CR, notes=MINUS)
    people = [
        UserFactory(authority=authority, first_name=HYPERLINK, last_name=""),
        UserFactory(authority=authority, first_name=SUM, last_name="Muster"),
        UserFactory(authority=authority, first_name=PHONE, last_name="Muster"),
    ]
    course = CourseFactory(dates=None, status=CourseStatus.COMPLETED)
    day = timezone.make_aware(datetime(2025, 3, 10, 9))
    course_date = CourseDateFactory(course=course, starts_at=day, ends_at=day.replace(hour=16))
    for person in people:
        enrollment = EnrollmentFactory(course=course, participant=person)
        Attendance.objects.create(enrollment=enrollment, course_date=course_date, present=True)
    ChangeProcessFactory(
        authority=authority, coach=UserFactory(project_staff=True, first_name=SUM, last_name="Coach")
    )
    Indicator.objects.filter(code="ABH-7").update(name_de=HYPERLINK)
    return course


def _csv_cells(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # German Excel opens it without an import dialogue
    return [cell for row in csv.reader(io.StringIO(text[1:]), delimiter=";") for cell in row]


def _xlsx_cells(response) -> list:
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def _csv_exports(course):
    return [
        reverse("authorities:export"),
        reverse("training:participants_csv", args=[course.pk]),
        reverse("reports:indicators_csv") + "?date_from=2025-01-01&date_to=2025-06-30",
    ]


def test_project_staff_read_every_csv_export_without_a_formula(planted, project_staff, client_for):
    client = client_for(project_staff)
    authorities, participants, indicators = (_csv_cells(client.get(url)) for url in _csv_exports(planted))

    for cells in (authorities, participants, indicators):
        assert not [cell for cell in cells if cell.startswith(FORMULA_START)]
    # The values are all there, as text: a leading apostrophe, which spreadsheets do not show.
    assert {"'" + value for value in (HYPERLINK, PHONE, TAB, CR, MINUS)} <= set(authorities)
    assert {f"'{HYPERLINK}", f"'{SUM} Muster", f"'{PHONE} Muster"} <= set(participants)
    assert f"'{HYPERLINK}" in indicators


def test_funder_reads_the_indicator_csv_without_a_formula(planted, funder, client_for):
    cells = _csv_cells(client_for(funder).get(reverse("reports:indicators_csv"), PERIOD))

    assert f"'{HYPERLINK}" in cells
    assert not [cell for cell in cells if cell.startswith(FORMULA_START)]


def test_csv_cells_keep_numbers_and_format_dates():
    assert [csv_cell(v) for v in (3, None, date(2025, 3, 1), "-", "Mainz")] == [
        3,
        "",
        "01.03.2025",
        "'-",
        "Mainz",
    ]


def test_project_staff_read_every_xlsx_export_with_formulas_as_text(planted, project_staff, client_for):
    client = client_for(project_staff)
    urls = [
        reverse("training:participants_xlsx", args=[planted.pk]),
        reverse("reports:indicators_xlsx") + "?date_from=2025-01-01&date_to=2025-06-30",
        reverse("authorities:process_overview_xlsx"),
    ]
    for url in urls:
        cells = _xlsx_cells(client.get(url))
        planted_cells = [c for c in cells if isinstance(c.value, str) and c.value.startswith(FORMULA_START)]

        assert planted_cells, url
        # "s": a text cell; a formula would be "f" and run when the file is opened.
        assert {cell.data_type for cell in planted_cells} == {"s"}, url
