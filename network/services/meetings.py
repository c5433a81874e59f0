"""Writes of meetings, registrations, attendance and minutes.

Places of a meeting change only under the meeting's row lock (as course seats in training's services).
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from network import ics, rules
from network.models.meetings import (
    ItemKind,
    Meeting,
    MeetingRegistration,
    Minutes,
    MinutesItem,
    RegistrationStatus,
)
from network.models.networks import Network
from portal.accounts.models import User
from portal.formats import date_time
from portal.notifications.mail import send_email
from portal.notifications.services import participants_message
from portal.services import model_update


class RegistrationRefused(ValidationError):
    """Registration is not possible; the message says why, in words for the page."""


# What a moderator may change of a meeting, and of an item of its minutes.
MEETING_FIELDS = [
    "title", "kind", "starts_at", "ends_at", "location", "online_link", "agenda", "capacity",
    "registration_deadline",
]  # fmt: skip
ITEM_FIELDS = ["kind", "text", "responsible_authority", "responsible_person", "due_on", "done_on"]


# --- meetings ------------------------------------------------------------------------------------


def _lock(meeting: Meeting) -> Meeting:
    # Counting places and saving the registration happen under this lock, however many click at once.
    return Meeting.objects.select_for_update(of=("self",)).select_related("network").get(pk=meeting.pk)


def _registered(meeting: Meeting) -> int:
    return MeetingRegistration.objects.filter(meeting=meeting, status=RegistrationStatus.REGISTERED).count()


@transaction.atomic
def meeting_create(*, network: Network, by: User, **values: Any) -> Meeting:
    if not rules.is_moderator(by, network):
        raise PermissionDenied
    meeting = Meeting(network=network, created_by=by, **values)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, by: User, **values: Any) -> Meeting:
    if not rules.is_moderator(by, meeting.network):
        raise PermissionDenied
    meeting = _lock(meeting)
    capacity = values.get("capacity", meeting.capacity)
    registered = _registered(meeting)
    if capacity is not None and capacity < registered:
        raise ValidationError(
            {
                "capacity": ngettext(
                    "Es ist bereits %(count)d Person angemeldet; die Zahl der Plätze kann nicht "
                    "darunter liegen.",
                    "Es sind bereits %(count)d Personen angemeldet; die Zahl der Plätze kann nicht "
                    "darunter liegen.",
                    registered,
                )
                % {"count": registered}
            }
        )
    model_update(instance=meeting, fields=MEETING_FIELDS, data=values)
    return meeting


@transaction.atomic
def meeting_register(*, meeting: Meeting, participant: User, by: User) -> MeetingRegistration:
    if not rules.may_register(by, participant):
        raise PermissionDenied
    # The person's row before the meeting's, read afresh: erasure (portal/privacy/erasure.py) locks it
    # first too, so an erasure and a registration of the same person run one after the other.
    participant = User.objects.select_for_update().get(pk=participant.pk)
    if not participant.is_active or participant.is_erased:
        raise RegistrationRefused(
            _("%(name)s kann nicht angemeldet werden: Das Konto ist deaktiviert oder gelöscht.")
            % {"name": participant}
        )
    meeting = _lock(meeting)
    authority_id = participant.authority_id
    if authority_id is None or not meeting.network.members.filter(pk=authority_id).exists():
        raise RegistrationRefused(
            _("%(name)s gehört zu keiner Mitgliedsbehörde dieses Netzwerks.") % {"name": participant}
        )
    already = _("%(name)s ist für dieses Treffen bereits angemeldet.") % {"name": participant}
    active = MeetingRegistration.objects.filter(
        meeting=meeting, participant=participant, status=RegistrationStatus.REGISTERED
    )
    if active.exists():
        raise RegistrationRefused(already)
    problem = meeting.registration_problem(registered=_registered(meeting))
    if problem:
        raise RegistrationRefused(problem)
    registration = MeetingRegistration(meeting=meeting, participant=participant)
    try:
        # The partial unique constraint is the last line of defence against a double registration.
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        raise RegistrationRefused(already) from None
    _notify(registration, meeting)
    return registration


@transaction.atomic
def meeting_unregister(
    *, registration: MeetingRegistration, by: User, reason: str = ""
) -> MeetingRegistration:
    if not rules.may_unregister(by, registration):
        raise PermissionDenied
    meeting = _lock(registration.meeting)
    registration = MeetingRegistration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    if refusal := rules.unregistration_refused(meeting, by):
        raise RegistrationRefused(refusal)
    if meeting.has_begun() and not reason.strip():
        raise ValidationError(
            {"reason": _("Bitte geben Sie an, warum die Anmeldung nach Beginn des Treffens storniert wird.")}
        )
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.cancelled_by = by
    registration.cancellation_reason = reason.strip()
    registration.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancellation_reason"])
    _notify(registration, meeting)
    return registration


def _notify(registration: MeetingRegistration, meeting: Meeting) -> None:
    participant = registration.participant
    registered = registration.status == RegistrationStatus.REGISTERED
    send_email(
        to=[participant.email],
        template=f"network/meeting_{'registered' if registered else 'unregistered'}",
        context={"meeting": meeting, "network": meeting.network, "participant": participant},
        language=participant.language,
        attachments=[ics.attachment(meeting)] if registered else None,
    )


@transaction.atomic
def attendance_record(*, meeting: Meeting, present_ids: set[int], by: User) -> int:
    """Mark every registered person present or absent; returns how many were present."""
    if not rules.is_moderator(by, meeting.network):
        raise PermissionDenied
    if not meeting.has_begun():
        raise ValidationError(
            _("Die Anwesenheit kann erst erfasst werden, wenn das Treffen begonnen hat (%(start)s).")
            % {"start": date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")}
        )
    registrations = MeetingRegistration.objects.filter(meeting=meeting, status=RegistrationStatus.REGISTERED)
    present = registrations.filter(pk__in=present_ids).update(attended=True)
    registrations.exclude(pk__in=present_ids).update(attended=False)
    return present


# --- minutes -------------------------------------------------------------------------------------


def _item_values(item: MinutesItem, network: Network, values: dict[str, Any]) -> dict[str, Any]:
    """`values` for the item as they are stored: only tasks have someone responsible, a due date and
    a done date, and the responsible authority must be a member of the network."""
    if values.get("kind", item.kind) != ItemKind.TASK:
        return {
            **values,
            "responsible_authority": None,
            "responsible_person": "",
            "due_on": None,
            "done_on": None,
        }
    authority = values.get("responsible_authority", item.responsible_authority)
    if authority is not None and not network.members.filter(pk=authority.pk).exists():
        raise ValidationError(
            {"responsible_authority": _("Zuständig sein kann nur eine Mitgliedsbehörde des Netzwerks.")}
        )
    return values


@transaction.atomic
def minutes_item_add(*, meeting: Meeting, by: User, **values: Any) -> MinutesItem:
    if not rules.is_moderator(by, meeting.network):
        raise PermissionDenied
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
    last = minutes.items.aggregate(last=Max("position"))["last"]
    values = _item_values(MinutesItem(), meeting.network, values)
    item = MinutesItem(minutes=minutes, position=(last or 0) + 1, **values)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def minutes_item_update(*, item: MinutesItem, by: User, **values: Any) -> MinutesItem:
    network = item.minutes.meeting.network
    if not rules.is_moderator(by, network):
        raise PermissionDenied
    model_update(instance=item, fields=ITEM_FIELDS, data=_item_values(item, network, values))
    return item


@transaction.atomic
def minutes_item_delete(*, item: MinutesItem, by: User) -> None:
    if not rules.is_moderator(by, item.minutes.meeting.network):
        raise PermissionDenied
    if item.minutes.is_published:
        raise ValidationError(_("Punkte veröffentlichter Protokolle können nicht gelöscht werden."))
    item.delete()


@transaction.atomic
def minutes_publish(*, minutes: Minutes, by: User) -> Minutes:
    if not rules.is_moderator(by, minutes.meeting.network):
        raise PermissionDenied
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.is_published:
        return minutes
    # Minutes record what was said: a meeting months ahead has none yet.
    if not minutes.meeting.has_begun():
        raise ValidationError(
            _("Das Protokoll kann erst veröffentlicht werden, wenn das Treffen begonnen hat (%(start)s).")
            % {"start": date_time(minutes.meeting.starts_at)}
        )
    if not minutes.items.exists():
        raise ValidationError(_("Ein Protokoll ohne Punkte kann nicht veröffentlicht werden."))
    minutes.published_at = timezone.now()
    minutes.published_by = by
    minutes.save(update_fields=["published_at", "published_by"])
    return minutes


@transaction.atomic
def task_mark_done(*, item: MinutesItem, by: User, done: bool = True) -> MinutesItem:
    if not rules.is_moderator(by, item.minutes.meeting.network):
        raise PermissionDenied
    if item.kind != ItemKind.TASK:
        raise ValidationError(_("Nur Aufgaben können erledigt werden."))
    item.done_on = timezone.localdate() if done else None
    item.save(update_fields=["done_on"])
    return item


@transaction.atomic
def meeting_message_send(*, meeting: Meeting, by: User, subject: str, text: str, token: str) -> int:
    """Project staff write to everyone registered: one mail each through the outbox, all or none;
    returns how many were queued (0: this message was sent before)."""
    if not rules.may_message_participants(by):
        raise PermissionDenied
    registrations = MeetingRegistration.objects.filter(
        meeting=meeting, status=RegistrationStatus.REGISTERED
    ).select_related("participant")
    recipients = [registration.participant for registration in registrations]
    if not recipients:
        raise ValidationError(
            _("Niemand ist angemeldet: Die Nachricht hätte keine Empfängerinnen und Empfänger.")
        )
    return participants_message(
        recipients=recipients,
        kind="network.participants_message",
        obj=meeting,
        sender=by,
        subject=subject,
        text=text,
        token=token,
    )
