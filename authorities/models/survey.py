"""The customers' voice: an anonymous, multilingual survey of an authority's customers, in waves
(a baseline, then follow-ups) tied to the authority's change process.

What is stored can point to nobody: a response holds its answers and the day (no time of day, no
address, no browser, no session or account); comments sit in a table of their own, without a tie
to the response and under a random key (their order says nothing), masked before anyone reads them.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from authorities.models.assessment import Dimension
from authorities.models.process import ChangeProcess, Measure
from authorities.models.survey_words import LANGUAGES
from portal.facts import FactsQuerySet
from portal.rendered import RenderedDocument

LANGUAGE_CHOICES = [(code, language.name) for code, language in LANGUAGES.items()]


class ItemKind(models.TextChoices):
    SCALE = "scale", _("Skala (fünf Stufen)")
    YES_NO = "yes_no", _("Ja/Nein")
    CHOICE = "choice", _("Eine Auswahl")
    COMMENT = "comment", _("Freitext (freiwillig)")


class SurveyQuestionnaire(models.Model):
    code = models.SlugField(_("Kürzel"), max_length=40, unique=True)
    title = models.CharField(_("Titel"), max_length=200)

    class Meta:
        verbose_name = _("Fragebogen der Kundenbefragung")
        verbose_name_plural = _("Fragebögen der Kundenbefragung")

    def __str__(self) -> str:
        return self.title


class SurveyItem(models.Model):
    questionnaire = models.ForeignKey(SurveyQuestionnaire, on_delete=models.CASCADE, related_name="items")
    # Stable across versions of the texts: results, measures and indicators name items by it.
    code = models.SlugField(_("Kürzel"), max_length=40)
    kind = models.CharField(_("Art"), max_length=10, choices=ItemKind.choices)
    dimension = models.ForeignKey(
        Dimension,
        verbose_name=_("Dimension des Selbstchecks"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_items",
    )
    required = models.BooleanField(_("Pflichtfrage"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = FactsQuerySet["SurveyItem"].as_manager()

    class Meta:
        verbose_name = _("Frage")
        verbose_name_plural = _("Fragen")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="survey_item_code_once"),
        ]

    def __str__(self) -> str:
        return self.code


class SurveyItemText(models.Model):
    item = models.ForeignKey(SurveyItem, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("Sprache"), max_length=5, choices=LANGUAGE_CHOICES)
    text = models.CharField(_("Text"), max_length=300)
    # A choice item's options in this language, in the item's order.
    options = models.JSONField(_("Antwortmöglichkeiten"), default=list, blank=True)
    # Until a native speaker confirmed the translation.
    unchecked = models.BooleanField(_("ungeprüft"), default=False)

    class Meta:
        verbose_name = _("Fragetext")
        verbose_name_plural = _("Fragetexte")
        constraints = [
            models.UniqueConstraint(fields=["item", "language"], name="survey_text_once_per_language"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} ({self.language})"


class WaveKind(models.TextChoices):
    BASELINE = "baseline", _("Ausgangsbefragung")
    FOLLOW_UP = "follow_up", _("Folgebefragung")


def new_wave_key() -> str:
    return secrets.token_urlsafe(9)


class SurveyWaveQuerySet(FactsQuerySet["SurveyWave"]):
    def open_on(self, day: date) -> SurveyWaveQuerySet:
        return self.filter(closed=False, opens_on__lte=day, closes_on__gte=day)


class SurveyWave(models.Model):
    """One round of the survey at one authority, open from one day to another."""

    authority = models.ForeignKey(
        "authorities.Authority",
        verbose_name=_("Ausländerbehörde"),
        on_delete=models.CASCADE,
        related_name="survey_waves",
    )
    process = models.ForeignKey(
        ChangeProcess,
        verbose_name=_("Veränderungsprozess"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_waves",
    )
    questionnaire = models.ForeignKey(SurveyQuestionnaire, on_delete=models.PROTECT, related_name="waves")
    kind = models.CharField(_("Art"), max_length=10, choices=WaveKind.choices)
    opens_on = models.DateField(_("offen ab"))
    closes_on = models.DateField(_("offen bis"))
    # Closed before its last day by the coordinator or project staff.
    closed = models.BooleanField(_("vorzeitig geschlossen"), default=False)
    # The public link: not guessable, so nobody answers for an authority by counting ids.
    key = models.CharField(max_length=20, unique=True, default=new_wave_key, editable=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = SurveyWaveQuerySet.as_manager()

    class Meta:
        verbose_name = _("Befragungswelle")
        verbose_name_plural = _("Befragungswellen")
        ordering = ["opens_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(opens_on__lte=models.F("closes_on")), name="wave_opens_first"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.opens_on:%d.%m.%Y}–{self.closes_on:%d.%m.%Y}"

    def is_open(self, day: date | None = None) -> bool:
        day = day or timezone.localdate()
        return not self.closed and self.opens_on <= day <= self.closes_on

    def has_ended(self, day: date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.closed or self.closes_on < day


class SurveyResponse(models.Model):
    """One visitor's answers. Only the day: a time of day could be matched with appointments."""

    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="responses")
    answered_on = models.DateField(_("beantwortet am"))

    objects = FactsQuerySet["SurveyResponse"].as_manager()

    class Meta:
        verbose_name = _("Antwortbogen")
        verbose_name_plural = _("Antwortbögen")

    def __str__(self) -> str:
        return f"{self.wave_id}: {self.answered_on}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(SurveyItem, on_delete=models.PROTECT, related_name="answers")
    # Scale 1 (very bad) to 5 (very good); yes 1, no 0; a choice the option's index.
    value = models.PositiveSmallIntegerField(_("Antwort"))

    objects = FactsQuerySet["SurveyAnswer"].as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="survey_answer_once_per_item"),
            models.CheckConstraint(condition=Q(value__lte=5), name="survey_answer_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.value}"


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("wartet auf Freigabe")
    RELEASED = "released", _("freigegeben")
    WITHHELD = "withheld", _("nicht freigegeben")


class SurveyComment(models.Model):
    """A free-text comment, apart from the response it came with (no link back to it)."""

    # Random, so the order of the rows says nothing about the order of the responses.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="comments")
    answered_on = models.DateField(_("beantwortet am"))
    # Masked when stored (names, e-mail addresses, phone numbers): the raw text is never kept.
    text = models.TextField(_("Kommentar"))
    status = models.CharField(
        _("Freigabe"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )

    class Meta:
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")

    def __str__(self) -> str:
        return self.text[:60]


class SurveyTokenUse(models.Model):
    """A form token that was used: the same page view cannot answer twice. Not tied to the response."""

    digest = models.CharField(max_length=64, unique=True)
    used_on = models.DateField()

    def __str__(self) -> str:
        return self.used_on.isoformat()


class PosterSize(models.TextChoices):
    A4 = "a4", _("Aushang A4")
    A6 = "a6", _("Tischkarte A6")


def poster_upload_to(instance: SurveyPoster, filename: str) -> str:
    # A random name: the files are served only through a view that checks access, never by path.
    return f"authorities/umfrage-aushaenge/{secrets.token_urlsafe(24)}.pdf"


class SurveyPoster(RenderedDocument):
    """A wave's poster (A4) or table card (A6) as a PDF, with the QR code of its public link."""

    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="posters")
    size = models.CharField(_("Format"), max_length=2, choices=PosterSize.choices)
    file = models.FileField(_("Datei"), upload_to=poster_upload_to, blank=True)

    class Meta:
        verbose_name = _("Aushang der Kundenbefragung (PDF)")
        verbose_name_plural = _("Aushänge der Kundenbefragung (PDF)")
        constraints = [models.UniqueConstraint(fields=["wave", "size"], name="survey_poster_once_per_size")]

    def __str__(self) -> str:
        return f"{self.wave} ({self.size})"


class SurveyMeasure(models.Model):
    """Sie sagten – wir taten: a measure of the change process names the survey items it answers."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("Maßnahme"), on_delete=models.CASCADE, related_name="survey_links"
    )
    item = models.ForeignKey(
        SurveyItem, verbose_name=_("Frage"), on_delete=models.CASCADE, related_name="measure_links"
    )

    class Meta:
        verbose_name = _("Maßnahme zu einer Frage der Kundenbefragung")
        verbose_name_plural = _("Maßnahmen zu Fragen der Kundenbefragung")
        constraints = [models.UniqueConstraint(fields=["measure", "item"], name="survey_measure_once")]

    def __str__(self) -> str:
        return f"{self.measure} – {self.item}"


# --- the staff survey -----------------------------------------------------------------------------


class StaffWave(models.Model):
    """A round of the staff survey: colleagues of the authority answer the self-check's statements
    through one-time links, beside the coordinator's own self-check."""

    authority = models.ForeignKey(
        "authorities.Authority",
        verbose_name=_("Ausländerbehörde"),
        on_delete=models.CASCADE,
        related_name="staff_waves",
    )
    process = models.ForeignKey(
        ChangeProcess, on_delete=models.SET_NULL, null=True, blank=True, related_name="staff_waves"
    )
    # The self-check's questionnaire: the colleagues rate the same statements as the coordinator.
    questionnaire = models.ForeignKey(
        "authorities.Questionnaire", on_delete=models.PROTECT, related_name="staff_waves"
    )
    opens_on = models.DateField(_("offen ab"))
    closes_on = models.DateField(_("offen bis"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Welle der Mitarbeitendenbefragung")
        verbose_name_plural = _("Wellen der Mitarbeitendenbefragung")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_on__lte=models.F("closes_on")), name="staff_wave_opens_first"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opens_on:%d.%m.%Y}–{self.closes_on:%d.%m.%Y}"

    def is_open(self, day: date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.opens_on <= day <= self.closes_on


class StaffInvitation(models.Model):
    """A one-time link sent to a colleague. It names nobody (the mail went through the outbox and is
    emptied once sent) and only records that it was used, never by whom or with which answer."""

    wave = models.ForeignKey(StaffWave, on_delete=models.CASCADE, related_name="invitations")
    # The SHA-256 of the link's token: the link itself is stored nowhere.
    digest = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.wave_id}: {'used' if self.used else 'open'}"


class StaffResponse(models.Model):
    """One colleague's answers: the wave and the day only, no tie to the invitation or the person."""

    wave = models.ForeignKey(StaffWave, on_delete=models.CASCADE, related_name="responses")
    answered_on = models.DateField(_("beantwortet am"))

    def __str__(self) -> str:
        return f"{self.wave_id}: {self.answered_on}"


class StaffAnswer(models.Model):
    response = models.ForeignKey(StaffResponse, on_delete=models.CASCADE, related_name="answers")
    statement = models.ForeignKey("authorities.Statement", on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(_("Bewertung"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "statement"], name="staff_answer_once"),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="staff_answer_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.rating}"
