"""The instruments project staff maintain for the change processes: the self-check (Selbstcheck
Willkommenskultur) with its questionnaire and rounds, and the catalogue of example measures."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Avg, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from authorities.models.process import ChangeProcess, Field, FieldOfAction
from portal.bilingual import localized


class MeasureTemplate(models.Model):
    """An example measure of the catalogue; a measure can be created from it in one step."""

    title = models.CharField(_("Maßnahme"), max_length=200, unique=True)
    description = models.TextField(_("Beschreibung"))
    field = models.CharField(_("Entwicklungsfeld"), max_length=20, choices=Field.choices)
    field_of_action = models.CharField(_("Handlungsfeld"), max_length=30, choices=FieldOfAction.choices)

    class Meta:
        verbose_name = _("Beispielmaßnahme")
        verbose_name_plural = _("Katalog der Beispielmaßnahmen")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


# --- Selbstcheck Willkommenskultur -----------------------------------------------------------------


class Questionnaire(models.Model):
    title = models.CharField(_("Titel"), max_length=200)
    is_active = models.BooleanField(_("in Verwendung"), default=True)

    class Meta:
        verbose_name = _("Fragebogen")
        verbose_name_plural = _("Fragebögen")

    def __str__(self) -> str:
        return self.title


class Dimension(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="dimensions")
    name = models.CharField(_("Dimension"), max_length=200)
    name_en = models.CharField(_("Dimension (englisch)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("Dimension")
        verbose_name_plural = _("Dimensionen")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name in the reader's language."""
        return localized(self, "name")


class Statement(models.Model):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="statements")
    text = models.CharField(_("Aussage"), max_length=300)
    text_en = models.CharField(_("Aussage (englisch)"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("Aussage")
        verbose_name_plural = _("Aussagen")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def label(self) -> str:
        """The statement in the reader's language."""
        return localized(self, "text")


class AssessmentRound(models.Model):
    """One filling-in of the questionnaire by an authority: the baseline, then follow-ups."""

    process = models.ForeignKey(ChangeProcess, on_delete=models.CASCADE, related_name="assessments")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="rounds")
    label = models.CharField(_("Bezeichnung"), max_length=100)
    completed_on = models.DateField(_("ausgefüllt am"), default=timezone.localdate)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Selbstcheck")
        verbose_name_plural = _("Selbstchecks")
        ordering = ["completed_on", "pk"]

    def __str__(self) -> str:
        return self.label

    def scores(self) -> dict[int, float]:
        """Average rating per dimension id."""
        rows = self.answers.values("statement__dimension").annotate(score=Avg("rating"))
        return {row["statement__dimension"]: round(row["score"], 2) for row in rows}


class Answer(models.Model):
    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="answers")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(
        _("Bewertung"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "statement"], name="answer_once_per_statement"),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="answer_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement}: {self.rating}"
