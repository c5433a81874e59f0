"""The funders' page shows how each indicator developed over the reporting periods of the current
project (issue 15): a server-made SVG per indicator and the same numbers in a table, counting only
periods that have begun, with the small-number protection of the indicator table."""

from datetime import date

from django.urls import reverse

from portal.reports.computations import compute
from portal.reports.development import development
from portal.reports.indicator_table import display, indicator_rows
from portal.reports.models import Indicator
from tests.factories import CourseDateFactory, CourseFactory, EnrollmentFactory, UserFactory
from tests.helpers import at
from training.models import Attendance, CourseStatus

HALVES = [(date(2025, 1, 1), date(2025, 6, 30)), (date(2025, 7, 1), date(2025, 12, 31))]
YEAR = {"date_from": "2025-01-01", "date_to": "2025-12-31"}


def _rows():
    return indicator_rows(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31))


def test_each_indicator_has_its_value_in_each_period_begun(both_states, current_project):
    result = development(_rows(), None)

    assert result.periods == ["01.01.2025–30.06.2025", "01.07.2025–31.12.2025"]  # not the one to come
    assert len(result.rows) == Indicator.objects.count()
    for row, indicator in zip(result.rows, Indicator.objects.order_by("position", "code"), strict=True):
        expected = [compute(indicator.computation, date_from=f, date_to=t) for f, t in HALVES]
        people = row["cells"]
        assert all(
            cell == display(value) or cell == "< 3" for cell, value in zip(people, expected, strict=True)
        ), (indicator.code, people, expected)
        assert row["drawing"].svg.startswith("<svg") and 'role="img"' in row["drawing"].svg


def test_one_or_two_people_show_as_less_than_three_and_draw_no_bar(mainz, current_project):
    course = CourseFactory(dates=None, status=CourseStatus.COMPLETED)
    day = CourseDateFactory(
        course=course, starts_at=at(date(2025, 9, 2), 9), ends_at=at(date(2025, 9, 2), 16)
    )
    enrollment = EnrollmentFactory(course=course, participant=UserFactory(authority=mainz))
    Attendance.objects.create(enrollment=enrollment, course_date=day, present=True)

    indicator = Indicator.objects.filter(computation="participants_people").first()
    people = next(
        row for row in development(_rows(), None).rows if row["id"] == f"entwicklung-{indicator.pk}"
    )

    assert people["cells"] == ["0", "< 3"]
    assert "<rect" not in people["drawing"].svg  # neither 0 nor the protected 1 draws a bar


def test_the_funders_page_shows_the_development_as_pictures_and_a_table(
    both_states, current_project, client_for, funder
):
    page = client_for(funder).get(reverse("reports:indicators"), YEAR).text

    assert "Entwicklung über die Berichtszeiträume" in page
    assert 'id="tabelle-entwicklung"' in page
    assert "01.07.2025–31.12.2025" in page and "01.01.2099" not in page
    assert page.count('aria-label="Entwicklung: ') == Indicator.objects.count()
