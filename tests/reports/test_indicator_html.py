"""The indicator page writes its repeated markup in Python (portal/reports/indicator_html.py, issue 18):
each piece must be exactly what the template loop it replaced wrote, with the footnote marks, the
small-number protection ("< 3") and every text escaped. The loops below are the template's old ones."""

from datetime import date

from django.template import Context, Template
from django.urls import reverse

from portal.reports import charts, indicator_html
from portal.reports.models import Indicator
from tests.factories import CourseDateFactory, CourseFactory, EnrollmentFactory, UserFactory
from tests.helpers import at
from training.models import Attendance, CourseStatus

YEAR = {"date_from": "2025-01-01", "date_to": "2025-12-31"}
SECOND_HALF = {"date_from": "2025-07-01", "date_to": "2025-12-31"}
LOAD = "{% load i18n portal %}"
TABLE_LOOP = LOAD + (
    '<tbody class="kern-table__body">\n'
    "        {% for row in rows %}\n"
    '          <tr class="kern-table__row">\n'
    '            <td class="kern-table__cell">{{ row.indicator.code }}</td>\n'
    '            <th class="kern-table__cell" scope="row">{{ row.name }}{% if row.people %}<sup><a href="#fussnote-kleine-zahlen" aria-label="{% translate \'Fußnote 1\' %}">1</a></sup>{% endif %}{% if cross_state_footnote and row.cross_state %}<sup><a href="#fussnote-beide-laender" aria-label="{% translate \'Fußnote 2\' %}">2</a></sup>{% endif %}</th>\n'  # noqa: E501
    '            <td class="kern-table__cell">{{ row.unit }}</td>\n'
    "            {{ row.cells|numeric_cells }}\n"
    "          </tr>\n"
    "        {% empty %}\n"
    '          <tr class="kern-table__row"><td class="kern-table__cell" colspan="3">{% translate "Es sind keine Indikatoren angelegt." %}</td></tr>\n'  # noqa: E501
    "        {% endfor %}\n"
    "      </tbody>"
)
CHART_LOOP = LOAD + (
    '<tbody class="kern-table__body">{% for row in chart.rows %}<tr class="kern-table__row"><th '
    'class="kern-table__cell" scope="row">{{ row.label }}</th>{{ row.cells|numeric_cells }}</tr>'
    "{% endfor %}</tbody>"
)
DEVELOPMENT_LOOP = LOAD + (
    '<tbody class="kern-table__body">{% for row in development.rows %}<tr class="kern-table__row"><th '
    'class="kern-table__cell" scope="row">{{ row.title }}</th>{{ row.cells|numeric_cells }}</tr>'
    "{% endfor %}</tbody>"
)
FIGURES_LOOP = LOAD + (
    '<div class="portal-development">\n'
    "        {% for row in development.rows %}\n"
    '          <figure id="{{ row.id }}">\n'
    '            <figcaption class="kern-title">{{ row.title }}</figcaption>\n'
    "            {{ row.drawing.svg }}\n"
    "          </figure>\n"
    "        {% endfor %}\n"
    "      </div>"
)
TRICKY = "Teilnehmende <b>&</b> \"Gäste\" 'aus' beiden Ländern"


def _old(loop: str, context) -> str:
    return Template(loop).render(Context(context))


def _values(context) -> dict:
    return {name: context[name] for name in ("rows", "cross_state_footnote", "development")}


def _page(client, **params):
    response = client.get(reverse("reports:indicators"), params)
    assert response.status_code == 200
    return response.content.decode(), response.context


def test_the_page_writes_what_the_template_loops_wrote(
    both_states, current_project, client_for, funder, mainz
):
    course = CourseFactory(dates=None, status=CourseStatus.COMPLETED)
    day = CourseDateFactory(
        course=course, starts_at=at(date(2025, 9, 2), 9), ends_at=at(date(2025, 9, 2), 16)
    )
    enrollment = EnrollmentFactory(course=course, participant=UserFactory(authority=mainz))
    Attendance.objects.create(enrollment=enrollment, course_date=day, present=True)
    Indicator.objects.filter(computation="participants_people").update(name_de=TRICKY, unit="<Personen>")
    html, context = _page(client_for(funder), **SECOND_HALF)
    rows = context["rows"]
    # What the old loops cover: people (footnote 1), both states (footnote 2), "< 3", escaping.
    assert any(row.people for row in rows) and context["cross_state_footnote"]
    assert any(row.cross_state for row in rows) and not all(row.cross_state for row in rows)
    assert any("< 3" in row.cells for row in rows)
    assert any("< 3" in row["cells"] for row in context["development"].rows)
    assert "Teilnehmende &lt;b&gt;&amp;&lt;/b&gt; &quot;Gäste&quot; &#x27;aus&#x27;" in html
    assert "&lt;Personen&gt;" in html and TRICKY not in html
    assert context["development"].rows

    assert _old(TABLE_LOOP, _values(context)) in html
    for chart in context["charts"]:
        assert chart["rows"]
        assert _old(CHART_LOOP, {"chart": chart}) in html
    assert _old(DEVELOPMENT_LOOP, _values(context)) in html
    assert _old(FIGURES_LOOP, _values(context)) in html


def test_one_state_and_no_footnote_for_both_states(both_states, current_project, client_for, project_staff):
    html, context = _page(client_for(project_staff), **YEAR, state="RP")
    assert not context["cross_state_footnote"]
    assert 'href="#fussnote-beide-laender"' not in html
    assert _old(TABLE_LOOP, _values(context)) in html


def test_no_indicators(client_for, project_staff):
    Indicator.objects.all().delete()
    html, context = _page(client_for(project_staff), **YEAR)
    assert "Es sind keine Indikatoren angelegt." in html
    assert _old(TABLE_LOOP, _values(context)) in html


def test_each_piece_escapes_what_it_shows():
    drawing = charts.bar_chart(title="a & b", bars=[charts.Bar("<i>x</i>", 1, "<b>")])
    rows = [{"label": "<i>x</i>", "title": "a & b", "id": 'x"y', "drawing": drawing, "cells": ["< 3", "<b>"]}]
    assert (
        indicator_html.labelled_rows(rows, "label")
        == _old(CHART_LOOP, {"chart": {"rows": rows}})[
            len('<tbody class="kern-table__body">') : -len("</tbody>")
        ]
    )
    figures = _old(FIGURES_LOOP, {"development": {"rows": rows}})
    assert indicator_html.development_figures(rows) in figures and 'id="x&quot;y"' in figures
