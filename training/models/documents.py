"""The documents of the trainings: the secret of a person's calendar feed and the PDFs the worker
renders (certificates, sign-in sheets; see portal/rendered.py and training/tasks.py)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.rendered import RenderedDocument
from training.models.courses import CourseDate, Enrollment


class CalendarToken(models.Model):
    """The secret in a person's calendar feed URL; a new one invalidates the old link."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.user)


def certificate_upload_to(instance: "Certificate", filename: str) -> str:
    # A random name: the files are served only through a view that checks access, never by path.
    return f"training/bescheinigungen/{secrets.token_urlsafe(24)}.pdf"


def sign_in_sheet_upload_to(instance: "SignInSheet", filename: str) -> str:
    return f"training/unterschriftenlisten/{secrets.token_urlsafe(24)}.pdf"


class Certificate(RenderedDocument):
    """The Teilnahmebescheinigung of one enrollment; issued only to people who attended."""

    enrollment = models.OneToOneField(
        Enrollment, verbose_name=_("Anmeldung"), on_delete=models.CASCADE, related_name="certificate"
    )
    file = models.FileField(_("Datei"), upload_to=certificate_upload_to, blank=True)

    class Meta:
        verbose_name = _("Teilnahmebescheinigung")
        verbose_name_plural = _("Teilnahmebescheinigungen")

    def __str__(self) -> str:
        return str(self.enrollment)


class SignInSheet(RenderedDocument):
    """The Unterschriftenliste of one course date, made again on each request (the list may change)."""

    course_date = models.OneToOneField(
        CourseDate, verbose_name=_("Termin"), on_delete=models.CASCADE, related_name="sign_in_sheet"
    )
    file = models.FileField(_("Datei"), upload_to=sign_in_sheet_upload_to, blank=True)

    class Meta:
        verbose_name = _("Unterschriftenliste")
        verbose_name_plural = _("Unterschriftenlisten")

    def __str__(self) -> str:
        return str(self.course_date)
