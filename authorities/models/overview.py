"""The measure plan of a running process as a PDF, rendered by the worker (authorities/tasks.py,
authorities/documents.py)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from authorities.models.process import ChangeProcess


def measure_plan_upload_to(instance, filename):
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
