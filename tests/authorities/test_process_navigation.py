"""Finding one's way on and to a change process: the overview links each row to its process, the
process page has a list of its sections and shows the phases as a step indicator, and the catalogue
picker says what each example measure is."""

import re

from django.urls import reverse

from authorities.models import MeasureTemplate, Phase
from authorities.services import process as services
from tests.authorities.pages import process_url


def test_overview_rows_link_to_the_process(client_for, project_staff, process):
    page = client_for(project_staff).get(reverse("authorities:process_overview")).text
    assert f'<a class="kern-link" href="{process.get_absolute_url()}">Stadt Mainz</a>' in page


def test_process_page_lists_its_sections_and_every_target_exists(client_for, member, process):
    page = client_for(member).get(process.get_absolute_url()).text
    jump_list = page.split('aria-labelledby="auf-dieser-seite"')[1].split("</nav>")[0]
    targets = re.findall(r'href="#([^"]+)"', jump_list)
    assert targets[:5] == ["phasen", "ziele", "massnahmenplan", "meilensteine", "beratungen"]
    assert "verlauf" in targets
    for target in targets:
        assert page.count(f'id="{target}"') == 1, target


def test_phases_are_a_step_indicator_with_done_current_and_open_steps(
    client_for, member, project_staff, process
):
    services.phase_change(process=process, to_phase=Phase.AGREED_GOALS, by=project_staff, reason="Demo")
    page = client_for(member).get(process.get_absolute_url()).text
    steps = page.split('<ol class="portal-steps">')[1].split("</ol>")[0]
    states = re.findall(r'portal-steps__step--(\w+)"', steps)
    assert states == ["done", "done", "current", "open", "open", "open"]
    current = steps.split('aria-current="step"')[1].split("</li>")[0]
    assert "Zielvereinbarung" in current and "aktuelle Phase" in current
    assert steps.count('aria-current="step"') == 1
    assert steps.count("abgeschlossen") == 2


def test_catalogue_picker_shows_each_measures_description(client_for, project_staff, process):
    template = MeasureTemplate.objects.create(
        title="Leitsystem mit Farben",
        description="Wegweiser in mehreren Sprachen.",
        field="organisation",
        field_of_action="service",
    )
    page = client_for(project_staff).get(process_url("measure_from_template", process)).text
    radio = re.search(rf'<input type="radio"[^>]*value="{template.pk}"[^>]*>', page)[0]
    hint_id = re.search(r'aria-describedby="([^"]+)"', radio)[1]
    assert re.search(rf'id="{hint_id}">Wegweiser in mehreren Sprachen.</div>', page)
