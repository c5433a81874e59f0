"""Every kind of notification the portal sends, in one table: its label on the profile page, whether
people may switch it off (service mails may not), and whether a weekly digest is offered."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Kind:
    code: str
    label: "StrOrPromise"
    mandatory: bool = False
    digest: bool = False
    # False: the outbox forgets the sent mail (it held a one-time link that must not stay readable).
    keep_copy: bool = True


KINDS = {
    kind.code: kind
    for kind in [
        Kind("training.enrollment", _("Bestätigungen zu Ihren Schulungsanmeldungen"), mandatory=True),
        Kind("training.course_changed", _("Änderung oder Absage einer Schulung"), mandatory=True),
        Kind("training.course_reminder", _("Erinnerung vor einer Schulung (7 Tage und 1 Tag vorher)")),
        Kind("training.feedback_request", _("Bitte um Rückmeldung nach einer Schulung")),
        Kind("training.follow_up", _("Nachfrage drei Monate nach einer Schulung")),
        Kind("training.deadline_for_coordinators", _("Anmeldeschluss naht (für Koordinierende)")),
        Kind(
            "training.participants_message",
            _("Nachrichten des Projektteams an die Teilnehmenden einer Schulung"),
            mandatory=True,
        ),
        Kind("process.due", _("Fällige und überfällige Maßnahmen und Meilensteine")),
        Kind("process.coach_summary", _("Wöchentliche Übersicht für die Prozessbegleitung")),
        Kind(
            "network.post", _("Neue Beiträge in Netzwerken und Diskussionen, denen Sie folgen"), digest=True
        ),
        Kind("network.meeting_reminder", _("Erinnerung drei Tage vor einem Netzwerktreffen")),
        Kind(
            "network.participants_message",
            _("Nachrichten des Projektteams an die Angemeldeten eines Treffens"),
            mandatory=True,
        ),
        Kind("network.task_due", _("Fällige Aufgaben aus Protokollen")),
        Kind("reports.deadline", _("Erinnerung vor einer Berichtsfrist")),
        Kind(
            "survey.staff_invitation",
            _("Einladungen zur Mitarbeitendenbefragung Ihrer Behörde"),
            mandatory=True,
            keep_copy=False,
        ),
    ]
}
