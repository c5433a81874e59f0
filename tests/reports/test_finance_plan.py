"""The financing plan: planned amounts per category and year, the funding sources and the check that
they cover the plan to the cent; only project staff see or change it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from portal.reports.finance.models import BudgetLine, CostCategory, FinanceEvent, FundingSource

PAGES = [
    "finance:overview",
    "finance:overview_csv",
    "finance:overview_xlsx",
    "finance:plan",
    "finance:source_create",
    "finance:expenditures",
    "finance:expenditure_create",
    "finance:expenditures_xlsx",
    "finance:receipts",
    "finance:history",
]


def category(name="Personalausgaben"):
    return CostCategory.objects.get(name=name)


@pytest.mark.parametrize("name", PAGES)
def test_authority_staff_and_funders_never_see_the_finances(
    name, funding_project, coordinator, funder, client_for
):
    for user in (coordinator, funder):
        assert client_for(user).get(reverse(name)).status_code == 403
        assert client_for(user).post(reverse(name), {}).status_code == 403


def test_the_categories_come_as_data(db):
    names = list(CostCategory.objects.values_list("name", flat=True))
    assert names[:3] == ["Personalausgaben", "Sachausgaben", "Reisekosten"]
    assert CostCategory.objects.get(name="Indirekte Kosten (Pauschale)").is_flat_rate


def test_project_staff_set_a_planned_amount_typed_the_german_way(funding_project, project_staff, client_for):
    client = client_for(project_staff)
    response = client.post(
        reverse("finance:plan"), {"category": category().pk, "year": "2026", "amount": "186.400,55"}
    )
    assert response.status_code == 302
    line = BudgetLine.objects.get(project=funding_project)
    assert line.amount == Decimal("186400.55") and line.year == 2026
    page = client.get(reverse("finance:plan")).content.decode()
    assert "186.400,55\u00a0€" in page
    assert FinanceEvent.objects.filter(text__contains="186.400,55").exists()


def test_a_year_outside_the_term_is_refused_next_to_the_field(funding_project, project_staff, client_for):
    response = client_for(project_staff).post(
        reverse("finance:plan"), {"category": category().pk, "year": "2031", "amount": "100"}
    )
    assert response.status_code == 200
    assert "außerhalb der Laufzeit" in response.content.decode()
    assert not BudgetLine.objects.exists()


def test_an_amount_with_three_places_or_letters_is_refused(funding_project, project_staff, client_for):
    client = client_for(project_staff)
    for amount in ("12,345", "zwölf"):
        response = client.post(
            reverse("finance:plan"), {"category": category().pk, "year": "2026", "amount": amount}
        )
        assert response.status_code == 200
    assert not BudgetLine.objects.exists()


def _plan(project, staff, client):
    client.post(reverse("finance:plan"), {"category": category().pk, "year": "2026", "amount": "1000,00"})
    client.post(
        reverse("finance:plan"), {"category": category("Sachausgaben").pk, "year": "2027", "amount": "0,01"}
    )


def _source(client, name, amount, kind="ministry", state="", rate=""):
    return client.post(
        reverse("finance:source_create"),
        {
            "name": name,
            "kind": kind,
            "state": state,
            "planned_amount": amount,
            "max_rate_percent": rate,
            "position": 0,
        },
    )


def test_sources_cover_the_plan_only_to_the_cent(funding_project, project_staff, client_for):
    client = client_for(project_staff)
    _plan(funding_project, project_staff, client)  # 1.000,01 direct, 70,00 indirect costs (7 %)
    assert _source(client, "AMIF", "802,50", kind="eu", rate="75").status_code == 302
    assert _source(client, "Ministerium RP", "133,75", state="RP").status_code == 302
    _source(client, "Ministerium NI", "133,75", state="NI")
    page = client.get(reverse("finance:plan")).content.decode()
    assert "Differenz 0,01\u00a0€" not in page and "decken den Plan nicht genau" not in page
    assert "Differenz −0,01\u00a0€" in page  # 1.070,00 of sources against 1.070,01 of plan
    source = FundingSource.objects.get(name="Ministerium NI")
    client.post(
        reverse("finance:source_edit", args=[source.pk]),
        {"name": source.name, "kind": "ministry", "state": "NI", "planned_amount": "133,76", "position": 0},
    )
    page = client.get(reverse("finance:plan")).content.decode()
    assert "decken den Plan von 1.070,01\u00a0€ auf den Cent" in page
    assert FinanceEvent.objects.filter(text__contains="Ministerium NI").count() == 2


def test_a_source_above_its_co_financing_rate_is_flagged(funding_project, project_staff, client_for):
    client = client_for(project_staff)
    _plan(funding_project, project_staff, client)
    _source(client, "AMIF", "900,00", kind="eu", rate="75")
    page = client.get(reverse("finance:overview")).content.decode()
    assert "höchstens 75,0\u00a0% sind möglich" in page
