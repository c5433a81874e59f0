"""Meetings of a network (Netzwerktreffen, Fachtage): registrations, attendance and the minutes."""

from datetime import datetime
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from network.models.networks import Network
from portal.counting import RowCount
from portal.facts import FactsQuerySet
from portal.formats import date_time

if TYPE_CHECKING:
    from portal.accounts.models import User


class MeetingKind(models.TextChoices):
    NETWORK_MEETING = "meeting", _("Netzwerktreffen")
    CONFERENCE = "conference", _("Fachtag")


class MeetingQuerySet(FactsQuerySet["Meeting"]):
    def visible_to(self, user: "User") -> Self:
        return self.filter(network__in=Network.objects.visible_to(user))

    def with_places(self) -> Self:
        """Each meeting with `registered`, its number of active registrations (in the same query, as a
        subquery: no join and grouping of the meetings, issue 18)."""
        return self.annotate(
            registered=RowCount(MeetingRegistration, "meeting", status=RegistrationStatus.REGISTERED)
        )


class Meeting(models.Model):
    network = models.ForeignKey(
        Network, verbose_name=_("Netzwerk"), on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField(_("Titel"), max_length=200)
    kind = models.CharField(
        _("Art"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.NETWORK_MEETING
    )
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    location = models.CharField(_("Veranstaltungsort"), max_length=300, blank=True)
    online_link = models.URLField(_("Link zur Online-Veranstaltung"), blank=True)
    agenda = models.TextField(_("Tagesordnung"), blank=True)
    capacity = models.PositiveIntegerField(
        _("Plätze"),
        null=True,
        blank=True,
        help_text=_("Leer lassen, wenn die Zahl der Plätze nicht begrenzt ist."),
    )
    registration_deadline = models.DateTimeField(_("Anmeldeschluss"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        # German uses one word for both numbers; the context keeps the English plural apart.
        verbose_name = _("Treffen")
        verbose_name_plural = pgettext_lazy("Mehrzahl", "Treffen")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="meeting_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:meeting", args=[self.network_id, self.pk])

    def has_begun(self, now: datetime | None = None) -> bool:
        """From the start on, registrations are figures the funders read: only project staff may
        cancel one, as a correction with a reason."""
        return self.starts_at <= (now or timezone.now())

    def registration_problem(self, *, registered: int, now: datetime | None = None) -> str:
        """Why nobody can register right now, in words for the page; "" while registration is open.
        `registered` is the number of active registrations (`with_places`, or counted under the lock).

        The twin of Course.registration_problem; dates as the templates write them (portal/formats.py:
        "… 09:00 Uhr", in English "… 09:00 h")."""
        now = now or timezone.now()
        if self.has_begun(now):
            return gettext("Das Treffen hat bereits begonnen; eine Anmeldung ist nicht mehr möglich.")
        if self.registration_deadline and self.registration_deadline < now:
            return gettext(
                "Der Anmeldeschluss war am %(deadline)s; eine Anmeldung ist nicht mehr möglich."
            ) % {"deadline": date_time(self.registration_deadline)}
        if self.capacity is not None and registered >= self.capacity:
            return gettext("Alle Plätze sind vergeben; eine Anmeldung ist nicht mehr möglich.")
        return ""


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Angemeldet")
    CANCELLED = "cancelled", _("Abgemeldet")


class MeetingRegistration(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_registrations"
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED
    )
    attended = models.BooleanField(_("anwesend"), null=True, blank=True)
    created_at = models.DateTimeField(_("angemeldet am"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("abgemeldet am"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("abgemeldet von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Required when project staff cancel after the meeting has begun (a correction of past figures).
    cancellation_reason = models.TextField(_("Grund der Abmeldung"), blank=True)

    objects = FactsQuerySet["MeetingRegistration"].as_manager()

    class Meta:
        verbose_name = _("Anmeldung zum Treffen")
        verbose_name_plural = _("Anmeldungen zu Treffen")
        ordering = ["created_at", "pk"]
        constraints = [
            # One active registration per person and meeting, whatever runs at the same time.
            models.UniqueConstraint(
                fields=["meeting", "participant"],
                condition=Q(status="registered"),
                name="meeting_registration_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.meeting}"


class ItemKind(models.TextChoices):
    INFORMATION = "information", _("Information")
    DECISION = "decision", _("Beschluss")
    TASK = "task", _("Aufgabe")


class Minutes(models.Model):
    """The Protokoll of a meeting: drafted by a moderator, visible to all members once published."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = FactsQuerySet["Minutes"].as_manager()

    class Meta:
        verbose_name = _("Protokoll")
        verbose_name_plural = _("Protokolle")

    def __str__(self) -> str:
        return str(self.meeting)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


# An item of minutes that is a task not yet done (whether its minutes are published or not).
UNDONE_TASK: dict[str, Any] = {"kind": ItemKind.TASK, "done_on__isnull": True}


class MinutesItemQuerySet(FactsQuerySet["MinutesItem"]):
    def open_tasks(self) -> Self:
        """The tasks not yet done of published minutes."""
        return self.filter(**UNDONE_TASK, minutes__published_at__isnull=False)


class MinutesItem(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("Art"), max_length=20, choices=ItemKind.choices)
    text = models.TextField(_("Inhalt"))
    responsible_authority = models.ForeignKey(
        "authorities.Authority",
        verbose_name=_("Zuständige Behörde"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    responsible_person = models.CharField(_("Zuständige Person"), max_length=200, blank=True)
    due_on = models.DateField(_("Fällig am"), null=True, blank=True)
    done_on = models.DateField(_("Erledigt am"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = MinutesItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("Protokollpunkt")
        verbose_name_plural = _("Protokollpunkte")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
