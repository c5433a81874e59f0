"""What participants say after a course: the feedback right after it and the answer three months later
(both AMIF figures)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.facts import FactsQuerySet
from training.models.courses import Enrollment


class Feedback(models.Model):
    """The participant's answers after the course (AMIF: 'useful for their work' is usefulness >= 4)."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="feedback")
    usefulness = models.PositiveSmallIntegerField(
        _("Wie nützlich ist die Schulung für Ihre Arbeit?"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    will_apply = models.TextField(_("Was werden Sie in Ihrer Arbeit anwenden?"), blank=True)
    comments = models.TextField(_("Was möchten Sie uns noch sagen?"), blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    objects = FactsQuerySet["Feedback"].as_manager()

    class Meta:
        verbose_name = _("Rückmeldung")
        verbose_name_plural = _("Rückmeldungen")
        constraints = [
            models.CheckConstraint(
                condition=Q(usefulness__gte=1) & Q(usefulness__lte=5), name="feedback_usefulness_1_to_5"
            )
        ]

    def __str__(self) -> str:
        # Never the participant (the enrollment's name): the admin titles answers with this.
        return f"{self.enrollment.course}: {self.usefulness}"


class UsesLearning(models.TextChoices):
    YES = "yes", _("Ja, regelmäßig")
    PARTLY = "partly", _("Teilweise")
    NO = "no", _("Nein, bisher nicht")


class FollowUpAnswer(models.Model):
    """The answer three months after a course: does the person use what they learned? (AMIF figure)"""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="follow_up")
    uses_learning = models.CharField(
        _("Setzen Sie das Gelernte in Ihrer Arbeit ein?"), max_length=10, choices=UsesLearning.choices
    )
    example = models.TextField(_("Ein Beispiel, wenn Sie mögen"), blank=True)
    answered_at = models.DateTimeField(auto_now=True)

    objects = FactsQuerySet["FollowUpAnswer"].as_manager()

    class Meta:
        verbose_name = _("Nachfrage nach drei Monaten")
        verbose_name_plural = _("Nachfragen nach drei Monaten")

    def __str__(self) -> str:
        return f"{self.enrollment.course}: {self.get_uses_learning_display()}"
