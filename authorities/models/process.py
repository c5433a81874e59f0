"""Each authority's change process (Veränderungsprozess): phases, goals, measures, milestones and
consultations. The self-check and the catalogue of example measures are in assessment.py."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from authorities.models.registry import DatedStatusChange
from portal.choices import choice_display
from portal.counting import RowCount
from portal.facts import FactsQuerySet

if TYPE_CHECKING:
    from portal.accounts.models import User


class Phase(models.IntegerChoices):
    KICK_OFF = 1, _("Auftakt")
    SITE_ASSESSMENT = 2, _("Standortbestimmung")
    AGREED_GOALS = 3, _("Zielvereinbarung")
    IMPLEMENTATION = 4, _("Umsetzung")
    EVALUATION = 5, _("Auswertung")
    CONSOLIDATION = 6, _("Verstetigung")


# The process page comes in parts, each a page of its own with the same head and a tab navigation
# (issue 18: its eight sections on one page cost three times the bench's floor): the URL name of the
# part that shows each section (its anchor).
SECTION_PARTS = {
    "phasen": "process",
    "ziele": "process",
    "massnahmenplan": "process",
    "fruehere": "process",
    "meilensteine": "process_milestones",
    "beratungen": "process_milestones",
    "selbstcheck": "process_self_check",
    "prozessstatus": "process_history",
    "verlauf": "process_history",
}


class ProcessStatus(models.TextChoices):
    ACTIVE = "active", _("Aktiv")
    PAUSED = "paused", _("Pausiert")
    COMPLETED = "completed", _("Abgeschlossen")
    ABORTED = "aborted", _("Abgebrochen")


# A running process is active or paused: one per authority, and the one its staff work on.
RUNNING = (ProcessStatus.ACTIVE, ProcessStatus.PAUSED)


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


class ChangeProcessQuerySet(FactsQuerySet["ChangeProcess"]):
    def visible_to(self, user: User) -> Self:
        if user.is_project_staff:
            return self
        if user.is_authority_staff:
            return self.filter(authority_id=user.authority_id)
        return self.none()

    def active(self) -> Self:
        return self.filter(status__in=RUNNING)

    def with_sizes(self) -> Self:
        """Each process with its coach and `goal_count`, `measure_count`, `milestone_count`, in one
        query (an authority's page showed them with five). Counted in subqueries, not by joining the
        three tables (their rows multiplied and were grouped again: at 10x data 1.4 ms to run and 2 ms
        to plan, against a fraction of that); written by `RowCount` (building them as querysets cost
        about 2 ms of CPU per page, issue 18)."""
        return self.select_related("coach").annotate(
            goal_count=RowCount(Goal, "process"),
            measure_count=RowCount(Measure, "process"),
            milestone_count=RowCount(Milestone, "process"),
        )

    def as_of(self, day: date) -> Self:
        """Each process with `status_then` and `phase_then`: how it stood at the end of `day` (German
        time), from its dated status changes and its phase transitions, so that a report of a past
        period shows the processes as they stood then. Active before its first status change; before
        its first transition in the phase that transition left (a new process's first one leaves none:
        it began in the kick-off the transition records); the current phase only if none is recorded."""
        end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
        transitions = PhaseTransition.objects.filter(process=OuterRef("pk")).order_by("at", "pk")
        status_changes = ProcessStatusChange.objects.filter(process=OuterRef("pk"), day__lte=day)
        return self.annotate(
            status_then=Coalesce(
                Subquery(status_changes.order_by("-day", "-pk").values("to_status")[:1]),
                models.Value(ProcessStatus.ACTIVE.value),
            ),
            phase_then=Coalesce(
                Subquery(transitions.filter(at__lt=end).reverse().values("to_phase")[:1]),
                Subquery(transitions.values("from_phase")[:1]),
                Subquery(transitions.values("to_phase")[:1]),
                "phase",
            ),
        )


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
    get_phase_display = choice_display("phase")
    status = models.CharField(
        _("Status"), max_length=20, choices=ProcessStatus.choices, default=ProcessStatus.ACTIVE
    )
    get_status_display = choice_display("status")
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

    def __str__(self) -> str:
        return _("Veränderungsprozess %(authority)s seit %(date)s") % {
            "authority": self.authority,
            "date": date_format(self.started_on, "SHORT_DATE_FORMAT"),
        }

    def get_absolute_url(self) -> str:
        return reverse("authorities:process", args=[self.authority_id, self.pk])

    def section_url(self, section: str) -> str:
        """Where a section of the process page is: the address of the part that shows it, with the
        section's anchor (redirects after a form, mails and the start page link there)."""
        return (
            reverse(f"authorities:{SECTION_PARTS[section]}", args=[self.authority_id, self.pk])
            + f"#{section}"
        )

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING


class ProcessStatusChangeQuerySet(FactsQuerySet["ProcessStatusChange"]):
    def aborted_throughout(self, date_from: date, date_to: date) -> models.QuerySet[Any]:
        """The ids of the processes that stood "Abgebrochen" on every day between the two days (both
        count): their change in force when the first day began was one to "Abgebrochen" (no later one
        before that day), and no change falls on one of the days. A process aborted on a day of the
        period, or reopened on one, was still supported in it."""
        superseded = self.model.objects.filter(process=models.OuterRef("process"), day__lt=date_from).filter(
            Q(day__gt=models.OuterRef("day")) | Q(day=models.OuterRef("day"), pk__gt=models.OuterRef("pk"))
        )
        changed_within = self.model.objects.filter(
            process=models.OuterRef("process"), day__gte=date_from, day__lte=date_to
        )
        return (
            self.filter(to_status=ProcessStatus.ABORTED, day__lt=date_from)
            .exclude(models.Exists(superseded))
            .exclude(models.Exists(changed_within))
            .order_by()
            .values("process")
        )

    def first_completions(self) -> models.QuerySet[Any]:
        """Per process that was ever completed: the day it first became "Abgeschlossen" (`first`) and
        its authority's state (`state`). The day stays when the process is reopened later."""
        return (
            self.filter(to_status=ProcessStatus.COMPLETED)
            .order_by()
            .values("process")
            .annotate(first=models.Min("day"), state=models.F("process__authority__state"))
        )


class ProcessStatusChange(DatedStatusChange):
    """A dated fact: the status of a change process changed from one status to another on a day.
    Written only by the service that sets the status (and corrected by project staff with a reason);
    the funders' figures of supported authorities and completed processes read these, never the
    current status, so that a past period keeps its numbers when a process is aborted or reopened."""

    process = models.ForeignKey(
        ChangeProcess,
        verbose_name=_("Veränderungsprozess"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    # Empty where the migration did not know the status before.
    from_status = models.CharField(_("vorher"), max_length=20, choices=ProcessStatus.choices, blank=True)
    get_from_status_display = choice_display("from_status")
    to_status = models.CharField(_("nachher"), max_length=20, choices=ProcessStatus.choices)
    get_to_status_display = choice_display("to_status")

    objects = ProcessStatusChangeQuerySet.as_manager()

    class Meta(DatedStatusChange.Meta):
        verbose_name = _("Änderung des Prozessstatus")
        verbose_name_plural = _("Änderungen des Prozessstatus")
        indexes = [models.Index(fields=["process", "day"])]

    def __str__(self) -> str:
        return f"{self.process_id}: {self.get_from_status_display()} → {self.get_to_status_display()}"


class PhaseTransition(models.Model):
    """Who moved the process into which phase, when, with what result of the phase before."""

    process = models.ForeignKey(ChangeProcess, on_delete=models.CASCADE, related_name="transitions")
    from_phase = models.PositiveSmallIntegerField(_("von Phase"), choices=Phase.choices, null=True)
    get_from_phase_display = choice_display("from_phase")
    to_phase = models.PositiveSmallIntegerField(_("in Phase"), choices=Phase.choices)
    get_to_phase_display = choice_display("to_phase")
    result_note = models.TextField(_("Ergebnis der Phase"), blank=True)
    reason = models.TextField(_("Begründung"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        # German uses one word for both numbers; the context keeps the English singular apart.
        verbose_name = pgettext_lazy("Einzahl", "Phasenwechsel")
        verbose_name_plural = _("Phasenwechsel")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_phase_display()} → {self.get_to_phase_display()}"


class GoalQuerySet(models.QuerySet["Goal"]):
    def with_progress(self) -> Self:
        """Each goal with `progress` (the average of its measures) and `measure_count`: dropped
        measures do not count, so they do not pull a goal's progress down."""
        counted = ~Q(measures__status=MeasureStatus.DROPPED)
        return self.annotate(
            progress=models.Avg("measures__progress", filter=counted),
            measure_count=models.Count("measures", filter=counted),
        )


class Goal(models.Model):
    process = models.ForeignKey(ChangeProcess, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("Ziel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    field = models.CharField(_("Entwicklungsfeld"), max_length=20, choices=Field.choices)
    get_field_display = choice_display("field")
    position = models.PositiveSmallIntegerField(default=0)

    objects = GoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("Ziel")
        verbose_name_plural = _("Ziele")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class MeasureQuerySet(FactsQuerySet["Measure"]):
    def for_plan(self) -> Self:
        return self.select_related("goal").order_by(models.F("due_on").asc(nulls_last=True), "title")

    def open(self) -> Self:
        return self.filter(status__in=[MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS])

    def overdue(self, today: date | None = None) -> Self:
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def with_overdue(self, today: date) -> Self:
        """Each measure with `is_overdue`: open and its due date passed (the plan marks it)."""
        return self.annotate(
            is_overdue=models.Case(
                models.When(
                    status__in=[MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS], due_on__lt=today, then=True
                ),
                default=False,
                output_field=models.BooleanField(),
            )
        )


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
    get_field_display = choice_display("field")
    field_of_action = models.CharField(_("Handlungsfeld"), max_length=30, choices=FieldOfAction.choices)
    get_field_of_action_display = choice_display("field_of_action")
    responsible = models.CharField(_("Verantwortlich"), max_length=200)
    involved = models.CharField(_("Beteiligte"), max_length=300, blank=True)
    starts_on = models.DateField(_("Beginn"), null=True, blank=True)
    due_on = models.DateField(_("Fällig am"), null=True, blank=True)
    status = models.CharField(
        _("Status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    get_status_display = choice_display("status")
    progress = models.PositiveSmallIntegerField(
        _("Fortschritt in Prozent"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    result = models.TextField(_("Ergebnis"), blank=True)
    template = models.ForeignKey(
        "authorities.MeasureTemplate", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The day the status first became "Umgesetzt"; kept when the measure changes later, so that the
    # period it was done in keeps counting it.
    done_on = models.DateField(_("Umgesetzt am"), null=True, blank=True, editable=False)
    # Set by the migration where the day was derived from the last change, not recorded.
    done_on_guessed = models.BooleanField(_("Umsetzungsdatum geschätzt"), default=False, editable=False)
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

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    process = models.ForeignKey(ChangeProcess, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("Meilenstein"), max_length=200)
    due_on = models.DateField(_("Fällig am"))
    reached_on = models.DateField(_("Erreicht am"), null=True, blank=True)

    # Counted like a fact: the process overview keeps its milestone counts under the facts generation.
    objects = FactsQuerySet["Milestone"].as_manager()

    class Meta:
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def reached_on_time(self) -> bool:
        return self.reached_on is not None and self.reached_on <= self.due_on

    @property
    def is_overdue(self) -> bool:
        return self.reached_on is None and self.due_on < timezone.localdate()


class ConsultationFormat(models.TextChoices):
    ON_SITE = "on_site", _("Vor Ort")
    ONLINE = "online", _("Online")
    WORKSHOP = "workshop", _("Workshop")
    PHONE = "phone", _("Telefon")


class Consultation(models.Model):
    process = models.ForeignKey(ChangeProcess, on_delete=models.CASCADE, related_name="consultations")
    held_on = models.DateField(_("Datum"))
    format = models.CharField(_("Format"), max_length=20, choices=ConsultationFormat.choices)
    get_format_display = choice_display("format")
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

    def __str__(self) -> str:
        return f"{date_format(self.held_on, 'SHORT_DATE_FORMAT')} {self.get_format_display()}"
