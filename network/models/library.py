"""The library of concepts and instruments: documents, who sees them, and the dated downloads."""

import secrets
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from network import uploads
from network.models.networks import Network
from portal.facts import FactsQuerySet

if TYPE_CHECKING:
    from portal.accounts.models import User


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


class DocumentQuerySet(FactsQuerySet["Document"]):
    def visible_to(self, user: "User") -> Self:
        if user.is_project_staff:
            return self
        visible = Q(visibility=Visibility.ALL)
        if user.is_authority_staff:
            visible |= Q(visibility=Visibility.NETWORK, network__members=user.authority_id)
        return self.filter(visible)


def document_upload_to(instance: "Document", filename: str) -> str:
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

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:document", args=[self.pk])

    @property
    def type_label(self) -> str:
        """The kind of file in words ("PDF", "Word (DOCX)" …), for the list and the document page."""
        return uploads.LABELS.get(self.content_type, self.content_type)

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]


class DocumentDownload(models.Model):
    """A person of an authority downloaded a library document on a day (German time): the event behind
    the AMIF figure. Once per person, document and day; project staff and funders are not counted."""

    # A deleted document's downloads stay counted in the periods they happened in.
    document = models.ForeignKey(Document, on_delete=models.SET_NULL, null=True, related_name="downloads")
    # Accounts are anonymised, never deleted: the event stays with the account number only.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("Tag"), db_index=True)

    objects = FactsQuerySet["DocumentDownload"].as_manager()

    class Meta:
        verbose_name = _("Download")
        verbose_name_plural = _("Downloads")
        constraints = [
            models.UniqueConstraint(fields=["document", "user", "day"], name="document_download_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} – {self.user_id} – {self.day}"
