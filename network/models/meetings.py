"""Networks of authorities: meetings with minutes, online discussions, and the library of instruments."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Scope(models.TextChoices):
    STATE_RP = "RP", _("Land Rheinland-Pfalz")
    STATE_NI = "NI", _("Land Niedersachsen")
    REGION = "region", _("Region")
    CROSS_STATE = "cross_state", _("Länderübergreifend")


class NetworkQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Project staff see every network; authority staff those their authority belongs to; funders none."""
        if user.is_project_staff:
            return self
        if user.is_authority_staff:
            return self.filter(members=user.authority_id)
        return self.none()


class Network(models.Model):
    name = models.CharField(_("Name"), max_length=200, unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    scope = models.CharField(_("Reichweite"), max_length=20, choices=Scope.choices)
    members = models.ManyToManyField(
        "authorities.Authority", verbose_name=_("Mitgliedsbehörden"), related_name="networks", blank=True
    )
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("Moderation"), related_name="moderated_networks", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("Netzwerk")
        verbose_name_plural = _("Netzwerke")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("network:detail", args=[self.pk])

    def is_moderator(self, user) -> bool:
        """Project staff moderate every network; authority staff the ones they are named for."""
        return user.is_project_staff or self.moderators.filter(pk=user.pk).exists()


# --- meetings -----------------------------------------------------------------------------------


class MeetingKind(models.TextChoices):
    NETWORK_MEETING = "meeting", _("Netzwerktreffen")
    CONFERENCE = "conference", _("Fachtag")


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(network__in=Network.objects.visible_to(user))


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

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("network:meeting", args=[self.network_id, self.pk])

    def has_begun(self, now=None) -> bool:
        """From the start on, registrations are figures the funders read: only project staff may
        cancel one, as a correction with a reason."""
        return self.starts_at <= (now or timezone.now())


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

    def __str__(self):
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

    class Meta:
        verbose_name = _("Protokoll")
        verbose_name_plural = _("Protokolle")

    def __str__(self):
        return str(self.meeting)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class MinutesItemQuerySet(models.QuerySet):
    def open_tasks(self):
        return self.filter(kind=ItemKind.TASK, done_on__isnull=True, minutes__published_at__isnull=False)


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

    def __str__(self):
        return self.text[:60]


# --- online discussions ------------------------------------------------------------------------------


class Thread(models.Model):
    network = models.ForeignKey(
        Network, verbose_name=_("Netzwerk"), on_delete=models.CASCADE, related_name="threads"
    )
    title = models.CharField(_("Thema"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_post_at = models.DateTimeField(_("letzter Beitrag"), null=True, blank=True)
    is_locked = models.BooleanField(_("geschlossen"), default=False)
    is_pinned = models.BooleanField(_("angeheftet"), default=False)

    class Meta:
        verbose_name = _("Diskussion")
        verbose_name_plural = _("Diskussionen")
        ordering = ["-is_pinned", "-last_post_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("network:thread", args=[self.network_id, self.pk])


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("Beitrag"))
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_deleted = models.BooleanField(default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Beitrag")
        verbose_name_plural = _("Beiträge")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.author}: {self.body[:40]}"


class SubscriptionMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Sofort per E-Mail")
    DIGEST = "digest", _("Wöchentliche Zusammenfassung")


class Subscription(models.Model):
    """Following a network or a thread; the reminders send what this asks for."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_subscriptions"
    )
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    mode = models.CharField(_("Benachrichtigung"), max_length=20, choices=SubscriptionMode.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Abonnement")
        verbose_name_plural = _("Abonnements")
        constraints = [
            models.CheckConstraint(
                condition=(Q(network__isnull=False) & Q(thread__isnull=True))
                | (Q(network__isnull=True) & Q(thread__isnull=False)),
                name="subscription_network_xor_thread",
            ),
            models.UniqueConstraint(fields=["user", "network"], name="subscription_once_per_network"),
            models.UniqueConstraint(fields=["user", "thread"], name="subscription_once_per_thread"),
        ]

    def __str__(self):
        return f"{self.user} → {self.network or self.thread}"


class ReadMarker(models.Model):
    """Up to when a person has read a thread: newer posts count as unread for them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_markers")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="read_marker_once")]

    def __str__(self):
        return f"{self.user} – {self.thread}"


# --- library of concepts and instruments -----------------------------------------------------------


class DocumentCategory(models.TextChoices):
    GUIDE = "guide", _("Leitfaden")
    CHECKLIST = "checklist", _("Checkliste")
    PROCESS_ANALYSIS = "process_analysis", _("Prozessanalyse")
    TRAINING_MATERIAL = "training_material", _("Schulungsmaterial")
    TEMPLATE = "template", _("Vorlage")


class Visibility(models.TextChoices):
    ALL = "all", _("Alle angemeldeten Personen")
    NETWORK = "network", _("Ein Netzwerk")
    STAFF = "staff", _("Nur Projektteam")


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user.is_project_staff:
            return self
        visible = Q(visibility=Visibility.ALL)
        if user.is_authority_staff:
            visible |= Q(visibility=Visibility.NETWORK, network__members=user.authority_id)
        return self.filter(visible)


def document_upload_to(instance, filename):
    # A random name outside the static root: files are served only through a view that checks access.
    return f"bibliothek/{secrets.token_urlsafe(24)}"


class Document(models.Model):
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    category = models.CharField(_("Kategorie"), max_length=30, choices=DocumentCategory.choices)
    tags = models.CharField(
        _("Schlagwörter"), max_length=300, blank=True, help_text=_("Durch Kommas getrennt.")
    )
    version = models.CharField(_("Version"), max_length=30, blank=True)
    visibility = models.CharField(
        _("Sichtbar für"), max_length=20, choices=Visibility.choices, default=Visibility.ALL
    )
    network = models.ForeignKey(
        Network,
        verbose_name=_("Netzwerk"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    file = models.FileField(_("Datei"), upload_to=document_upload_to)
    original_name = models.CharField(_("Dateiname"), max_length=255)
    content_type = models.CharField(_("Dateityp"), max_length=100)
    size = models.PositiveBigIntegerField(_("Größe in Bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("hochgeladen am"), auto_now_add=True)
    # The running total of every GET before downloads became dated events (DocumentDownload): kept for
    # the figures that need a date for it, counted by nothing any more.
    legacy_download_count = models.PositiveIntegerField(_("Downloads vor der Zählung nach Tagen"), default=0)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Dokument")
        verbose_name_plural = _("Bibliothek")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility="network", network__isnull=False)
                | (~Q(visibility="network") & Q(network__isnull=True)),
                name="document_network_iff_network_visibility",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("network:document", args=[self.pk])


class DocumentDownload(models.Model):
    """A person of an authority downloaded a library document on a day (German time): the event behind
    the AMIF figure. Once per person, document and day; project staff and funders are not counted."""

    # A deleted document's downloads stay counted in the periods they happened in.
    document = models.ForeignKey(Document, on_delete=models.SET_NULL, null=True, related_name="downloads")
    # Accounts are anonymised, never deleted: the event stays with the account number only.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("Tag"), db_index=True)

    class Meta:
        verbose_name = _("Download")
        verbose_name_plural = _("Downloads")
        constraints = [
            models.UniqueConstraint(fields=["document", "user", "day"], name="document_download_once_a_day")
        ]

    def __str__(self):
        return f"{self.document_id} – {self.user_id} – {self.day}"
