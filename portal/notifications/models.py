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
    """One outgoing mail, written in the same transaction as the change that causes it (the outbox):
    the worker sends it from here, and the outbox sweep hands it to the broker again when the broker
    was down at commit (`enqueued_at` still empty).

    A notification (recipient, kind, object and occasion set) is also a claim: it is created before
    the mail is rendered, so that a second scan, a retried task or a second worker finds the row and
    sends nothing. Any other mail (`send_email` without a claim: password reset, confirmations, …)
    has no kind or object; its addresses are in `payload["to"]`, and `recipient` is set when it goes
    to one person of the portal."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Empfänger"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("Art"), max_length=60, blank=True)
    object_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject_object = GenericForeignKey("object_type", "object_id")
    # What makes a repeat a new mail, e.g. "7d" and "1d" before a course; empty when once is all.
    occasion = models.CharField(_("Anlass"), max_length=60, blank=True)
    status = models.CharField(
        _("Status"), max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.CLAIMED
    )
    claimed_at = models.DateTimeField(_("vorgemerkt am"), auto_now_add=True)
    sent_at = models.DateTimeField(_("versendet am"), null=True, blank=True)
    # The rendered mail (to, reply_to, subject, body, html, attachments, language, template): the
    # worker sends it from here, and a failed one can be resent.
    payload = models.JSONField(_("Inhalt"), default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    # When the broker accepted the task; empty while the mail waits in the outbox (broker down).
    enqueued_at = models.DateTimeField(_("an die Warteschlange übergeben am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        constraints = [
            # NULLs are distinct: mails without a claim never collide.
            models.UniqueConstraint(
                fields=["recipient", "kind", "object_type", "object_id", "occasion"], name="notification_once"
            )
        ]
        indexes = [
            # The outbox sweep, every minute: only the mails still to be sent, however long the table.
            models.Index(
                fields=["enqueued_at", "claimed_at"],
                condition=models.Q(status="claimed"),
                name="notification_outbox_claimed",
            )
        ]

    def __str__(self) -> str:
        to = self.recipient or ", ".join(self.payload.get("to", []))
        return f"{self.kind or 'mail'} → {to} ({self.get_status_display()})"


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

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} = {self.mode}"
