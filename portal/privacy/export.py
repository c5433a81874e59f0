"""Everything the portal holds about one person, as a JSON-ready dict (DSGVO Art. 15 and 20).

One function per category, each reading the rows that belong to the person; `collect` puts them
together. A new model with personal data gets its category here. What others wrote about the person
(posts, minutes, measures, consultations, history, mails, logs) is found by the erasure's name
matcher (`portal/privacy/names.py`) in every text column of every table: `mentions` lists each place
with the passage that names them.
"""

import json
from typing import Any

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from authorities.models import AssessmentRound, ChangeProcess, Consultation, HistoryEntry
from network.models import (
    Document,
    DocumentDownload,
    MeetingRegistration,
    Post,
    ReadMarker,
    Subscription,
    Thread,
)
from portal.notifications.models import Notification, NotificationPreference
from portal.privacy.erasure import plans_naming
from portal.privacy.models import SecurityEvent
from portal.privacy.names import NameMatcher, contacts_of, excerpt, matcher_for, rows_naming, strings_in
from training.models import Attendance, CalendarToken, Enrollment, EnrollmentStatus, SignInSheet


def _profile(user) -> dict:
    return {
        "id": user.pk,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": user.role,
        "authority": str(user.authority) if user.authority_id else None,
        "is_coordinator": user.is_coordinator,
        "language": user.language,
        "is_active": user.is_active,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "invited_at": user.invited_at,
        "calendar_feed_active": CalendarToken.objects.filter(user=user).exists(),
        "moderated_networks": list(user.moderated_networks.order_by("name").values_list("name", flat=True)),
    }


def _enrollments(user) -> list[dict]:
    enrollments = (
        Enrollment.objects.filter(participant=user)
        .select_related("course", "feedback", "follow_up", "certificate")
        .order_by("created_at", "pk")
    )
    attendance: dict[int, list[dict[str, Any]]] = {}
    for row in Attendance.objects.filter(enrollment__participant=user).select_related("course_date"):
        attendance.setdefault(row.enrollment_id, []).append(
            {"course_date": row.course_date.starts_at, "present": row.present}
        )
    result = []
    for enrollment in enrollments:
        feedback = getattr(enrollment, "feedback", None)
        follow_up = getattr(enrollment, "follow_up", None)
        certificate = getattr(enrollment, "certificate", None)
        result.append(
            {
                "course": enrollment.course.title,
                "course_id": enrollment.course_id,
                "status": enrollment.status,
                "waitlist_position": enrollment.waitlist_position,
                "enrolled_at": enrollment.created_at,
                "confirmed_at": enrollment.confirmed_at,
                "cancelled_at": enrollment.cancelled_at,
                "cancellation_reason": enrollment.cancellation_reason,
                "attendance": sorted(attendance.get(enrollment.pk, []), key=lambda a: a["course_date"]),
                "feedback": None
                if feedback is None
                else {
                    "usefulness": feedback.usefulness,
                    "will_apply": feedback.will_apply,
                    "comments": feedback.comments,
                    "submitted_at": feedback.submitted_at,
                },
                "follow_up": None
                if follow_up is None
                else {
                    "uses_learning": follow_up.uses_learning,
                    "example": follow_up.example,
                    "answered_at": follow_up.answered_at,
                },
                "certificate_issued_at": certificate.generated_at if certificate else None,
            }
        )
    return result


def _meeting_registrations(user) -> list[dict]:
    registrations = (
        MeetingRegistration.objects.filter(participant=user)
        .select_related("meeting", "meeting__network")
        .order_by("created_at", "pk")
    )
    return [
        {
            "meeting": r.meeting.title,
            "network": r.meeting.network.name,
            "starts_at": r.meeting.starts_at,
            "status": r.status,
            "attended": r.attended,
            "registered_at": r.created_at,
            "cancelled_at": r.cancelled_at,
            "cancellation_reason": r.cancellation_reason,
        }
        for r in registrations
    ]


def _threads(user) -> list[dict]:
    threads = Thread.objects.filter(created_by=user).select_related("network").order_by("created_at", "pk")
    return [{"title": t.title, "network": t.network.name, "created_at": t.created_at} for t in threads]


def _posts(user) -> list[dict]:
    posts = (
        Post.objects.filter(author=user)
        .select_related("thread", "thread__network")
        .order_by("created_at", "pk")
    )
    return [
        {
            "thread": p.thread.title,
            "network": p.thread.network.name,
            "body": p.body,
            "created_at": p.created_at,
            "edited_at": p.edited_at,
            "deleted": p.is_deleted,
        }
        for p in posts
    ]


def _subscriptions(user) -> list[dict]:
    subscriptions = Subscription.objects.filter(user=user).select_related("network", "thread").order_by("pk")
    return [
        {
            "network": s.network.name if s.network else None,
            "thread": s.thread.title if s.thread else None,
            "mode": s.mode,
            "since": s.created_at,
        }
        for s in subscriptions
    ]


def _notification_preferences(user) -> list[dict]:
    return [
        dict(row)
        for row in NotificationPreference.objects.filter(user=user).order_by("kind").values("kind", "mode")
    ]


def _notifications(user) -> list[dict]:
    """What was mailed when, and the content of each mail while the outbox keeps it (subject and
    text; the outbox empties a mail some time after it was sent)."""
    addressed = Notification.objects.alias(_to=Cast("payload", TextField())).filter(_to__icontains=user.email)
    rows = (
        Notification.objects.filter(Q(recipient=user) | Q(pk__in=addressed.values("pk")))
        .order_by("claimed_at", "pk")
        .values("recipient_id", "kind", "occasion", "status", "claimed_at", "sent_at", "payload")
    )
    mails = []
    for row in rows:
        payload = row["payload"] or {}
        addresses = [str(a).lower() for a in payload.get("to", [])]
        if row["recipient_id"] != user.pk and user.email not in addresses:
            continue
        mails.append(
            {
                **{key: row[key] for key in ("kind", "occasion", "status", "claimed_at", "sent_at")},
                "subject": payload.get("subject"),
                "body": payload.get("body"),
            }
        )
    return mails


def _documents(user) -> list[dict]:
    documents = Document.objects.filter(uploaded_by=user).order_by("uploaded_at", "pk")
    return [
        {
            "title": d.title,
            "description": d.description,
            "file_name": d.original_name,
            "size": d.size,
            "uploaded_at": d.uploaded_at,
        }
        for d in documents
    ]


def _library_downloads(user) -> list[dict]:
    # The events behind the library figure: which document on which day (title gone if deleted).
    downloads = DocumentDownload.objects.filter(user=user).select_related("document").order_by("day", "pk")
    return [{"document": d.document.title if d.document else None, "day": d.day} for d in downloads]


def _work_records(user) -> dict:
    """What the person recorded in change processes (as coach, author or filling in the self-check)."""
    return {
        "coached_processes": [
            {"authority": str(p.authority), "started_on": p.started_on, "status": p.status}
            for p in ChangeProcess.objects.filter(coach=user).select_related("authority").order_by("pk")
        ],
        "consultations_documented": list(
            Consultation.objects.filter(created_by=user)
            .order_by("pk")
            .values("process_id", "held_on", "format")
        ),
        "self_checks_completed": list(
            AssessmentRound.objects.filter(completed_by=user).order_by("pk").values("label", "completed_on")
        ),
        "changes_recorded": HistoryEntry.objects.filter(actor=user).count(),
    }


def _read_markers(user) -> list[dict]:
    markers = ReadMarker.objects.filter(user=user).select_related("thread").order_by("read_at", "pk")
    return [{"thread": m.thread.title, "read_until": m.read_at} for m in markers]


def _contact_entries(user, contacts) -> list[dict]:
    """Where an authority names the person as a contact (under their address, or by name within
    their own authority under another one)."""
    return [
        {
            "authority": str(c.authority),
            "function": c.function,
            "name": c.name,
            "email": c.email,
            "phone": c.phone,
        }
        for c in contacts
    ]


def _two_factor_devices(user) -> list[dict]:
    """Which second factors are set up; never the secrets or the recovery codes themselves."""
    devices = []
    for model in apps.get_models():
        if model._meta.app_label.startswith("otp_") and any(f.name == "user" for f in model._meta.fields):
            for device in model._default_manager.filter(user=user).order_by("pk"):
                devices.append(
                    {
                        "type": str(model._meta.verbose_name),
                        "name": getattr(device, "name", ""),
                        "confirmed": getattr(device, "confirmed", None),
                    }
                )
    return devices


def _security_log(user) -> list[dict]:
    # The person's own events and the failed logins under their address, with their details.
    events = SecurityEvent.objects.filter(Q(user=user) | Q(user_ref=user.pk) | Q(email__iexact=user.email))
    rows = events.order_by("at", "pk").values("kind", "at", "ip", "path", "email", "details")
    return [dict(row) for row in rows]


def _login_records(user) -> dict:
    """What the lockout (django-axes) keeps under the person's address: failed attempts (for
    FAILED_LOGIN_DAYS), each failure, and the log of logins and logouts."""
    if not apps.is_installed("axes"):
        return {}
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    common = ["ip_address", "user_agent", "path_info", "attempt_time"]
    return {
        "failed_attempts": list(
            AccessAttempt.objects.filter(username__iexact=user.email)
            .order_by("attempt_time", "pk")
            .values(*common, "failures_since_start")
        ),
        "failures": list(
            AccessFailureLog.objects.filter(username__iexact=user.email)
            .order_by("attempt_time", "pk")
            .values(*common, "locked_out")
        ),
        "logins": list(
            AccessLog.objects.filter(username__iexact=user.email)
            .order_by("attempt_time", "pk")
            .values(*common, "logout_time")
        ),
    }


def _admin_log(user) -> list[dict]:
    """What was done to the account in the Django admin (when, what; not by whom)."""
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(get_user_model()), object_id=str(user.pk)
    ).order_by("action_time", "pk")
    actions = {1: "added", 2: "changed", 3: "deleted"}
    return [
        {
            "at": e.action_time,
            "action": actions.get(e.action_flag, e.action_flag),
            "object": e.object_repr,
            "change": e.get_change_message(),
        }
        for e in entries
    ]


def _documents_naming(user, matcher: NameMatcher) -> dict:
    """Stored PDFs that print the person's name: sign-in sheets of their course dates and measure
    plans that name them (certificates are listed with the enrollments)."""
    sheets = (
        SignInSheet.objects.filter(
            course_date__course__enrollments__participant=user,
            course_date__course__enrollments__status=EnrollmentStatus.CONFIRMED,
        )
        .exclude(file="")
        .select_related("course_date__course")
        .distinct()
        .order_by("course_date__starts_at", "pk")
    )
    plans = plans_naming(user, matcher).select_related("process__authority").order_by("pk")
    return {
        "sign_in_sheets": [
            {"course": s.course_date.course.title, "date": s.course_date.starts_at, "made_at": s.generated_at}
            for s in sheets
        ],
        "measure_plans": [{"authority": str(p.process.authority), "made_at": p.generated_at} for p in plans],
    }


def _mentions(matcher: NameMatcher) -> list[dict]:
    """Every place where the portal names the person (their name in any spelling, their address or
    phone number), with the passages that do: what others wrote about them included."""
    found = []
    for row in rows_naming(matcher, exclude={get_user_model()}, ambiguous=False):
        for column, value in row.values.items():
            passages = [
                "".join(excerpt(text, m.start(), m.end(), width=150))
                for text in strings_in(value)
                for m in (matcher.pattern.finditer(text) if matcher.pattern else [])
            ]
            if passages:
                found.append(
                    {
                        "where": str(row.model._meta.verbose_name),
                        "record": row.pk,
                        "field": str(column.verbose_name),
                        "passages": passages,
                    }
                )
    return found


def collect(user) -> dict:
    contacts = contacts_of(user)
    matcher = matcher_for(user, contacts=contacts)
    return {
        "exported_at": timezone.now(),
        "profile": _profile(user),
        "enrollments": _enrollments(user),
        "meeting_registrations": _meeting_registrations(user),
        "threads": _threads(user),
        "posts": _posts(user),
        "subscriptions": _subscriptions(user),
        "read_markers": _read_markers(user),
        "notification_preferences": _notification_preferences(user),
        "notifications": _notifications(user),
        "documents_uploaded": _documents(user),
        "library_downloads": _library_downloads(user),
        "work_records": _work_records(user),
        "contact_entries": _contact_entries(user, contacts),
        "two_factor_devices": _two_factor_devices(user),
        "security_log": _security_log(user),
        "login_records": _login_records(user),
        "admin_log": _admin_log(user),
        "documents_naming_you": _documents_naming(user, matcher),
        "mentions": _mentions(matcher),
    }


def as_json(user) -> str:
    return json.dumps(collect(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def filename(user) -> str:
    return f"meine-daten-abh-portal-{timezone.localdate():%Y-%m-%d}.json"
