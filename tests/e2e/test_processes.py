"""Change processes in headless Chromium with the demo data: project staff start a process for an
authority that has none, agree a goal, take a measure from the catalogue, set a milestone and move to
the next phase; the coordinator of Stadt Mainz updates a measure of their own plan, reads the
self-check chart with both rounds and fills in the self-check form; funders get 404. The process
page's four parts are reached by its tabs. Every page on the
way passes axe (WCAG 2.1 A/AA), loads nothing from another host and trips no Content Security Policy."""

import importlib
import io
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from authorities.models import Authority, ChangeProcess, Measure, MeasureStatus, Phase
from tests.e2e.pages import DEMO_USERS

pytestmark = pytest.mark.e2e

BAD_DUERKHEIM = "07332000"  # not among the 20 participating demo authorities: no process yet
MAINZ = "07315000"


@pytest.fixture
def demo_data(transactional_db):
    """As in conftest, but first the catalogue and the questionnaire: they come with a data migration,
    which the flush after a transaction test (this one, or one elsewhere) has removed. Without them the
    demo has no measures from the catalogue and no self-check rounds."""
    importlib.import_module("authorities.migrations.0003_catalogue_and_selfcheck").add(apps, None)
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())


def main(page):
    return page.get_by_role("main")


def message(page, text: str):
    """The flash message at the top of the page that contains `text`."""
    return main(page).locator(".portal-messages").get_by_text(text)


def heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def click_and_wait(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def submit(page, name: str) -> None:
    click_and_wait(page, main(page).get_by_role("button", name=name, exact=True))


def section(page, name: str):
    return main(page).get_by_role("region", name=name, exact=True)


def open_part(page, name: str) -> None:
    """Another part of the process page, by its tab: the tab is then marked as the current page."""
    tabs = main(page).get_by_role("navigation", name="Bereiche des Veränderungsprozesses")
    click_and_wait(page, tabs.get_by_role("link", name=name, exact=True))
    assert tabs.locator("[aria-current=page]").inner_text() == name
    assert heading(page) == "Veränderungsprozess"


def test_project_staff_run_a_process_from_the_start(browsing):
    page = browsing.page
    authority = Authority.objects.get(ags=BAD_DUERKHEIM)
    assert not authority.processes.exists()
    today = timezone.localdate()
    browsing.login(DEMO_USERS["project_staff"])

    # The authority's page offers to begin a process.
    browsing.goto(authority.get_absolute_url())
    process_section = section(page, "Veränderungsprozess")
    assert process_section.get_by_text("Derzeit läuft kein Veränderungsprozess.").is_visible()
    click_and_wait(page, process_section.get_by_role("link", name="Prozess beginnen"))
    assert heading(page) == "Veränderungsprozess beginnen"
    browsing.axe("process start form")
    coach = page.get_by_label("Prozessbegleitung")
    assert coach.locator("option:checked").inner_text() == "Paula Projektteam", (
        "the signed-in user by default"
    )
    coach.select_option(label="Paula Projektteam")
    page.get_by_label("Beginn").fill(today.isoformat())
    submit(page, "Prozess beginnen")
    assert message(page, "Der Veränderungsprozess wurde begonnen.").is_visible()
    assert heading(page) == "Veränderungsprozess"
    process = ChangeProcess.objects.get(authority=authority)
    assert process.phase == Phase.KICK_OFF and process.started_on == today
    assert process.coach.email == DEMO_USERS["project_staff"]
    process_path = process.get_absolute_url()
    browsing.axe("new process page")
    browsing.screenshot("process-new")

    # A goal.
    click_and_wait(page, section(page, "Ziele").get_by_role("link", name="Ziel hinzufügen"))
    assert heading(page) == "Ziel hinzufügen"
    browsing.axe("goal form")
    page.get_by_label("Ziel", exact=True).fill("Wartezeiten am Schalter halbieren")
    page.get_by_label("Beschreibung").fill("Vereinbart mit der Kreisverwaltung.")
    page.get_by_label("Entwicklungsfeld").select_option(label="Organisationsentwicklung")
    submit(page, "Speichern")
    assert message(page, "Das Ziel wurde gespeichert.").is_visible()
    goals = section(page, "Ziele")
    assert goals.get_by_role("heading", name="Wartezeiten am Schalter halbieren").is_visible()
    assert goals.get_by_text("Noch keine Maßnahmen zu diesem Ziel.").is_visible()

    # A measure from the catalogue, assigned to someone and to the goal; the edit form follows.
    plan = section(page, "Maßnahmenplan")
    click_and_wait(page, plan.get_by_role("link", name="Maßnahme aus dem Katalog übernehmen"))
    assert heading(page) == "Maßnahme aus dem Katalog übernehmen"
    browsing.axe("measure from the catalogue")
    # Each example measure is a radio with its description read out with it.
    choice = page.get_by_role("group", name="Beispielmaßnahme aus dem Katalog").get_by_label(
        "Terminvergabe online"
    )
    assert "Termine für Vorsprachen online buchbar" in choice.evaluate(
        "el => document.getElementById(el.getAttribute('aria-describedby')).textContent"
    )
    choice.check()
    page.get_by_label("Verantwortlich").fill("Sachgebietsleitung Aufenthalt")
    page.get_by_label(re.compile(r"^Ziel")).select_option(label="Wartezeiten am Schalter halbieren")
    page.get_by_label("Fällig am").fill((today + timedelta(days=90)).isoformat())
    submit(page, "Maßnahme übernehmen")
    assert message(page, "Die Maßnahme „Terminvergabe online“ wurde aus dem Katalog übernommen.").is_visible()
    assert heading(page) == "Maßnahme „Terminvergabe online“ bearbeiten"
    assert page.get_by_label("Maßnahme", exact=True).input_value() == "Terminvergabe online"
    assert page.get_by_label("Verantwortlich").input_value() == "Sachgebietsleitung Aufenthalt"
    browsing.axe("measure form (project staff)")
    browsing.screenshot("process-measure-form-staff")
    page.get_by_label("Beteiligte").fill("Team Service, IT-Abteilung")
    submit(page, "Speichern")
    assert message(page, "Die Maßnahme „Terminvergabe online“ wurde gespeichert.").is_visible()
    row = section(page, "Maßnahmenplan").get_by_role("row").filter(has_text="Terminvergabe online")
    assert row.get_by_text("Ziel: Wartezeiten am Schalter halbieren").is_visible()
    assert row.get_by_text("Sachgebietsleitung Aufenthalt").is_visible()
    measure = Measure.objects.get(process=process)
    assert measure.template is not None and measure.goal.title == "Wartezeiten am Schalter halbieren"
    assert section(page, "Ziele").get_by_text("Fortschritt 0 % aus 1 Maßnahme").is_visible()

    # A milestone, on the part of the process page with the milestones and consultations.
    open_part(page, "Meilensteine und Beratungen")
    browsing.axe("process page: milestones and consultations (project staff)")
    click_and_wait(page, section(page, "Meilensteine").get_by_role("link", name="Meilenstein hinzufügen"))
    assert heading(page) == "Meilenstein hinzufügen"
    browsing.axe("milestone form")
    page.get_by_label("Meilenstein", exact=True).fill("Auftaktworkshop durchgeführt")
    page.get_by_label("Fällig am").fill((today + timedelta(days=30)).isoformat())
    submit(page, "Speichern")
    assert message(page, "Der Meilenstein wurde gespeichert.").is_visible()
    milestones = section(page, "Meilensteine")
    assert milestones.get_by_role("rowheader", name="Auftaktworkshop durchgeführt").is_visible()
    assert "/meilensteine-und-beratungen/#meilensteine" in page.url

    # Skipping a phase without a reason is refused (and the form with its error passes axe), the
    # next phase is fine.
    click_and_wait(page, main(page).get_by_role("link", name="Phase wechseln"))
    assert heading(page) == "Phase wechseln"
    browsing.axe("phase change form")
    browsing.screenshot("process-phase-change")
    new_phase = page.get_by_label("Neue Phase")
    assert new_phase.locator("option:checked").inner_text() == "Standortbestimmung"
    new_phase.select_option(label="Zielvereinbarung")
    submit(page, "Phase wechseln")
    assert heading(page) == "Phase wechseln", "skipping a phase needs a reason"
    reason_error = "Wer eine Phase überspringt oder zurückgeht, gibt bitte eine Begründung an."
    assert (
        main(page).get_by_role("alert").get_by_role("link", name=f"Begründung: {reason_error}").is_visible()
    )
    assert page.get_by_label("Begründung").get_attribute("aria-invalid") == "true"
    browsing.axe("phase change form with an error")
    page.get_by_label("Neue Phase").select_option(label="Standortbestimmung")
    page.get_by_label("Ergebnis der bisherigen Phase").fill("Projektgruppe gebildet.")
    submit(page, "Phase wechseln")
    assert message(page, "Der Prozess ist jetzt in der Phase „Standortbestimmung“.").is_visible()
    assert page.url.endswith(process_path + "#phasen")
    phases = section(page, "Phasen")
    # The step indicator: the marker's number is decoration (aria-hidden), the label says it all.
    current = phases.locator("[aria-current=step]")
    assert current.locator(".portal-steps__label").inner_text().split("\n") == [
        "Standortbestimmung",
        "aktuelle Phase",
    ]
    assert phases.locator(".portal-steps__step--done").inner_text().split("\n")[-2:] == [
        "Auftakt",
        "abgeschlossen",
    ]
    assert phases.get_by_text("Auftakt → Standortbestimmung").is_visible()
    assert phases.get_by_text("Ergebnis: Projektgruppe gebildet.").is_visible()
    process.refresh_from_db()
    assert process.phase == Phase.SITE_ASSESSMENT
    browsing.axe("process page after the phase change")

    # The other two parts: the self-check (none yet, one to fill in) and the history of the changes.
    open_part(page, "Selbstcheck")
    self_check = section(page, "Selbstcheck Willkommenskultur")
    assert self_check.get_by_text("Noch kein Selbstcheck ausgefüllt.", exact=False).is_visible()
    assert self_check.get_by_role("link", name="Selbstcheck ausfüllen").is_visible()
    browsing.axe("process page: self-check (project staff)")
    open_part(page, "Verlauf")
    assert section(page, "Verlauf des Prozessstatus").is_visible()
    history = section(page, "Änderungsverlauf")
    assert history.get_by_text("Meilenstein hinzugefügt: Auftaktworkshop durchgeführt").is_visible()
    browsing.axe("process page: history (project staff)")

    # The catalogue, the overview of all processes and the measure plan page.
    browsing.goto(reverse("authorities:catalogue"))
    assert heading(page) == "Katalog der Beispielmaßnahmen"
    assert main(page).get_by_role("rowheader", name=re.compile("Terminvergabe online")).is_visible()
    browsing.axe("catalogue (project staff)")
    browsing.goto(reverse("authorities:process_overview"))
    assert heading(page) == "Veränderungsprozesse im Überblick"
    assert main(page).get_by_role("rowheader", name="Landkreis Bad Dürkheim").is_visible()
    browsing.axe("process overview")
    browsing.screenshot("process-overview")
    page.get_by_label("Phase", exact=True).select_option(label="Standortbestimmung")
    submit(page, "Anwenden")
    assert main(page).get_by_role("rowheader", name="Landkreis Bad Dürkheim").is_visible()
    browsing.axe("process overview filtered")
    browsing.goto(reverse("authorities:measure_plan", args=[authority.pk]))
    assert heading(page) == "Maßnahmenplan als PDF"
    browsing.axe("measure plan page (project staff)")
    browsing.assert_clean()


def test_coordinator_updates_a_measure_and_reads_the_self_check(open_browsing):
    mainz = Authority.objects.get(ags=MAINZ)
    process = mainz.processes.active().get()
    assert process.assessments.count() >= 2, "the demo gives Mainz (phase 6) two self-check rounds"
    browsing = open_browsing()
    page = browsing.page
    browsing.login(DEMO_USERS["coordinator"])

    browsing.goto(mainz.get_absolute_url())
    click_and_wait(
        page, section(page, "Veränderungsprozess").get_by_role("link", name="Zum Veränderungsprozess")
    )
    assert heading(page) == "Veränderungsprozess"
    assert page.url.endswith(process.get_absolute_url())
    assert not main(page).get_by_role("link", name="Phase wechseln").count(), "only project staff"
    browsing.axe("process page (coordinator)")
    browsing.screenshot("process-coordinator")

    # The self-check, on its part of the page: the chart draws both rounds, the table beside it has the
    # numbers.
    open_part(page, "Selbstcheck")
    browsing.axe("process page: self-check (coordinator)")
    results = section(page, "Selbstcheck Willkommenskultur")
    chart = results.get_by_role("img", name="Selbstcheck Willkommenskultur: Werte je Dimension")
    assert chart.is_visible()
    baseline_bars = chart.locator("rect.portal-chart__bar--baseline:not(.portal-chart__key)")
    follow_up_bars = chart.locator("rect.portal-chart__bar--follow-up:not(.portal-chart__key)")
    assert baseline_bars.count() >= 1 and baseline_bars.count() == follow_up_bars.count()
    assert chart.locator("rect.portal-chart__key").count() == 2, "a legend entry per round"
    legend = chart.locator("text").all_text_contents()
    assert any(t.startswith("Ausgangslage vom") for t in legend), legend
    assert any(t.startswith("Folgeerhebung vom") for t in legend), legend
    table = results.get_by_role("table", name="Werte je Dimension")
    headers = table.get_by_role("columnheader").all_inner_texts()
    assert headers[0] == "Dimension" and headers[-1] == "Veränderung"
    assert any(h.startswith("Ausgangslage") for h in headers) and any(
        h.startswith("Folgeerhebung") for h in headers
    )
    rows = table.locator("tbody tr")
    assert rows.count() == follow_up_bars.count(), "a row per dimension, as in the chart"
    assert re.fullmatch(r"[+-]?\d,\d", rows.first.locator("td").last.inner_text().strip())

    # A measure of the own plan (on the overview): status, progress and result, nothing else.
    open_part(page, "Überblick")
    measure = process.measures.exclude(status=MeasureStatus.DONE).order_by("pk").first() or (
        process.measures.order_by("pk").first()
    )
    plan = section(page, "Maßnahmenplan")
    click_and_wait(page, plan.get_by_role("link", name=f"„{measure.title}“ bearbeiten"))
    assert heading(page) == f"Maßnahme „{measure.title}“ bearbeiten"
    assert not page.get_by_label("Maßnahme", exact=True).count(), "the title is for project staff"
    assert not page.get_by_label("Verantwortlich").count()
    browsing.axe("measure form (coordinator)")
    browsing.screenshot("process-measure-form-coordinator")
    page.get_by_label("Status").select_option(label="In Umsetzung")
    page.get_by_label("Fortschritt in Prozent").fill("140")
    submit(page, "Speichern")
    assert heading(page) == f"Maßnahme „{measure.title}“ bearbeiten", "more than 100 % is refused"
    browsing.axe("measure form (coordinator) with an error")
    page.get_by_label("Fortschritt in Prozent").fill("45")
    page.get_by_label("Ergebnis").fill("Erste Termine online vergeben.")
    submit(page, "Speichern")
    assert message(page, f"Die Maßnahme „{measure.title}“ wurde gespeichert.").is_visible()
    measure.refresh_from_db()
    assert (measure.status, measure.progress) == (MeasureStatus.IN_PROGRESS, 45)
    row = section(page, "Maßnahmenplan").get_by_role("row").filter(has_text=measure.title)
    assert row.get_by_text("45 %").is_visible()
    assert row.get_by_text("Ergebnis: Erste Termine online vergeben.").is_visible()
    assert row.locator(".kern-badge").filter(has_text=measure.get_status_display()).is_visible()
    # The filter of the plan finds it among the measures in progress.
    plan = section(page, "Maßnahmenplan")
    plan.get_by_label("Status").select_option(value=MeasureStatus.IN_PROGRESS)
    click_and_wait(page, plan.get_by_role("button", name="Anwenden"))
    assert (
        section(page, "Maßnahmenplan")
        .get_by_role("rowheader", name=re.compile(re.escape(measure.title)))
        .is_visible()
    )
    browsing.axe("process page with the plan filtered (coordinator)")

    # The self-check form: unanswered statements are errors, the form with them passes axe too.
    open_part(page, "Selbstcheck")
    click_and_wait(
        page,
        section(page, "Selbstcheck Willkommenskultur").get_by_role("link", name="Folgeerhebung ausfüllen"),
    )
    assert heading(page) == "Selbstcheck Willkommenskultur ausfüllen"
    assert page.get_by_label("Bezeichnung der Erhebung").input_value() == "Folgeerhebung"
    browsing.axe("self-check form")
    browsing.screenshot("process-selfcheck")
    submit(page, "Selbstcheck speichern")
    assert heading(page) == "Selbstcheck Willkommenskultur ausfüllen"
    assert main(page).get_by_text("Bitte wählen Sie aus, wie sehr diese Aussage zutrifft.").first.is_visible()
    browsing.axe("self-check form with errors")
    rounds = process.assessments.count()
    statements = main(page).locator("fieldset[id^=id_statement_]").all()
    assert statements, "a group of radio buttons per statement"
    for statement in statements:
        statement.get_by_role("radio", name="4 – trifft eher zu").check()
    submit(page, "Selbstcheck speichern")
    assert message(page, "Der Selbstcheck „Folgeerhebung“ wurde gespeichert.").is_visible()
    assert process.assessments.count() == rounds + 1
    assert section(page, "Selbstcheck Willkommenskultur").is_visible(), "back on the self-check's part"
    browsing.axe("process page after a third round")
    open_part(page, "Meilensteine und Beratungen")
    browsing.axe("process page: milestones and consultations (coordinator)")
    open_part(page, "Verlauf")
    assert not section(page, "Verlauf des Prozessstatus").count(), "project staff's"
    browsing.axe("process page: history (coordinator)")

    # The catalogue and the page of the measure plan as PDF, as the coordinator sees them.
    browsing.goto(reverse("authorities:catalogue"))
    assert not main(page).get_by_role("link", name="Beispielmaßnahme anlegen").count()
    browsing.axe("catalogue (coordinator)")
    browsing.goto(reverse("authorities:measure_plan", args=[mainz.pk]))
    assert main(page).get_by_role("button", name="PDF erstellen").is_visible()
    browsing.axe("measure plan page (coordinator)")
    browsing.assert_clean()

    # Funders see the authority but nothing of its process.
    funder = open_browsing()
    funder.login(DEMO_USERS["funder"])
    for path in [
        process.get_absolute_url(),
        reverse("authorities:assessment_new", args=[mainz.pk, process.pk]),
        reverse("authorities:measure_edit", args=[mainz.pk, process.pk, measure.pk]),
    ]:
        response = funder.page.goto(funder.base_url + path)
        assert response.status == 404, f"funder GET {path}: {response.status}"
    funder.assert_clean()


def test_project_staff_correct_the_day_a_measure_was_done(browsing):
    page = browsing.page
    process = ChangeProcess.objects.filter(authority__ags=MAINZ).first()
    measure = process.measures.filter(done_on__isnull=False).order_by("due_on", "pk").first()
    yesterday = timezone.localdate() - timedelta(days=1)
    browsing.login(DEMO_USERS["project_staff"])

    browsing.goto(reverse("authorities:process_history", args=[process.authority_id, process.pk]))
    assert section(page, "Verlauf des Prozessstatus").is_visible()
    open_part(page, "Überblick")
    link = section(page, "Maßnahmenplan").get_by_role("link", name=f"Datum korrigieren ({measure.title})")
    click_and_wait(page, link)
    assert heading(page) == "Umsetzungsdatum korrigieren"
    browsing.axe("correction of a day done")

    page.get_by_label("Richtiges Datum").fill((timezone.localdate() + timedelta(days=1)).isoformat())
    page.get_by_label("Begründung").fill("Laut Protokoll der Dienstbesprechung")
    submit(page, "Datum korrigieren")
    assert main(page).get_by_text("Das Datum kann nicht in der Zukunft liegen.").first.is_visible()
    browsing.axe("correction of a day done, refused")

    page.get_by_label("Richtiges Datum").fill(yesterday.isoformat())
    submit(page, "Datum korrigieren")
    assert message(page, "wurde korrigiert").is_visible()
    measure.refresh_from_db()
    assert (measure.done_on, measure.done_on_guessed) == (yesterday, False)
    browsing.axe("process page after a correction")
