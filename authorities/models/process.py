"""Each authority's change process (Veränderungsprozess): phases, goals, measures, milestones,
consultations, the self-assessment and the catalogue of example measures."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Avg, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Phase(models.IntegerChoices):
    KICK_OFF = 1, _("Auftakt")
    SITE_ASSESSMENT = 2, _("Standortbestimmung")
    AGREED_GOALS = 3, _("Zielvereinbarung")
    IMPLEMENTATION = 4, _("Umsetzung")
    EVALUATION = 5, _("Auswertung")
    CONSOLIDATION = 6, _("Verstetigung")


class ProcessStatus(models.TextChoices):
    ACTIVE = "active", _("Aktiv")
    PAUSED = "paused", _("Pausiert")
    COMPLETED = "completed", _("Abgeschlossen")
    ABORTED = "aborted", _("Abgebrochen")


class Field(models.TextChoices):
    ORGANISATION = "organisation", _("Organisationsentwicklung")
    PERSONNEL = "personnel", _("Personalentwicklung")
    COOPERATION = "cooperation", _("Kooperationsentwicklung")


class FieldOfAction(models.TextChoices):
    SELF_IMAGE = "self_image", _("Selbstverständnis")
    INTERNAL_ORGANISATION = "internal_organisation", _("Interne Organisation")
    SERVICE = "service", _("Außendarstellung und Service")
    INTERCULTURAL = "intercultural", _("Interkulturelle Kompetenzen")
    NETWORKING = "networking", _("Vernetzung")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Geplant")
    IN_PROGRESS = "in_progress", _("In Umsetzung")
    DONE = "done", _("Umgesetzt")
    DROPPED = "dropped", _("Verworfen")


class ChangeProcessQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user.is_project_staff:
            return self
        if user.is_authority_staff:
            return self.filter(authority_id=user.authority_id)
        return self.none()

    def active(self):
        return self.filter(status__in=[ProcessStatus.ACTIVE, ProcessStatus.PAUSED])


class ChangeProcess(models.Model):
    authority = models.ForeignKey(
        "authorities.Authority",
        verbose_name=_("Ausländerbehörde"),
        on_delete=models.CASCADE,
        related_name="processes",
    )
    started_on = models.DateField(_("Beginn"))
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Prozessbegleitung"),
        on_delete=models.PROTECT,
        related_name="coached_processes",
        limit_choices_to={"role": "project_staff"},
    )
    phase = models.PositiveSmallIntegerField(_("Phase"), choices=Phase.choices, default=Phase.KICK_OFF)
    status = models.CharField(
        _("Status"), max_length=20, choices=ProcessStatus.choices, default=ProcessStatus.ACTIVE
    )
    coordinator_may_add_consultations = models.BooleanField(
        _("Koordination darf Beratungsnotizen ergänzen"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChangeProcessQuerySet.as_manager()

    class Meta:
        verbose_name = _("Veränderungsprozess")
        verbose_name_plural = _("Veränderungsprozesse")
        ordering = ["-started_on", "-pk"]
        constraints = [
            # One running process per authority; completed or aborted ones are kept as history.
            models.UniqueConstraint(
                fields=["authority"],
                condition=Q(status__in=["active", "paused"]),
                name="change_process_one_running_per_authority",
                violation_error_message=_("Für diese Behörde läuft bereits ein Veränderungsprozess."),
            ),
        ]

    def __str__(self):
        return _("Veränderungsprozess %(authority)s seit %(date)s") % {
            "authority": self.authority,
            "date": self.started_on.strftime("%d.%m.%Y"),
        }

    def get_absolute_url(self):
        return reverse("authorities:process", args=[self.authority_id, self.pk])


class PhaseTransition(models.Model):
    """Who moved the process into which phase, when, with what result of the phase before."""

    process = models.ForeignKey(ChangeProcess, on_delete=models.CASCADE, related_name="transitions")
    from_phase = models.PositiveSmallIntegerField(_("von Phase"), choices=Phase.choices, null=True)
    to_phase = models.PositiveSmallIntegerField(_("in Phase"), choices=Phase.choices)
    result_note = models.TextField(_("Ergebnis der Phase"), blank=True)
    reason = models.TextField(_("Begründung"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        # German uses one word for both numbers; the context keeps the English singular apart.
        verbose_name = pgettext_lazy("Einzahl", "Phasenwechsel")
        verbose_name_plural = _("Phasenwechsel")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_from_phase_display()} → {self.get_to_phase_display()}"


class Goal(models.Model):
    process = models.ForeignKey(ChangeProcess, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("Ziel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    field = models.CharField(_("Entwicklungsfeld"), max_length=20, choices=Field.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("Ziel")
        verbose_name_plural = _("Ziele")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class MeasureQuerySet(models.QuerySet):
    def for_plan(self):
        return self.select_related("goal").order_by(models.F("due_on").asc(nulls_last=True), "title")

    def open(self):
        return self.filter(status__in=[MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS])

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())


class Measure(models.Model):
    process = models.ForeignKey(ChangeProcess, on_delete=models.CASCADE, related_name="measures")
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("Ziel"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
    )
    title = models.CharField(_("Maßnahme"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    field = models.CharField(_("Entwicklungsfeld"), max_length=20, choices=Field.choices)
    field_of_action = models.CharField(_("Handlungsfeld"), max_length=30, choices=FieldOfAction.choices)
    responsible = models.CharField(_("Verantwortlich"), max_length=200)
    involved = models.CharField(_("Beteiligte"), max_length=300, blank=True)
    starts_on = models.DateField(_("Beginn"), null=True, blank=True)
    due_on = models.DateField(_("Fällig am"), null=True, blank=True)
    status = models.CharField(
        _("Status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("Fortschritt in Prozent"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    result = models.TextField(_("Ergebnis"), blank=True)
    template = models.ForeignKey(
        "authorities.MeasureTemplate", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("Maßnahme")
        verbose_name_plural = _("Maßnahmen")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="measure_progress_at_most_100"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(due_on__isnull=True)
                | Q(due_on__gte=models.F("starts_on")),
                name="measure_due_after_start",
            ),
        ]

    def __str__(self):
        return self.title


class Milestone(models.Model):
    process = models.ForeignKey(ChangeProcess, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("Meilenstein"), max_length=200)
    due_on = models.DateField(_("Fällig am"))
    reached_on = models.DateField(_("Erreicht am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.title

    @property
    def reached_on_time(self) -> bool:
        return self.reached_on is not None and self.reached_on <= self.due_on


class ConsultationFormat(models.TextChoices):
    ON_SITE = "on_site", _("Vor Ort")
    ONLINE = "online", _("Online")
    WORKSHOP = "workshop", _("Workshop")
    PHONE = "phone", _("Telefon")


class Consultation(models.Model):
    process = models.ForeignKey(ChangeProcess, on_delete=models.CASCADE, related_name="consultations")
    held_on = models.DateField(_("Datum"))
    format = models.CharField(_("Format"), max_length=20, choices=ConsultationFormat.choices)
    participants = models.TextField(_("Teilnehmende"))
    topics = models.TextField(_("Themen"))
    agreements = models.TextField(_("Vereinbarungen"), blank=True)
    next_steps = models.TextField(_("Nächste Schritte"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Beratungstermin")
        verbose_name_plural = _("Beratungstermine")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.held_on:%d.%m.%Y} {self.get_format_display()}"


class MeasureTemplate(models.Model):
    """An example measure of the catalogue; a measure can be created from it in one step."""

    title = models.CharField(_("Maßnahme"), max_length=200, unique=True)
    description = models.TextField(_("Beschreibung"))
    field = models.CharField(_("Entwicklungsfeld"), max_length=20, choices=Field.choices)
    field_of_action = models.CharField(_("Handlungsfeld"), max_length=30, choices=FieldOfAction.choices)

    class Meta:
        verbose_name = _("Beispielmaßnahme")
        verbose_name_plural = _("Katalog der Beispielmaßnahmen")
        ordering = ["title"]

    def __str__(self):
        return self.title


# --- Selbstcheck Willkommenskultur -----------------------------------------------------------------


class Questionnaire(models.Model):
    title = models.CharField(_("Titel"), max_length=200)
    is_active = models.BooleanField(_("in Verwendung"), default=True)

    class Meta:
        verbose_name = _("Fragebogen")
        verbose_name_plural = _("Fragebögen")

    def __str__(self):
        return self.title


class Dimension(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="dimensions")
    name = models.CharField(_("Dimension"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("Dimension")
        verbose_name_plural = _("Dimensionen")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class Statement(models.Model):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="statements")
    text = models.CharField(_("Aussage"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("Aussage")
        verbose_name_plural = _("Aussagen")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class AssessmentRound(models.Model):
    """One filling-in of the questionnaire by an authority: the baseline, then follow-ups."""

    process = models.ForeignKey(ChangeProcess, on_delete=models.CASCADE, related_name="assessments")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="rounds")
    label = models.CharField(_("Bezeichnung"), max_length=100)
    completed_on = models.DateField(_("ausgefüllt am"), default=timezone.localdate)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Selbstcheck")
        verbose_name_plural = _("Selbstchecks")
        ordering = ["completed_on", "pk"]

    def __str__(self):
        return self.label

    def scores(self) -> dict[int, float]:
        """Average rating per dimension id."""
        rows = self.answers.values("statement__dimension").annotate(score=Avg("rating"))
        return {row["statement__dimension"]: round(row["score"], 2) for row in rows}


class Answer(models.Model):
    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="answers")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(
        _("Bewertung"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "statement"], name="answer_once_per_statement"),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="answer_rating_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.statement}: {self.rating}"


# --- Maßnahmenplan als PDF (rendered by the worker: authorities/tasks.py, process_documents.py) ---


def measure_plan_upload_to(instance, filename):
    import secrets

    # A random name: the files are served only through a view that checks access, never by path.
    return f"authorities/massnahmenplaene/{secrets.token_urlsafe(24)}.pdf"


class MeasurePlanDocument(models.Model):
    """The measure plan of one process as a PDF; ready once rendered after the last request."""

    process = models.OneToOneField(
        ChangeProcess,
        verbose_name=_("Veränderungsprozess"),
        on_delete=models.CASCADE,
        related_name="measure_plan_document",
    )
    file = models.FileField(_("Datei"), upload_to=measure_plan_upload_to, blank=True)
    requested_at = models.DateTimeField(_("angefordert am"), default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angefordert von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    generated_at = models.DateTimeField(_("erstellt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Maßnahmenplan (PDF)")
        verbose_name_plural = _("Maßnahmenpläne (PDF)")

    def __str__(self):
        return str(self.process)

    @property
    def ready(self) -> bool:
        return bool(self.file) and self.generated_at is not None and self.generated_at >= self.requested_at
