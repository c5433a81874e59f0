"""The reads of the finances: the financing overview (plan against spending per category and year,
per source and per state, the cover check, the tolerance warnings, the cost per unit) and the
Belegliste. Every total is the sum of its rows in `Decimal`; the overview runs a fixed number of
queries whatever the number of expenditures (sums are grouped in the database)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.apps import apps
from django.db.models import CharField, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from authorities.models import State
from portal.reports.computations import compute_many
from portal.reports.finance.models import (
    BudgetLine,
    CostCategory,
    Expenditure,
    FinanceEvent,
    FundingSource,
    FundReceipt,
    WorkPackage,
)

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def funding_projects() -> QuerySet[Any]:
    # portal.reports.models imports the finance models: reaching back by import would be a cycle.
    return apps.get_model("reports", "FundingProject").objects.all()


def current_project() -> Any:
    return funding_projects().filter(is_current=True).first()


def share(part: Decimal, whole: Decimal) -> Decimal | None:
    """`part` as a percentage of `whole` (None when there is nothing to divide by)."""
    if not whole:
        return None
    return part * HUNDRED / whole


@dataclass
class CategoryRow:
    category: CostCategory
    planned: dict[int, Decimal]
    spent: dict[int, Decimal]
    planned_total: Decimal = ZERO
    spent_total: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        return self.planned_total - self.spent_total

    @property
    def used(self) -> Decimal | None:
        return share(self.spent_total, self.planned_total)

    @property
    def over_tolerance(self) -> bool:
        """Spent beyond the plan by more than the category's tolerance (spending without a plan is
        always beyond it)."""
        limit = self.planned_total * (HUNDRED + self.category.tolerance_percent) / HUNDRED
        return self.spent_total > limit


@dataclass
class SourceRow:
    source: FundingSource
    received: Decimal
    planned_share: Decimal | None
    received_share: Decimal | None  # of all funds received
    spent_share: Decimal = ZERO  # the part of the spending this source finances by its planned share

    @property
    def outstanding(self) -> Decimal:
        """Its share of the spending not yet received (negative: received ahead of spending)."""
        return self.spent_share - self.received

    @property
    def above_rate(self) -> bool:
        rate = self.source.max_rate_percent
        return rate is not None and self.planned_share is not None and self.planned_share > rate


@dataclass
class WorkPackageRow:
    label: str
    package: WorkPackage | None
    planned: Decimal | None
    spent: Decimal

    @property
    def remaining(self) -> Decimal | None:
        return None if self.planned is None else self.planned - self.spent

    @property
    def used(self) -> Decimal | None:
        return None if self.planned is None else share(self.spent, self.planned)


@dataclass
class UnitCost:
    label: str
    count: int
    cost: Decimal | None  # None: no unit yet, or a count of people too small to show


@dataclass
class Overview:
    project: Any
    as_of: date
    years: list[int]
    categories: list[CategoryRow]
    sources: list[SourceRow]
    per_state: list[tuple[str, Decimal]]
    work_packages: list[WorkPackageRow] = field(default_factory=list)
    units: list[UnitCost] = field(default_factory=list)

    @property
    def planned_by_year(self) -> list[Decimal]:
        return [sum((row.planned.get(y, ZERO) for row in self.categories), ZERO) for y in self.years]

    @property
    def spent_by_year(self) -> list[Decimal]:
        return [sum((row.spent.get(y, ZERO) for row in self.categories), ZERO) for y in self.years]

    @property
    def planned_total(self) -> Decimal:
        return sum((row.planned_total for row in self.categories), ZERO)

    @property
    def spent_total(self) -> Decimal:
        return sum((row.spent_total for row in self.categories), ZERO)

    @property
    def remaining(self) -> Decimal:
        return self.planned_total - self.spent_total

    @property
    def used(self) -> Decimal | None:
        return share(self.spent_total, self.planned_total)

    @property
    def sources_total(self) -> Decimal:
        return sum((row.source.planned_amount for row in self.sources), ZERO)

    @property
    def received_total(self) -> Decimal:
        return sum((row.received for row in self.sources), ZERO)

    @property
    def spent_shared(self) -> Decimal:
        """The spending as split over the sources (equals `spent_total` whenever there is a plan)."""
        return sum((row.spent_share for row in self.sources), ZERO)

    @property
    def outstanding_total(self) -> Decimal:
        return sum((row.outstanding for row in self.sources), ZERO)

    @property
    def cover_difference(self) -> Decimal:
        """Sources minus plan: zero when the sources cover the plan to the cent."""
        return self.sources_total - self.planned_total

    @property
    def work_packages_total(self) -> Decimal:
        return sum((row.spent for row in self.work_packages), ZERO)

    @property
    def warnings(self) -> list[CategoryRow]:
        return [row for row in self.categories if row.over_tolerance]


def _share_spending(sources: list[SourceRow], *, spent: Decimal, plan: Decimal) -> None:
    """Split the spending over the sources by their planned amounts, to the cent: each gets its share
    rounded, the last the rest, so that the parts add up to the spending exactly."""
    if not plan or not sources:
        return
    rest = spent
    for row in sources[:-1]:
        row.spent_share = (spent * row.source.planned_amount / plan).quantize(CENT, rounding=ROUND_HALF_UP)
        rest -= row.spent_share
    sources[-1].spent_share = rest


def _by_year(values: Any) -> dict[tuple[int, int], Decimal]:
    totals: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for category_id, year, amount in values:
        totals[(category_id, year)] += amount
    return totals


def _flat_rates(
    categories: list[CostCategory], by_year: dict[tuple[int, int], Decimal], years: list[int]
) -> dict[tuple[int, int], Decimal]:
    """Each flat-rate category's amount per year: its rate of what its base categories have in that
    year, rounded once per year (`CostCategory.flat_amount`). Amounts booked on a flat-rate category
    by hand are not counted (the services refuse them)."""
    flat: dict[tuple[int, int], Decimal] = {}
    for rate in (c for c in categories if c.is_flat_rate):
        for year in years:
            cells = [by_year[(c.pk, year)] for c in categories if c.in_base(rate) and (c.pk, year) in by_year]
            if cells:
                flat[(rate.pk, year)] = rate.flat_amount(sum(cells, ZERO))
    return flat


def finance_overview(
    *, project: Any, as_of: date, since: date | None = None, with_units: bool = True
) -> Overview:
    """Plan and spending of `project` from `since` (default: its start) to `as_of`: payments after
    `as_of` do not count, so a past day gives the same numbers after any later bookings. Flat-rate
    categories are computed from their base, per year, and count as spent for both states."""
    since = since or project.starts_on
    categories = list(CostCategory.objects.all())
    flat_ids = {c.pk for c in categories if c.is_flat_rate}
    # The plan and the grouped spending in one query (UNION ALL): the overview's reads are few and
    # small, so each query saved is a good part of its time (issue 16's bench).
    planned_rows = (
        BudgetLine.objects.filter(project=project)
        .exclude(category__in=flat_ids)
        .annotate(
            is_plan=Value(True),
            plan_state=Value("", output_field=CharField()),
            plan_package=Value(None, output_field=IntegerField()),
        )
        .values_list("is_plan", "category", "year", "plan_state", "plan_package", "amount")
    )
    spent_rows = (
        Expenditure.objects.filter(project=project, paid_on__gte=since, paid_on__lte=as_of)
        .exclude(category__in=flat_ids)
        .order_by()
        .annotate(is_plan=Value(False), paid_year=ExtractYear("paid_on"))
        .values("is_plan", "category", "paid_year", "state", "work_package")
        .annotate(total=Sum("amount"))
        .values_list("is_plan", "category", "paid_year", "state", "work_package", "total")
    )
    plan_cells: list[tuple[int, int, Decimal]] = []
    spent_cells: list[tuple[int, int, str, int | None, Decimal]] = []
    both = planned_rows.order_by().union(spent_rows, all=True).order_by()
    for is_plan, category_id, year, state, package, amount in both:
        if is_plan:
            plan_cells.append((category_id, year, amount))
        else:
            spent_cells.append((category_id, year, state, package, amount))
    planned_by = _by_year(plan_cells)
    spent_by = _by_year((c, y, amount) for c, y, _s, _w, amount in spent_cells)
    years = sorted({year for _c, year in planned_by} | {year for _c, year in spent_by})
    planned_by.update(_flat_rates(categories, planned_by, years))
    flat_spent = _flat_rates(categories, spent_by, years)
    spent_by.update(flat_spent)
    used_categories = {c for c, _y in planned_by} | {c for c, _y in spent_by}
    rows = []
    for category in categories:
        if category.pk not in used_categories:
            continue
        planned = {y: planned_by[(category.pk, y)] for y in years if (category.pk, y) in planned_by}
        paid = {y: spent_by[(category.pk, y)] for y in years if (category.pk, y) in spent_by}
        rows.append(
            CategoryRow(
                category=category,
                planned=planned,
                spent=paid,
                planned_total=sum(planned.values(), ZERO),
                spent_total=sum(paid.values(), ZERO),
            )
        )
    plan_total = sum((row.planned_total for row in rows), ZERO)
    funding = list(
        FundingSource.objects.filter(project=project).annotate(
            received_sum=Sum("receipts__amount", filter=Q(receipts__received_on__lte=as_of))
        )
    )
    received = {source.pk: source.received_sum or ZERO for source in funding}
    received_total = sum(received.values(), ZERO)
    sources = [
        SourceRow(
            source=source,
            received=received[source.pk],
            planned_share=share(source.planned_amount, plan_total),
            received_share=share(received[source.pk], received_total),
        )
        for source in funding
    ]
    _share_spending(sources, spent=sum((row.spent_total for row in rows), ZERO), plan=plan_total)
    flat_total = sum(flat_spent.values(), ZERO)
    states: dict[str, Decimal] = defaultdict(lambda: ZERO)
    packages: dict[int | None, Decimal] = defaultdict(lambda: ZERO)
    for _c, _y, state, package, amount in spent_cells:
        states[state] += amount
        packages[package] += amount
    # A flat rate is the whole project's overhead: it counts for both states.
    states[""] += flat_total
    per_state = [(str(label), states.get(value, ZERO)) for value, label in State.choices]
    per_state.append(("", states.get("", ZERO)))
    overview = Overview(
        project=project,
        as_of=as_of,
        years=years,
        categories=rows,
        sources=sources,
        per_state=per_state,
        work_packages=_work_package_rows(project, packages, flat_total),
    )
    if with_units:
        overview.units = unit_costs(overview.spent_total, since=since, as_of=as_of)
    return overview


def _work_package_rows(
    project: Any, spent: dict[int | None, Decimal], flat_total: Decimal
) -> list[WorkPackageRow]:
    """One row per work package, then the spending without one and the flat rates (never tied to a
    work package), so that the rows add up to the spending of the overview."""
    rows = [
        WorkPackageRow(
            label=str(package),
            package=package,
            planned=package.planned_amount,
            spent=spent.get(package.pk, ZERO),
        )
        for package in WorkPackage.objects.filter(project=project)
    ]
    if rows or None in spent:
        rows.append(
            WorkPackageRow(
                label=_("ohne Arbeitspaket"), package=None, planned=None, spent=spent.get(None, ZERO)
            )
        )
    if flat_total:
        rows.append(WorkPackageRow(label=_("Pauschalen"), package=None, planned=None, spent=flat_total))
    return rows


def unit_counts(*, since: date, as_of: date) -> tuple[int, int, int]:
    """Courses held, participant days and accompanied authorities from `since` to `as_of`, counted
    like the indicator table's figures and kept as they are (compute_many: until a counted fact
    changes or, for a day that has passed, until the past is corrected)."""
    keys = ("courses_held", "participant_days", "authorities_supported")
    courses, days, authorities = (
        int(value) for value in compute_many([(key, since, as_of, None) for key in keys])
    )
    return courses, days, authorities


def unit_costs(total: Decimal, *, since: date, as_of: date) -> list[UnitCost]:
    """What one course held, one participant day and one accompanied authority cost, counted by the
    indicators' computations over the same days."""
    courses, days, authorities = unit_counts(since=since, as_of=as_of)
    counts = [
        (_("je durchgeführte Qualifizierung"), courses, False),
        (_("je Teilnahmetag"), days, True),
        (_("je begleitete Ausländerbehörde"), authorities, False),
    ]
    units = []
    for label, count, people in counts:
        # Participant days are people: one or two would let a reader work back to the people.
        hidden = people and 0 < count < 3
        cost = None if hidden or not count else (total / count).quantize(CENT, rounding=ROUND_HALF_UP)
        units.append(UnitCost(label=label, count=count, cost=cost))
    return units


def released_summary(*, as_of: date | None) -> Overview | None:
    """What a funder sees of the money on their page: the current project's totals as of the end of
    the latest period with a released report (None before the first release or without a plan)."""
    project = current_project()
    if as_of is None or project is None:
        return None
    overview = finance_overview(project=project, as_of=as_of)
    return overview if overview.categories else None


def belegliste(project: Any) -> QuerySet[Expenditure]:
    """The rows of the Belegliste page and export, in their running number."""
    return (
        Expenditure.objects.filter(project=project)
        .select_related(
            "category", "reverses", "reversal", "course", "meeting", "process__authority", "work_package"
        )
        .order_by("number")
    )


def belegliste_total(project: Any) -> Decimal:
    total = Expenditure.objects.filter(project=project).aggregate(total=Sum("amount"))["total"]
    return total if total is not None else ZERO


def fund_receipts(project: Any) -> QuerySet[FundReceipt]:
    return (
        FundReceipt.objects.filter(source__project=project)
        .select_related("source")
        .order_by("received_on", "pk")
    )


def finance_history(project: Any) -> QuerySet[FinanceEvent]:
    return FinanceEvent.objects.filter(project=project).select_related("by")


def budget_grid(project: Any) -> tuple[list[int], list[tuple[CostCategory, list[Decimal | None]]]]:
    """The plan as a table: one row per category, one column per year of the project's term; a
    flat-rate category's cells are computed from its base, as in the overview."""
    years = list(range(project.starts_on.year, project.ends_on.year + 1))
    categories = list(CostCategory.objects.all())
    amounts = {
        (line.category_id, line.year): line.amount
        for line in BudgetLine.objects.filter(project=project)
        if not any(c.pk == line.category_id and c.is_flat_rate for c in categories)
    }
    amounts.update(_flat_rates(categories, amounts, years))
    rows = [(category, [amounts.get((category.pk, year)) for year in years]) for category in categories]
    return years, rows


def work_packages(project: Any) -> QuerySet[WorkPackage]:
    return WorkPackage.objects.filter(project=project)
