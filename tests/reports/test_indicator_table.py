import csv
import io
from datetime import date

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from portal.reports import indicator_table
from portal.reports.indicator_table import indicator_rows
from portal.reports.models import Indicator
from tests.factories import CourseDateFactory, CourseFactory, EnrollmentFactory, UserFactory
from tests.helpers import at
from training.models import Attendance, CourseStatus, EnrollmentStatus, Feedback

URL = reverse("reports:indicators")
PERIOD = {"date_from": "2025-01-01", "date_to": "2025-06-30"}


def course_with(*people, day=date(2025, 3, 10)):
    course = CourseFactory(dates=None, status=CourseStatus.COMPLETED)
    course_date = CourseDateFactory(course=course, starts_at=at(day, 9), ends_at=at(day, 16))
    for person in people:
        enrollment = EnrollmentFactory(course=course, participant=person, status=EnrollmentStatus.CONFIRMED)
        Attendance.objects.create(enrollment=enrollment, course_date=course_date, present=True)
    return course


def row_for(rows, code):
    return next(row for row in rows if row.indicator.code == code)


def test_rows_overall_and_per_state_with_target_share(member, outsider, mainz):
    colleague = UserFactory(authority=mainz)
    course_with(member, colleague, outsider)
    course_with(member, day=date(2024, 5, 2))  # before the period: cumulative only
    rows = indicator_rows(date_from=date(2025, 1, 1), date_to=date(2025, 6, 30))
    assert [row.indicator.code for row in rows] == [
        i.code for i in Indicator.objects.order_by("position", "code")
    ]
    overall, rp, ni = row_for(rows, "ABH-7").columns
    assert (overall.state, rp.state, ni.state) == (None, "RP", "NI")
    assert (overall.value, overall.cumulative, overall.target) == (3, 3, 400)
    assert overall.percent == 0.8
    assert overall.cells == ["3", "3", "400", "0,8 %"]
    # two people in Rheinland-Pfalz, one in Niedersachsen: both protected
    assert (rp.value, ni.value) == (2, 1)
    assert rp.cells[:2] == ["< 3", "< 3"]
    assert ni.cells[:2] == ["< 3", "< 3"]
    # a state alone: one column group
    (only,) = row_for(
        indicator_rows(date_from=date(2025, 1, 1), date_to=date(2025, 6, 30), state="NI"), "ABH-7"
    ).columns
    assert only.state == "NI" and only.target == 200


def test_no_target_no_share_and_zero_stays_zero(db):
    Indicator.objects.filter(code="ABH-7").update(target_total=None)
    row = row_for(indicator_rows(date_from=date(2025, 1, 1), date_to=date(2025, 6, 30)), "ABH-7")
    assert row.columns[0].percent is None
    assert row.columns[0].cells == ["0", "0", "–", "–"]


def test_people_computations_and_display():
    assert "participant_days" not in indicator_table.PEOPLE_COMPUTATIONS
    assert indicator_table.display(2, people=True) == "< 3"
    assert indicator_table.display(2) == "2"
    assert indicator_table.display(0, people=True) == "0"
    assert indicator_table.display(1234) == "1.234"
    assert indicator_table.display(12.5) == "12,5"


def test_every_figure_of_the_table_is_read_in_a_few_queries(db):
    # The projects' starts, the indicators (the mappings only for the report, below), one statement for
    # the grouped figures (every computation but the two below: values, cumulative values, the shares'
    # bases, every period and state), one for the processes completed (read from the change history)
    # and two for the survey's answers by wave and day (every survey indicator and cell).
    for state in (None, "RP"):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            indicator_rows(date_from=date(2025, 1, 1), date_to=date(2025, 6, 30), state=state)
        assert len(queries) == 6, [q["sql"][:80] for q in queries]


def test_the_report_reads_the_mappings_with_the_indicators(db):
    """The report prints the programme indicators' codes (`mapping_label`): one query more for all."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        rows = indicator_rows(date_from=date(2025, 1, 1), date_to=date(2025, 6, 30), mappings=True)
        labels = [row.indicator.mapping_label() for row in rows]
    assert len(queries) == 7
    assert len(labels) == len(rows) > 1  # without the prefetch: one query more per indicator


def test_page_shows_protected_values_and_footnote(client_for, funder, member, mainz):
    course_with(member, UserFactory(authority=mainz))
    response = client_for(funder).get(URL, PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Indikatoren im Zeitraum 01.01.2025 bis 30.06.2025" in html
    assert "Teilnehmende an Qualifizierungen" in html
    assert "Rheinland-Pfalz" in html and "Niedersachsen" in html
    assert "&lt; 3" in html
    assert "damit keine einzelnen Personen erkennbar sind" in html
    assert member.get_full_name() not in html
    assert reverse("reports:indicators_csv") + "?" in html


def test_state_filter_shows_one_state(client_for, project_staff):
    response = client_for(project_staff).get(URL, {**PERIOD, "state": "NI"})
    assert response.status_code == 200
    assert response.context["columns"] == ["Niedersachsen"]


def test_invalid_dates_fall_back_to_this_year(client_for, project_staff):
    response = client_for(project_staff).get(URL, {"date_from": "kaputt", "date_to": "31.02.", "state": "XX"})
    assert response.status_code == 200
    today = timezone.localdate()
    assert response.context["date_from"] == date(today.year, 1, 1)
    assert response.context["date_to"] == today
    assert len(response.context["columns"]) == 3


def test_rights(client, client_for, funder, project_staff, member, coordinator):
    for name in ("reports:indicators", "reports:indicators_csv", "reports:indicators_xlsx"):
        url = reverse(name)
        assert client_for(funder).get(url).status_code == 200
        assert client_for(project_staff).get(url).status_code == 200
        assert client_for(member).get(url).status_code == 403
        assert client_for(coordinator).get(url).status_code == 403
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_funder_dashboard_links_to_indicators(client_for, funder):
    assert URL in client_for(funder).get(reverse("pages:home")).content.decode()


def test_csv_export(client_for, funder, member, mainz, outsider):
    course_with(member, UserFactory(authority=mainz), outsider)
    response = client_for(funder).get(reverse("reports:indicators_csv"), PERIOD)
    assert response["Content-Type"].startswith("text/csv")
    assert "indikatoren-2025-01-01-bis-2025-06-30.csv" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0] == ["Zeitraum", "01.01.2025 – 30.06.2025"]
    assert rows[1][:4] == ["Kennung", "Indikator", "Einheit", "Wert im Zeitraum (Gesamt)"]
    abh7 = next(row for row in rows if row and row[0] == "ABH-7")
    assert abh7[3:11] == ["3", "3", "400", "0,8", "< 3", "< 3", "200", "1"]
    assert abh7[11:13] == ["< 3", "< 3"]
    notes = [row[0] for row in rows if len(row) == 1]
    assert "damit keine einzelnen Personen erkennbar sind" in notes[0]
    # The course is open to both states: it counts in each and once overall.
    assert "in beiden Ländern gezählt" in notes[1]


def test_xlsx_export(client_for, project_staff, member, mainz, outsider):
    course_with(member, UserFactory(authority=mainz), outsider)
    response = client_for(project_staff).get(reverse("reports:indicators_xlsx"), {**PERIOD, "state": "RP"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "-rp.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][3] == "Wert im Zeitraum (Rheinland-Pfalz)"
    abh7 = next(row for row in rows if row and row[0] == "ABH-7")
    assert abh7[3:7] == ("< 3", "< 3", 200, "< 3")  # 1 % of 200 would tell the 2
    abh1 = next(row for row in rows if row and row[0] == "ABH-1")
    assert abh1[3] == 0


def test_english_names_in_english(db):
    with translation.override("en"):
        rows = indicator_rows(date_from=date(2025, 1, 1), date_to=date(2025, 6, 30), state="RP")
    assert row_for(rows, "ABH-7").name == "Participants in training activities"
    rows = indicator_rows(date_from=date(2025, 1, 1), date_to=date(2025, 6, 30), state="RP")
    assert row_for(rows, "ABH-7").name == "Teilnehmende an Qualifizierungen"


def test_a_share_of_one_or_two_answers_and_the_target_share_of_small_counts_are_hidden(member, mainz):
    """Two people gave feedback: the share of useful ratings would tell their answers. And a share of
    the target next to a known target would give away a hidden count."""
    course = course_with(member, UserFactory(authority=mainz))
    for enrollment, usefulness in zip(course.enrollments.order_by("pk"), [5, 2], strict=True):
        Feedback.objects.create(enrollment=enrollment, usefulness=usefulness)
    rows = indicator_rows(date_from=date(2025, 1, 1), date_to=date(2025, 6, 30))
    share = row_for(rows, "ABH-9").columns[0]
    assert share.value == 50.0
    assert share.cells[0] == "< 3" and share.cells[1] == "< 3" and share.export_cells[0] == "< 3"
    people = row_for(rows, "ABH-7").columns[0]
    assert people.cumulative == 2 and people.target
    assert people.cells[1] == "< 3" and people.cells[3] == "< 3"
    assert people.export_cells[3] == "< 3"


def test_numbers_read_as_django_formats_them():
    from decimal import Decimal

    from django.utils.formats import number_format

    values = [
        0,
        1,
        2,
        999,
        1000,
        1234567,
        12.5,
        0.05,
        99.99,
        12.25,
        100.0,
        Decimal("400.00"),
        Decimal("1234.5"),
    ]
    for language in ("de", "en"):
        with translation.override(language):
            for value in values:
                fraction = value != int(value)
                for grouping in (True, False):
                    expected = number_format(
                        value if fraction else int(value), 1 if fraction else 0, force_grouping=grouping
                    )
                    assert indicator_table._number(value, grouping=grouping) == expected, (language, value)


def test_numeric_cells_are_escaped_as_a_template_loop_writes_them():
    from django.template import Context, Template

    loop = Template(
        "{% for cell in cells %}"
        '<td class="kern-table__cell kern-table__cell--numeric">{{ cell }}</td>'
        "{% endfor %}"
    )
    at_once = Template("{% load portal %}{{ cells|numeric_cells }}")
    cells = ["< 3", "1.234", "12,5 %", "–", "<b>'&\""]
    assert at_once.render(Context({"cells": cells})) == loop.render(Context({"cells": cells}))
