"""Erasing a person (DSGVO Art. 17): everything that names them is removed or anonymised, while the
rows that feed the AMIF figures (enrollments, attendance, feedback ratings, follow-up answers,
meeting registrations) stay linked to the anonymised account, so reports of past periods do not
change. Posts stay and are shown as "gelöschte Person" (User.get_full_name)."""

import json
import re
from functools import partial

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from authorities.models import ContactPerson, Measure, MeasurePlanDocument
from network.models import (
    Document,
    MeetingRegistration,
    Post,
    ReadMarker,
    RegistrationStatus,
    Subscription,
)
from portal.accounts.services import sessions_end
from portal.notifications.models import Notification, NotificationPreference, NotificationStatus
from portal.privacy.models import EventKind, SecurityEvent
from portal.privacy.rules import may_erase
from portal.privacy.security import record
from portal.rendered import RenderedDocument
from training.models import (
    CalendarToken,
    Certificate,
    Course,
    CourseDate,
    Enrollment,
    EnrollmentStatus,
    Feedback,
    FollowUpAnswer,
    SignInSheet,
)
from training.services.enrollments import waitlist_promote

REPLACEMENT = "gelöschte Person"


def erased_email(user_id: int) -> str:
    return f"geloescht-{user_id}@invalid"


@transaction.atomic
def person_erase(*, user, by=None, reason: str = "request", request=None):
    """Erase one person; `by` is the project-staff member who asked (None for the retention task).

    Idempotent: a person already erased is returned unchanged."""
    User = get_user_model()
    if by is not None and not may_erase(by, user):
        raise PermissionDenied
    # The person's row is the first lock, before any course: enrollment and meeting registration take
    # it first too (training.services.lock_participant), so they wait for the erasure and then refuse
    # the erased account instead of giving it a seat and a mail.
    person = User.objects.select_for_update().get(pk=user.pk)
    if person.erased_at is not None:
        return person
    traces = _traces(person)

    sessions_end(person)
    _release_future_places(person, by)
    _delete_own_rows(person)
    _blank_free_text(person)
    _drop_documents(person, traces)
    _scrub_text_everywhere(traces, exclude={User})

    person.first_name = ""
    person.last_name = ""
    person.phone = ""
    person.email = erased_email(person.pk)
    person.set_unusable_password()
    person.is_active = False
    person.is_staff = False
    person.is_superuser = False
    person.is_coordinator = False
    person.erased_at = timezone.now()
    person.save()
    record(
        EventKind.ERASURE,
        request=request,
        user=by,
        details={"person_id": person.pk, "reason": reason},
    )
    return person


@transaction.atomic
def contacts_erase(*, contacts) -> int:
    """Delete contact persons of authorities, and their name, address and phone from every text
    (history of the authority, measures, minutes, …). Returns how many were deleted."""
    contacts = list(contacts)
    for contact in contacts:
        traces = [t for t in (contact.email.lower(), contact.phone.strip()) if len(t) >= 6]
        if " " in contact.name.strip():  # a person's name, not a single word such as "Bürgerbüro"
            traces.append(contact.name.strip())
        if traces:
            _scrub_text_everywhere(traces, exclude={get_user_model()})
    ContactPerson.objects.filter(pk__in=[c.pk for c in contacts]).delete()
    return len(contacts)


def _traces(person) -> list[str]:
    """The strings that identify the person in free text: e-mail address and full name."""
    traces = [person.email.lower()]
    first, last = person.first_name.strip(), person.last_name.strip()
    if first and last:
        traces += [f"{first} {last}", f"{last}, {first}", f"{last} {first}"]
    if len(person.phone.strip()) >= 6:
        traces.append(person.phone.strip())
    return traces


def _release_future_places(person, by) -> None:
    """Seats in courses that have not begun and places at meetings still ahead go back: the next
    person on the waiting list moves up (and is told). Nothing here feeds a past figure."""
    now = timezone.now()
    begun = CourseDate.objects.filter(starts_at__lte=now).values("course")
    future = (
        Enrollment.objects.filter(participant=person)
        .exclude(status=EnrollmentStatus.CANCELLED)
        .exclude(course__in=begun)
    )
    for course_id in sorted(set(future.values_list("course_id", flat=True))):
        course = Course.objects.select_for_update().get(pk=course_id)
        for enrollment in future.filter(course=course):
            position = enrollment.waitlist_position
            Enrollment.objects.filter(pk=enrollment.pk).update(
                status=EnrollmentStatus.CANCELLED, waitlist_position=None, cancelled_at=now, cancelled_by=by
            )
            if position is not None:
                Enrollment.objects.filter(
                    course=course, status=EnrollmentStatus.WAITLISTED, waitlist_position__gt=position
                ).update(waitlist_position=F("waitlist_position") - 1)
        waitlist_promote(course=course)
    MeetingRegistration.objects.filter(
        participant=person, status=RegistrationStatus.REGISTERED, meeting__starts_at__gt=now
    ).update(status=RegistrationStatus.CANCELLED, cancelled_at=now)


def _delete_own_rows(person) -> None:
    """Rows that are the person's alone and feed no figure."""
    CalendarToken.objects.filter(user=person).delete()
    Subscription.objects.filter(user=person).delete()
    ReadMarker.objects.filter(user=person).delete()
    NotificationPreference.objects.filter(user=person).delete()
    person.moderated_networks.clear()
    ContactPerson.objects.filter(email__iexact=person.email).delete()
    SecurityEvent.objects.filter(email__iexact=person.email).update(email="")
    # Mails to the person: those not sent (waiting or failed) are dropped, nothing is to be resent to
    # an erased address; the sent ones keep their row (the once-only claim) without the rendered mail.
    Notification.objects.filter(recipient=person).exclude(status=NotificationStatus.SENT).delete()
    Notification.objects.filter(recipient=person).update(payload={}, last_error="")
    for model in _models_with_user_fk(app_prefixes=("otp_",)):  # two-factor devices, if installed
        model.objects.filter(user=person).delete()
    if apps.is_installed("axes"):
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__iexact=person.email).delete()


def _models_with_user_fk(*, app_prefixes: tuple[str, ...]):
    User = get_user_model()
    for model in apps.get_models():
        if not model._meta.app_label.startswith(app_prefixes):
            continue
        field = next((f for f in model._meta.fields if f.name == "user"), None)
        if field is not None and field.is_relation and field.related_model is User:
            yield model


def _blank_free_text(person) -> None:
    """Free-text answers go; the ratings that count for the figures stay."""
    Feedback.objects.filter(enrollment__participant=person).update(will_apply="", comments="")
    FollowUpAnswer.objects.filter(enrollment__participant=person).update(example="")
    # Uploaded library documents stay (the project publishes them); who uploaded them does not.
    Document.objects.filter(uploaded_by=person).update(uploaded_by=None)


def _drop_documents(person, traces) -> None:
    """PDFs that print the name: the person's certificates, the sign-in sheets of their course dates
    and the measure plans that name them as coach or responsible (made again on the next request)."""
    certificates = Certificate.objects.filter(enrollment__participant=person).exclude(file="")
    sheets = SignInSheet.objects.filter(course_date__course__enrollments__participant=person).exclude(file="")
    named = Q()
    for trace in traces:
        named |= Q(responsible__icontains=trace) | Q(involved__icontains=trace)
    processes = Q(process__coach=person) | Q(process__in=Measure.objects.filter(named).values("process"))
    plans = MeasurePlanDocument.objects.filter(processes).exclude(file="")
    documents: list[RenderedDocument] = [*certificates, *sheets.distinct(), *plans]
    for document in documents:
        name = document.file.name
        columns = {"file": "", "generated_at": None}  # by name: each subclass declares its `file`
        type(document)._default_manager.filter(pk=document.pk).update(**columns)
        if name:
            transaction.on_commit(partial(document.file.storage.delete, name))


# --- the name and address in every text column ---------------------------------------------------------


def trace_pattern(traces: list[str]) -> re.Pattern:
    """The traces as whole words: "Anna Schmidt" is not found in "Johanna Schmidt", nor
    "anna@example.org" in "marianna@example.org"."""
    alternatives = "|".join(re.escape(t) for t in sorted(traces, key=len, reverse=True))
    return re.compile(rf"(?<![\w.+-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def _text_fields(model):
    for field in model._meta.concrete_fields:
        if field.primary_key or field.choices:
            continue
        if isinstance(field, (models.CharField, models.TextField, models.JSONField)):
            yield field


def _scrub_text_everywhere(traces: list[str], *, exclude) -> int:
    """Replace the traces in every text and JSON column of every table; returns the rows changed.

    Uses `update()`, so `auto_now` fields (which some figures read) keep their dates."""
    pattern = trace_pattern(traces)
    escaped = [json.dumps(t)[1:-1] for t in traces]
    changed = 0
    for model in apps.get_models(include_auto_created=True):
        if model in exclude or model._meta.proxy or not model._meta.managed or model is Session:
            continue
        fields = list(_text_fields(model))
        if not fields:
            continue
        queryset, condition = model._default_manager.all(), Q()
        for field in fields:
            if isinstance(field, models.JSONField):
                alias = f"_scrub_{field.attname}"
                queryset = queryset.alias(**{alias: Cast(field.attname, TextField())})
                for trace in {*traces, *escaped}:
                    condition |= Q(**{f"{alias}__icontains": trace})
            else:
                for trace in traces:
                    condition |= Q(**{f"{field.attname}__icontains": trace})
        for row in queryset.filter(condition).only("pk", *[f.attname for f in fields]):
            values = {}
            for field in fields:
                old = getattr(row, field.attname)
                new = _replace(old, pattern, field)
                if new != old:
                    values[field.attname] = new
            if values:
                model._default_manager.filter(pk=row.pk).update(**values)
                changed += 1
    return changed


def _replace(value, pattern, field):
    if isinstance(value, str):
        if isinstance(field, models.EmailField):
            return "" if pattern.fullmatch(value.strip()) else value
        new = pattern.sub(REPLACEMENT, value)
        return new[: field.max_length] if getattr(field, "max_length", None) else new
    if isinstance(value, list):
        return [_replace(item, pattern, field) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, pattern, field) for key, item in value.items()}
    return value


def erasure_preview(person) -> dict[str, int]:
    """What the erasure will do to this person's rows, in numbers for the confirmation page."""
    begun = CourseDate.objects.filter(starts_at__lte=timezone.now()).values("course")
    active = Enrollment.objects.filter(participant=person).exclude(status=EnrollmentStatus.CANCELLED)
    return {
        "seats_released": active.exclude(course__in=begun).count(),
        "enrollments_kept": Enrollment.objects.filter(participant=person).count()
        - active.exclude(course__in=begun).count(),
        "meeting_places_released": MeetingRegistration.objects.filter(
            participant=person, status=RegistrationStatus.REGISTERED, meeting__starts_at__gt=timezone.now()
        ).count(),
        "posts_kept": Post.objects.filter(author=person).count(),
    }


def erasure_warning() -> str:
    return _(
        "Die Löschung kann nicht rückgängig gemacht werden. Name, E-Mail-Adresse, Telefonnummer, "
        "Freitexte in Rückmeldungen, gespeicherte E-Mails, Bescheinigungen und Abonnements der Person "
        "werden gelöscht oder unkenntlich gemacht; das Konto wird deaktiviert und alle Sitzungen werden "
        "beendet. Anmeldungen, Anwesenheiten und Bewertungen bleiben anonym für die Berichte erhalten, "
        "Beiträge in Diskussionen erscheinen als „gelöschte Person“."
    )
