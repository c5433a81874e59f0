import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from authorities.models import State
from portal.facts import FrameQuerySet

from .computations import computation_choices


class Programme(models.TextChoices):
    """The EU funding programme a project reports under."""

    AMIF_2014_2020 = "amif-2014-2020", _("AMIF 2014–2020")
    AMIF_2021_2027 = "amif-2021-2027", _("AMIF 2021–2027")


class FundingProjectQuerySet(FrameQuerySet["FundingProject"]):
    def current(self) -> "FundingProject | None":
        """The project the portal reports for today (at most one is marked current)."""
        return self.filter(is_current=True).first()

    def programme_starts(self) -> dict[str, dt.date]:
        """Per programme the first day its indicators cumulate from: the start of its current
        project, else of its earliest project (one query)."""
        starts: dict[str, dt.date] = {}
        for programme, starts_on in self.order_by("-is_current", "starts_on").values_list(
            "programme", "starts_on"
        ):
            starts.setdefault(programme, starts_on)
        return starts


class FundingProject(models.Model):
    """A funded project: its programme, term and partners. The reporting periods, the indicators'
    frame and the retention of personal data follow from the current one."""

    title = models.CharField(_("Projekttitel"), max_length=300)
    programme = models.CharField(_("Förderprogramm"), max_length=20, choices=Programme.choices)
    regulation = models.CharField(
        _("Rechtsgrundlage"),
        max_length=300,
        blank=True,
        help_text=_("Die Verordnung, nach der berichtet wird, z. B. „Verordnung (EU) Nr. 516/2014“."),
    )
    project_number = models.CharField(_("Projektnummer"), max_length=50, blank=True)
    beneficiary = models.CharField(_("Zuwendungsempfänger"), max_length=300)
    starts_on = models.DateField(_("Laufzeit von"))
    ends_on = models.DateField(_("Laufzeit bis"))
    is_current = models.BooleanField(
        _("aktuelles Projekt"), default=False, help_text=_("Das Projekt, für das das Portal heute berichtet.")
    )
    notes = models.TextField(_("Anmerkungen"), blank=True)

    objects = FundingProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("Förderprojekt")
        verbose_name_plural = _("Förderprojekte")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="funding_project_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="funding_project_one_current"
            ),
        ]

    def __str__(self) -> str:
        start, end = (date_format(day, "SHORT_DATE_FORMAT") for day in (self.starts_on, self.ends_on))
        return f"{self.title} ({start}–{end})"


class PartnerRole(models.TextChoices):
    MANAGING_AUTHORITY = "managing", _("Zuständige Behörde des Programms")
    COFINANCING = "cofinancing", _("Kofinanzierung")
    COOPERATION = "cooperation", _("Kooperationspartner")


class FundingPartner(models.Model):
    """A partner of a funding project: the programme's managing authority, a co-financing ministry or
    a cooperation partner (optionally for part of the term only)."""

    project = models.ForeignKey(
        FundingProject, verbose_name=_("Förderprojekt"), on_delete=models.CASCADE, related_name="partners"
    )
    name = models.CharField(_("Name"), max_length=300)
    role = models.CharField(_("Rolle"), max_length=20, choices=PartnerRole.choices)
    state = models.CharField(_("Land"), max_length=2, choices=State.choices, blank=True)
    starts_on = models.DateField(_("beteiligt von"), null=True, blank=True)
    ends_on = models.DateField(_("beteiligt bis"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Projektpartner")
        verbose_name_plural = _("Projektpartner")
        ordering = ["project", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class IndicatorQuerySet(FrameQuerySet["Indicator"]):
    def in_report_order(self) -> "IndicatorQuerySet":
        """By position in the report, then by code (the order of the indicator table)."""
        return self.order_by("position", "code")


class Indicator(models.Model):
    """One indicator of the AMIF reports; project staff edit the data, the computation is code."""

    code = models.CharField(_("Kennung"), max_length=20, unique=True)
    name_de = models.CharField(_("Bezeichnung (deutsch)"), max_length=300)
    name_en = models.CharField(_("Bezeichnung (englisch)"), max_length=300)
    unit = models.CharField(_("Einheit"), max_length=50)
    unit_en = models.CharField(_("Einheit (englisch)"), max_length=50, blank=True)
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
    programme = models.CharField(
        _("Förderprogramm"),
        max_length=20,
        choices=Programme.choices,
        default=Programme.AMIF_2021_2027,
        help_text=_("Der Förderrahmen des Indikators; kumuliert wird ab dem Beginn seines Förderprojekts."),
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge im Bericht"), default=0)
    amif_codes = models.CharField(
        _("AMIF-Indikatoren"),
        max_length=200,
        blank=True,
        help_text=_(
            "Frühere freie Angabe der AMIF-Indikatoren (bleibt erhalten); maßgeblich ist die Zuordnung "
            "zu den Programmindikatoren."
        ),
    )
    notes = models.TextField(_("Anmerkungen"), blank=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("Indikator")
        verbose_name_plural = _("Indikatoren")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name_de}"

    def mapping_label(self) -> str:
        """The official codes of the programme indicators it counts towards, for the report; mappings
        without a checked code are not printed (prefetch `mappings__programme_indicator`)."""
        codes = [m.programme_indicator.code for m in self.mappings.all() if m.programme_indicator.code]
        return "; ".join(codes)


class IndicatorKind(models.TextChoices):
    OUTPUT = "output", _("Output")
    RESULT = "result", _("Ergebnis")


class ProgrammeIndicator(models.Model):
    """An indicator the programme itself defines (shipped as data, see `programme_frames.py`)."""

    programme = models.CharField(_("Förderprogramm"), max_length=20, choices=Programme.choices)
    code = models.CharField(
        _("amtliche Kennung"),
        max_length=20,
        blank=True,
        help_text=_("Nur eine in der Quelle belegte Kennung."),
    )
    wording_de = models.TextField(_("Wortlaut (deutsch)"))
    wording_en = models.TextField(_("Wortlaut (englisch)"))
    kind = models.CharField(_("Art"), max_length=10, choices=IndicatorKind.choices)
    source = models.CharField(_("Quelle"), max_length=300)
    to_check = models.BooleanField(
        _("zu prüfen"),
        default=True,
        help_text=_("Wortlaut oder Kennung sind noch nicht an der Quelle geprüft."),
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Programmindikator")
        verbose_name_plural = _("Programmindikatoren")
        ordering = ["programme", "position", "pk"]

    def __str__(self) -> str:
        label = f"{self.code} " if self.code else ""
        return f"{self.get_programme_display()}: {label}{self.wording_de}"


class IndicatorMapping(models.Model):
    """A portal indicator counts towards a programme indicator; a proposal stays "zu prüfen"."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("Indikator"), on_delete=models.CASCADE, related_name="mappings"
    )
    programme_indicator = models.ForeignKey(
        ProgrammeIndicator,
        verbose_name=_("Programmindikator"),
        on_delete=models.CASCADE,
        related_name="mappings",
    )
    to_check = models.BooleanField(_("zu prüfen"), default=True)

    class Meta:
        verbose_name = _("Zuordnung zu einem Programmindikator")
        verbose_name_plural = _("Zuordnungen zu Programmindikatoren")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "programme_indicator"], name="indicator_mapping_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} → {self.programme_indicator}"


class PeriodKind(models.TextChoices):
    INTERIM = "interim", _("Zwischenbericht")
    FINAL = "final", _("Schlussbericht")


# How close a due date counts as "soon" on the list of periods.
DUE_SOON_DAYS = 14


class ReportingPeriodQuerySet(FrameQuerySet["ReportingPeriod"]):
    def of_current_project(self) -> "ReportingPeriodQuerySet":
        """The periods of the current funding project, in order."""
        return self.filter(project__is_current=True).order_by("starts_on", "pk")


class ReportingPeriod(models.Model):
    """A period the funder wants a progress report for; the due date is the reporting deadline."""

    project = models.ForeignKey(
        FundingProject,
        verbose_name=_("Förderprojekt"),
        on_delete=models.PROTECT,
        related_name="periods",
        null=True,
        blank=True,
    )
    title = models.CharField(_("Bezeichnung"), max_length=200)
    kind = models.CharField(_("Art des Berichts"), max_length=10, choices=PeriodKind.choices)
    starts_on = models.DateField(_("Beginn des Zeitraums"))
    ends_on = models.DateField(_("Ende des Zeitraums"))
    due_on = models.DateField(_("Abgabefrist"))

    objects = ReportingPeriodQuerySet.as_manager()

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

    def __str__(self) -> str:
        return f"{self.title} ({self.get_kind_display()})"

    def get_absolute_url(self) -> str:
        return reverse("reports:narrative", args=[self.pk])

    def deadline_state(self, today: dt.date) -> str:
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

    def __str__(self) -> str:
        return str(self.period)


class VersionStatus(models.TextChoices):
    QUEUED = "queued", _("in der Warteschlange")
    RUNNING = "running", _("wird erstellt")
    DONE = "done", _("fertig")
    FAILED = "failed", _("fehlgeschlagen")


class VersionStep(models.TextChoices):
    """What the worker is doing, shown under the progress bar."""

    START = "start", _("Der Bericht wird vorbereitet.")
    INDICATORS = "indicators", _("Die Indikatoren werden berechnet.")
    ANNEXES = "annexes", _("Grafiken und Anlagen werden zusammengestellt.")
    TYPESETTING = "typesetting", _("Das PDF wird gesetzt.")


# After this long in the queue the page says that the background service seems to be away.
WAITING_LONG = dt.timedelta(minutes=2)


def report_version_upload_to(version: "ReportVersion", _filename: str) -> str:
    return f"reports/{version.period_id}/bericht-{version.period_id}-v{version.number}.pdf"


class ReportVersion(models.Model):
    """One generated PDF of a period's progress report. Once done it never changes: its file and
    SHA-256 stay as they were made; regenerating makes a new version. Funders see a version only
    after project staff released it."""

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("Berichtszeitraum"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("Version"))
    state = models.CharField(
        _("Land"),
        max_length=2,
        choices=State.choices,
        blank=True,
        help_text=_("Leer für beide Länder."),
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("Fortschritt in Prozent"), default=0)
    step = models.CharField(_("Arbeitsschritt"), max_length=20, choices=VersionStep.choices, blank=True)
    file = models.FileField(_("Datei"), upload_to=report_version_upload_to, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("Größe in Byte"), default=0)
    pages = models.PositiveSmallIntegerField(_("Seiten"), default=0)
    error = models.TextField(_("Fehler"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erstellt von"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("angefordert am"), auto_now_add=True)
    generated_at = models.DateTimeField(_("erstellt am"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("freigegeben von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    released_at = models.DateTimeField(_("freigegeben am"), null=True, blank=True)
    # The day the figures were read as of when the period had not ended yet: the version is interim.
    as_of = models.DateField(_("Stand (vorläufig)"), null=True, blank=True)
    # A released version can be withdrawn; its file stays for the record.
    withdrawn_at = models.DateTimeField(_("zurückgezogen am"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zurückgezogen von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawal_reason = models.TextField(_("Grund der Rücknahme"), blank=True)

    class Meta:
        verbose_name = _("Berichtsversion")
        verbose_name_plural = _("Berichtsversionen")
        ordering = ["period", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["period", "number"], name="report_version_number_unique"),
            models.CheckConstraint(
                condition=models.Q(released_at__isnull=True) | models.Q(status="done"),
                name="report_version_released_only_when_done",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True)
                | (models.Q(released_at__isnull=False) & ~models.Q(withdrawal_reason="")),
                name="report_version_withdrawn_only_when_released_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(period)s, Version %(number)s") % {"period": self.period, "number": self.number}

    @property
    def in_progress(self) -> bool:
        return self.status in (VersionStatus.QUEUED, VersionStatus.RUNNING)

    @property
    def waiting_long(self) -> bool:
        """Queued for minutes: the background service is probably not reachable just now."""
        return self.status == VersionStatus.QUEUED and timezone.now() - self.requested_at > WAITING_LONG

    @property
    def released(self) -> bool:
        return self.released_at is not None

    @property
    def interim(self) -> bool:
        return self.as_of is not None

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def filename(self) -> str:
        suffix = f"-{self.state.lower()}" if self.state else ""
        period = self.period
        return f"bericht-{period.starts_on:%Y-%m-%d}-bis-{period.ends_on:%Y-%m-%d}{suffix}-v{self.number}.pdf"


# The finances live in their own package and keep this app's label (see portal/reports/finance).
from portal.reports.finance.models import (  # noqa: E402, F401
    BudgetLine,
    CostCategory,
    Expenditure,
    FinanceEvent,
    FundingSource,
    FundReceipt,
    WorkPackage,
)
