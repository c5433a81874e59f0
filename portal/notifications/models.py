from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationStatus(models.TextChoices):
    CLAIMED = "claimed", _("in Versand")
    SENT = "sent", _("versendet")
    FAILED = "failed", _("fehlgeschlagen")


class Notification(models.Model):
    """One mail that must go out once: claimed before sending, so that a second scan, a retried
    task or a second worker finds the row and sends nothing."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Empfänger"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("Art"), max_length=60)
    object_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject_object = GenericForeignKey("object_type", "object_id")
    # What makes a repeat a new mail, e.g. "7d" and "1d" before a course; empty when once is all.
    occasion = models.CharField(_("Anlass"), max_length=60, blank=True)
    status = models.CharField(
        _("Status"), max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.CLAIMED
    )
    claimed_at = models.DateTimeField(_("vorgemerkt am"), auto_now_add=True)
    sent_at = models.DateTimeField(_("versendet am"), null=True, blank=True)
    # The rendered mail (to, subject, body, html, attachments), kept so that a failed one can be resent.
    payload = models.JSONField(_("Inhalt"), default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    last_error = models.TextField(_("letzter Fehler"), blank=True)

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "object_type", "object_id", "occasion"], name="notification_once"
            )
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient} ({self.get_status_display()})"


class DeliveryMode(models.TextChoices):
    OFF = "off", _("Aus")
    IMMEDIATE = "immediate", _("Sofort")
    DIGEST = "digest", _("Wöchentliche Zusammenfassung")


class NotificationPreference(models.Model):
    """A person's choice for one kind of notification; without a row, the kind is sent immediately."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("Art"), max_length=60)
    mode = models.CharField(_("Versand"), max_length=10, choices=DeliveryMode.choices)

    class Meta:
        verbose_name = _("Benachrichtigungseinstellung")
        verbose_name_plural = _("Benachrichtigungseinstellungen")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")]

    def __str__(self):
        return f"{self.user}: {self.kind} = {self.mode}"
