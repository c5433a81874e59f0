"""The narrative of a report: leaving with unsaved text asks first; "Bericht erzeugen" keeps it."""

import pytest

from portal.reports import tasks
from portal.reports.models import ProgressReport, ReportingPeriod, ReportVersion
from tests.e2e.pages import DEMO_USERS, click_and_wait, main, message

pytestmark = pytest.mark.e2e


def test_unsaved_narrative_warns_before_leaving_and_generating_saves_it(open_browsing, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.render_version, "delay_on_commit", queued.append)
    period = ReportingPeriod.objects.filter(project__is_current=True).order_by("starts_on").first()
    staff = open_browsing()
    page = staff.page
    staff.login(DEMO_USERS["project_staff"])
    staff.goto(period.get_absolute_url())
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # "stay on this page"

    page.on("dialog", on_dialog)
    # Nothing typed yet: leaving asks nothing.
    click_and_wait(
        page,
        page.get_by_role("navigation", name="Brotkrümelnavigation").get_by_role(
            "link", name="Berichtszeiträume"
        ),
    )
    assert dialogs == []
    staff.goto(period.get_absolute_url())
    page.get_by_label("Zusammenfassung").fill("Noch nicht gespeichert: die Schulungen liefen gut.")
    page.get_by_role("navigation", name="Brotkrümelnavigation").get_by_role(
        "link", name="Berichtszeiträume"
    ).click()
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(period.get_absolute_url())
    assert page.get_by_label("Zusammenfassung").input_value().startswith("Noch nicht gespeichert")

    # Generating submits the narrative with it: no warning, the text is the saved draft.
    main(page).get_by_label("Gebiet").select_option(label="Niedersachsen")
    click_and_wait(page, main(page).get_by_role("button", name="Bericht erzeugen"))
    assert dialogs == ["beforeunload"]
    assert message(page, "Der Entwurf des Sachberichts wurde gespeichert.").is_visible()
    assert message(page, "Version 1 des Berichts wird erstellt.").is_visible()
    assert ProgressReport.objects.get(period=period).summary.startswith("Noch nicht gespeichert")
    version = ReportVersion.objects.get(period=period)
    assert version.state == "NI" and queued == [version.pk]
    staff.axe("narrative page after generating")
    staff.assert_clean()
