"""Indirect costs as a flat rate of their base (computed, never booked), work packages beside the
activity of an expenditure, and the finances of any funding project under its own address."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.reports.finance import services
from portal.reports.finance.categories import categories_load
from portal.reports.finance.documents import finance_annex
from portal.reports.finance.models import BudgetLine, CostCategory, Expenditure, WorkPackage
from portal.reports.finance.selectors import finance_overview
from portal.reports.models import FundingProject, PeriodKind, Programme, ReportingPeriod
from tests.factories import CourseFactory


def category(name):
    return CostCategory.objects.get(name=name)


@pytest.fixture
def indirect(db):
    return CostCategory.objects.get(is_flat_rate=True)


@pytest.fixture
def old_project(db):
    """ism's project of 2015–2017, not the current one."""
    return FundingProject.objects.create(
        title="Ausländerbehörden 2015–2017",
        programme=Programme.AMIF_2014_2020,
        beneficiary="ism Mainz",
        starts_on=date(2015, 1, 1),
        ends_on=date(2017, 12, 31),
    )


def _spend(project, staff, name, day, amount, **extra):
    return services.expenditure_create(
        project=project, by=staff, paid_on=day, category=category(name), amount=Decimal(amount),
        purpose="Ausgabe", **extra,
    )  # fmt: skip


def test_indirect_costs_are_a_flat_rate_of_the_personnel_costs_per_year_rounded_half_up(
    funding_project, project_staff, indirect
):
    CostCategory.objects.filter(pk=indirect.pk).update(
        flat_rate_percent=Decimal(15), flat_rate_base="personnel"
    )
    for name, year, amount in (("Personalausgaben", 2025, "1000.10"), ("Personalausgaben", 2026, "100.10"),
                               ("Sachausgaben", 2026, "5000.00")):  # fmt: skip
        services.budget_line_set(
            project=funding_project,
            category=category(name),
            year=year,
            amount=Decimal(amount),
            by=project_staff,
        )
    _spend(funding_project, project_staff, "Personalausgaben", date(2026, 2, 1), "100.10")
    _spend(funding_project, project_staff, "Sachausgaben", date(2026, 2, 1), "999.99")
    overview = finance_overview(project=funding_project, as_of=date(2026, 12, 31))
    row = next(r for r in overview.categories if r.category.is_flat_rate)
    # 15 % of 1.000,10 = 150,015 and of 100,10 = 15,015: each year rounds up on its own.
    assert row.planned == {2025: Decimal("150.02"), 2026: Decimal("15.02")}
    assert row.spent == {2026: Decimal("15.02")}  # the Sachausgaben are not the base
    assert overview.planned_total == Decimal("6265.24") and overview.spent_total == Decimal("1115.11")


def test_nothing_is_planned_or_booked_on_a_flat_rate(funding_project, project_staff, indirect, client_for):
    with pytest.raises(ValidationError, match="Pauschale"):
        services.budget_line_set(
            project=funding_project, category=indirect, year=2026, amount=Decimal(1), by=project_staff
        )
    with pytest.raises(ValidationError, match="darauf wird nichts gebucht"):
        _spend(funding_project, project_staff, "Indirekte Kosten (Pauschale)", date(2026, 2, 1), "1.00")
    client = client_for(project_staff)
    response = client.post(
        reverse("finance:expenditure_create"),
        {"paid_on": "2026-02-01", "category": indirect.pk, "amount": "1,00", "purpose": "Miete"},
    )
    assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()
    assert f'value="{indirect.pk}"' not in client.get(reverse("finance:plan")).content.decode()
    assert not Expenditure.objects.exists() and not BudgetLine.objects.exists()


def test_staff_tie_an_expenditure_to_a_work_package_and_see_its_spending(
    funding_project, project_staff, client_for
):
    client = client_for(project_staff)
    response = client.post(
        reverse("finance:work_package_create"),
        {"number": "AP 2", "title": "Qualifizierung", "planned_amount": "1.000,00"},
    )
    assert response.status_code == 302
    package = WorkPackage.objects.get(project=funding_project)
    course = CourseFactory()
    response = client.post(
        reverse("finance:expenditure_create"),
        {
            "paid_on": "2026-03-02",
            "category": category("Honorare/Qualifizierung").pk,
            "amount": "250,00",
            "purpose": "Honorar Trainerin",
            "course": course.pk,
            "work_package": package.pk,
        },
    )
    assert response.status_code == 302
    assert Expenditure.objects.get().work_package == package
    assert "AP 2 Qualifizierung" in client.get(reverse("finance:expenditures")).content.decode()
    page = client.get(reverse("finance:overview"), {"as_of": "2026-12-31"}).content.decode()
    # 250,00 € in AP 2 (25 % of its plan), 17,50 € of indirect costs beside the work packages.
    assert "250,00\u00a0€</td>" in page and "25,0\u00a0%" in page and "Pauschalen" in page
    assert 'id="arbeitspakete-summe">267,50\u00a0€<' in page
    # The same number twice in a project is refused next to the field.
    response = client.post(reverse("finance:work_package_create"), {"number": "AP 2", "title": "Noch eins"})
    assert response.status_code == 200 and WorkPackage.objects.count() == 1


def test_a_work_package_of_another_project_is_refused(funding_project, old_project, project_staff):
    package = WorkPackage.objects.create(project=old_project, number="AP 1", title="Alt")
    with pytest.raises(ValidationError, match="anderen Förderprojekt"):
        _spend(funding_project, project_staff, "Reisekosten", date(2026, 1, 5), "10.00", work_package=package)


def test_staff_choose_the_funding_project_each_with_its_own_address(
    funding_project, old_project, project_staff, client_for
):
    services.budget_line_set(
        project=old_project, category=category("Reisekosten"), year=2016, amount=Decimal("700.00"),
        by=project_staff,
    )  # fmt: skip
    client = client_for(project_staff)
    current = client.get(reverse("finance:overview")).content.decode()
    old_url = reverse("finance:overview", kwargs={"project_pk": old_project.pk})
    assert f'href="{old_url}"' in current and "Ausländerbehörden 2015–2017" in current
    page = client.get(old_url, {"as_of": "2017-12-31"}).content.decode()
    assert 'id="plan-gesamt">749,00\u00a0€<' in page  # 700,00 € and 7 % indirect costs
    plan_url = reverse("finance:plan", kwargs={"project_pk": old_project.pk})
    assert f'href="{plan_url}"' in page
    # A planned amount set there belongs to that project; its term decides the years.
    response = client.post(plan_url, {"category": category("Sachausgaben").pk, "year": "2017", "amount": "1"})
    assert response.status_code == 302 and response["Location"] == plan_url
    assert BudgetLine.objects.filter(project=old_project).count() == 2
    assert not BudgetLine.objects.filter(project=funding_project).exists()
    # An expenditure of one project is not found under the other's address.
    spent = _spend(funding_project, project_staff, "Reisekosten", date(2026, 1, 5), "10.00")
    other = reverse("finance:expenditure_reverse", kwargs={"project_pk": old_project.pk, "pk": spent.pk})
    assert client.get(other).status_code == 404
    assert client.get(reverse("finance:overview", kwargs={"project_pk": 999999})).status_code == 404


def test_the_report_annex_uses_the_reports_project(funding_project, old_project, project_staff):
    services.budget_line_set(
        project=old_project, category=category("Reisekosten"), year=2016, amount=Decimal("700.00"),
        by=project_staff,
    )  # fmt: skip
    period = ReportingPeriod.objects.create(
        project=old_project, title="Zwischenbericht 2016", kind=PeriodKind.INTERIM,
        starts_on=date(2016, 1, 1), ends_on=date(2016, 6, 30), due_on=date(2016, 8, 31),
    )  # fmt: skip
    annex = finance_annex(period=period, date_from=period.starts_on, date_to=period.ends_on)
    assert annex["project"] == old_project and annex["totals"][2] == Decimal("749.00")
    assert finance_annex(period=None, date_from=period.starts_on, date_to=period.ends_on) is None


def test_categories_loaded_into_an_emptied_database_carry_their_flat_rate(db):
    # What the demo does after a transactional test emptied the migration's rows (the browser tests).
    CostCategory.objects.all().delete()
    categories_load(CostCategory=CostCategory)

    flat = CostCategory.objects.get(is_flat_rate=True)
    assert (flat.flat_rate_percent, flat.flat_rate_base) == (Decimal("7.00"), "direct")
    assert list(CostCategory.objects.filter(is_personnel=True).values_list("name", flat=True)) == [
        "Personalausgaben"
    ]
