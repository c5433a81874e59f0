"""Project staff correct the indicators' data; the computation is chosen from the registry."""

import pytest
from django.urls import reverse

from portal.reports.models import Indicator, Programme, ProgrammeIndicator


def form_data(indicator, **changes):
    data = {
        "code": indicator.code,
        "name_de": indicator.name_de,
        "name_en": indicator.name_en,
        "unit": indicator.unit,
        "computation": indicator.computation,
        "target_total": "30",
        "target_rp": "15",
        "target_ni": "15",
        "programme": indicator.programme,
        "position": indicator.position,
        "notes": "",
    }
    return {**data, **changes}


def test_staff_correct_target_and_mapping_and_the_table_follows(client_for, project_staff):
    indicator = Indicator.objects.get(code="ABH-1")
    helpful = ProgrammeIndicator.objects.get(wording_en__startswith="Number of participants who report")
    client = client_for(project_staff)
    assert "ABH-1 bearbeiten" in client.get(reverse("reports:indicator_list")).content.decode()
    url = reverse("reports:indicator_edit", args=[indicator.pk])
    data = form_data(
        indicator, target_total="33", programme="amif-2014-2020", programme_indicators=[helpful.pk]
    )
    response = client.post(url, data, follow=True)
    assert "Der Indikator „ABH-1“ wurde gespeichert." in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.target_total == 33 and indicator.programme == Programme.AMIF_2014_2020
    # The proposals seeded for ABH-1 are replaced by the one chosen, which stays "zu prüfen".
    assert [(m.programme_indicator, m.to_check) for m in indicator.mappings.all()] == [(helpful, True)]
    listing = client.get(reverse("reports:indicator_list")).content.decode()
    assert "angeben, dass die Maßnahme" in listing and "zu prüfen" in listing
    assert "33" in client.get(reverse("reports:indicators")).content.decode()

    client.post(url, {**data, "mappings_checked": "on"})
    assert not indicator.mappings.get().to_check


def test_bad_input_is_explained_next_to_the_field_and_nothing_saved(client_for, project_staff):
    indicator = Indicator.objects.get(code="ABH-2")
    other = Indicator.objects.get(code="ABH-1")
    url = reverse("reports:indicator_edit", args=[indicator.pk])
    response = client_for(project_staff).post(
        url, form_data(indicator, code=other.code, target_rp="-1", computation="erfunden")
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Ein Zielwert kann nicht negativ sein." in content
    assert "Kennung" in content and "existiert bereits" in content
    assert "keine gültige Auswahl" in content
    indicator.refresh_from_db()
    assert indicator.code == "ABH-2" and indicator.target_rp != -1


def test_staff_add_an_indicator(client_for, project_staff):
    template = Indicator.objects.get(code="ABH-7")
    response = client_for(project_staff).post(
        reverse("reports:indicator_create"),
        form_data(template, code="ABH-99", name_de="Neu", name_en="New", position=99),
    )
    assert response.status_code == 302
    assert Indicator.objects.get(code="ABH-99").computation == template.computation


@pytest.mark.parametrize("who", ["funder", "member", "coordinator"])
def test_only_project_staff_edit(request, db, client_for, who):
    indicator = Indicator.objects.get(code="ABH-1")
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("reports:indicator_list")).status_code == 403
    url = reverse("reports:indicator_edit", args=[indicator.pk])
    assert client.post(url, form_data(indicator, target_total="1")).status_code == 403
    indicator.refresh_from_db()
    assert indicator.target_total != 1


def test_a_programme_indicator_number_beyond_64_bits_is_an_invalid_choice(client_for, project_staff):
    # Found by the form fuzzing on SQLite: OverflowError in the IN lookup, a server error.
    indicator = Indicator.objects.get(code="ABH-1")
    response = client_for(project_staff).post(
        reverse("reports:indicator_edit", args=[indicator.pk]),
        form_data(indicator, programme_indicators=["9223372036854775808"]),
    )

    assert response.status_code == 200
    assert "9223372036854775808" in str(response.context["form"].errors["programme_indicators"])
