from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from portal.accounts.login_names import UNKNOWN_PREFIX, is_unknown

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class EventKind(models.TextChoices):
    LOGIN = "login", pgettext_lazy("Sicherheitsereignis", "Anmeldung")
    LOGIN_FAILED = "login_failed", _("Fehlgeschlagene Anmeldung")
    LOCKOUT = "lockout", _("Sperre nach Fehlversuchen")
    PERMISSION_DENIED = "permission_denied", _("Zugriff verweigert")
    EXPORT = "export", _("Export oder Download")
    ERASURE = "erasure", _("Löschung personenbezogener Daten")


class SecurityEventQuerySet(models.QuerySet["SecurityEvent"]):
    def for_log_page(self) -> "SecurityEventQuerySet":
        return self.select_related("user").order_by("-at", "-pk")


class SecurityEvent(models.Model):
    """One entry of the security log. Never holds a password, a session key or an erased name."""

    kind = models.CharField(_("Ereignis"), max_length=30, choices=EventKind.choices, db_index=True)
    at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A copy of the account's id that survives the account row.
    user_ref = models.PositiveBigIntegerField(_("Konto-Nr."), null=True, blank=True)
    # The e-mail address typed in at a failed login or a lockout, lower-cased.
    email = models.CharField(_("E-Mail-Adresse (Anmeldeversuch)"), max_length=254, blank=True)
    ip = models.GenericIPAddressField(_("IP-Adresse"), null=True, blank=True)
    path = models.CharField(_("Adresse"), max_length=500, blank=True)
    details = models.JSONField(_("Einzelheiten"), default=dict, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("Sicherheitsereignis")
        verbose_name_plural = _("Sicherheitsprotokoll")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M:%S}"

    @property
    def email_display(self) -> str:
        """The typed login name; one that is no account's address was stored only as a hash."""
        if is_unknown(self.email):
            return gettext("unbekannte Adresse (Kennung %(hash)s)") % {
                "hash": self.email.removeprefix(UNKNOWN_PREFIX)
            }
        return self.email

    def details_display(self) -> list[tuple["StrOrPromise", object]]:
        """The details as the log page shows them: German labels, known values translated."""
        rows = []
        for key, value in self.details.items():
            label = DETAIL_LABELS.get(key, key)
            rows.append((label, DETAIL_VALUES.get(value, value) if isinstance(value, str) else value))
        return rows


DETAIL_LABELS = {
    "person_id": _("Konto-Nr. der gelöschten Person"),
    "reason": _("Anlass"),
    "file": _("Datei"),
    "type": _("Dateityp"),
    "method": _("Methode"),
}
DETAIL_VALUES = {
    "request": _("auf Antrag"),
    "retention": _("Speicherfrist abgelaufen"),
    "journal": _("nach einer Wiederherstellung erneut angewandt"),
}
