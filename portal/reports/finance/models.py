"""The finances of a funding project. Money is `Decimal` with two places; nothing edits an
expenditure: a correction is a new row that reverses the old one, and every write leaves a line in
the history (`FinanceEvent`)."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from authorities.models import State

CENT = Decimal("0.01")
PROJECT = "reports.FundingProject"


class CostCategory(models.Model):
    """A cost category of the financing plan (data, not code): Personalausgaben, Sachausgaben, …"""

    name = models.CharField(_("Bezeichnung"), max_length=200, unique=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    is_flat_rate = models.BooleanField(
        _("Pauschale"), default=False, help_text=_("Z. B. indirekte Kosten als Pauschalsatz.")
    )
    tolerance_percent = models.DecimalField(
        _("Toleranz in Prozent"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20.00"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("Um so viel darf die Kategorie ihren Planansatz überschreiten, ehe gewarnt wird."),
    )

    class Meta:
        verbose_name = _("Kostenkategorie")
        verbose_name_plural = _("Kostenkategorien")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    """The planned amount of one cost category in one calendar year."""

    project = models.ForeignKey(
        PROJECT, verbose_name=_("Förderprojekt"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    category = models.ForeignKey(
        CostCategory, verbose_name=_("Kostenkategorie"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("Jahr"))
    amount = models.DecimalField(
        _("Planansatz"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )

    class Meta:
        verbose_name = _("Planansatz")
        verbose_name_plural = _("Planansätze")
        ordering = ["project", "category__position", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "category", "year"], name="budget_line_once"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_line_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.year}"


class SourceKind(models.TextChoices):
    EU = "eu", _("EU-Mittel (AMIF)")
    MINISTRY = "ministry", _("Landesministerium")
    OWN = "own", _("Eigenmittel")
    OTHER = "other", _("Sonstige Drittmittel")


class FundingSource(models.Model):
    """Who pays which planned share of the plan: the AMIF up to its co-financing rate, each ministry,
    own funds."""

    project = models.ForeignKey(
        PROJECT, verbose_name=_("Förderprojekt"), on_delete=models.CASCADE, related_name="funding_sources"
    )
    name = models.CharField(_("Bezeichnung"), max_length=300)
    kind = models.CharField(_("Art"), max_length=10, choices=SourceKind.choices)
    state = models.CharField(_("Land"), max_length=2, choices=State.choices, blank=True)
    planned_amount = models.DecimalField(
        _("geplanter Betrag"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    max_rate_percent = models.DecimalField(
        _("höchstens Prozent der Gesamtkosten"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("Der Kofinanzierungssatz, z. B. 75 für den AMIF; leer, wenn es keine Grenze gibt."),
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Finanzierungsquelle")
        verbose_name_plural = _("Finanzierungsquellen")
        ordering = ["project", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_amount__gte=0), name="funding_source_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name


def receipt_upload_to(instance: "Expenditure", filename: str) -> str:
    # A random name outside the static root: receipts are served only through a view that checks access.
    return f"finanzen/belege/{secrets.token_urlsafe(24)}"


class Expenditure(models.Model):
    """One row of the Belegliste. Never edited: a correction is a new row with the opposite amount
    that names the row it reverses."""

    project = models.ForeignKey(
        PROJECT, verbose_name=_("Förderprojekt"), on_delete=models.PROTECT, related_name="expenditures"
    )
    number = models.PositiveIntegerField(_("lfd. Nr."))
    paid_on = models.DateField(_("Zahlungsdatum"))
    category = models.ForeignKey(
        CostCategory, verbose_name=_("Kostenkategorie"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("Betrag"), max_digits=12, decimal_places=2)
    purpose = models.CharField(_("Empfänger/Zweck"), max_length=300)
    receipt_number = models.CharField(_("Beleg-Nr."), max_length=50, blank=True)
    receipt = models.FileField(_("Beleg"), upload_to=receipt_upload_to, blank=True)
    receipt_name = models.CharField(_("Dateiname des Belegs"), max_length=255, blank=True)
    receipt_type = models.CharField(_("Dateityp des Belegs"), max_length=100, blank=True)
    course = models.ForeignKey(
        "training.Course",
        verbose_name=_("Schulung"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    meeting = models.ForeignKey(
        "network.Meeting",
        verbose_name=_("Netzwerktreffen"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    process = models.ForeignKey(
        "authorities.ChangeProcess",
        verbose_name=_("Veränderungsprozess"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(
        _("Land"), max_length=2, choices=State.choices, blank=True, help_text=_("Leer für beide Länder.")
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("storniert Beleg"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversal",
    )
    note = models.CharField(_("Begründung"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("erfasst am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Ausgabe")
        verbose_name_plural = _("Ausgaben")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="expenditure_number_once"),
            models.CheckConstraint(condition=~models.Q(amount=0), name="expenditure_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.purpose}"


class FundReceipt(models.Model):
    """Money received from a source (Mittelabruf/Zahlungseingang)."""

    source = models.ForeignKey(
        FundingSource,
        verbose_name=_("Finanzierungsquelle"),
        on_delete=models.PROTECT,
        related_name="receipts",
    )
    received_on = models.DateField(_("Eingang am"))
    amount = models.DecimalField(
        _("Betrag"), max_digits=12, decimal_places=2, validators=[MinValueValidator(CENT)]
    )
    reference = models.CharField(_("Verwendungszweck/Bescheid"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("erfasst am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Mitteleingang")
        verbose_name_plural = _("Mitteleingänge")
        ordering = ["source", "received_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="fund_receipt_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.received_on:%d.%m.%Y}"


class FinanceEvent(models.Model):
    """One line of the finances' history: who changed what, when."""

    project = models.ForeignKey(
        PROJECT, verbose_name=_("Förderprojekt"), on_delete=models.CASCADE, related_name="finance_events"
    )
    at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("von"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    text = models.CharField(_("Änderung"), max_length=500)

    class Meta:
        verbose_name = _("Änderung der Finanzen")
        verbose_name_plural = _("Änderungen der Finanzen")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return self.text
