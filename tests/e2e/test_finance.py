"""Project staff keep the finances in the browser: a planned amount raised on the plan (the indirect
costs follow as their flat rate), the three sources that cover it, a new work package, an expenditure
for it with its receipt file, a correction by reversal, the overview that shows the new totals, and
the project of 2015–2017 beside the current one; axe checks every page on the way."""

from decimal import Decimal

import pytest
from django.utils import timezone

from portal.formats import euro
from portal.reports.finance.models import CostCategory, Expenditure, FundingSource, WorkPackage
from portal.reports.finance.selectors import current_project, finance_overview, funding_projects
from tests.e2e.pages import DEMO_USERS, main, submit

pytestmark = pytest.mark.e2e


def test_staff_walk_plan_expenditure_and_overview(browsing, tmp_path):
    page = browsing.page
    browsing.login(DEMO_USERS["project_staff"])
    project = current_project()
    year = timezone.localdate().year
    before = finance_overview(project=project, as_of=timezone.localdate())
    flat_rate = CostCategory.objects.get(is_flat_rate=True)

    # The plan: three sources cover it; the indirect costs are computed, not set.
    browsing.goto("/berichte/finanzen/plan/")
    browsing.axe("plan")
    assert FundingSource.objects.filter(project=project).count() == 3
    assert main(page).locator("#deckung").is_visible()
    assert main(page).get_by_text("Pauschale: 7\u00a0% der direkten Kosten, berechnet").is_visible()
    form = main(page).get_by_role("region", name="Planansatz setzen")
    assert flat_rate.name not in form.get_by_label("Kostenkategorie").inner_text()
    # Raise a planned amount by 100,00 €: with 7 % indirect costs the plan grows by 107,00 €, and the
    # sources no longer cover it; the page says so.
    form.get_by_label("Kostenkategorie").select_option(label="Öffentlichkeitsarbeit")
    form.get_by_label("Jahr").fill(str(year))
    form.get_by_label("Planansatz in Euro").fill("7.300,00")
    submit(page, "Planansatz speichern")
    assert main(page).get_by_text("Differenz −107,00\u00a0€").is_visible()
    browsing.axe("plan with a gap")
    browsing.screenshot("finance-plan")

    # The Lower Saxony ministry takes the 107 euros: covered to the cent again.
    ministry = FundingSource.objects.get(project=project, state="NI")
    main(page).get_by_role("link", name=f"„{ministry.name}“ bearbeiten").click()
    page.wait_for_load_state()
    browsing.axe("source form")
    amount = page.get_by_label("geplanter Betrag in Euro")
    amount.fill(f"{ministry.planned_amount + 107:.2f}".replace(".", ","))
    submit(page, "Speichern")
    assert main(page).locator("#deckung").is_visible()

    # A work package of its own, from the plan page.
    main(page).get_by_role("link", name="Arbeitspaket anlegen").click()
    page.wait_for_load_state()
    browsing.axe("work package form")
    page.get_by_label("Nummer").fill("AP 9")
    page.get_by_label("Titel").fill("Fachtag Willkommenskultur")
    page.get_by_label("geplanter Betrag in Euro").fill("1.000,00")
    submit(page, "Speichern")
    assert main(page).get_by_text("Das Arbeitspaket wurde gespeichert.").is_visible()
    package = WorkPackage.objects.get(project=project, number="AP 9")

    # An expenditure for that package with its receipt; nothing can be booked on the flat rate, and
    # a typo in the amount is refused next to the field first.
    browsing.goto("/berichte/finanzen/belege/neu/")
    browsing.axe("expenditure form")
    assert flat_rate.name not in page.get_by_label("Kostenkategorie").inner_text()
    page.get_by_label("Zahlungsdatum").fill(timezone.localdate().isoformat())
    page.get_by_label("Kostenkategorie").select_option(label="Reisekosten")
    page.get_by_label("Betrag in Euro").fill("12,345")
    page.get_by_label("Empfänger/Zweck").fill("Bahnfahrt zur Netzwerkkonferenz")
    page.get_by_label("Beleg-Nr.").fill("B-E2E-1")
    page.get_by_label("Arbeitspaket").select_option(label=str(package))
    receipt = tmp_path / "fahrkarte.pdf"
    receipt.write_bytes(b"%PDF-1.4 Fahrkarte")
    page.get_by_label("Beleg (Datei)").set_input_files(str(receipt))
    submit(page, "Ausgabe erfassen")
    assert page.get_by_label("Betrag in Euro").get_attribute("aria-invalid") == "true"
    browsing.axe("expenditure form with an error")
    page.get_by_label("Betrag in Euro").fill("123,45")
    page.get_by_label("Beleg (Datei)").set_input_files(str(receipt))
    submit(page, "Ausgabe erfassen")
    expenditure = Expenditure.objects.get(project=project, receipt_number="B-E2E-1")
    assert main(page).get_by_text(f"Die Ausgabe Nr. {expenditure.number} wurde erfasst.").is_visible()
    assert expenditure.amount == Decimal("123.45") and expenditure.receipt_name == "fahrkarte.pdf"
    assert expenditure.work_package == package
    browsing.axe("Belegliste")

    # The overview has the new amount and its indirect costs in its totals, to the cent, and the
    # package's spending in its row.
    browsing.goto("/berichte/finanzen/")
    browsing.axe("overview")
    browsing.screenshot("finance-overview")
    after = finance_overview(project=project, as_of=timezone.localdate())
    flat_before, flat_after = (
        next(row.spent_total for row in data.categories if row.category.is_flat_rate)
        for data in (before, after)
    )
    # 7 % of 123,45 € is 8,6415 €; the yearly rounding makes it 8,64 € or 8,65 €.
    assert flat_after - flat_before in (Decimal("8.64"), Decimal("8.65"))
    assert after.spent_total == before.spent_total + Decimal("123.45") + (flat_after - flat_before)
    assert main(page).locator("#ist-gesamt").inner_text() == euro(after.spent_total)
    assert main(page).locator("#plan-gesamt").inner_text() == euro(before.planned_total + Decimal("107.00"))
    assert main(page).locator("#arbeitspakete-summe").inner_text() == euro(after.spent_total)
    packages = main(page).get_by_role("table", name="Ausgaben je Arbeitspaket")
    assert packages.get_by_role("row", name=str(package)).inner_text().split("\t")[1:4] == [
        euro(Decimal("1000.00")),
        euro(Decimal("123.45")),
        euro(Decimal("876.55")),
    ]

    # A correction: the expenditure is reversed, and the overview is back where it was.
    browsing.goto(f"/berichte/finanzen/belege/{expenditure.pk}/stornieren/")
    browsing.axe("reversal form")
    page.get_by_label("Grund der Stornierung").fill("Falsche Kostenstelle")
    submit(page, "Ausgabe stornieren")
    assert main(page).get_by_text(f"storniert durch Nr. {expenditure.number + 1}").is_visible()
    browsing.goto("/berichte/finanzen/")
    assert main(page).locator("#ist-gesamt").inner_text() == euro(before.spent_total)
    browsing.goto("/berichte/finanzen/verlauf/")
    browsing.axe("history")
    assert main(page).get_by_text("Falsche Kostenstelle").is_visible()

    # Another funding project has its own pages, chosen in the navigation.
    other = funding_projects().exclude(pk=project.pk).first()
    if other is not None:
        chooser = main(page).get_by_role("navigation", name="Förderprojekt wählen")
        chooser.get_by_role("link", name=str(other), exact=True).click()
        page.wait_for_load_state()
        assert f"/berichte/finanzen/projekt/{other.pk}/" in page.url
        assert main(page).get_by_text(other.title, exact=False).first.is_visible()
        browsing.axe("overview of another project")
    browsing.assert_clean()
