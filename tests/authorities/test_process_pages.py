"""The pages of a change process: who may do what, the phase order, goals, milestones, settings,
consultations, the history and the query budget of each part of the process page (measures:
test_measures.py; the parts and their navigation: test_process_navigation.py)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from authorities.models import (
    ChangeProcess,
    Consultation,
    HistoryAction,
    HistoryEntry,
    Phase,
    PhaseTransition,
    ProcessStatus,
    ProcessStatusChange,
)
from tests.authorities.pages import measure_url, process_url
from tests.factories import (
    ChangeProcessFactory,
    GoalFactory,
    MeasureFactory,
    MilestoneFactory,
)

TODAY = timezone.localdate()


# --- starting and reading ----------------------------------------------------------------------


def test_project_staff_start_a_process_from_the_authority_page(client_for, project_staff, mainz):
    client = client_for(project_staff)
    page = client.get(mainz.get_absolute_url()).text
    start = reverse("authorities:process_start", args=[mainz.pk])
    assert start in page and "Prozess beginnen" in page

    response = client.post(start, {"coach": project_staff.pk, "started_on": TODAY.isoformat()})

    process = ChangeProcess.objects.get(authority=mainz)
    assert response.status_code == 302
    assert response["Location"] == process.get_absolute_url()
    assert process.phase == Phase.KICK_OFF
    summary = client.get(mainz.get_absolute_url()).text
    assert "Zum Veränderungsprozess" in summary and "Prozess beginnen" not in summary


def test_a_second_running_process_is_refused_with_a_german_message(client_for, project_staff, process):
    response = client_for(project_staff).post(
        reverse("authorities:process_start", args=[process.authority_id]),
        {"coach": project_staff.pk, "started_on": TODAY.isoformat()},
    )
    assert response.status_code == 200
    assert "Für diese Behörde läuft bereits ein Veränderungsprozess." in response.text
    assert ChangeProcess.objects.filter(authority=process.authority).count() == 1


@pytest.mark.parametrize("who", ["member", "coordinator"])
def test_authority_staff_may_not_start_a_process(client_for, request, who, mainz):
    response = client_for(request.getfixturevalue(who)).get(
        reverse("authorities:process_start", args=[mainz.pk])
    )
    assert response.status_code == 403


def test_member_reads_the_process_page_without_edit_links(client_for, member, process, measure):
    page = client_for(member).get(process.get_absolute_url()).text
    assert "Aufrufsystem" in page
    assert measure_url(measure) not in page
    assert process_url("phase_change", process) not in page
    assert "Zum Veränderungsprozess" in client_for(member).get(process.authority.get_absolute_url()).text


def test_process_page_marks_the_current_phase_and_lists_all_six(client_for, member, process):
    page = client_for(member).get(process.get_absolute_url()).text
    for label in Phase.labels:
        assert str(label) in page
    assert page.count('aria-current="step"') == 1
    current = page.split('aria-current="step"')[1].split("</li>")[0]
    assert "Auftakt" in current


def test_earlier_processes_stay_readable(client_for, member, mainz, process):
    earlier = ChangeProcessFactory(
        authority=mainz, status=ProcessStatus.COMPLETED, started_on=datetime.date(2020, 1, 1)
    )
    page = client_for(member).get(process.get_absolute_url()).text
    assert earlier.get_absolute_url() in page
    response = client_for(member).get(earlier.get_absolute_url())
    assert response.status_code == 200
    assert "Dieser Prozess ist beendet" in response.text


def test_other_processes_of_the_authority_are_listed_newest_first(
    client_for, member, mainz, hannover, process
):
    # Read with the process in one query (issue 18): only this authority's, never the process itself.
    older, newer = (
        ChangeProcessFactory(
            authority=mainz, status=ProcessStatus.COMPLETED, started_on=datetime.date(year, 1, 1)
        )
        for year in (2019, 2021)
    )
    elsewhere = ChangeProcessFactory(authority=hannover)

    page = client_for(member).get(process.get_absolute_url()).text

    section = page[page.index('id="fruehere"') :]
    listed = section[: section.index("</ul>")]
    assert listed.index(newer.get_absolute_url()) < listed.index(older.get_absolute_url())
    assert "Beginn 01.01.2021 (Abgeschlossen)" in listed
    assert process.get_absolute_url() + '"' not in listed
    assert elsewhere.get_absolute_url() not in page


# --- who gets what -----------------------------------------------------------------------------

PAGES = [
    ("process", {}),
    ("process_milestones", {}),
    ("process_self_check", {}),
    ("process_history", {}),
    ("process_edit", {}),
    ("phase_change", {}),
    ("goal_create", {}),
    ("measure_create", {}),
    ("measure_from_template", {}),
    ("measure_edit", {"measure_pk": None}),
    ("milestone_create", {}),
    ("consultation_create", {}),
]


def _page_url(name, kwargs, process, measure):
    return process_url(name, process, **dict.fromkeys(kwargs, measure.pk))


@pytest.mark.parametrize("name,kwargs", PAGES)
def test_funder_gets_404_on_every_process_page(client_for, funder, process, measure, name, kwargs):
    assert client_for(funder).get(_page_url(name, kwargs, process, measure)).status_code == 404


@pytest.mark.parametrize("name,kwargs", PAGES)
def test_staff_of_another_authority_get_404_on_every_process_page(
    client_for, outsider, process, measure, name, kwargs
):
    assert client_for(outsider).get(_page_url(name, kwargs, process, measure)).status_code == 404


def test_funder_gets_404_when_starting_a_process(client_for, funder, mainz):
    response = client_for(funder).get(reverse("authorities:process_start", args=[mainz.pk]))
    assert response.status_code == 404


def test_process_of_mainz_under_hannovers_address_is_404(client_for, project_staff, hannover, process):
    url = reverse("authorities:process", kwargs={"pk": hannover.pk, "process_pk": process.pk})
    assert client_for(project_staff).get(url).status_code == 404


@pytest.mark.parametrize(
    "name,kwargs",
    [("process_edit", {}), ("phase_change", {}), ("goal_create", {}), ("measure_create", {}),
     ("measure_from_template", {}), ("milestone_create", {})],
)  # fmt: skip
@pytest.mark.parametrize("who", ["member", "coordinator"])
def test_authority_staff_get_403_on_project_staff_pages(
    client_for, request, who, process, measure, name, kwargs
):
    user = request.getfixturevalue(who)
    assert client_for(user).get(_page_url(name, kwargs, process, measure)).status_code == 403


@pytest.mark.parametrize("name,kwargs", PAGES)
def test_project_staff_open_every_process_page(client_for, project_staff, process, measure, name, kwargs):
    assert client_for(project_staff).get(_page_url(name, kwargs, process, measure)).status_code == 200


# --- phase order -------------------------------------------------------------------------------


def test_project_staff_move_to_the_next_phase_with_a_result_note(client_for, project_staff, process):
    client = client_for(project_staff)
    form = client.get(process_url("phase_change", process)).text
    assert 'value="2" selected' in form

    response = client.post(
        process_url("phase_change", process), {"to_phase": 2, "result_note": "Auftakt gelungen"}
    )

    assert response.status_code == 302
    process.refresh_from_db()
    assert process.phase == Phase.SITE_ASSESSMENT
    transition = process.transitions.last()
    assert (transition.from_phase, transition.to_phase, transition.by) == (1, 2, project_staff)
    page = client.get(process.get_absolute_url()).text
    assert "Auftakt gelungen" in page


def test_skipping_a_phase_without_a_reason_is_refused_with_a_german_message(
    client_for, project_staff, process
):
    response = client_for(project_staff).post(process_url("phase_change", process), {"to_phase": 4})

    assert response.status_code == 200
    assert "Wer eine Phase überspringt oder zurückgeht, gibt bitte eine Begründung an." in response.text
    # The message sits at the reason field, not only in the summary at the top of the form.
    at_the_field = response.text.split('for="id_reason"')[1]
    assert "gibt bitte eine Begründung an." in at_the_field
    process.refresh_from_db()
    assert process.phase == Phase.KICK_OFF


def test_skipping_a_phase_with_a_reason_is_allowed(client_for, project_staff, process):
    response = client_for(project_staff).post(
        process_url("phase_change", process), {"to_phase": 4, "reason": "Standortbestimmung lag schon vor."}
    )
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.phase == Phase.IMPLEMENTATION
    assert process.transitions.last().reason == "Standortbestimmung lag schon vor."


def test_project_staff_go_back_only_with_a_reason(client_for, project_staff, process):
    process.phase = Phase.AGREED_GOALS
    process.save()
    client = client_for(project_staff)

    refused = client.post(process_url("phase_change", process), {"to_phase": 2})
    assert refused.status_code == 200
    assert "Begründung" in refused.text

    allowed = client.post(
        process_url("phase_change", process), {"to_phase": 2, "reason": "Daten fehlen noch."}
    )
    assert allowed.status_code == 302
    process.refresh_from_db()
    assert process.phase == Phase.SITE_ASSESSMENT


@pytest.mark.parametrize("who", ["member", "coordinator"])
@pytest.mark.parametrize("to_phase", [1, 4])
def test_authority_staff_cannot_move_the_phase(client_for, request, who, process, to_phase):
    process.phase = Phase.AGREED_GOALS
    process.save()
    response = client_for(request.getfixturevalue(who)).post(
        process_url("phase_change", process), {"to_phase": to_phase, "reason": "Wir möchten zurück."}
    )
    assert response.status_code == 403
    process.refresh_from_db()
    assert process.phase == Phase.AGREED_GOALS
    assert not PhaseTransition.objects.filter(process=process, to_phase=to_phase).exclude(from_phase=None)


# --- milestones, goals, settings ---------------------------------------------------------------


def test_milestones_show_whether_they_were_reached_on_time(client_for, member, process):
    MilestoneFactory(process=process, due_on=TODAY - datetime.timedelta(days=10), reached_on=TODAY)
    MilestoneFactory(process=process, due_on=TODAY, reached_on=TODAY - datetime.timedelta(days=1))
    page = client_for(member).get(process_url("process_milestones", process)).text
    assert "rechtzeitig erreicht" in page and "verspätet erreicht" in page


def test_project_staff_add_a_goal_and_a_milestone(client_for, project_staff, process):
    client = client_for(project_staff)
    assert (
        client.post(
            process_url("goal_create", process), {"title": "Interkulturell kompetent", "field": "personnel"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            process_url("milestone_create", process),
            {"title": "Workshop gehalten", "due_on": TODAY.isoformat()},
        ).status_code
        == 302
    )
    assert "Interkulturell kompetent" in client.get(process.get_absolute_url()).text
    assert "Workshop gehalten" in client.get(process_url("process_milestones", process)).text


def test_project_staff_edit_the_settings_of_the_process(client_for, project_staff, process):
    response = client_for(project_staff).post(
        process_url("process_edit", process),
        {
            "coach": project_staff.pk,
            "started_on": process.started_on.isoformat(),
            "status": "paused",
            "coordinator_may_add_consultations": "on",
        },
    )
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.status == "paused" and process.coordinator_may_add_consultations


# --- consultations -----------------------------------------------------------------------------

CONSULTATION = {
    "held_on": "2025-03-04",
    "format": "workshop",
    "participants": "Team Empfang",
    "topics": "Aufrufsystem",
}


def test_coordinator_adds_consultations_only_when_project_staff_allow_it(client_for, coordinator, process):
    client = client_for(coordinator)
    milestones = process_url("process_milestones", process)
    assert process_url("consultation_create", process) not in client.get(milestones).text
    assert client.post(process_url("consultation_create", process), CONSULTATION).status_code == 403

    process.coordinator_may_add_consultations = True
    process.save()

    assert process_url("consultation_create", process) in client.get(milestones).text
    assert client.post(process_url("consultation_create", process), CONSULTATION).status_code == 302
    assert Consultation.objects.get(process=process).created_by == coordinator


def test_member_never_adds_consultations(client_for, member, process):
    process.coordinator_may_add_consultations = True
    process.save()
    assert (
        client_for(member).post(process_url("consultation_create", process), CONSULTATION).status_code == 403
    )
    assert not Consultation.objects.exists()


def test_project_staff_document_a_consultation(client_for, project_staff, process):
    client = client_for(project_staff)
    assert client.post(process_url("consultation_create", process), CONSULTATION).status_code == 302
    assert "Team Empfang" in client.get(process_url("process_milestones", process)).text


# --- history -----------------------------------------------------------------------------------


def test_history_shows_who_changed_what(client_for, project_staff, coordinator, member, measure):
    coordinator.first_name, coordinator.last_name = "Karin", "Koordinatorin"
    coordinator.save()
    client_for(coordinator).post(
        measure_url(measure), {"status": "in_progress", "progress": "45", "result": ""}
    )

    page = client_for(member).get(process_url("process_history", measure.process)).text
    history = page.split('id="verlauf"')[1]
    assert "Maßnahme geändert: Aufrufsystem" in history
    assert "Karin Koordinatorin" in history
    assert "Fortschritt in Prozent: <del>10</del> → <ins>45</ins>" in history
    assert "Status: <del>Geplant</del> → <ins>In Umsetzung</ins>" in history


# --- query budget ------------------------------------------------------------------------------


def _fill(process, n):
    for i in range(n):
        goal = GoalFactory(process=process)
        MeasureFactory(process=process, goal=goal, due_on=TODAY - datetime.timedelta(days=i))
        MilestoneFactory(process=process)
        Consultation.objects.create(
            process=process, held_on=TODAY, format="online", participants="A", topics="B",
            created_by=process.coach,
        )  # fmt: skip
        ProcessStatusChange.objects.create(
            process=process, from_status="active", to_status="paused", day=TODAY, by=process.coach
        )
        HistoryEntry.objects.create(
            authority=process.authority,
            actor=process.coach,
            action=HistoryAction.GOAL_ADDED,
            subject=goal.title,
        )


# The queries of each part of the process page, pinned (issue 18: at most 20 on every page; the bench
# counts the second factor too): session, person, the process and the part's own lists. The overview's
# other processes come with the process; the self-check's rounds, scores and dimensions are one query.
PART_QUERIES = {
    "process": {"project_staff": 6, "coordinator": 6},
    "process_milestones": {"project_staff": 5, "coordinator": 5},
    "process_self_check": {"project_staff": 4, "coordinator": 4},
    "process_history": {"project_staff": 6, "coordinator": 5},  # the status days: project staff's
}


@pytest.mark.parametrize("part", PART_QUERIES)
@pytest.mark.parametrize("who", ["project_staff", "coordinator"])
def test_each_part_of_the_process_page_runs_the_same_queries_for_3_and_30_of_everything(
    client_for, request, who, part, mainz, hannover, django_assert_num_queries
):
    client = client_for(request.getfixturevalue(who))
    small = ChangeProcessFactory(authority=mainz)
    _fill(small, 3)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(process_url(part, small)).status_code == 200
    assert len(queries) <= PART_QUERIES[part][who]

    small.status = ProcessStatus.COMPLETED
    small.save()
    large = ChangeProcessFactory(authority=mainz)
    _fill(large, 30)
    with django_assert_num_queries(len(queries)):
        assert client.get(process_url(part, large)).status_code == 200


# --- history and filters -------------------------------------------------------------------------


def test_the_process_history_comes_in_pages_of_20_newest_first(client_for, member, process):
    for number in range(45):
        HistoryEntry.objects.create(
            authority=process.authority, action=HistoryAction.GOAL_ADDED, subject=f"Ziel {number:02d}"
        )
    HistoryEntry.objects.create(authority=process.authority, action=HistoryAction.CONTACT_ADDED, subject="X")
    client = client_for(member)

    def subjects(response):
        return re.findall(r"<strong>Ziel hinzugefügt: (Ziel \d+)</strong>", response.text)

    history = process_url("process_history", process)
    first = client.get(history)
    last = client.get(history, {"seite": 3})

    assert subjects(first) == [f"Ziel {number:02d}" for number in range(44, 24, -1)]
    assert subjects(last) == [f"Ziel {number:02d}" for number in range(4, -1, -1)]
    # Only the process's entries count (not the authority's contacts), all of them readable.
    assert "1–20 von 45" in first.text and "41–45 von 45" in last.text
    assert 'href="?seite=2#verlauf" rel="next"' in first.text
    assert 'href="?seite=2#verlauf" rel="prev"' in last.text


def test_the_measure_filter_shows_what_was_chosen(client_for, member, process):
    client = client_for(member)
    filtered = client.get(process.get_absolute_url(), {"field": "personnel"}).text
    assert '<option value="personnel" selected>' in filtered
    assert '<option value="personnel" selected>' not in client.get(process.get_absolute_url()).text
