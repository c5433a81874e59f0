"""After the course: the participants' feedback and follow-up answers, and the mails asking for them."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.notifications.services import notify
from training import rules
from training.models import Enrollment, Feedback, FollowUpAnswer


@transaction.atomic
def feedback_submit(
    *, enrollment: Enrollment, by: User, usefulness: int, will_apply: str, comments: str
) -> Feedback:
    if not rules.may_give_feedback(by, enrollment):
        raise PermissionDenied
    if not enrollment.attendances.attended(now=timezone.now()).exists():
        raise ValidationError(_("Eine Rückmeldung ist nach der Teilnahme an der Schulung möglich."))
    feedback, _created = Feedback.objects.update_or_create(
        enrollment=enrollment,
        defaults={"usefulness": usefulness, "will_apply": will_apply, "comments": comments},
    )
    return feedback


@transaction.atomic
def follow_up_submit(
    *, enrollment: Enrollment, by: User, uses_learning: str, example: str = ""
) -> FollowUpAnswer:
    if not rules.may_give_feedback(by, enrollment):
        raise PermissionDenied
    if not enrollment.attendances.attended(now=timezone.now()).exists():
        raise ValidationError(
            _("Die Nachfrage richtet sich an Personen, die an der Schulung teilgenommen haben.")
        )
    answer, _created = FollowUpAnswer.objects.update_or_create(
        enrollment=enrollment, defaults={"uses_learning": uses_learning, "example": example}
    )
    return answer


# --- mails after the course ----------------------------------------------------------------------

FEEDBACK_REQUEST_WINDOW = timedelta(days=30)


def feedback_requests_send(*, now: datetime | None = None) -> int:
    """Ask everyone who attended a course that ended in the last 30 days for feedback, once.

    Beat runs this every hour; a missed run is caught up by the next one, and the claim row makes
    sure that two runs, two workers or a retried task never send the request twice.
    """
    now = now or timezone.now()
    due = Enrollment.objects.attended_in_courses_ended_between(now - FEEDBACK_REQUEST_WINDOW, now)
    return notify_participants(due.filter(feedback__isnull=True), kind="training.feedback_request")


def notify_participants(enrollments: Iterable[Enrollment], *, kind: str) -> int:
    """One mail per enrollment (templates/email/training/<kind without prefix>), each claimed once."""
    return sum(
        notify(
            recipient=enrollment.participant,
            kind=kind,
            obj=enrollment,
            template=f"training/{kind.removeprefix('training.')}",
            context={
                "enrollment": enrollment,
                "course": enrollment.course,
                "participant": enrollment.participant,
            },
        )
        for enrollment in enrollments
    )
