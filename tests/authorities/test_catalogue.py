"""The catalogue of example measures: everyone in the project reads it, project staff maintain it."""

import pytest
from django.urls import reverse

from authorities.models import MeasureTemplate
from authorities.services import assessment as assessment_services

LIST = reverse("authorities:catalogue")
CREATE = reverse("authorities:catalogue_create")


def edit_url(template):
    return reverse("authorities:catalogue_edit", args=[template.pk])


def valid_data(**overrides):
    return {
        "title": "Wartebereich freundlich gestalten",
        "description": "Sitzplätze, Spielecke und Wasser im Wartebereich.",
        "field": "organisation",
        "field_of_action": "service",
        **overrides,
    }


# The catalogue as data migration 0003 seeds it.
pytestmark = pytest.mark.usefixtures("instruments")


@pytest.fixture
def template(instruments):
    return MeasureTemplate.objects.get(title="Terminvergabe online")


@pytest.mark.parametrize(
    "who, status",
    [("project_staff", 200), ("member", 200), ("coordinator", 200), ("outsider", 200), ("funder", 403)],
)
def test_who_reads_the_catalogue(request, client_for, who, status):
    response = client_for(request.getfixturevalue(who)).get(LIST)

    assert response.status_code == status
    if status == 200:
        assert "Servicepoint am Empfang" in response.content.decode()


def test_authority_staff_see_no_edit_links(client_for, member, template):
    html = client_for(member).get(LIST).content.decode()

    assert edit_url(template) not in html
    assert CREATE not in html


def test_project_staff_see_edit_links(client_for, project_staff, template):
    html = client_for(project_staff).get(LIST).content.decode()

    assert edit_url(template) in html
    assert CREATE in html


def test_catalogue_filters_by_field(client_for, member):
    html = client_for(member).get(LIST, {"field": "cooperation"}).content.decode()

    assert "Kooperationsvereinbarung mit dem Jobcenter" in html
    assert "Servicepoint am Empfang" not in html


def test_catalogue_runs_a_constant_number_of_queries(client_for, member, django_assert_max_num_queries):
    client = client_for(member)
    client.get(LIST)  # warm up session and user lookups
    with django_assert_max_num_queries(4) as before:
        client.get(LIST)
    MeasureTemplate.objects.bulk_create(
        MeasureTemplate(
            title=f"Maßnahme {n}", description="…", field="personnel", field_of_action="intercultural"
        )
        for n in range(20)
    )

    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(LIST)
    assert "Maßnahme 19" in response.content.decode()


def test_project_staff_add_an_example_measure(client_for, project_staff):
    response = client_for(project_staff).post(CREATE, valid_data())

    assert response.status_code == 302
    assert response.url == LIST
    created = MeasureTemplate.objects.get(title="Wartebereich freundlich gestalten")
    assert (created.field, created.field_of_action) == ("organisation", "service")


def test_project_staff_edit_an_example_measure_keeping_its_title(client_for, project_staff, template):
    data = valid_data(title=template.title, description="Buchbar über das Serviceportal der Stadt.")

    response = client_for(project_staff).post(edit_url(template), data)

    assert response.status_code == 302
    template.refresh_from_db()
    assert template.description == "Buchbar über das Serviceportal der Stadt."


@pytest.mark.parametrize("title", ["Terminvergabe online", "terminvergabe ONLINE", "  Terminvergabe online "])
def test_duplicate_title_gets_a_german_error_and_saves_nothing(client_for, project_staff, title):
    before = MeasureTemplate.objects.count()

    response = client_for(project_staff).post(CREATE, valid_data(title=title))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_title-error"' in html
    assert "Eine Beispielmaßnahme mit diesem Titel gibt es bereits." in html
    assert MeasureTemplate.objects.count() == before


def test_renaming_onto_another_title_is_refused(client_for, project_staff, template):
    response = client_for(project_staff).post(edit_url(template), valid_data(title="Servicepoint am Empfang"))

    assert "Eine Beispielmaßnahme mit diesem Titel gibt es bereits." in response.content.decode()
    template.refresh_from_db()
    assert template.title == "Terminvergabe online"


def test_missing_fields_get_german_errors(client_for, project_staff):
    response = client_for(project_staff).post(CREATE, {"title": "", "description": "", "field": ""})

    html = response.content.decode()
    assert response.status_code == 200
    # Next to each field, and once more in the summary at the top.
    assert html.count('class="kern-error"') == 4
    assert html.count("Dieses Feld ist zwingend erforderlich.") == 8
    assert "Bitte korrigieren Sie die 4 markierten Angaben." in html


@pytest.mark.parametrize("who", ["member", "coordinator", "outsider", "funder"])
def test_only_project_staff_maintain_the_catalogue(request, client_for, who, template):
    client = client_for(request.getfixturevalue(who))
    before = MeasureTemplate.objects.count()

    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, valid_data()).status_code == 403
    assert client.get(edit_url(template)).status_code == 403
    assert client.post(edit_url(template), valid_data(title="Gekapert")).status_code == 403
    assert MeasureTemplate.objects.count() == before
    template.refresh_from_db()
    assert template.title == "Terminvergabe online"


def test_unknown_example_measure_is_not_found(client_for, project_staff):
    assert (
        client_for(project_staff).get(reverse("authorities:catalogue_edit", args=[99999])).status_code == 404
    )


@pytest.mark.parametrize("template_given", [False, True])
def test_the_service_refuses_a_field_it_does_not_open(project_staff, template, template_given):
    # A caller's typo or an extra field is an error, not silently dropped (it was, before).
    with pytest.raises(TypeError):
        assessment_services.measure_template_save(
            by=project_staff,
            template=template if template_given else None,
            **valid_data(titel="Tippfehler"),
        )

    template.refresh_from_db()
    assert template.title == "Terminvergabe online"
    assert not MeasureTemplate.objects.filter(title="Wartebereich freundlich gestalten").exists()
