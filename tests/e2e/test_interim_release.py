"""Project staff release an interim report (its period had not ended): the release page warns, asks
for a second confirmation next to a checkbox, and the funder then sees the report marked "vorläufig";
a withdrawn version shows its reason."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.accounts.models import User
from portal.reports import documents
from portal.reports.models import PeriodKind, ReportingPeriod, ReportVersion
from tests.e2e.pages import DEMO_USERS, assert_error_linked, main, submit
from tests.helpers import PDF_BYTES

pytestmark = pytest.mark.e2e


def test_staff_release_an_interim_report_with_a_second_confirmation_and_the_funder_sees_it(open_browsing):
    today = timezone.localdate()
    period = ReportingPeriod.objects.create(
        title="Laufender Zeitraum (Test)",
        kind=PeriodKind.INTERIM,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=30),
        due_on=today + timedelta(days=90),
    )
    version = ReportVersion.objects.create(
        period=period, number=1, requested_by=User.objects.get(email=DEMO_USERS["project_staff"])
    )
    documents.version_store(version_id=version.pk, content=PDF_BYTES, pages=1)
    stand = f"{today:%d.%m.%Y}"
    confirmation = (
        f"Ich gebe einen vorläufigen Bericht frei: Er zählt nur bis zum {stand}, der Zeitraum endet erst am "
        f"{period.ends_on:%d.%m.%Y}."
    )

    staff = open_browsing()
    page = staff.page
    staff.login(DEMO_USERS["project_staff"])
    staff.goto(f"/berichte/zeitraeume/{period.pk}/bericht/")
    assert main(page).get_by_text(f"vorläufig, Stand: {stand}").is_visible()
    with page.expect_navigation():
        main(page).get_by_role("link", name="Version 1 freigeben").click()
    assert main(page).get_by_text("Vorläufiger Bericht", exact=True).is_visible()
    staff.axe("interim release")

    submit(page, "Jetzt für die Fördermittelgeber freigeben")
    assert_error_linked(page, confirmation, "Bitte bestätigen Sie")
    version.refresh_from_db()
    assert not version.released
    staff.axe("interim release refused")

    main(page).get_by_label(confirmation).check()
    submit(page, "Jetzt für die Fördermittelgeber freigeben")
    assert main(page).get_by_text("Version 1 ist freigegeben").is_visible()
    version.refresh_from_db()
    assert version.released
    staff.assert_clean()

    funder = open_browsing()
    funder.login(DEMO_USERS["funder"])
    funder.goto("/berichte/")
    assert main(funder.page).get_by_text(f"Vorläufiger Bericht, Stand: {stand}").is_visible()
    funder.axe("funder sees an interim report")
    funder.assert_clean()


def test_the_funder_s_indicator_page_with_its_development_over_the_periods_passes_axe(open_browsing):
    funder = open_browsing()
    funder.login(DEMO_USERS["funder"])
    funder.goto("/berichte/indikatoren/")
    page = funder.page
    assert main(page).get_by_role("heading", name="Entwicklung über die Berichtszeiträume").is_visible()
    assert (
        main(page)
        .get_by_role("table", name="Die Zahlen der Grafiken zur Entwicklung über die Berichtszeiträume")
        .count()
        == 1
    )
    assert main(page).locator('figure[id^="entwicklung-"] svg').count() >= 10
    funder.axe("indicator page with development")
    funder.assert_clean()
