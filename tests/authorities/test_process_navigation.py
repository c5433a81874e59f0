"""Finding one's way on and to a change process: the overview links each row to its process, the
process page comes in four parts with a tab navigation (each section on one of them, and every way
back from a form leads to its part), shows the phases as a step indicator, and the catalogue picker
says what each example measure is."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from authorities.models import MeasureStatus, MeasureTemplate, Phase, ProcessStatusChange
from authorities.services import process as services
from tests.authorities.pages import process_url
from tests.factories import MeasureFactory, MilestoneFactory


def test_overview_rows_link_to_the_process(client_for, project_staff, process):
    page = client_for(project_staff).get(reverse("authorities:process_overview")).text
    assert f'<a class="kern-link" href="{process.get_absolute_url()}">Stadt Mainz</a>' in page


# The parts of the process page, their labels in the tab navigation and the sections each shows.
PARTS = {
    "process": ("Überblick", ["phasen", "ziele", "massnahmenplan"]),
    "process_milestones": ("Meilensteine und Beratungen", ["meilensteine", "beratungen"]),
    "process_self_check": ("Selbstcheck", ["selbstcheck"]),
    "process_history": ("Verlauf", ["prozessstatus", "verlauf"]),
}
SECTIONS = [section for _label, sections in PARTS.values() for section in sections]


def _tabs(page: str) -> str:
    return page.split('<nav class="portal-tabs" aria-label="Bereiche des Veränderungsprozesses">')[1].split(
        "</nav>"
    )[0]


def test_the_process_page_comes_in_four_parts_each_with_the_tabs_to_all_of_them(
    client_for, project_staff, process
):
    client = client_for(project_staff)
    urls = [process_url(name, process) for name in PARTS]
    assert urls[0] == process.get_absolute_url()

    for name, (label, sections) in PARTS.items():
        page = client.get(process_url(name, process)).text
        tabs = _tabs(page)
        assert re.findall(r'href="([^"]+)"', tabs) == urls
        assert re.findall(r"<a [^>]*>([^<]+)</a>", tabs) == [label for label, _sections in PARTS.values()]
        # The current part is marked for assistive technology, and named in the title and the trail.
        assert re.findall(r'<a [^>]*aria-current="page">([^<]+)</a>', tabs) == [label]
        heading = "Veränderungsprozess: Stadt Mainz"
        assert (
            f"<title>{heading if name == 'process' else f'{label} – {heading}'} – ABH-Portal</title>" in page
        )
        trail = page.split('aria-label="Brotkrümelnavigation"')[1].split("</nav>")[0]
        current = "Veränderungsprozess" if name == "process" else label
        assert re.findall(r'<span aria-current="page">([^<]+)</span>', trail) == [current]
        assert page.count('<h1 class="kern-heading-x-large">Veränderungsprozess</h1>') == 1
        # Each section on exactly one part; links to a section (after a form, in mails, on the start
        # page) lead to that part.
        for section in SECTIONS:
            assert page.count(f'id="{section}"') == (section in sections), (name, section)
        for section in sections:
            assert process.section_url(section) == f"{process_url(name, process)}#{section}"


def test_authority_staff_see_every_part_but_not_the_status_days_for_project_staff(
    client_for, member, process
):
    client = client_for(member)
    for name in PARTS:
        assert client.get(process_url(name, process)).status_code == 200
    history = client.get(process_url("process_history", process)).text
    assert 'id="verlauf"' in history and 'id="prozessstatus"' not in history


CONSULTATION = {"held_on": "2025-03-04", "format": "workshop", "participants": "Team", "topics": "Aufruf"}
MILESTONE = {"title": "Workshop", "due_on": "2026-03-01"}
MEASURE = {
    "title": "Beschilderung",
    "field": "organisation",
    "field_of_action": "service",
    "responsible": "Hausmeisterei",
    "status": "planned",
    "progress": "0",
}


@pytest.mark.parametrize(
    "form,data,part,section",
    [
        ("phase_change", {"to_phase": 2}, "process", "phasen"),
        ("goal_create", {"title": "Interkulturell kompetent", "field": "personnel"}, "process", "ziele"),
        ("measure_create", MEASURE, "process", "massnahmenplan"),
        ("milestone_create", MILESTONE, "process_milestones", "meilensteine"),
        ("consultation_create", CONSULTATION, "process_milestones", "beratungen"),
    ],
)  # fmt: skip
def test_a_form_of_the_process_leads_back_to_the_part_and_section_it_belongs_to(
    client_for, project_staff, process, form, data, part, section
):
    client = client_for(project_staff)
    back = f"{process_url(part, process)}#{section}"

    assert f'<a class="kern-link" href="{back}">Abbrechen</a>' in client.get(process_url(form, process)).text
    response = client.post(process_url(form, process), data)

    assert response.status_code == 302
    assert response["Location"] == back
    assert f'id="{section}"' in client.get(response["Location"]).text


def _trail(page: str) -> list[tuple[str, str]]:
    """The breadcrumb trail as (label, address) from the process on; the current page without one."""
    trail = page.split('aria-label="Brotkrümelnavigation"')[1].split("</nav>")[0]
    steps = re.findall(
        r'<li><(?:a class="kern-link" href="([^"]*)"|span aria-current="page")>([^<]+)</', trail
    )
    labels = [label for _href, label in steps]
    return [(label, href) for href, label in steps[labels.index("Veränderungsprozess") :]]


def _nothing(process):
    return {}


def _status_change(process):
    change = ProcessStatusChange.objects.create(
        process=process, from_status="active", to_status="paused", day=dt.date(2026, 4, 1),
        source="process_created_at",
    )  # fmt: skip
    return {"change_pk": change.pk}


def _done_measure(process):
    measure = MeasureFactory(process=process, status=MeasureStatus.DONE, done_on=dt.date(2026, 4, 1))
    return {"measure_pk": measure.pk}


@pytest.mark.parametrize(
    "page,objects,part,section,current",
    [
        ("assessment_new", _nothing, "process_self_check", "selbstcheck", "Selbstcheck ausfüllen"),
        ("milestone_create", _nothing, "process_milestones", "meilensteine", "Meilenstein hinzufügen"),
        ("milestone_edit", lambda p: {"milestone_pk": MilestoneFactory(process=p).pk}, "process_milestones",
         "meilensteine", "Meilenstein bearbeiten"),
        ("consultation_create", _nothing, "process_milestones", "beratungen",
         "Beratungstermin dokumentieren"),
        ("process_status_correct", _status_change, "process_history", "prozessstatus",
         "Datum einer Änderung des Prozessstatus korrigieren"),
        # Pages of the overview's sections: "Veränderungsprozess" is already their part.
        ("goal_create", _nothing, "process", "ziele", "Ziel hinzufügen"),
        ("measure_create", _nothing, "process", "massnahmenplan", "Maßnahme hinzufügen"),
        ("done_on_correct", _done_measure, "process", "massnahmenplan", "Umsetzungsdatum korrigieren"),
        ("process_edit", _nothing, "process", "", "Einstellungen des Veränderungsprozesses"),
    ],
)  # fmt: skip
def test_the_trail_of_a_page_of_the_process_leads_through_the_part_it_belongs_to(
    client_for, project_staff, process, instruments, page, objects, part, section, current
):
    html = client_for(project_staff).get(process_url(page, process, **objects(process))).text

    trail = [("Veränderungsprozess", process.get_absolute_url())]
    if part != "process":
        trail.append((PARTS[part][0], f"{process_url(part, process)}#{section}"))
    assert _trail(html) == [*trail, (current, "")]


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
