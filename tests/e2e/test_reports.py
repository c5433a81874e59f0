"""Project staff write the narrative, generate the report PDF and watch its progress, release it; the
funder downloads it. The worker is played by a thread that pauses halfway, so the test sees the
progress bar the way a person does, and then the finished row that htmx swaps in."""

import hashlib
import io
import threading
from pathlib import Path

import pytest
from django.db import connections, transaction
from django.utils import timezone
from pypdf import PdfReader

from portal.reports import tasks
from portal.reports.models import ProgressReport, ReportingPeriod, ReportVersion
from tests.e2e.pages import DEMO_USERS, main

pytestmark = pytest.mark.e2e


@pytest.fixture
def paused_worker(monkeypatch):
    """render_version runs in a background thread (like a worker) and stops at 45 % until the test
    lets it go on."""
    halfway, go_on = threading.Event(), threading.Event()
    threads = []
    render = tasks.render_report_pdf

    def slow_render(**kwargs):
        report_progress = kwargs.pop("progress")

        def progress(percent, step):
            report_progress(percent, step)
            if step == "annexes":
                halfway.set()
                assert go_on.wait(30), "the test never let the worker go on"

        return render(progress=progress, **kwargs)

    def run(version_id):
        try:
            tasks.render_version(version_id)
        finally:
            connections.close_all()

    def delay_on_commit(version_id):
        thread = threading.Thread(target=run, args=(version_id,), daemon=True)
        threads.append(thread)
        transaction.on_commit(thread.start)

    monkeypatch.setattr(tasks, "render_report_pdf", slow_render)
    monkeypatch.setattr(tasks.render_version, "delay_on_commit", delay_on_commit)
    yield halfway, go_on
    go_on.set()
    for thread in threads:
        thread.join(30)


def test_staff_generate_and_release_the_report_and_the_funder_downloads_it(
    open_browsing, paused_worker, monkeypatch
):
    halfway, go_on = paused_worker
    period = ReportingPeriod.objects.filter(project__is_current=True).order_by("starts_on").first()
    staff = open_browsing()
    page = staff.page
    staff.login(DEMO_USERS["project_staff"])

    # The narrative: one section written and saved as a draft.
    staff.goto(f"/berichte/zeitraeume/{period.pk}/bericht/")
    staff.axe("narrative page")
    page.get_by_label("Ausblick").fill("Im zweiten Halbjahr folgen die Vertiefungsmodule.")
    with page.expect_navigation():
        main(page).get_by_role("button", name="Entwurf speichern").click()
    assert main(page).get_by_text("Der Entwurf des Sachberichts wurde gespeichert.").is_visible()
    assert "Vertiefungsmodule" in ProgressReport.objects.get(period=period).outlook

    # Generate: the page shows the progress while the worker is halfway.
    with page.expect_navigation():
        main(page).get_by_role("button", name="Bericht erzeugen").click()
    assert halfway.wait(30)
    progress = main(page).locator("progress")
    progress.wait_for()
    page.wait_for_function("() => document.querySelector('main progress')?.value === 45")
    assert main(page).get_by_text("Grafiken und Anlagen werden zusammengestellt.").is_visible()
    staff.axe("progress bar")
    staff.screenshot("report-progress")

    # The worker finishes; htmx swaps the row without a reload and stops asking.
    go_on.set()
    download = main(page).get_by_role("link", name="PDF der Version 1 herunterladen")
    download.wait_for(timeout=30_000)
    assert main(page).locator("progress").count() == 0
    assert main(page).get_by_text("Entwurf, nicht freigegeben").is_visible()
    version = ReportVersion.objects.get(period=period, number=1)
    assert main(page).get_by_text(version.sha256).is_visible()
    staff.axe("finished version")

    # Release: a separate page, a deliberate button.
    with page.expect_navigation():
        main(page).get_by_role("link", name="Version 1 freigeben").click()
    staff.axe("release confirmation")
    if version.period.ends_on >= timezone.localdate():
        # In the first half of the year the demo's first period is still running: an interim report
        # (tests/e2e/test_interim_release.py) needs the second confirmation.
        main(page).get_by_role("checkbox").check()
    with page.expect_navigation():
        main(page).get_by_role("button", name="Jetzt für die Fördermittelgeber freigeben").click()
    assert main(page).get_by_text("Version 1 ist freigegeben").is_visible()
    version.refresh_from_db()
    assert version.released
    staff.assert_clean()

    # The funder finds the report from the navigation and downloads it.
    funder = open_browsing()
    funder.login(DEMO_USERS["funder"])
    with funder.page.expect_navigation():
        navigation = funder.page.get_by_role("navigation", name="Hauptnavigation")
        navigation.get_by_role("link", name="Berichte").click()
    assert funder.page.get_by_role("heading", level=1).inner_text() == "Fortschrittsberichte"
    funder.axe("funder reports")
    with funder.page.expect_download() as info:
        main(funder.page).get_by_role("link", name="Version 1 als PDF herunterladen").click()
    content = Path(info.value.path()).read_bytes()
    assert hashlib.sha256(content).hexdigest() == version.sha256
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Vertiefungsmodule" in text and "Paula" not in text
    funder.assert_clean()
