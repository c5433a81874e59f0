"""The financing overview, its exports and the report's annex agree to the cent: every total is the
sum of its rows and the planned shares of sources that cover the plan add up to 100 %."""

import csv
import io
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from portal.formats import euro
from portal.reports.documents import render_report_pdf
from portal.reports.finance.documents import finance_annex
from portal.reports.finance.models import (
    BudgetLine,
    CostCategory,
    Expenditure,
    FundingSource,
    FundReceipt,
    WorkPackage,
)
from portal.reports.finance.selectors import finance_overview
from tests.factories import CourseFactory
from tests.helpers import page_queries, pdf_text, took_place
from training.models import CourseStatus

CENTS = st.integers(min_value=1, max_value=50_000_000).map(lambda c: Decimal(c).scaleb(-2))
DAY = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))


def _cell(page: str, cell_id: str) -> str:
    return re.search(rf'id="{cell_id}">([^<]*)<', page)[1]


def _csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def _book(project, *, plan, sources, expenditures, receipts, packages=0):
    """Plan, sources, expenditures and receipts by the indices of the direct categories (the flat rate
    is computed); with `packages`, that many work packages take the expenditures in turn with none."""
    categories = list(CostCategory.objects.filter(is_flat_rate=False))
    start = Expenditure.objects.filter(project=project).count()
    made_packages = WorkPackage.objects.bulk_create(
        WorkPackage(project=project, number=f"AP {i}", title=f"Paket {i}") for i in range(packages)
    )
    turns = [*made_packages, None]
    BudgetLine.objects.bulk_create(
        BudgetLine(project=project, category=categories[c], year=y, amount=a) for (c, y), a in plan.items()
    )
    made = FundingSource.objects.bulk_create(
        FundingSource(project=project, name=f"Quelle {i}", kind="other", planned_amount=a)
        for i, a in enumerate(sources)
    )
    Expenditure.objects.bulk_create(
        Expenditure(
            project=project,
            number=n,
            paid_on=d,
            category=categories[c],
            amount=a,
            purpose=f"Ausgabe {n}",
            work_package=turns[n % len(turns)],
        )
        for n, (c, d, a) in enumerate(expenditures, start + 1)
    )
    FundReceipt.objects.bulk_create(
        FundReceipt(source=made[i % len(made)], received_on=d, amount=a) for i, (d, a) in enumerate(receipts)
    )


def _split(total: Decimal, weights: list[int]) -> list[Decimal]:
    """Sources that cover `total` to the cent: shares by weight, the last takes the rest."""
    parts = [(total * w / sum(weights)).quantize(Decimal("0.01")) for w in weights[:-1]]
    return parts + [total - sum(parts, Decimal(0))]


def _flat(cells, *, rate: Decimal, personnel_only: bool) -> Decimal:
    """The flat rate worked out apart from the code: per year, of the base, rounded half-up."""
    years: dict[int, Decimal] = {}
    for category, year, amount in cells:
        if category == 0 or not personnel_only:  # index 0: Personalausgaben
            years[year] = years.get(year, Decimal(0)) + amount
    return sum(
        ((base * rate / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) for base in years.values()),
        Decimal(0),
    )


@st.composite
def bookings(draw):
    plan = draw(
        st.dictionaries(
            st.tuples(st.integers(0, 4), st.sampled_from([2025, 2026, 2027])), CENTS, min_size=1, max_size=12
        )
    )
    expenditures = draw(
        st.lists(
            st.tuples(st.integers(0, 4), DAY, CENTS.map(lambda a: a) | CENTS.map(lambda a: -a)), max_size=25
        ).filter(lambda rows: all(a != 0 for _c, _d, a in rows))
    )
    weights = draw(st.lists(st.integers(1, 100), min_size=1, max_size=4))
    receipts = draw(st.lists(st.tuples(DAY, CENTS), max_size=8))
    as_of = draw(DAY)
    rate = draw(st.sampled_from([Decimal("7.00"), Decimal("15.00"), Decimal("12.50"), Decimal("0.01")]))
    personnel_only = draw(st.booleans())
    packages = draw(st.integers(0, 3))
    return plan, expenditures, weights, receipts, as_of, rate, personnel_only, packages


def test_every_total_equals_the_sum_of_its_rows_in_page_exports_and_annex(
    funding_project, project_staff, client_for
):
    client = client_for(project_staff)
    flat_rate = CostCategory.objects.get(is_flat_rate=True)

    @settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(bookings())
    def check(data):
        plan, expenditures, weights, receipts, as_of, rate, personnel_only, packages = data
        savepoint = transaction.savepoint_create()
        try:
            CostCategory.objects.filter(pk=flat_rate.pk).update(
                flat_rate_percent=rate, flat_rate_base="personnel" if personnel_only else "direct"
            )
            direct_plan = sum(plan.values(), Decimal(0))
            planned = direct_plan + _flat(
                [(c, y, a) for (c, y), a in plan.items()], rate=rate, personnel_only=personnel_only
            )
            _book(
                funding_project,
                plan=plan,
                sources=_split(planned, weights),
                expenditures=expenditures,
                receipts=receipts,
                packages=packages,
            )
            paid = [(c, d.year, a) for c, d, a in expenditures if d <= as_of]
            spent = sum((a for _c, _y, a in paid), Decimal(0)) + _flat(
                paid, rate=rate, personnel_only=personnel_only
            )
            overview = finance_overview(project=funding_project, as_of=as_of)
            assert overview.planned_total == planned == sum(overview.planned_by_year, Decimal(0))
            assert overview.spent_total == spent == sum(overview.spent_by_year, Decimal(0))
            assert sum((amount for _label, amount in overview.per_state), Decimal(0)) == spent
            if paid:
                assert overview.work_packages_total == spent
            assert overview.cover_difference == 0
            assert sum(row.planned_share for row in overview.sources) == pytest.approx(
                Decimal(100), abs=Decimal("1e-20")
            )
            assert overview.received_total == sum((a for d, a in receipts if d <= as_of), Decimal(0))

            params = {"as_of": f"{as_of:%Y-%m-%d}"}
            page = client.get(reverse("finance:overview"), params).content.decode()
            assert _cell(page, "plan-gesamt") == euro(planned)
            assert _cell(page, "ist-gesamt") == euro(spent)
            # The spending split over the sources by their planned shares adds up to the cent.
            assert overview.spent_shared == spent
            assert _cell(page, "anteile-summe") == euro(spent)
            if overview.work_packages:
                assert _cell(page, "arbeitspakete-summe") == euro(spent)

            rows = _csv(client.get(reverse("finance:overview_csv"), params).content)
            first_total = next(r for r in rows if r and r[0] == "Summe")
            years = len(overview.years)
            assert Decimal(first_total[1 + 2 * years]) == planned
            assert Decimal(first_total[2 + 2 * years]) == spent
            category_rows = rows[4 : 4 + len(overview.categories)]
            assert sum((Decimal(r[1 + 2 * years]) for r in category_rows), Decimal(0)) == planned
            assert sum((Decimal(r[2 + 2 * years]) for r in category_rows), Decimal(0)) == spent
            if overview.work_packages:
                heading = rows.index(next(r for r in rows if r and r[0] == "Arbeitspaket"))
                package_rows = rows[heading + 1 : heading + 1 + len(overview.work_packages)]
                assert sum((Decimal(r[2]) for r in package_rows), Decimal(0)) == spent
                assert Decimal(rows[heading + 1 + len(package_rows)][2]) == spent

            sheet = load_workbook(
                io.BytesIO(client.get(reverse("finance:overview_xlsx"), params).content)
            ).active
            total_row = next(r for r in sheet.iter_rows(values_only=True) if r and r[0] == "Summe")
            # openpyxl reads numbers back as float; their text is the exact amount we wrote.
            assert Decimal(str(total_row[1 + 2 * years])) == planned
            assert Decimal(str(total_row[2 + 2 * years])) == spent

            book = load_workbook(io.BytesIO(client.get(reverse("finance:expenditures_xlsx")).content)).active
            amounts = [Decimal(str(r[5])) for r in book.iter_rows(min_row=2, values_only=True)]
            assert (
                amounts[-1]
                == sum(amounts[:-1], Decimal(0))
                == sum((a for _c, _d, a in expenditures), Decimal(0))
            )

            annex = finance_annex(period=None, date_from=date(as_of.year, 1, 1), date_to=as_of)
            assert annex["totals"][2] == planned and annex["totals"][3] == spent
            assert annex["total_cells"][2] == euro(planned) and annex["total_cells"][3] == euro(spent)
            html = render_to_string("pdf/_finance_annex.html", {"finance": annex, "date_to": as_of})
            assert euro(spent) in html
        finally:
            transaction.savepoint_rollback(savepoint)

    check()


def test_payments_after_the_day_do_not_count_and_a_past_day_stays(funding_project):
    category = CostCategory.objects.first()
    _book(
        funding_project,
        plan={(0, 2026): Decimal("1000.00")},
        sources=[Decimal("1000.00")],
        expenditures=[(0, date(2026, 3, 1), Decimal("100.10")), (0, date(2026, 9, 1), Decimal("0.05"))],
        receipts=[],
    )
    march = finance_overview(project=funding_project, as_of=date(2026, 6, 30))
    assert march.spent_total == Decimal("107.11")  # with 7 % indirect costs (7,007 €)
    Expenditure.objects.create(
        project=funding_project,
        number=3,
        paid_on=date(2026, 10, 1),
        category=category,
        amount=Decimal(5),
        purpose="x",
    )
    assert finance_overview(project=funding_project, as_of=date(2026, 6, 30)).spent_total == Decimal("107.11")


def test_a_category_beyond_its_tolerance_warns(funding_project, project_staff, client_for):
    _book(
        funding_project,
        plan={(0, 2026): Decimal("1000.00"), (1, 2026): Decimal("1000.00")},
        sources=[Decimal("2000.00")],
        expenditures=[(0, date(2026, 3, 1), Decimal("1200.00")), (1, date(2026, 3, 1), Decimal("1200.01"))],
        receipts=[],
    )
    page = (
        client_for(project_staff).get(reverse("finance:overview"), {"as_of": "2026-12-31"}).content.decode()
    )
    assert "„Sachausgaben“ liegt mit 1.200,01\u00a0€ über dem Planansatz" in page
    assert "„Personalausgaben“ liegt" not in page  # 20 % over is still within the tolerance


def test_cost_per_course_held_uses_the_indicator_count(funding_project, project_staff, client_for):
    for _ in range(2):
        took_place(CourseFactory(status=CourseStatus.PUBLISHED))
    _book(
        funding_project,
        plan={(0, 2026): Decimal("1000.00")},
        sources=[Decimal("1000.00")],
        expenditures=[(3, date(2025, 3, 1), Decimal("1000.01"))],
        receipts=[],
    )
    overview = finance_overview(project=funding_project, as_of=date.today())
    per_course = overview.units[0]
    # 1.000,01 € and 70,00 € of indirect costs: 535,005 rounds up
    assert per_course.count == 2 and per_course.cost == Decimal("535.01")
    assert overview.units[1].cost is None  # no participant day yet


def test_the_overview_runs_a_fixed_number_of_queries(funding_project, project_staff, client_for):
    client = client_for(project_staff)
    _book(
        funding_project,
        plan={(0, 2026): Decimal(1)},
        sources=[Decimal(1)],
        expenditures=[(0, date(2026, 1, 2), Decimal(1))],
        receipts=[(date(2026, 1, 2), Decimal(1))],
    )
    cache.clear()  # cold: the unit counts are counted (and then kept like the indicators' figures)
    few = page_queries(client, reverse("finance:overview"))
    assert few <= 12
    _book(
        funding_project,
        plan={(c, y): Decimal(7) for c in range(1, 5) for y in (2025, 2027)},
        sources=[Decimal(1)] * 5,
        expenditures=[(c, date(2026, 2, d), Decimal(3)) for c in range(5) for d in range(1, 20)],
        receipts=[(date(2026, 1, d), Decimal(2)) for d in range(1, 20)],
        packages=3,
    )
    cache.clear()
    assert page_queries(client, reverse("finance:overview")) == few
    assert page_queries(client, reverse("finance:overview")) < few  # the unit counts kept
    assert page_queries(client, reverse("finance:expenditures")) <= 12
    assert page_queries(client, reverse("finance:plan")) <= 14


def test_the_report_pdf_carries_the_annex_with_the_numbers_of_the_export(
    funding_project, project_staff, client_for, period
):
    _book(
        funding_project,
        plan={(0, 2026): Decimal("123456.78"), (1, 2026): Decimal("1000.00")},
        sources=[Decimal("99077.55"), Decimal("34091.20")],
        expenditures=[(0, date(2026, 2, 1), Decimal("1234.56")), (1, date(2026, 5, 1), Decimal("99.99"))],
        receipts=[(date(2026, 3, 1), Decimal("5000.00"))],
    )
    text = pdf_text(render_report_pdf(date_from=period.starts_on, date_to=period.ends_on, period=period))
    assert "D. Finanzen" in text
    nbsp = "\u00a0"
    # 7 % indirect costs: 8.711,97 € of the plan of 124.456,78 €, 93,42 € of the 1.334,55 € spent.
    assert f"Kosten\n8.711,97{nbsp}€ 93,42{nbsp}€ 8.711,97{nbsp}€ 93,42{nbsp}€" in text
    assert f"(Pauschale), 7{nbsp}%" in text
    assert f"Summe 133.168,75{nbsp}€ 1.427,97{nbsp}€ 133.168,75{nbsp}€ 1.427,97{nbsp}€" in text
    assert f"Quelle 0 99.077,55{nbsp}€ 74,4{nbsp}% 5.000,00{nbsp}€ 100,0{nbsp}%" in text
    rows = _csv(
        client_for(project_staff).get(reverse("finance:overview_csv"), {"as_of": "2026-06-30"}).content
    )
    total = next(r for r in rows if r and r[0] == "Summe")
    assert Decimal(total[-3]) == Decimal("1427.97")
