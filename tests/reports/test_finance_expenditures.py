"""The Belegliste: expenditures with a receipt number and an optional receipt file (the library's
upload checks), tied to a course, a meeting or a change process; corrections are reversing rows, never
edits; every change is in the history; receipts of funds per source."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from portal.reports.finance import services
from portal.reports.finance.models import CostCategory, Expenditure, FinanceEvent, FundingSource, FundReceipt
from tests.factories import CourseFactory


@pytest.fixture
def personal(db):
    return CostCategory.objects.get(name="Personalausgaben")


def _post(client, **changes):
    data = {
        "paid_on": "2026-03-02",
        "category": CostCategory.objects.get(name="Honorare/Qualifizierung").pk,
        "amount": "1.850,00",
        "purpose": "Honorar Trainerin",
        "receipt_number": "B-2026-014",
        "state": "",
        **changes,
    }
    return client.post(reverse("finance:expenditure_create"), data)


def test_project_staff_record_an_expenditure_for_a_course_with_its_receipt(
    funding_project, project_staff, client_for
):
    course = CourseFactory()
    client = client_for(project_staff)
    receipt = SimpleUploadedFile("rechnung.pdf", b"%PDF-1.4 Rechnung", content_type="application/pdf")
    response = _post(client, course=course.pk, receipt=receipt, state="RP")
    assert response.status_code == 302
    expenditure = Expenditure.objects.get()
    assert (expenditure.number, expenditure.amount, expenditure.course, expenditure.state) == (
        1,
        Decimal("1850.00"),
        course,
        "RP",
    )
    download = client.get(reverse("finance:expenditure_receipt", args=[expenditure.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Content-Disposition"].startswith("attachment")
    page = client.get(reverse("finance:expenditures")).content.decode()
    assert "B-2026-014" in page and "1.850,00\u00a0€" in page and course.title in page


def test_a_receipt_that_is_a_program_is_refused_and_nothing_is_saved(
    funding_project, project_staff, client_for
):
    program = SimpleUploadedFile("rechnung.pdf", b"MZ\x90\x00 binary", content_type="application/pdf")
    response = _post(client_for(project_staff), receipt=program)
    assert response.status_code == 200
    assert "ausführbares Programm" in response.content.decode()
    assert not Expenditure.objects.exists() and not FinanceEvent.objects.exists()


def test_an_expenditure_belongs_to_one_activity_at_most(funding_project, project_staff, client_for, mainz):
    from tests.factories import ChangeProcessFactory

    response = _post(
        client_for(project_staff), course=CourseFactory().pk, process=ChangeProcessFactory(authority=mainz).pk
    )
    assert "höchstens einer Aktivität" in response.content.decode()
    assert not Expenditure.objects.exists()


def test_a_zero_or_negative_amount_is_refused(funding_project, project_staff, client_for):
    client = client_for(project_staff)
    for amount in ("0", "-5,00"):
        assert _post(client, amount=amount).status_code == 200
    assert not Expenditure.objects.exists()


def test_a_correction_is_a_reversing_row_and_the_original_stays(
    funding_project, project_staff, client_for, personal
):
    original = services.expenditure_create(
        project=funding_project,
        by=project_staff,
        paid_on=date(2026, 2, 1),
        category=personal,
        amount=Decimal("15230.00"),
        purpose="Gehälter Februar",
    )
    client = client_for(project_staff)
    url = reverse("finance:expenditure_reverse", args=[original.pk])
    assert client.post(url, {"note": ""}).status_code == 200  # a reason is required
    assert client.post(url, {"note": "Doppelt erfasst"}).status_code == 302
    reversal = Expenditure.objects.get(reverses=original)
    assert (reversal.number, reversal.amount, reversal.note) == (2, Decimal("-15230.00"), "Doppelt erfasst")
    original.refresh_from_db()
    assert original.amount == Decimal("15230.00")
    # Reversed once only, and a reversal is not reversed.
    response = client.post(url, {"note": "noch einmal"})
    assert "bereits storniert" in response.content.decode()
    response = client.post(reverse("finance:expenditure_reverse", args=[reversal.pk]), {"note": "zurück"})
    assert "kann nicht storniert werden" in response.content.decode()
    assert Expenditure.objects.count() == 2
    history = client.get(reverse("finance:history")).content.decode()
    assert "Ausgabe Nr. 1 storniert (Nr. 2): Doppelt erfasst" in history
    assert "Ausgabe Nr. 1 erfasst" in history
    page = client.get(reverse("finance:expenditures")).content.decode()
    assert "storniert durch Nr. 2" in page and "0,00\u00a0€" in page


def test_no_service_writes_for_someone_who_is_not_project_staff(funding_project, coordinator, personal):
    with pytest.raises(PermissionDenied):
        services.expenditure_create(
            project=funding_project,
            by=coordinator,
            paid_on=date(2026, 2, 1),
            category=personal,
            amount=Decimal("1.00"),
            purpose="x",
        )


def test_receipts_of_funds_are_recorded_per_source_and_date(funding_project, project_staff, client_for):
    amif = FundingSource.objects.create(
        project=funding_project, name="AMIF", kind="eu", planned_amount=Decimal(750)
    )
    client = client_for(project_staff)
    response = client.post(
        reverse("finance:receipts"),
        {"source": amif.pk, "received_on": "2026-04-15", "amount": "62.500,00", "reference": "Abschlag 1"},
    )
    assert response.status_code == 302
    receipt = FundReceipt.objects.get()
    assert (receipt.source, receipt.received_on, receipt.amount) == (
        amif,
        date(2026, 4, 15),
        Decimal("62500.00"),
    )
    assert "62.500,00\u00a0€" in client.get(reverse("finance:receipts")).content.decode()


def test_the_belegliste_export_has_the_usual_columns_and_is_formula_safe(
    funding_project, project_staff, client_for, personal
):
    for amount, purpose in ((Decimal("0.10"), '=HYPERLINK("http://x")'), (Decimal("0.20"), "Miete")):
        services.expenditure_create(
            project=funding_project, by=project_staff, paid_on=date(2026, 1, 5), category=personal,
            amount=amount, purpose=purpose, receipt_number="B-1",
        )  # fmt: skip
    response = client_for(project_staff).get(reverse("finance:expenditures_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "lfd. Nr.",
        "Datum",
        "Beleg-Nr.",
        "Empfänger/Zweck",
        "Kategorie",
        "Betrag",
        "Arbeitspaket",
    )
    assert rows[1][3] == '=HYPERLINK("http://x")'
    assert sheet.cell(row=2, column=4).data_type == "s"  # text, never a formula
    assert rows[-1][5] == pytest.approx(0.3) and str(rows[-1][5]) == "0.3"
