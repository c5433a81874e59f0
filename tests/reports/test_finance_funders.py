"""Funders see the money only aggregated: in the released report's annex and on their page of reports,
as of the end of the latest period with a released report; never the Belegliste."""

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from portal.reports.finance.models import BudgetLine, CostCategory, Expenditure, FundingSource
from portal.reports.models import ReportVersion, VersionStatus


def _money(project):
    category = CostCategory.objects.get(name="Reisekosten")
    BudgetLine.objects.create(project=project, category=category, year=2026, amount=Decimal("1000.00"))
    FundingSource.objects.create(project=project, name="AMIF", kind="eu", planned_amount=Decimal("1000.00"))
    for number, (day, amount) in enumerate(((date(2026, 3, 1), "250.25"), (date(2026, 8, 1), "99.00")), 1):
        Expenditure.objects.create(
            project=project,
            number=number,
            paid_on=day,
            category=category,
            amount=Decimal(amount),
            purpose="Bahnfahrt Musterfrau",
        )


def _release(period, by):
    return ReportVersion.objects.create(
        period=period,
        number=1,
        status=VersionStatus.DONE,
        requested_by=by,
        released_by=by,
        released_at=timezone.now(),
    )


def test_funders_see_the_totals_as_of_the_released_period_and_no_receipts(
    funding_project, period, funder, project_staff, client_for
):
    _money(funding_project)
    client = client_for(funder)
    assert "Finanzen des Projekts" not in client.get(reverse("reports:index")).content.decode()
    _release(period, project_staff)
    page = client.get(reverse("reports:index")).content.decode()
    assert "Finanzen des Projekts, Stand 30.06.2026" in page
    # The August payment lies after the period; 250,25 € of travel and 7 % indirect costs on it.
    assert 'id="funder-ist">267,77\u00a0€<' in page
    assert "Musterfrau" not in page
    assert client.get(reverse("finance:expenditures")).status_code == 403


def test_project_staff_have_their_own_page_instead(funding_project, period, project_staff, client_for):
    _money(funding_project)
    _release(period, project_staff)
    page = client_for(project_staff).get(reverse("reports:index")).content.decode()
    assert "Finanzen des Projekts" not in page
