"""A financing plan for the demo project: the five direct cost categories over its three years (the
indirect costs follow as their flat rate), three work packages, three sources (AMIF at 75 %, the two
ministries sharing the rest) that cover the plan to the cent, a year of expenditures up to today and
the receipts of funds. Idempotent: nothing is added to a project that already has a plan."""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from portal.accounts.models import User
from portal.reports.finance import services
from portal.reports.finance.categories import categories_load
from portal.reports.finance.models import BudgetLine, CostCategory, Expenditure, SourceKind
from portal.reports.finance.selectors import current_project, finance_overview

# Planned per year, in the order of the direct categories (Personal, Sach, Reise, Honorare, ÖA).
PLAN_PER_YEAR = [
    Decimal("186400.00"),
    Decimal("24300.00"),
    Decimal("9800.00"),
    Decimal("31500.00"),
    Decimal("7200.00"),
]
# Number, title, planned amount; the expenditures of a category go to the package at its index.
WORK_PACKAGES = [
    ("AP 1", "Prozessbegleitung der Ausländerbehörden", Decimal("420000.00")),
    ("AP 2", "Qualifizierung der Beschäftigten", Decimal("160000.00")),
    ("AP 3", "Vernetzung und Öffentlichkeitsarbeit", None),
]
PACKAGE_OF_CATEGORY = [0, 1, 0, 1, 2]
# What the expenditures of a month look like: (category index, purpose, typical amount).
EXPENSES = [
    (0, "Gehälter Projektteam", Decimal("15230.00")),
    (1, "Raummiete Schulungsraum", Decimal("640.00")),
    (2, "Fahrtkosten Prozessbegleitung", Decimal("412.60")),
    (3, "Honorar Trainerin Qualifizierungsreihe", Decimal("1850.00")),
    (4, "Druck Flyer Willkommenskultur", Decimal("389.90")),
]


def seed() -> str:
    project = current_project()
    staff = User.objects.filter(email="projekt@example.org").first()
    if project is None or staff is None:
        return "Finanzen: kein aktuelles Förderprojekt"
    if BudgetLine.objects.filter(project=project).exists():
        return "Finanzen: Finanzierungsplan besteht bereits"
    if not CostCategory.objects.exists():  # the migration's rows are gone after a test database flush
        categories_load(CostCategory=CostCategory)
    categories = list(CostCategory.objects.filter(is_flat_rate=False)[: len(PLAN_PER_YEAR)])
    years = range(project.starts_on.year, project.ends_on.year + 1)
    for category, amount in zip(categories, PLAN_PER_YEAR, strict=False):
        for year in years:
            services.budget_line_set(project=project, category=category, year=year, amount=amount, by=staff)
    packages = [
        services.work_package_save(
            project=project, package=None, by=staff, number=number, title=title, planned_amount=planned
        )
        for number, title, planned in WORK_PACKAGES
    ]
    # The plan with its flat rates, as the overview computes it: the sources cover it to the cent.
    total = finance_overview(project=project, as_of=project.ends_on, with_units=False).planned_total
    amif = (total * Decimal("0.75")).quantize(Decimal("0.01"))
    rp = ((total - amif) / 2).quantize(Decimal("0.01"))
    sources = [
        ("AMIF (EU-Mittel)", SourceKind.EU, "", amif, Decimal("75.00")),
        ("Ministerium für Integration Rheinland-Pfalz", SourceKind.MINISTRY, "RP", rp, None),
        ("Sozialministerium Niedersachsen", SourceKind.MINISTRY, "NI", total - amif - rp, None),
    ]
    made = []
    for position, (name, kind, state, amount, rate) in enumerate(sources, 1):
        made.append(
            services.funding_source_save(
                project=project,
                source=None,
                by=staff,
                name=name,
                kind=kind,
                state=state,
                planned_amount=amount,
                max_rate_percent=rate,
                position=position,
            )
        )
    today = timezone.localdate()
    rng = random.Random(16)
    for months_ago in range(12, 0, -1):
        month = (today.replace(day=1) - dt.timedelta(days=30 * months_ago - 15)).replace(day=1)
        for index, purpose, amount in EXPENSES:
            paid_on = month + dt.timedelta(days=rng.randrange(0, 27))
            if paid_on > today or paid_on < project.starts_on:
                continue
            cents = Decimal(rng.randrange(-5000, 5000)) / 100
            services.expenditure_create(
                project=project,
                by=staff,
                paid_on=paid_on,
                category=categories[index],
                amount=amount + cents if index else amount,
                purpose=purpose,
                receipt_number=f"B-{paid_on:%Y%m}-{index + 1:02d}",
                work_package=packages[PACKAGE_OF_CATEGORY[index]] if rng.random() < 0.8 else None,
                state=rng.choice(["", "", "RP", "NI"]) if index in (1, 2) else "",
            )
    wrong = Expenditure.objects.filter(project=project).order_by("number")[3]
    services.expenditure_reverse(expenditure=wrong, by=staff, note="Doppelt erfasst")
    for quarter in range(4):
        received_on = today - dt.timedelta(days=90 * (4 - quarter))
        if received_on < project.starts_on:
            continue
        for source in made:
            services.fund_receipt_create(
                source=source,
                by=staff,
                received_on=received_on,
                amount=(source.planned_amount / 12).quantize(Decimal("0.01")),
                reference=f"Abschlag {quarter + 1}",
            )
    count = Expenditure.objects.filter(project=project).count()
    return f"Finanzen: Finanzierungsplan mit {len(made)} Quellen, {count} Ausgaben, Mitteleingänge"
