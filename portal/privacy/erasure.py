"""Erasing a person (DSGVO Art. 17). What the portal keeps is a pseudonymised account: the row stays
with its authority and role, without name, address or password, so the rows that feed the AMIF
figures (enrollments, attendance, feedback ratings, follow-up answers, meeting registrations) stay
linked to it and reports of past periods do not change. Posts stay and are shown as "gelöschte
Person" without authority (User.get_full_name).

Everything else that names the person goes: their own rows, their free texts, PDFs that print the
name, their contact entries (under their address, and by name within their authority), and every
form of their name, address and phone number in every text, JSON column and stored file name of
every table (`portal/privacy/names.py` knows the forms). The first name alone may mean someone
else: project staff see where it stands before they confirm and tick what to redact."""

import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import Truncator
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
from portal.privacy.journal import journal_append, journal_entries
from portal.privacy.models import EventKind, SecurityEvent
from portal.privacy.names import (
    REPLACEMENT,
    NameMatcher,
    contacts_of,
    excerpt,
    matcher_for,
    matcher_for_contact,
    row_key,
    rows_naming,
    strings_in,
    transform,
)
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

logger = logging.getLogger("portal.security")

__all__ = [
    "REPLACEMENT",
    "contacts_erase",
    "erasure_remaining",
    "journal_apply",
    "person_erase",
    "plans_naming",
]


def erased_email(user_id: int) -> str:
    return f"geloescht-{user_id}@invalid"


@transaction.atomic
def person_erase(*, user, by=None, reason: str = "request", request=None, redact: Iterable[str] = ()):
    """Erase one person; `by` is the project-staff member who asked (None for the retention task).
    `redact` names the places (`names.row_key`) where the first name alone is to go as well, as
    ticked on the confirmation page (`erasure_remaining`).

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
    contacts = contacts_of(person)
    matcher = matcher_for(person, contacts=contacts)

    sessions_end(person)
    _release_future_places(person, by)
    _delete_own_rows(person, contacts)
    _blank_free_text(person)
    _drop_documents(person, matcher)
    _scrub_text_everywhere(matcher, exclude={User}, redact=set(redact))

    # Pseudonymised: authority and role stay (the figures count by them), nothing names the person.
    person.first_name = ""
    person.last_name = ""
    person.email = erased_email(person.pk)
    person.set_unusable_password()
    person.is_active = False
    person.is_staff = False
    person.is_superuser = False
    person.is_coordinator = False
    person.erased_at = timezone.now()
    person.save()
    # Outside the database, so that a restored backup is erased again (portal/privacy/journal.py).
    transaction.on_commit(partial(journal_append, account=person.pk, day=timezone.localdate()))
    record(
        EventKind.ERASURE,
        request=request,
        user=by,
        details={"person_id": person.pk, "reason": reason},
    )
    return person


def journal_apply(path: Path | None = None) -> list[int]:
    """Erase again every account of the journal that the (restored) database still holds unerased;
    returns their numbers. Accounts the database does not know (made after the backup) are skipped."""
    entries = journal_entries(path)
    pending = get_user_model().objects.filter(pk__in=entries, erased_at__isnull=True)
    done = []
    for pk in pending.values_list("pk", flat=True).order_by("pk"):
        person_erase(user=get_user_model()(pk=pk), by=None, reason="journal")
        done.append(pk)
    if done:
        logger.info("erasure_journal_applied accounts=%s", ",".join(map(str, done)))
    return done


@transaction.atomic
def contacts_erase(*, contacts) -> int:
    """Delete contact persons of authorities, and every form of their name, address and phone from
    every text (history of the authority, measures, minutes, …). Returns how many were deleted."""
    contacts = list(contacts)
    pks = [c.pk for c in contacts]
    for contact in contacts:
        _scrub_text_everywhere(matcher_for_contact(contact, erased_with=pks), exclude={get_user_model()})
    ContactPerson.objects.filter(pk__in=pks).delete()
    return len(contacts)


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


def _delete_own_rows(person, contacts) -> None:
    """Rows that are the person's alone and feed no figure."""
    CalendarToken.objects.filter(user=person).delete()
    Subscription.objects.filter(user=person).delete()
    ReadMarker.objects.filter(user=person).delete()
    NotificationPreference.objects.filter(user=person).delete()
    person.moderated_networks.clear()
    ContactPerson.objects.filter(pk__in=[c.pk for c in contacts]).delete()
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


def _drop_documents(person, matcher: NameMatcher) -> None:
    """PDFs that print the name: the person's certificates, the sign-in sheets of their course dates
    and the measure plans that name them as coach or responsible (made again on the next request)."""
    certificates = Certificate.objects.filter(enrollment__participant=person).exclude(file="")
    sheets = SignInSheet.objects.filter(course_date__course__enrollments__participant=person).exclude(file="")
    documents: list[RenderedDocument] = [*certificates, *sheets.distinct(), *plans_naming(person, matcher)]
    for document in documents:
        name = document.file.name
        columns = {"file": "", "generated_at": None}  # by name: each subclass declares its `file`
        type(document)._default_manager.filter(pk=document.pk).update(**columns)
        if name:
            transaction.on_commit(partial(document.file.storage.delete, name))


def plans_naming(person, matcher: NameMatcher):
    """The stored measure plans of the processes the person coaches or whose measures name them."""
    candidates = Q(pk__in=[])
    for needle in matcher.needles:
        candidates |= Q(responsible__icontains=needle) | Q(involved__icontains=needle)
    named = [
        m.process_id
        for m in Measure.objects.filter(candidates).only("process_id", "responsible", "involved")
        if matcher.found_in(m.responsible) or matcher.found_in(m.involved)
    ]
    plans = MeasurePlanDocument.objects.filter(Q(process__coach=person) | Q(process__in=named))
    return plans.exclude(file="")


# --- the name and address in every text column ---------------------------------------------------------


def _scrub_text_everywhere(matcher: NameMatcher, *, exclude, redact: Collection[str] = ()) -> int:
    """Replace every identifying form of the person in every text and JSON column and stored file
    name of every table, and the first name alone where `redact` names the place; returns the rows
    changed. Uses `update()`, so `auto_now` fields (which some figures read) keep their dates."""
    changed = 0
    for row in rows_naming(matcher, exclude=exclude, ambiguous=bool(redact)):
        values = {}
        for column, old in row.values.items():
            function = matcher.redact if row_key(row.model, row.pk, column) in redact else matcher.replace
            if isinstance(column, models.EmailField):
                new = "" if old and function(old) != old else old
            elif isinstance(column, models.FileField):
                new = _rename_stored_file(row.model, row.pk, column, old, function(old)) if old else old
            else:
                new = transform(old, function)
                if isinstance(new, str) and getattr(column, "max_length", None):
                    new = new[: column.max_length]
            if new != old:
                values[column.attname] = new
        if values:
            row.model._default_manager.filter(pk=row.pk).update(**values)
            changed += 1
    return changed


def _rename_stored_file(model, pk, column: models.FileField, old: str, scrubbed: str) -> str:
    """A stored file whose name names the person is copied to a name that does not (the old one goes
    after the commit). The portal's own uploads have random names; this is for any that do not."""
    if scrubbed == old:
        return old
    storage = column.storage
    target = column.generate_filename(model(pk=pk), PurePosixPath(scrubbed).name)
    if not storage.exists(old):
        return target
    with storage.open(old, "rb") as content:
        new = storage.save(target, content)
    transaction.on_commit(partial(storage.delete, old))
    return new


@dataclass
class Remaining:
    """A place where the first name alone (or a surname others share) stays after the erasure."""

    key: str
    where: str
    column: str
    before: str
    match: str
    after: str
    count: int
    own: bool  # in a row of the person (their post, …): ticked in advance


# At most this many places are listed; an erasure that finds more is still possible, the rest stays.
REMAINING_LIMIT = 200


def erasure_remaining(person) -> list[Remaining]:
    """Where the first name alone stands once the erasure has replaced the identifying forms, outside
    the rows the erasure deletes or blanks anyway: for the confirmation page."""
    User = get_user_model()
    contacts = contacts_of(person)
    matcher = matcher_for(person, contacts=contacts)
    going = _rows_going(person, contacts)
    remaining: list[Remaining] = []
    for row in rows_naming(matcher, exclude={User}):
        if row.pk in going.get(row.model, ()):
            continue
        obj = row.model._default_manager.filter(pk=row.pk).first()
        own = obj is not None and any(
            getattr(obj, f.attname) == person.pk
            for f in row.model._meta.concrete_fields
            if f.is_relation and f.related_model is User
        )
        for column, value in row.values.items():
            places = [
                (matcher.replace(text), matches)
                for text in strings_in(value)
                if (matches := matcher.ambiguous_matches(text))
            ]
            if not places:
                continue
            text, matches = places[0]
            before, match, after = excerpt(text, matches[0].start(), matches[0].end())
            remaining.append(
                Remaining(
                    key=row_key(row.model, row.pk, column),
                    where=_where(row.model, row.pk, obj, matcher),
                    column=str(column.verbose_name),
                    before=before,
                    match=match,
                    after=after,
                    count=sum(len(m) for _, m in places),
                    own=own,
                )
            )
            if len(remaining) >= REMAINING_LIMIT:
                return remaining
    return remaining


def _where(model, pk, obj, matcher: NameMatcher) -> str:
    """ "Beitrag Nr. 4 in „Terminvergabe online“", "Dokument „Willkommenspaket“": the row and what it
    belongs to, as its page names it (with the person's name already replaced)."""
    label = f"{model._meta.verbose_name} Nr. {pk}"
    if obj is None:
        return label
    if hasattr(obj, "get_absolute_url"):
        return f"{model._meta.verbose_name} „{Truncator(matcher.replace(str(obj))).chars(60)}“"
    for field in model._meta.concrete_fields:
        related = field.related_model if field.is_relation else None
        if related is not None and related is not get_user_model() and hasattr(related, "get_absolute_url"):
            parent = getattr(obj, field.name)
            if parent is not None:
                return f"{label} in „{Truncator(matcher.replace(str(parent))).chars(60)}“"
    return label


def _rows_going(person, contacts) -> dict[type[models.Model], set]:
    """The rows the erasure deletes or blanks anyway: no need to ask about them."""
    going: dict[type[models.Model], set] = {
        Feedback: set(Feedback.objects.filter(enrollment__participant=person).values_list("pk", flat=True)),
        FollowUpAnswer: set(
            FollowUpAnswer.objects.filter(enrollment__participant=person).values_list("pk", flat=True)
        ),
        Notification: set(Notification.objects.filter(recipient=person).values_list("pk", flat=True)),
        ContactPerson: {c.pk for c in contacts},
    }
    for model in _models_with_user_fk(app_prefixes=("otp_",)):
        going[model] = set(model.objects.filter(user=person).values_list("pk", flat=True))
    return going


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
        "Die Löschung kann nicht rückgängig gemacht werden. Name, E-Mail-Adresse, Passwort, "
        "Kontakteinträge, Freitexte in Rückmeldungen, gespeicherte E-Mails, Bescheinigungen und "
        "Abonnements der Person werden gelöscht; ihr Name in jeder Schreibweise, ihre E-Mail-Adressen "
        "und Telefonnummern werden in allen Texten und Dateinamen des Portals durch „gelöschte Person“ "
        "ersetzt. Das Konto wird pseudonymisiert, nicht anonymisiert: Es bleibt ohne Namen, aber mit "
        "Behörde und Rolle erhalten, damit die Zahlen der Berichte gleich bleiben; es wird deaktiviert "
        "und alle Sitzungen werden beendet. Anmeldungen, Anwesenheiten und Bewertungen bleiben an diesem "
        "Konto, Beiträge in Diskussionen erscheinen als „gelöschte Person“ ohne Behörde."
    )
