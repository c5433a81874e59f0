from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .computations import computation_choices


class Indicator(models.Model):
    """One indicator of the AMIF reports; project staff edit the data, the computation is code."""

    code = models.CharField(_("Kennung"), max_length=20, unique=True)
    name_de = models.CharField(_("Bezeichnung (deutsch)"), max_length=300)
    name_en = models.CharField(_("Bezeichnung (englisch)"), max_length=300)
    unit = models.CharField(_("Einheit"), max_length=50)
    computation = models.CharField(_("Berechnung"), max_length=50, choices=computation_choices)
    target_total = models.DecimalField(
        _("Zielwert gesamt"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    target_rp = models.DecimalField(
        _("Zielwert Rheinland-Pfalz"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    target_ni = models.DecimalField(
        _("Zielwert Niedersachsen"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    funding_period = models.CharField(_("Förderperiode"), max_length=20, default="2021–2027")
    position = models.PositiveSmallIntegerField(_("Reihenfolge im Bericht"), default=0)
    amif_codes = models.CharField(
        _("AMIF-Indikatoren"),
        max_length=200,
        blank=True,
        help_text=_("Zuordnung zu den amtlichen AMIF-Indikatoren, z. B. „O.1.2; R.1.5“."),
    )
    notes = models.TextField(_("Anmerkungen"), blank=True)

    class Meta:
        verbose_name = _("Indikator")
        verbose_name_plural = _("Indikatoren")
        ordering = ["position", "code"]

    def __str__(self):
        return f"{self.code} {self.name_de}"


class PeriodKind(models.TextChoices):
    INTERIM = "interim", _("Zwischenbericht")
    FINAL = "final", _("Schlussbericht")


# How close a due date counts as "soon" on the list of periods.
DUE_SOON_DAYS = 14


class ReportingPeriod(models.Model):
    """A period the funder wants a progress report for; the due date is the reporting deadline."""

    title = models.CharField(_("Bezeichnung"), max_length=200)
    kind = models.CharField(_("Art des Berichts"), max_length=10, choices=PeriodKind.choices)
    starts_on = models.DateField(_("Beginn des Zeitraums"))
    ends_on = models.DateField(_("Ende des Zeitraums"))
    due_on = models.DateField(_("Abgabefrist"))

    class Meta:
        verbose_name = _("Berichtszeitraum")
        verbose_name_plural = _("Berichtszeiträume")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="reporting_period_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("ends_on")), name="reporting_period_due_after_end"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_kind_display()})"

    def get_absolute_url(self):
        return reverse("reports:narrative", args=[self.pk])

    def deadline_state(self, today) -> str:
        """ "overdue", "soon" (within DUE_SOON_DAYS) or "" for the list of periods."""
        if self.due_on < today:
            return "overdue"
        if (self.due_on - today).days <= DUE_SOON_DAYS:
            return "soon"
        return ""


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")


class ProgressReport(models.Model):
    """The narrative of the report for one period, saved as a draft."""

    period = models.OneToOneField(
        ReportingPeriod, verbose_name=_("Berichtszeitraum"), on_delete=models.CASCADE, related_name="report"
    )
    summary = models.TextField(_("Zusammenfassung"), blank=True)
    activities = models.TextField(_("Aktivitäten je Arbeitspaket"), blank=True)
    deviations = models.TextField(_("Abweichungen vom Plan und Begründung"), blank=True)
    outlook = models.TextField(_("Ausblick"), blank=True)
    status = models.CharField(
        _("Status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zuletzt bearbeitet von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("zuletzt bearbeitet am"), auto_now=True)

    class Meta:
        verbose_name = _("Sachbericht")
        verbose_name_plural = _("Sachberichte")

    def __str__(self):
        return str(self.period)
