"""The funders' indicator page leads with pictures of the progress towards each target (overall, RP,
NI), with the same numbers in a table and the small-number protection of the table."""

from datetime import date

from django.urls import reverse

from tests.factories import CourseDateFactory, CourseFactory
from tests.helpers import at, attended
from training.models import CourseStatus, OpenTo

QUERY = {"date_from": "2025-01-01", "date_to": "2025-12-31"}


def test_funders_see_progress_charts_per_column_with_protected_small_numbers(client_for, funder, member):
    course = CourseFactory(dates=None, status=CourseStatus.COMPLETED, open_to=OpenTo.BOTH)
    CourseDateFactory(course=course, starts_at=at(date(2025, 3, 4), 9), ends_at=at(date(2025, 3, 4), 16))
    attended(course, member)

    page = client_for(funder).get(reverse("reports:indicators"), QUERY).content.decode()

    pictures = page.index('id="grafiken-heading"')
    assert pictures < page.index('id="tabelle-indikatoren"')  # the pictures lead
    for chart_id, label in (
        ("grafik-zielwerte", "Gesamt"),
        ("grafik-zielwerte-rp", "Rheinland-Pfalz"),
        ("grafik-zielwerte-ni", "Niedersachsen"),
    ):
        start = page.index(f'id="{chart_id}"')
        figure = page[start : page.index("</table>", start)]
        assert "<svg" in figure and label in figure
    overall = page[page.index('id="grafik-zielwerte"') : page.index('id="grafik-zielwerte-rp"')]
    # one course of a target of 40: 2,5 % in picture and table
    assert overall.count("2,5 %") >= 2
    # one participant is shown as "< 3", and no share that would give the one away
    row = overall[overall.index("ABH-7") :]
    row = row[: row.index("</tr>")]
    assert "&lt; 3" in row and "0,3 %" not in row and "0,2 %" not in row
