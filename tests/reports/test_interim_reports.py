"""A report or indicator table of a period that has not ended is interim (issue 15): it says "Stand:
<day>" on every page and counts only until then; releasing such a version needs a second
confirmation and the funders see it marked "vorläufig". A released version can be withdrawn with a
reason: the funders see it as withdrawn, with the reason and the day, and the file stays."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from portal.reports import documents, services
from portal.reports.models import PeriodKind, ReportingPeriod, ReportVersion
from tests.authorities.pages import field_error
from tests.helpers import PDF_BYTES


@pytest.fixture
def running(db):
    today = timezone.localdate()
    return ReportingPeriod.objects.create(
        title="Laufendes Halbjahr",
        kind=PeriodKind.INTERIM,
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=60),
        due_on=today + timedelta(days=120),
    )


def _done(period, by=None):
    """A finished version, stored as the worker stores it (without rendering the PDF again)."""
    version = ReportVersion.objects.create(period=period, number=1, requested_by=by)
    documents.version_store(version_id=version.pk, content=PDF_BYTES, pages=1)
    version.refresh_from_db()
    return version


def _today():
    return f"{timezone.localdate():%d.%m.%Y}"


def test_the_indicator_table_of_a_running_period_says_stand_today(client_for, funder, running):
    client = client_for(funder)
    query = {"date_from": running.starts_on.isoformat(), "date_to": running.ends_on.isoformat()}

    page = client.get(reverse("reports:indicators"), query).text
    csv = client.get(reverse("reports:indicators_csv"), query).content.decode("utf-8-sig")

    assert f"Stand: {_today()} – vorläufig" in page
    assert f"Stand;{_today()};vorläufig" in csv


def test_the_indicator_table_of_an_ended_period_has_no_stand(client_for, funder, period):
    query = {"date_from": period.starts_on.isoformat(), "date_to": period.ends_on.isoformat()}
    client = client_for(funder)
    assert "Stand:" not in client.get(reverse("reports:indicators"), query).text
    assert "Stand" not in client.get(reverse("reports:indicators_csv"), query).content.decode("utf-8-sig")


def test_every_page_of_an_interim_report_pdf_says_stand(running):
    content = documents.render_report_pdf(
        date_from=running.starts_on, date_to=running.ends_on, period=running
    )
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]

    assert len(pages) > 3
    assert all(f"Stand: {_today()} (vorläufig)" in text for text in pages)


def test_a_report_of_an_ended_period_says_no_stand(period):
    content = documents.render_report_pdf(date_from=period.starts_on, date_to=period.ends_on, period=period)
    assert "vorläufig" not in "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_a_version_remembers_the_day_it_counted_until(running, period):
    assert _done(running).as_of == timezone.localdate()
    assert _done(period).as_of is None


def test_releasing_an_interim_version_asks_for_a_second_confirmation(
    client_for, project_staff, funder, running
):
    version = _done(running, project_staff)
    staff = client_for(project_staff)
    release = reverse("reports:version_release", args=[version.pk])

    page = staff.get(release).text
    assert "Vorläufiger Bericht" in page and f"Stand: {_today()}" in page
    refused = staff.post(release, {})
    assert field_error(refused.text, "interim_confirmed").startswith("Bitte bestätigen Sie")
    version.refresh_from_db()
    assert not version.released

    response = staff.post(release, {"interim_confirmed": "on"}, follow=True)
    assert "ist freigegeben" in response.text
    version.refresh_from_db()
    assert version.released

    index = client_for(funder).get(reverse("reports:index")).text
    assert "vorläufig" in index and f"Vorläufiger Bericht, Stand: {_today()}" in index


def test_an_ended_period_s_version_is_released_without_the_second_question(project_staff, period):
    version = services.version_release(version=_done(period), by=project_staff)
    assert version.released


def test_project_staff_withdraw_a_released_version_with_a_reason(client_for, project_staff, funder, period):
    version = services.version_release(version=_done(period, project_staff), by=project_staff)
    staff = client_for(project_staff)
    withdraw = reverse("reports:version_withdraw", args=[version.pk])
    assert "Version 1 zurückziehen" in staff.get(reverse("reports:narrative", args=[period.pk])).text

    refused = staff.post(withdraw, {"reason": "   "})
    assert field_error(refused.text, "reason")
    version.refresh_from_db()
    assert not version.withdrawn

    staff.post(withdraw, {"reason": "Teilnahmetage doppelt gezählt; korrigiert in Version 2."})
    version.refresh_from_db()
    assert version.withdrawn and version.withdrawn_by == project_staff

    funder_client = client_for(funder)
    index = funder_client.get(reverse("reports:index")).text
    assert f"Zurückgezogen am {_today()}. Grund: Teilnahmetage doppelt gezählt" in index
    # The file stays for the record.
    assert funder_client.get(reverse("reports:version_download", args=[version.pk])).status_code == 200


def test_only_a_released_version_can_be_withdrawn_and_only_by_project_staff(
    client_for, project_staff, funder, period
):
    version = _done(period, project_staff)
    withdraw = reverse("reports:version_withdraw", args=[version.pk])
    response = client_for(project_staff).post(withdraw, {"reason": "Fehler"})
    assert "Nur eine freigegebene Version kann zurückgezogen werden." in response.text
    services.version_release(version=version, by=project_staff)
    assert client_for(funder).post(withdraw, {"reason": "Fehler"}).status_code == 403
    version.refresh_from_db()
    assert not version.withdrawn
