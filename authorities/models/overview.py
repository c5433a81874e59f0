"""The measure plan of a running process as a PDF, rendered by the worker (authorities/tasks.py,
authorities/documents.py)."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from authorities.models.process import ChangeProcess
from portal.rendered import RenderedDocument


def measure_plan_upload_to(instance: "MeasurePlanDocument", filename: str) -> str:
    # A random name: the files are served only through a view that checks access, never by path.
    return f"authorities/massnahmenplaene/{secrets.token_urlsafe(24)}.pdf"


class MeasurePlanDocument(RenderedDocument):
    """The measure plan of one process as a PDF; ready once rendered after the last request."""

    process = models.OneToOneField(
        ChangeProcess,
        verbose_name=_("Veränderungsprozess"),
        on_delete=models.CASCADE,
        related_name="measure_plan_document",
    )
    file = models.FileField(_("Datei"), upload_to=measure_plan_upload_to, blank=True)

    class Meta:
        verbose_name = _("Maßnahmenplan (PDF)")
        verbose_name_plural = _("Maßnahmenpläne (PDF)")

    def __str__(self) -> str:
        return str(self.process)
