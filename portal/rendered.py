"""PDFs the worker renders after someone asked for them (certificates, sign-in sheets, measure plans).

DESIGN: PDFs are rendered by the worker, never in a web request. A request records who asked and when
(`requested_at`, `requested_by`); the worker's task renders and calls `store_rendered`; the page
offers the file once it was rendered after the last request (`ready`). Training and the authorities
each had a copy of the fields and of the storing step; this is the one of both.
"""

from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RenderedDocument(models.Model):
    """A stored PDF; ready once rendered after the last request. Each subclass declares its own
    `file = models.FileField(..., upload_to=<a random name under its folder>, blank=True)`: the files
    are served only through views that check access, never by path."""

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

    file: FieldFile  # declared by every subclass, with its own upload_to

    class Meta:
        abstract = True

    @property
    def ready(self) -> bool:
        return bool(self.file) and self.generated_at is not None and self.generated_at >= self.requested_at


def store_rendered(document: RenderedDocument, content: bytes, started: datetime) -> bool:
    """Keep the PDF the worker rendered for `document`, begun at `started`; False when the row went
    away meanwhile (then no file is left behind).

    The new file is saved first and the old one deleted after the row points to the new one, so a
    download never finds nothing. The row is updated by primary key, with only `file` and
    `generated_at`: a request that came in while rendering keeps its newer `requested_at`, and with
    `generated_at = started` the document stays "not ready" until that request's task has run.
    """
    storage = document.file.storage
    old = document.file.name
    new = storage.save(document.file.field.generate_filename(document, "document.pdf"), ContentFile(content))
    # By name: `file` is declared by each subclass, not by this abstract model.
    columns = {"file": new, "generated_at": started}
    updated = type(document)._default_manager.filter(pk=document.pk).update(**columns)
    for name in [old] if updated else [new]:
        if name:
            storage.delete(name)
    return bool(updated)


def discard_rendered(document: RenderedDocument) -> None:
    """Delete the document and its file (a certificate withdrawn after attendance was corrected)."""
    if document.file:
        document.file.delete(save=False)
    document.delete()
