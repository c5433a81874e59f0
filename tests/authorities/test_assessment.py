"""The self-check (Selbstcheck Willkommenskultur): who fills it in, what a missing answer does, and
what the results block shows (an SVG chart and a table with the same numbers)."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from authorities.models import Answer, AssessmentRound, Dimension, Statement
from authorities.selectors.assessment import assessment_change_by_dimension
from authorities.services import assessment as assessment_services
from tests.authorities.pages import process_url

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def new_url(process):
    return reverse("authorities:assessment_new", args=[process.authority_id, process.pk])


def statements_of(questionnaire):
    return list(Statement.objects.filter(dimension__questionnaire=questionnaire).order_by("pk"))


def all_ratings(questionnaire, rating=3, **by_dimension):
    """Every statement rated `rating`, except the dimensions named in by_dimension (name → ratings)."""
    ratings = {}
    for dimension in questionnaire.dimensions.prefetch_related("statements"):
        given = by_dimension.get(dimension.name)
        for index, statement in enumerate(dimension.statements.all()):
            ratings[statement.pk] = given[index] if given else rating
    return ratings


def post_data(ratings, label="Ausgangslage"):
    return {"label": label, **{f"statement_{pk}": str(value) for pk, value in ratings.items()}}


def submit(process, questionnaire, by, label, completed_on, **by_dimension):
    assessment = assessment_services.assessment_submit(
        process=process,
        questionnaire=questionnaire,
        label=label,
        ratings=all_ratings(questionnaire, **by_dimension),
        by=by,
    )
    AssessmentRound.objects.filter(pk=assessment.pk).update(completed_on=completed_on)
    return assessment


def render_results(process, user):
    return render_to_string("authorities/assessment/_results.html", {"process": process, "user": user})


def svg_of(html):
    match = re.search(r"<svg.*?</svg>", html, re.S)
    assert match, "no chart in the results"
    return ET.fromstring(match.group(0))  # well-formed XML, or this fails


# --- filling in -----------------------------------------------------------------------------------


def test_coordinator_sees_one_fieldset_per_dimension_with_a_1_to_5_scale(
    client_for, coordinator, new_url, questionnaire
):
    response = client_for(coordinator).get(new_url)

    html = response.content.decode()
    assert response.status_code == 200
    for dimension in questionnaire.dimensions.all():
        assert f'<legend class="kern-title">{dimension.name}</legend>' in html
    for statement in statements_of(questionnaire):
        assert f'name="statement_{statement.pk}" value="5"' in html
    assert "1 – trifft nicht zu" in html and "5 – trifft voll zu" in html
    assert 'value="Ausgangslage"' in html


def test_coordinator_fills_in_the_baseline(client_for, coordinator, process, new_url, questionnaire):
    ratings = all_ratings(questionnaire, rating=4)

    response = client_for(coordinator).post(new_url, post_data(ratings))

    assert response.status_code == 302
    # Back to the part of the process page with the results.
    assert response.url == process_url("process_self_check", process) + "#selbstcheck"
    assessment = AssessmentRound.objects.get(process=process)
    assert assessment.label == "Ausgangslage"
    assert assessment.completed_by == coordinator
    assert assessment.answers.count() == len(ratings) == 10
    assert set(assessment.scores().values()) == {4}
    assert process.authority.history.filter(action="assessment_completed").exists()


def test_project_staff_fill_in_a_follow_up_labelled_so_by_default(
    client_for, project_staff, coordinator, process, new_url, questionnaire
):
    submit(process, questionnaire, coordinator, "Ausgangslage", dt.date(2025, 3, 10))
    client = client_for(project_staff)

    assert 'value="Folgeerhebung"' in client.get(new_url).content.decode()
    response = client.post(new_url, post_data(all_ratings(questionnaire, rating=5), label="Folgeerhebung"))

    assert response.status_code == 302
    assert list(process.assessments.values_list("label", "completed_by")) == [
        ("Ausgangslage", coordinator.pk),
        ("Folgeerhebung", project_staff.pk),
    ]


@pytest.mark.parametrize("who, status", [("member", 403), ("outsider", 404), ("funder", 404)])
def test_others_may_not_fill_in(request, client_for, who, status, new_url, questionnaire):
    client = client_for(request.getfixturevalue(who))

    assert client.get(new_url).status_code == status
    assert client.post(new_url, post_data(all_ratings(questionnaire))).status_code == status
    assert not AssessmentRound.objects.exists()


def test_process_of_another_authority_under_this_address_is_not_found(
    client_for, coordinator, process, hannover
):
    url = reverse("authorities:assessment_new", args=[hannover.pk, process.pk])

    assert client_for(coordinator).get(url).status_code == 404


def test_missing_rating_shows_a_german_error_next_to_the_statement_and_saves_nothing(
    client_for, coordinator, new_url, questionnaire
):
    ratings = all_ratings(questionnaire)
    missing = statements_of(questionnaire)[3]
    del ratings[missing.pk]

    response = client_for(coordinator).post(new_url, post_data(ratings))

    html = response.content.decode()
    assert response.status_code == 200
    error = re.search(
        rf'<div class="kern-error" id="id_statement_{missing.pk}-error">(.*?)</div>', html, re.S
    )
    assert error and "Bitte wählen Sie aus, wie sehr diese Aussage zutrifft." in error.group(1)
    assert html.count('class="kern-error"') == 1
    # The other answers are still ticked, so nothing typed is lost.
    other = statements_of(questionnaire)[0]
    assert f'name="statement_{other.pk}" value="3" id="id_statement_{other.pk}_2" checked' in html
    assert not AssessmentRound.objects.exists()
    assert not Answer.objects.exists()


def test_the_error_summary_puts_no_colon_after_a_statements_full_stop(
    client_for, coordinator, new_url, questionnaire
):
    ratings = all_ratings(questionnaire)
    missing = statements_of(questionnaire)[3]
    del ratings[missing.pk]

    html = client_for(coordinator).post(new_url, post_data(ratings)).content.decode()

    summary = html.split("data-error-summary", 1)[1].split("</ul>", 1)[0]
    assert missing.text.endswith(".")
    assert f"{missing.text} Bitte wählen Sie aus, wie sehr diese Aussage zutrifft." in summary
    assert ".:" not in summary


def test_rating_outside_1_to_5_is_refused(client_for, coordinator, new_url, questionnaire):
    data = post_data(all_ratings(questionnaire))
    data[f"statement_{statements_of(questionnaire)[0].pk}"] = "7"

    response = client_for(coordinator).post(new_url, data)

    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen. 7 ist keine gültige Auswahl." in response.content.decode()
    assert not AssessmentRound.objects.exists()


def test_a_statement_added_later_is_asked_in_the_next_round(
    client_for, coordinator, project_staff, process, new_url, questionnaire
):
    submit(process, questionnaire, coordinator, "Ausgangslage", dt.date(2025, 3, 10))
    dimension = questionnaire.dimensions.first()
    added = assessment_services.statement_add(
        dimension=dimension, text="Wir fragen nach, ob alles klar ist.", by=project_staff
    )

    response = client_for(coordinator).post(new_url, post_data(all_ratings(questionnaire), "Folgeerhebung"))

    assert response.status_code == 302
    assert process.assessments.last().answers.filter(statement=added).exists()


# --- results --------------------------------------------------------------------------------------


@pytest.fixture
def two_rounds(process, questionnaire, coordinator):
    submit(
        process, questionnaire, coordinator, "Ausgangslage", dt.date(2025, 3, 10),
        **{"Selbstverständnis": [2, 3], "Vernetzung": [4, 4]},
    )  # fmt: skip
    submit(
        process, questionnaire, coordinator, "Folgeerhebung", dt.date(2026, 3, 10),
        **{"Selbstverständnis": [4, 4], "Vernetzung": [3, 4]},
    )  # fmt: skip
    return process


def test_results_show_baseline_and_follow_up_in_the_chart(two_rounds, coordinator):
    html = render_results(two_rounds, coordinator)

    svg = svg_of(html)
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "Selbstcheck Willkommenskultur: Werte je Dimension"
    desc = svg.find(f"{SVG}desc").text
    assert "Ausgangslage vom 10.03.2025 und Folgeerhebung vom 10.03.2026" in desc
    assert "Selbstverständnis: 2,5, dann 4,0" in desc
    assert "Vernetzung: 4,0, dann 3,5" in desc
    bars = [r for r in svg.iter(f"{SVG}rect") if "portal-chart__key" not in r.get("class")]
    # Five dimensions, two bars each, in the order of the questionnaire: baseline, then follow-up.
    assert len(bars) == 10
    widths = [int(bar.get("width")) for bar in bars]
    assert widths[:2] == [150, 240]  # 2,5 and 4,0 of 5 on a 300-unit axis
    assert widths[-2:] == [240, 210]
    assert [bar.get("class") for bar in bars[:2]] == [
        "portal-chart__bar--baseline",
        "portal-chart__bar--follow-up",
    ]
    values = [t.text for t in svg.iter(f"{SVG}text") if t.text and "," in t.text]
    assert values[:2] == ["2,5", "4,0"]


def test_results_table_has_the_same_numbers_and_the_change(two_rounds, coordinator):
    html = render_results(two_rounds, coordinator)

    rows = re.findall(r'<tr class="kern-table__row">(.*?)</tr>', html, re.S)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) for row in rows]
    by_dimension = {cells_[0]: cells_[1:] for cells_ in cells[1:]}
    assert by_dimension["Selbstverständnis"] == ["2,5", "4,0", "+1,5"]
    assert by_dimension["Vernetzung"] == ["4,0", "3,5", "-0,5"]
    assert by_dimension["Interne Organisation"] == ["3,0", "3,0", "0,0"]
    assert "Veränderung" in cells[0][-1]


def test_results_hold_no_inline_styles_for_the_csp(two_rounds, coordinator):
    html = render_results(two_rounds, coordinator)

    assert "style=" not in html
    assert "<style" not in html


def test_results_compare_the_baseline_with_the_latest_follow_up(two_rounds, questionnaire, coordinator):
    submit(
        two_rounds, questionnaire, coordinator, "Zweite Folgeerhebung", dt.date(2027, 3, 10),
        **{"Selbstverständnis": [5, 5]},
    )  # fmt: skip

    changes = {c.dimension.name: c for c in assessment_change_by_dimension(two_rounds)}

    assert (changes["Selbstverständnis"].baseline, changes["Selbstverständnis"].follow_up) == (2.5, 5.0)
    assert changes["Selbstverständnis"].change == 2.5
    assert changes["Vernetzung"].change == -1.0
    html = render_results(two_rounds, coordinator)
    assert "Zweite Folgeerhebung" in html and "Alle Erhebungen:" in html


def test_change_by_dimension_follows_the_questionnaire_order(two_rounds, questionnaire):
    changes = assessment_change_by_dimension(two_rounds)

    assert [c.dimension.name for c in changes] == list(
        questionnaire.dimensions.values_list("name", flat=True)
    )
    assert changes[0].baseline == 2.5 and changes[0].follow_up == 4.0 and changes[0].change == 1.5


def test_one_round_shows_the_baseline_only(process, questionnaire, coordinator):
    submit(
        process, questionnaire, coordinator, "Ausgangslage", dt.date(2025, 3, 10), **{"Vernetzung": [1, 2]}
    )

    html = render_results(process, coordinator)

    svg = svg_of(html)
    bars = [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "portal-chart__bar--baseline"]
    assert len(bars) == 5
    assert len([r for r in svg.iter(f"{SVG}rect") if "portal-chart__key" in r.get("class")]) == 1
    assert "portal-chart__bar--follow-up" not in html
    assert "Veränderung" not in html
    assert "1,5" in html
    assert assessment_change_by_dimension(process)[-1].change is None


def test_without_rounds_the_coordinator_is_invited_to_fill_in(process, coordinator, member):
    html = render_results(process, coordinator)

    assert "Noch kein Selbstcheck ausgefüllt." in html
    assert "<svg" not in html
    assert reverse("authorities:assessment_new", args=[process.authority_id, process.pk]) in html
    assert "Selbstcheck ausfüllen" not in render_results(process, member)
    assert assessment_change_by_dimension(process) == []


def _queries_for_results(process, user):
    with CaptureQueriesContext(connection) as queries:
        render_results(process, user)
    return len(queries)


def test_results_run_the_same_number_of_queries_for_2_and_4_rounds(two_rounds, questionnaire, coordinator):
    with_two = _queries_for_results(two_rounds, coordinator)
    for year in (2027, 2028):
        submit(two_rounds, questionnaire, coordinator, f"Folgeerhebung {year}", dt.date(year, 3, 10))
    dimension = Dimension.objects.create(questionnaire=questionnaire, name="Neu", position=9)
    Statement.objects.create(dimension=dimension, text="Noch eine Aussage.")

    with_four = _queries_for_results(two_rounds, coordinator)

    # The rounds and their scores per dimension are one query (issue 18).
    assert with_two == with_four <= 1


def _table(html):
    rows = re.findall(r'<tr class="kern-table__row">(.*?)</tr>', html, re.S)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) for row in rows]
    return {cells_[0]: cells_[1:] for cells_ in cells[1:]}


def test_a_dimension_scored_only_between_baseline_and_latest_follow_up_is_left_out(
    two_rounds, questionnaire, coordinator
):
    # The results read every round's scores in one query: a round in between shows in the list of
    # rounds, but only the baseline and the latest follow-up are compared.
    dimension = Dimension.objects.create(questionnaire=questionnaire, name="Neu", position=9)
    Statement.objects.create(dimension=dimension, text="Noch eine Aussage.")
    submit(two_rounds, questionnaire, coordinator, "Zwischenstand", dt.date(2025, 9, 1), Neu=[5])

    html = render_results(two_rounds, coordinator)

    table = _table(html)
    assert "Neu" not in table
    assert table["Selbstverständnis"] == ["2,5", "4,0", "+1,5"]
    assert "Alle Erhebungen: Ausgangslage (10.03.2025), Zwischenstand (01.09.2025), Folgeerhebung" in html


def test_a_latest_round_without_answers_is_compared_without_scores(two_rounds, questionnaire, coordinator):
    AssessmentRound.objects.create(
        process=two_rounds, questionnaire=questionnaire, label="Leer", completed_on=dt.date(2027, 3, 10)
    )

    html = render_results(two_rounds, coordinator)

    assert "Leer" in html and "10.03.2027" in html
    assert _table(html)["Selbstverständnis"] == ["2,5", "–", "–"]


def test_process_page_shows_the_results(client_for, two_rounds, member):
    response = client_for(member).get(process_url("process_self_check", two_rounds))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="img"' in html and "+1,5" in html


# --- questionnaire maintenance ----------------------------------------------------------------


def test_project_staff_add_a_dimension_and_a_statement(client_for, project_staff, questionnaire):
    client = client_for(project_staff)
    url = reverse("authorities:questionnaire")

    response = client.post(url, {"dimension-name": "Beschwerdemanagement"})
    assert response.status_code == 302
    dimension = questionnaire.dimensions.get(name="Beschwerdemanagement")
    response = client.post(
        url, {"statement-dimension": dimension.pk, "statement-text": "Beschwerden werden beantwortet."}
    )

    assert response.status_code == 302
    assert list(dimension.statements.values_list("text", flat=True)) == ["Beschwerden werden beantwortet."]
    assert dimension.position > questionnaire.dimensions.exclude(pk=dimension.pk).last().position
    page = client.get(url).content.decode()
    assert "Beschwerdemanagement" in page and "Beschwerden werden beantwortet." in page


def test_project_staff_give_a_new_dimension_and_statement_their_english_names(
    client_for, project_staff, questionnaire
):
    client = client_for(project_staff)
    url = reverse("authorities:questionnaire")

    client.post(url, {"dimension-name": "Beschwerdemanagement", "dimension-name_en": "Complaints"})
    dimension = questionnaire.dimensions.get(name="Beschwerdemanagement")
    client.post(
        url,
        {
            "statement-dimension": dimension.pk,
            "statement-text": "Beschwerden werden beantwortet.",
            "statement-text_en": "Complaints are answered.",
        },
    )

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(url).content.decode()
    assert "Complaints</h2>" in page and "Complaints are answered." in page
    assert "Beschwerdemanagement</h2>" not in page


def test_empty_statement_gets_a_german_error(client_for, project_staff, questionnaire):
    before = Statement.objects.count()

    response = client_for(project_staff).post(
        reverse("authorities:questionnaire"), {"statement-dimension": "", "statement-text": ""}
    )

    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert Statement.objects.count() == before


@pytest.mark.parametrize("who", ["member", "coordinator", "funder"])
def test_only_project_staff_maintain_the_questionnaire(request, client_for, who, questionnaire):
    client = client_for(request.getfixturevalue(who))
    url = reverse("authorities:questionnaire")

    assert client.get(url).status_code == 403
    assert client.post(url, {"dimension-name": "Hintertür"}).status_code == 403
    assert not Dimension.objects.filter(name="Hintertür").exists()


def test_the_chart_escapes_every_text_and_names_its_title_and_description():
    from authorities.selectors.assessment import grouped_chart
    from authorities.templatetags.assessment_tags import chart_svg

    with translation.override("de"):  # the score prints with a German decimal comma
        chart = grouped_chart(
            groups=[("Service & <Empfang>", [3.5]), ("Leitbild", [None])],
            series=["Ausgangslage & mehr"],
            title="Werte <je> Dimension",
            description="Service & Empfang: 3,5",
        )
        svg = ET.fromstring(chart_svg(chart, "selbstcheck", 7))

    assert svg.get("aria-labelledby") == "selbstcheck-7-title selbstcheck-7-desc"
    assert svg.find(f"{SVG}title").text == "Werte <je> Dimension"
    assert svg.find(f"{SVG}desc").text == "Service & Empfang: 3,5"
    texts = ["".join(text.itertext()) for text in svg.iter(f"{SVG}text")]
    assert "Service & <Empfang>" in texts and "Ausgangslage & mehr" in texts
    assert "3,5" in texts and "–" in texts  # a dimension without a score has no bar length
    assert [bar.get("width") for bar in svg.iter(f"{SVG}rect") if "key" not in bar.get("class")] == [
        "210",
        "0",
    ]
