"""Every write of the finances, each with its line in the history. Expenditures are never changed:
`expenditure_reverse` books the opposite amount as a new row."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from network import uploads
from portal.accounts.models import User
from portal.formats import euro
from portal.reports.finance import rules
from portal.reports.finance.models import (
    BudgetLine,
    CostCategory,
    Expenditure,
    FinanceEvent,
    FundingSource,
    FundReceipt,
    WorkPackage,
)
from portal.services import model_update

SOURCE_FIELDS = ["name", "kind", "state", "planned_amount", "max_rate_percent", "position"]
WORK_PACKAGE_FIELDS = ["number", "title", "planned_amount"]


def _refuse_flat_rate(category: CostCategory, *, booking: bool) -> None:
    if not category.is_flat_rate:
        return
    if booking:
        message = _("„%(name)s“ ist eine Pauschale und wird berechnet; darauf wird nichts gebucht.")
    else:
        message = _("„%(name)s“ ist eine Pauschale und wird aus dem Plan der direkten Kosten berechnet.")
    raise ValidationError({"category": message % {"name": category.name}})


def _record(*, project: Any, by: User | None, text: str) -> None:
    FinanceEvent.objects.create(project=project, by=by, text=text[:500])


def _lock(project: Any) -> Any:
    # One writer at a time per project: the running number and the "reversed once" check count rows.
    return type(project).objects.select_for_update().get(pk=project.pk)


@transaction.atomic
def budget_line_set(*, project: Any, category: CostCategory, year: int, amount: Decimal, by: User) -> None:
    """Set the planned amount of a category in a year (0 removes the line)."""
    rules.check_manage(by)
    _refuse_flat_rate(category, booking=False)
    if not project.starts_on.year <= year <= project.ends_on.year:
        raise ValidationError(
            {"year": _("Das Jahr liegt außerhalb der Laufzeit des Projekts (%(start)s–%(end)s).")
             % {"start": project.starts_on.year, "end": project.ends_on.year}}
        )  # fmt: skip
    line = (
        BudgetLine.objects.select_for_update().filter(project=project, category=category, year=year).first()
    )
    old = line.amount if line else None
    if amount == 0:
        if line:
            line.delete()
    elif line:
        model_update(instance=line, fields=["amount"], data={"amount": amount})
    else:
        BudgetLine.objects.create(project=project, category=category, year=year, amount=amount)
    if old != amount:
        with translation.override("de"):
            _record(
                project=project,
                by=by,
                text=_("Planansatz %(category)s %(year)s: %(old)s → %(new)s")
                % {"category": category, "year": year, "old": euro(old or Decimal(0)), "new": euro(amount)},
            )


@transaction.atomic
def funding_source_save(
    *, project: Any, source: FundingSource | None, by: User, **data: Any
) -> FundingSource:
    rules.check_manage(by)
    with translation.override("de"):
        if source is None:
            source = FundingSource(project=project, **data)
            source.full_clean()
            source.save()
            _record(
                project=project,
                by=by,
                text=_("Finanzierungsquelle „%(name)s“ angelegt: %(amount)s")
                % {"name": source.name, "amount": euro(source.planned_amount)},
            )
            return source
        changed = model_update(instance=source, fields=SOURCE_FIELDS, data=data)
        if changed:
            _record(
                project=project,
                by=by,
                text=_("Finanzierungsquelle „%(name)s“ geändert: %(fields)s")
                % {
                    "name": source.name,
                    "fields": ", ".join(
                        f"{_label(name)} {old} → {getattr(source, name)}" for name, old in changed.items()
                    ),
                },
            )
    return source


def _label(name: str, model: Any = FundingSource) -> str:
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


@transaction.atomic
def work_package_save(*, project: Any, package: WorkPackage | None, by: User, **data: Any) -> WorkPackage:
    rules.check_manage(by)
    others = WorkPackage.objects.filter(project=project, number=data.get("number"))
    if package is not None:
        others = others.exclude(pk=package.pk)
    if others.exists():
        raise ValidationError({"number": _("Diese Nummer hat schon ein anderes Arbeitspaket.")})
    with translation.override("de"):
        if package is None:
            package = WorkPackage(project=project, **data)
            package.full_clean()
            package.save()
            _record(
                project=project,
                by=by,
                text=_("Arbeitspaket „%(package)s“ angelegt") % {"package": package},
            )
            return package
        changed = model_update(instance=package, fields=WORK_PACKAGE_FIELDS, data=data)
        if changed:
            _record(
                project=project,
                by=by,
                text=_("Arbeitspaket „%(package)s“ geändert: %(fields)s")
                % {
                    "package": package,
                    "fields": ", ".join(
                        f"{_label(name, WorkPackage)} {old} → {getattr(package, name)}"
                        for name, old in changed.items()
                    ),
                },
            )
    return package


def _next_number(project: Any) -> int:
    return (Expenditure.objects.filter(project=project).aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def expenditure_create(
    *,
    project: Any,
    by: User,
    paid_on: date,
    category: CostCategory,
    amount: Decimal,
    purpose: str,
    receipt_number: str = "",
    receipt: "File[bytes] | None" = None,
    course: Any = None,
    meeting: Any = None,
    process: Any = None,
    work_package: WorkPackage | None = None,
    state: str = "",
) -> Expenditure:
    rules.check_manage(by)
    _refuse_flat_rate(category, booking=True)
    if amount <= 0:
        raise ValidationError({"amount": _("Bitte geben Sie einen Betrag über 0,00 € an.")})
    if work_package is not None and work_package.project_id != project.pk:
        raise ValidationError({"work_package": _("Das Arbeitspaket gehört zu einem anderen Förderprojekt.")})
    project = _lock(project)
    expenditure = Expenditure(
        project=project,
        number=_next_number(project),
        paid_on=paid_on,
        category=category,
        amount=amount,
        purpose=purpose,
        receipt_number=receipt_number,
        course=course,
        meeting=meeting,
        process=process,
        work_package=work_package,
        state=state,
        created_by=by,
    )
    if receipt:
        try:
            checked = uploads.check_upload(receipt)
        except ValidationError as error:
            raise ValidationError({"receipt": error.messages}) from error
        expenditure.receipt_name = checked.name
        expenditure.receipt_type = checked.content_type
        # The name given here only counts for its absence: receipt_upload_to picks a random one.
        expenditure.receipt.save(checked.name, receipt, save=False)
    try:
        expenditure.save()
    except BaseException:
        if expenditure.receipt.name:
            expenditure.receipt.storage.delete(expenditure.receipt.name)
        raise
    with translation.override("de"):
        _record(
            project=project,
            by=by,
            text=_("Ausgabe Nr. %(number)s erfasst: %(amount)s, %(category)s, „%(purpose)s“")
            % {
                "number": expenditure.number,
                "amount": euro(amount),
                "category": category,
                "purpose": purpose,
            },
        )
    return expenditure


@transaction.atomic
def expenditure_reverse(*, expenditure: Expenditure, by: User, note: str) -> Expenditure:
    """Book the opposite amount as a new row that names the one it reverses; a row is reversed once,
    and a reversal is not reversed (book the expenditure again instead)."""
    rules.check_manage(by)
    project = _lock(expenditure.project)
    original = Expenditure.objects.get(pk=expenditure.pk)
    if original.reverses_id is not None:
        raise ValidationError(
            _("Eine Stornobuchung kann nicht storniert werden. Bitte erfassen Sie die Ausgabe neu.")
        )
    if Expenditure.objects.filter(reverses=original).exists():
        raise ValidationError(_("Diese Ausgabe ist bereits storniert."))
    if not note.strip():
        raise ValidationError({"note": _("Bitte geben Sie einen Grund für die Stornierung an.")})
    with translation.override("de"):
        reversal = Expenditure.objects.create(
            project=project,
            number=_next_number(project),
            paid_on=original.paid_on,
            category=original.category,
            amount=-original.amount,
            purpose=_("Storno zu Nr. %(number)s: %(purpose)s")
            % {"number": original.number, "purpose": original.purpose},
            receipt_number=original.receipt_number,
            course=original.course,
            meeting=original.meeting,
            process=original.process,
            work_package=original.work_package,
            state=original.state,
            reverses=original,
            note=note.strip(),
            created_by=by,
        )
        _record(
            project=project,
            by=by,
            text=_("Ausgabe Nr. %(number)s storniert (Nr. %(reversal)s): %(note)s")
            % {"number": original.number, "reversal": reversal.number, "note": reversal.note},
        )
    return reversal


@transaction.atomic
def fund_receipt_create(
    *, source: FundingSource, by: User, received_on: date, amount: Decimal, reference: str = ""
) -> FundReceipt:
    rules.check_manage(by)
    receipt = FundReceipt(
        source=source, received_on=received_on, amount=amount, reference=reference, created_by=by
    )
    receipt.full_clean()
    receipt.save()
    with translation.override("de"):
        _record(
            project=source.project,
            by=by,
            text=_("Mitteleingang von „%(source)s“ am %(day)s: %(amount)s")
            % {"source": source.name, "day": f"{received_on:%d.%m.%Y}", "amount": euro(amount)},
        )
    return receipt
