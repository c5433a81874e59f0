from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any, Self

from django.apps import apps
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from portal.choices import choice_display, text_choice_label
from portal.collation import GERMAN
from portal.counting import RowCount
from portal.facts import FactsQuerySet

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from portal.accounts.models import User


class State(models.TextChoices):
    RP = "RP", _("Rheinland-Pfalz")
    NI = "NI", _("Niedersachsen")


class Kind(models.TextChoices):
    LANDKREIS = "landkreis", _("Landkreis")
    KREISFREIE_STADT = "kreisfreie_stadt", _("Kreisfreie Stadt")
    REGION = "region", _("Region")
    GROSSE_SELBSTSTAENDIGE_STADT = "grosse_selbststaendige_stadt", _("Große selbständige Stadt")
    OTHER = "other", _("Sonstige")


class ParticipationStatus(models.TextChoices):
    INTERESTED = "interested", _("Interessiert")
    PARTICIPATING = "participating", _("Nimmt teil")
    PAUSED = "paused", _("Pausiert")
    COMPLETED = "completed", _("Abgeschlossen")
    WITHDRAWN = "withdrawn", _("Ausgeschieden")


ags_validator = RegexValidator(r"^\d{8}$", _("Der Amtliche Gemeindeschlüssel besteht aus genau 8 Ziffern."))


class AuthorityQuerySet(FactsQuerySet["Authority"]):
    def visible_to(self, user: User) -> Self:
        if user.is_project_staff or user.is_funder:
            return self
        if user.is_authority_staff:
            return self.filter(pk=user.authority_id)
        return self.none()

    def for_list(self) -> Self:
        # The list shows only the authority's own columns: one query per page, whatever the rows.
        return self.only("pk", "name", "kind", "state", "ags", "seat", "population", "participation_status")

    def with_history_total(self) -> Self:
        """`history_total`: how many entries the authority's change history has, in its own query
        (issue 18: the authority's page counted them for the history's pages with a query of its own)."""
        return self.annotate(history_total=RowCount(HistoryEntry, "authority"))


class Authority(models.Model):
    name = models.CharField(_("Name"), max_length=200, db_collation=GERMAN)
    kind = models.CharField(_("Art"), max_length=40, choices=Kind.choices)
    get_kind_display = choice_display("kind")
    state = models.CharField(_("Land"), max_length=2, choices=State.choices)
    get_state_display = choice_display("state")
    ags = models.CharField(
        _("Amtlicher Gemeindeschlüssel (AGS)"),
        max_length=8,
        unique=True,
        validators=[ags_validator],
        error_messages={"unique": _("Eine Behörde mit diesem Amtlichen Gemeindeschlüssel gibt es bereits.")},
    )
    seat = models.CharField(_("Sitz"), max_length=100)
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("Postleitzahl"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^\d{5}$", _("Die Postleitzahl besteht aus 5 Ziffern."))],
    )
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    website = models.URLField(_("Internetseite"), blank=True)
    population = models.PositiveIntegerField(_("Einwohnerzahl"), null=True, blank=True)
    population_date = models.DateField(_("Stand der Einwohnerzahl"), null=True, blank=True)
    participation_status = models.CharField(
        _("Teilnahmestatus"),
        max_length=20,
        choices=ParticipationStatus.choices,
        default=ParticipationStatus.INTERESTED,
    )
    get_participation_status_display = choice_display("participation_status")
    status_changed_on = models.DateField(_("Status geändert am"), null=True, blank=True)
    joined_on = models.DateField(_("Teilnahme seit"), null=True, blank=True)
    staff_count = models.PositiveIntegerField(_("Anzahl der Mitarbeitenden"), null=True, blank=True)
    notes = models.TextField(_("Notizen des Projektteams"), blank=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        verbose_name = _("Ausländerbehörde")
        verbose_name_plural = _("Ausländerbehörden")
        ordering = ["name"]
        indexes = [models.Index(fields=["state", "participation_status"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("authorities:detail", args=[self.pk])


# The statuses in which an authority takes part in the project (the funders count these).
TAKING_PART = (ParticipationStatus.PARTICIPATING, ParticipationStatus.COMPLETED)


class StatusChangeQuerySet(FactsQuerySet["StatusChange"]):
    def authorities_taking_part(self, date_from: date, date_to: date) -> models.QuerySet[Any]:
        """The ids of the authorities that took part at some time between the two days (both count):
        a change to a taking-part status on one of the days, or one before them that was still in
        force when they began (no later change before the first day)."""
        superseded = self.model.objects.filter(
            authority=models.OuterRef("authority"), day__lt=date_from
        ).filter(
            Q(day__gt=models.OuterRef("day")) | Q(day=models.OuterRef("day"), pk__gt=models.OuterRef("pk"))
        )
        return (
            self.filter(to_status__in=TAKING_PART, day__lte=date_to)
            .filter(Q(day__gte=date_from) | ~models.Exists(superseded))
            .order_by()
            .values("authority")
        )


class FactSource(models.TextChoices):
    """Where the day of a dated fact comes from: recorded when it happened, derived by a migration
    (the guessed ones say from what), or corrected by project staff."""

    RECORDED = "", _("erfasst")
    HISTORY = "history", _("aus dem Änderungsverlauf übernommen")
    JOINED_ON = "joined_on", _("geschätzt aus „Teilnahme seit“")
    STATUS_CHANGED_ON = "status_changed_on", _("geschätzt aus „Status geändert am“")
    CREATED_AT = "created_at", _("geschätzt aus dem Anlagedatum der Behörde")
    PROCESS_CREATED_AT = "process_created_at", _("geschätzt aus dem Anlagedatum des Prozesses")
    # Project staff corrected the day (with a reason, kept in the change history).
    CORRECTED = "corrected", _("erfasst/korrigiert")


class DatedStatusChange(models.Model):
    """What every dated status change holds besides its object and its two statuses: the day, who
    recorded it and when, and where the day comes from (guessed by a migration or corrected)."""

    day = models.DateField(_("Geändert am"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geändert von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("erfasst am"), auto_now_add=True)
    # Rows the migration derived from data that did not record the change itself.
    guessed = models.BooleanField(_("Datum geschätzt"), default=False)
    source = models.CharField(
        _("Herkunft des Datums"), max_length=20, choices=FactSource.choices, blank=True, default=""
    )
    get_source_display = choice_display("source")

    class Meta:
        abstract = True
        ordering = ["day", "pk"]


class StatusChange(DatedStatusChange):
    """A dated fact: the authority's participation status changed from one status to another on a
    day. Written only by the services that set the status; the funders' figures read these, never
    the current status, so that a past period keeps its numbers."""

    authority = models.ForeignKey(
        Authority, verbose_name=_("Ausländerbehörde"), on_delete=models.CASCADE, related_name="status_changes"
    )
    # Empty for the first status an authority was created or migrated with.
    from_status = models.CharField(
        _("vorher"), max_length=20, choices=ParticipationStatus.choices, blank=True
    )
    get_from_status_display = choice_display("from_status")
    to_status = models.CharField(_("nachher"), max_length=20, choices=ParticipationStatus.choices)
    get_to_status_display = choice_display("to_status")

    objects = StatusChangeQuerySet.as_manager()

    class Meta(DatedStatusChange.Meta):
        verbose_name = _("Änderung des Teilnahmestatus")
        verbose_name_plural = _("Änderungen des Teilnahmestatus")
        indexes = [models.Index(fields=["authority", "day"])]

    def __str__(self) -> str:
        return f"{self.authority}: {self.get_from_status_display()} → {self.get_to_status_display()}"


class ContactFunction(models.TextChoices):
    HEAD = "head", _("Leitung")
    DEPUTY = "deputy", _("Stellvertretende Leitung")
    CONTACT = "contact", _("Ansprechperson")
    OTHER = "other", _("Sonstige Funktion")


class ContactPersonQuerySet(models.QuerySet["ContactPerson"]):
    def visible_to(self, user: User) -> Self:
        if user.is_project_staff:
            return self
        if user.is_authority_staff:
            return self.filter(authority_id=user.authority_id)
        return self.none()


class ContactPerson(models.Model):
    """A person to contact at an authority; not necessarily someone with an account."""

    authority = models.ForeignKey(
        Authority, verbose_name=_("Ausländerbehörde"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("Name"), max_length=200, db_collation=GERMAN)
    function = models.CharField(_("Funktion"), max_length=20, choices=ContactFunction.choices)
    get_function_display = choice_display("function")
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)

    objects = ContactPersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("Ansprechperson")
        verbose_name_plural = _("Ansprechpersonen")
        ordering = ["function", "name"]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="contact_person_has_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_function_display()})"


def _display(field: Any, raw: str) -> str:
    """A raw value of the history as the viewer reads it: choice label, local date format."""
    if field.choices:
        # The history keeps raw values as strings; integer choices (phases) are looked up the same way.
        return str(text_choice_label(field, raw))
    if isinstance(field, models.DateField) and raw:
        try:
            return date_format(date.fromisoformat(raw), "SHORT_DATE_FORMAT")
        except ValueError:
            return raw
    return raw


class HistoryAction(models.TextChoices):
    CREATED = "created", _("Behörde angelegt")
    IMPORTED = "imported", _("Aus dem Verzeichnis aktualisiert")
    UPDATED = "updated", _("Stammdaten geändert")
    STATUS_CHANGED = "status_changed", _("Teilnahmestatus geändert")
    CONTACT_ADDED = "contact_added", _("Ansprechperson hinzugefügt")
    CONTACT_UPDATED = "contact_updated", _("Ansprechperson geändert")
    CONTACT_DELETED = "contact_deleted", _("Ansprechperson entfernt")
    PROCESS_STARTED = "process_started", _("Veränderungsprozess begonnen")
    PROCESS_UPDATED = "process_updated", _("Veränderungsprozess geändert")
    PHASE_CHANGED = "process_phase", _("Phase gewechselt")
    GOAL_ADDED = "goal_added", _("Ziel hinzugefügt")
    GOAL_UPDATED = "goal_updated", _("Ziel geändert")
    MEASURE_ADDED = "measure_added", _("Maßnahme hinzugefügt")
    MEASURE_UPDATED = "measure_updated", _("Maßnahme geändert")
    MEASURE_DELETED = "measure_deleted", _("Maßnahme entfernt")
    MILESTONE_ADDED = "milestone_added", _("Meilenstein hinzugefügt")
    MILESTONE_UPDATED = "milestone_updated", _("Meilenstein geändert")
    CONSULTATION_ADDED = "consultation_added", _("Beratungstermin dokumentiert")
    ASSESSMENT_COMPLETED = "assessment_completed", _("Selbstcheck ausgefüllt")
    STATUS_DAY_CORRECTED = "status_day_corrected", _("Datum einer Statusänderung korrigiert")
    PROCESS_STATUS_DAY_CORRECTED = (
        "process_status_day_corrected",
        _("Datum einer Änderung des Prozessstatus korrigiert"),
    )
    MEASURE_DONE_ON_CORRECTED = "measure_done_on_corrected", _("Umsetzungsdatum korrigiert")


# Which model's fields the changes of an action name: by the action itself, else by its prefix.
_HISTORY_ACTION_MODELS: dict[str, str] = {
    HistoryAction.STATUS_DAY_CORRECTED: "StatusChange",
    HistoryAction.PROCESS_STATUS_DAY_CORRECTED: "ProcessStatusChange",
}
_HISTORY_MODELS = {
    "contact": "ContactPerson",
    "process": "ChangeProcess",
    "goal": "Goal",
    "measure": "Measure",
    "milestone": "Milestone",
    "consultation": "Consultation",
}


class HistoryEntry(models.Model):
    """One recorded change to an authority or to something that belongs to it: who, when, what."""

    authority = models.ForeignKey(
        Authority, verbose_name=_("Ausländerbehörde"), on_delete=models.CASCADE, related_name="history"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geändert von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True)
    action = models.CharField(_("Vorgang"), max_length=30, choices=HistoryAction.choices)
    get_action_display = choice_display("action")
    subject = models.CharField(_("betrifft"), max_length=200, blank=True)
    # [{"field": model field name, "old": raw value, "new": raw value}, …]; labels and choice
    # names are looked up when shown, so the history reads in the viewer's language.
    changes = models.JSONField(_("Änderungen"), default=list, blank=True)
    # Why project staff corrected a dated fact (required there, empty elsewhere).
    reason = models.TextField(_("Begründung"), blank=True)

    objects = FactsQuerySet["HistoryEntry"].as_manager()

    class Meta:
        verbose_name = _("Änderung")
        verbose_name_plural = _("Änderungsverlauf")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.subject}".strip()

    def rows(self) -> Iterator[tuple[StrOrPromise, str, str]]:
        """Each change as the viewer reads it: (field label, old value, new value)."""
        name = _HISTORY_ACTION_MODELS.get(self.action) or _HISTORY_MODELS.get(self.action.split("_")[0])
        model = apps.get_model("authorities", name or "Authority")
        for change in self.changes:
            try:
                field = model._meta.get_field(change["field"])
            except Exception:  # a field that no longer exists keeps its raw name
                yield change["field"], change["old"], change["new"]
                continue
            yield field.verbose_name, _display(field, change["old"]), _display(field, change["new"])
