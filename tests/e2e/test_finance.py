"""Project staff keep the finances in the browser: a planned amount raised on the plan, the source that
covers it, an expenditure with its receipt file, a correction by reversal, and the overview that shows
the new totals; axe checks every page on the way."""

from decimal import Decimal

import pytest
from django.utils import timezone

from portal.formats import euro
from portal.reports.finance.models import Expenditure, FundingSource
from portal.reports.finance.selectors import current_project, finance_overview
from tests.e2e.pages import DEMO_USERS, main, submit

pytestmark = pytest.mark.e2e


def test_staff_walk_plan_expenditure_and_overview(browsing, tmp_path):
    page = browsing.page
    browsing.login(DEMO_USERS["project_staff"])
    project = current_project()
    year = timezone.localdate().year
    before = finance_overview(project=project, as_of=timezone.localdate())

    # The plan: raise a planned amount; the sources no longer cover the plan, and the page says so.
    browsing.goto("/berichte/finanzen/plan/")
    browsing.axe("plan")
    form = main(page).get_by_role("region", name="Planansatz setzen")
    form.get_by_label("Kostenkategorie").select_option(label="Öffentlichkeitsarbeit")
    form.get_by_label("Jahr").fill(str(year))
    form.get_by_label("Planansatz in Euro").fill("7.300,00")
    submit(page, "Planansatz speichern")
    assert main(page).get_by_text("Differenz −100,00\u00a0€").is_visible()
    browsing.axe("plan with a gap")
    browsing.screenshot("finance-plan")

    # The Lower Saxony ministry takes the hundred euros: covered to the cent again.
    ministry = FundingSource.objects.get(project=project, state="NI")
    main(page).get_by_role("link", name=f"„{ministry.name}“ bearbeiten").click()
    page.wait_for_load_state()
    browsing.axe("source form")
    amount = page.get_by_label("geplanter Betrag in Euro")
    amount.fill(f"{ministry.planned_amount + 100:.2f}".replace(".", ","))
    submit(page, "Speichern")
    assert main(page).locator("#deckung").is_visible()

    # An expenditure with its receipt; a typo in the amount is refused next to the field first.
    browsing.goto("/berichte/finanzen/belege/neu/")
    browsing.axe("expenditure form")
    page.get_by_label("Zahlungsdatum").fill(timezone.localdate().isoformat())
    page.get_by_label("Kostenkategorie").select_option(label="Reisekosten")
    page.get_by_label("Betrag in Euro").fill("12,345")
    page.get_by_label("Empfänger/Zweck").fill("Bahnfahrt zur Netzwerkkonferenz")
    page.get_by_label("Beleg-Nr.").fill("B-E2E-1")
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
    browsing.axe("Belegliste")

    # The overview has the new amount in its totals, to the cent.
    browsing.goto("/berichte/finanzen/")
    browsing.axe("overview")
    browsing.screenshot("finance-overview")
    assert main(page).locator("#ist-gesamt").inner_text() == euro(before.spent_total + Decimal("123.45"))
    assert main(page).locator("#plan-gesamt").inner_text() == euro(before.planned_total + Decimal("100.00"))

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
    browsing.assert_clean()
