"""The finances of a funding project. Money is `Decimal` with two places; nothing edits an
expenditure: a correction is a new row that reverses the old one, and every write leaves a line in
the history (`FinanceEvent`)."""

import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from authorities.models import State
from portal.formats import percent

CENT = Decimal("0.01")
PROJECT = "reports.FundingProject"


class FlatRateBase(models.TextChoices):
    DIRECT = "direct", _("alle direkten Kosten")
    PERSONNEL = "personnel", _("direkte Personalkosten")


class CostCategory(models.Model):
    """A cost category of the financing plan (data, not code): Personalausgaben, Sachausgaben, …

    A flat-rate category (indirekte Kosten) is never planned or booked by hand: its planned and its
    actual amount per year are `flat_rate_percent` of the plan and of the spending of its base, all
    direct costs or the direct personnel costs (the categories marked `is_personnel`). This mirrors
    Art. 54 of Regulation (EU) 2021/1060 for the AMIF 2021–2027: indirect costs as a flat rate of up
    to 7 % of the eligible direct costs (a) or of up to 15 % of the eligible direct staff costs (b);
    the 7 % of the direct costs of the AMIF 2014–2020 (Delegated Regulation (EU) 1042/2014) is zu
    prüfen. Rounded half-up to the cent once per year, in `flat_amount`."""

    name = models.CharField(_("Bezeichnung"), max_length=200, unique=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    is_flat_rate = models.BooleanField(
        _("Pauschale"),
        default=False,
        help_text=_("Z. B. indirekte Kosten als Pauschalsatz: berechnet, nicht gebucht."),
    )
    flat_rate_percent = models.DecimalField(
        _("Pauschalsatz in Prozent"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(CENT), MaxValueValidator(Decimal(100))],
        help_text=_("Z. B. 7 (der direkten Kosten) oder 15 (der direkten Personalkosten)."),
    )
    flat_rate_base = models.CharField(
        _("Bemessungsgrundlage der Pauschale"),
        max_length=10,
        choices=FlatRateBase.choices,
        blank=True,
    )
    is_personnel = models.BooleanField(
        _("Personalkosten"),
        default=False,
        help_text=_("Zählt zu den direkten Personalkosten, der Grundlage einer Pauschale."),
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
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_flat_rate=False, flat_rate_percent__isnull=True, flat_rate_base="")
                | models.Q(
                    is_flat_rate=True,
                    flat_rate_percent__isnull=False,
                    flat_rate_base__in=["direct", "personnel"],
                ),
                name="cost_category_flat_rate_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.is_flat_rate and (self.flat_rate_percent is None or not self.flat_rate_base):
            raise ValidationError(
                _("Eine Pauschale braucht einen Pauschalsatz und eine Bemessungsgrundlage.")
            )
        if not self.is_flat_rate and (self.flat_rate_percent is not None or self.flat_rate_base):
            raise ValidationError(_("Pauschalsatz und Bemessungsgrundlage gelten nur für eine Pauschale."))

    def in_base(self, flat_rate: "CostCategory") -> bool:
        """Whether this category's amounts are the base of `flat_rate`'s."""
        if self.is_flat_rate:
            return False
        return flat_rate.flat_rate_base == FlatRateBase.DIRECT or self.is_personnel

    def flat_amount(self, base: Decimal) -> Decimal:
        """The flat rate of `base`, rounded half-up to the cent: the one place a flat rate is rounded."""
        assert self.flat_rate_percent is not None
        return (base * self.flat_rate_percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def long_name(self) -> str:
        """The name with its flat rate, for the exports and the report's annex."""
        if not self.is_flat_rate:
            return self.name
        return _("%(name)s, %(rate)s") % {"name": self.name, "rate": self.flat_rate_label}

    @property
    def flat_rate_label(self) -> str:
        if not self.is_flat_rate or self.flat_rate_percent is None:
            return ""
        exponent = self.flat_rate_percent.normalize().as_tuple().exponent
        rate = percent(self.flat_rate_percent, places=max(0, -exponent) if isinstance(exponent, int) else 2)
        if self.flat_rate_base == FlatRateBase.PERSONNEL:
            return _("%(rate)s der direkten Personalkosten") % {"rate": rate}
        return _("%(rate)s der direkten Kosten") % {"rate": rate}


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


class WorkPackage(models.Model):
    """A work package of a funding project (AP 1 „Prozessbegleitung“, …): expenditures name the one
    they belong to, and the overview shows what each has spent against its optional plan."""

    project = models.ForeignKey(
        PROJECT, verbose_name=_("Förderprojekt"), on_delete=models.CASCADE, related_name="work_packages"
    )
    number = models.CharField(_("Nummer"), max_length=20, help_text=_("Z. B. „AP 1“ oder „2.3“."))
    title = models.CharField(_("Titel"), max_length=300)
    planned_amount = models.DecimalField(
        _("geplanter Betrag"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Freiwillig."),
    )

    class Meta:
        verbose_name = _("Arbeitspaket")
        verbose_name_plural = _("Arbeitspakete")
        ordering = ["project", "number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="work_package_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


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
    work_package = models.ForeignKey(
        WorkPackage,
        verbose_name=_("Arbeitspaket"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expenditures",
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
