"""A person with traces in every corner of the portal, for the export and erasure tests: Maria Mainzer
of Stadt Mainz, named by others in every way the data-protection audit found (issue 19)."""

from datetime import date, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from authorities.models import (
    Consultation,
    ContactPerson,
    HistoryAction,
    HistoryEntry,
    MeasurePlanDocument,
    MeasureStatus,
    PhaseTransition,
)
from network.models import Document, Post, ReadMarker, Subscription, SubscriptionMode, Thread
from portal.notifications.models import DeliveryMode, Notification, NotificationPreference
from portal.privacy.models import EventKind, SecurityEvent
from portal.reports.models import ProgressReport, ReportingPeriod
from tests.factories import (
    ChangeProcessFactory,
    CourseDateFactory,
    CourseFactory,
    EnrollmentFactory,
    GoalFactory,
    MeasureFactory,
    MeetingFactory,
    MeetingRegistrationFactory,
    MinutesFactory,
    MinutesItemFactory,
    NetworkFactory,
    UserFactory,
)
from training.models import (
    Attendance,
    CalendarToken,
    Certificate,
    Feedback,
    FollowUpAnswer,
    SignInSheet,
    UsesLearning,
)

FIRST, LAST = "Maria", "Mainzer"
FULL = f"{FIRST} {LAST}"
EMAIL = "maria.mainzer@mainz.example.org"
PHONE = "06131 987654"  # on her contact entry: accounts have no phone number
# The same person as a contact of her authority under another address (found by name).
OTHER_EMAIL = "m.mainzer@stadt-mainz.example.org"
OTHER_PHONE = "06131 123456"
CERTIFICATE_NAME = "teilnahmebescheinigung-mainzer-maria-grundlagen-willkommenskultur.pdf"
LIBRARY_NAME = "Willkommenspaket_Maria_Mainzer.pdf"


def past(days: int):
    return (timezone.now() - timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0)


def attend(person, course, *, usefulness, comments="", example=""):
    enrollment = EnrollmentFactory(course=course, participant=person)
    for course_date in course.dates.all():
        Attendance.objects.create(enrollment=enrollment, course_date=course_date, present=True)
    Feedback.objects.create(
        enrollment=enrollment, usefulness=usefulness, comments=comments, will_apply=comments
    )
    FollowUpAnswer.objects.create(enrollment=enrollment, uses_learning=UsesLearning.YES, example=example)
    return enrollment


def build(*, mainz, project_staff, colleague):
    """The person (authority staff of `mainz`) and what they and others left in the portal."""
    person = UserFactory(authority=mainz, email=EMAIL, first_name=FIRST, last_name=LAST)

    # Training: a course attended (feedback, certificate, sign-in sheet), one cancelled with a reason.
    course = CourseFactory(dates=None, status="completed", title="Grundlagen Willkommenskultur")
    first_date = CourseDateFactory(course=course, starts_at=past(40), ends_at=past(40) + timedelta(hours=6))
    CourseDateFactory(course=course, starts_at=past(39), ends_at=past(39) + timedelta(hours=6))
    enrollment = attend(
        person, course, usefulness=5, comments=f"Sehr gut. {FULL}", example="Beratung am Schalter"
    )
    attend(colleague, course, usefulness=3, comments="Zu lang")
    certificate = Certificate.objects.create(enrollment=enrollment, generated_at=timezone.now())
    certificate.file.save("x.pdf", ContentFile(f"%PDF {FULL}".encode()), save=True)
    sheet = SignInSheet.objects.create(course_date=first_date, generated_at=timezone.now())
    sheet.file.save("x.pdf", ContentFile(f"%PDF {FULL}".encode()), save=True)
    EnrollmentFactory(
        participant=person,
        status="cancelled",
        cancelled_at=past(3),
        cancelled_by=project_staff,
        cancellation_reason="Frau Mainzer ist erkrankt (Korrektur durch das Projektteam).",
    )

    # Network: moderates, registered for a past meeting (and cancelled one), named in the minutes.
    network = NetworkFactory(members=[mainz], moderators=[person])
    meeting = MeetingFactory(
        network=network,
        starts_at=past(20),
        ends_at=past(20) + timedelta(hours=3),
        registration_deadline=past(27),
        agenda="1. Begrüßung\n2. Bericht von Maria M. (Stadt Mainz)",
    )
    MeetingRegistrationFactory(meeting=meeting, participant=person, attended=True)
    MeetingRegistrationFactory(meeting=meeting, participant=colleague, attended=True)
    MeetingRegistrationFactory(
        meeting=MeetingFactory(network=network, starts_at=past(60), ends_at=past(60) + timedelta(hours=3)),
        participant=person,
        status="cancelled",
        cancelled_at=past(61),
        cancellation_reason="Frau Mainzer hat sich telefonisch abgemeldet.",
    )
    minutes = MinutesFactory(meeting=meeting)
    MinutesItemFactory(minutes=minutes, responsible_person=FULL, done_on=past(10).date())
    MinutesItemFactory(
        minutes=minutes,
        kind="information",
        text="Frau Mainzer stellt die Checkliste vor.",
        responsible_person="Maria M.",
    )

    # Discussions: her posts signed with the full name and with the first name alone; others thank her.
    thread = Thread.objects.create(
        network=network, title="Terminvergabe online", created_by=person, last_post_at=timezone.now()
    )
    Post.objects.create(thread=thread, author=person, body=f"Unsere Erfahrungen.\n\nViele Grüße\n{FULL}")
    Post.objects.create(thread=thread, author=person, body="Nachtrag: die Liste hängt an.\n\nMaria")
    Post.objects.create(thread=thread, author=colleague, body=f"Danke, ich schreibe Ihnen an {EMAIL}.")
    Post.objects.create(
        thread=thread, author=project_staff, body="Danke Maria! Frau Mainzer hat das sehr gut erklärt."
    )
    Subscription.objects.create(user=person, network=network, mode=SubscriptionMode.DIGEST)
    ReadMarker.objects.create(user=person, thread=thread, read_at=timezone.now())
    NotificationPreference.objects.create(user=person, kind="network.post", mode=DeliveryMode.DIGEST)
    CalendarToken.objects.create(user=person)

    # Library: her upload, and a document of the project team with her name in the file name.
    Document.objects.create(
        title="Checkliste Empfang",
        description="Zusammengestellt aus den Erfahrungen am Schalter.",
        category="checklist",
        file="bibliothek/abc",
        original_name="checkliste.pdf",
        content_type="application/pdf",
        size=10,
        uploaded_by=person,
    )
    Document.objects.create(
        title="Willkommenspaket",
        description="Das Paket, das Frau Mainzer für neue Kolleginnen und Kollegen gepackt hat.",
        category="checklist",
        file="bibliothek/def",
        original_name=LIBRARY_NAME,
        content_type="application/pdf",
        size=10,
        uploaded_by=project_staff,
    )

    # Mails: to her (sent and failed), and one to a colleague that names her.
    user_type = ContentType.objects.get_for_model(person)
    Notification.objects.create(
        recipient=person,
        kind="training.enrollment_confirmed",
        object_type=user_type,
        object_id=person.pk,
        status="sent",
        payload={"to": [EMAIL], "subject": "Anmeldung bestätigt", "body": f"Guten Tag {FULL},"},
    )
    Notification.objects.create(
        recipient=person,
        kind="training.course_reminder",
        object_type=user_type,
        object_id=person.pk,
        status="failed",
        payload={"to": [EMAIL], "subject": "Erinnerung", "body": f"Guten Tag {FULL},"},
    )
    Notification.objects.create(
        recipient=colleague,
        kind="network.post",
        object_type=user_type,
        object_id=colleague.pk,
        status="sent",
        payload={"to": [colleague.email], "body": f"{FULL} hat geschrieben: Grüße"},
    )

    # Change process of her authority: measures, consultations, goals, phases, the plan PDF, history.
    process = ChangeProcessFactory(authority=mainz, coach=project_staff)
    MeasureFactory(process=process, responsible=FULL, status=MeasureStatus.DONE, due_on=past(5).date())
    MeasureFactory(process=process, responsible="Maria M.", involved="Frau Mainzer, Bürgerbüro")
    GoalFactory(process=process, description="Frau Mainzer übernimmt die Steuerung.")
    PhaseTransition.objects.create(
        process=process, from_phase=1, to_phase=2, reason="Abgestimmt mit M. Mainzer.", by=project_staff
    )
    Consultation.objects.create(
        process=process,
        held_on=past(12).date(),
        format="on_site",
        participants="Maria M. (Stadt Mainz), Coach",
        topics="Frau Mainzer berichtet vom Aufrufsystem.",
        next_steps=f"Rückruf unter {OTHER_PHONE.replace(' ', '/')}.",
        created_by=project_staff,
    )
    plan = MeasurePlanDocument.objects.create(process=process, generated_at=timezone.now())
    plan.file.save("plan.pdf", ContentFile(f"%PDF {FULL}".encode()), save=True)
    ContactPerson.objects.create(authority=mainz, name=FULL, function="contact", email=EMAIL, phone=PHONE)
    ContactPerson.objects.create(
        authority=mainz, name=f"{LAST}, {FIRST}", function="head", email=OTHER_EMAIL, phone=OTHER_PHONE
    )
    HistoryEntry.objects.create(
        authority=mainz,
        actor=project_staff,
        action=HistoryAction.CONTACT_ADDED,
        subject=FULL,
        changes=[{"field": "name", "old": "", "new": FULL}, {"field": "email", "old": "", "new": EMAIL}],
    )
    HistoryEntry.objects.create(
        authority=mainz,
        actor=project_staff,
        action=HistoryAction.CONTACT_UPDATED,
        subject="Frau Mainzer",
        changes=[{"field": "phone", "old": "", "new": OTHER_PHONE}],
    )

    # The narrative of a report (project staff write it; a person can be named there too).
    period = ReportingPeriod.objects.create(
        title="1. Halbjahr",
        kind="interim",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 6, 30),
        due_on=date(2026, 7, 31),
    )
    ProgressReport.objects.create(period=period, activities="Hospitation bei Frau Mainzer (Stadt Mainz).")

    # Logs: logins, a failed one, the lockout's records, the admin, an export of her certificate.
    SecurityEvent.objects.create(kind=EventKind.LOGIN_FAILED, email=EMAIL, ip="127.0.0.1")
    SecurityEvent.objects.create(kind=EventKind.LOGIN, user=person, user_ref=person.pk, ip="127.0.0.1")
    SecurityEvent.objects.create(
        kind=EventKind.EXPORT,
        user=project_staff,
        user_ref=project_staff.pk,
        ip="127.0.0.1",
        details={"file": CERTIFICATE_NAME, "type": "application/pdf"},
    )
    AccessAttempt.objects.create(
        username=EMAIL, ip_address="127.0.0.1", user_agent="x", failures_since_start=1
    )
    AccessFailureLog.objects.create(username=EMAIL, ip_address="127.0.0.1", user_agent="x")
    AccessLog.objects.create(username=EMAIL, ip_address="127.0.0.1", user_agent="Firefox")
    LogEntry.objects.log_actions(
        user_id=project_staff.pk, queryset=[person], action_flag=CHANGE, change_message=f"{FULL} geändert"
    )
    totp = TOTPDevice.objects.create(user=person, name=f"Smartphone von {FULL}", confirmed=True)
    StaticDevice.objects.create(user=person, name="Wiederherstellungscodes").token_set.create(
        token="abcd1234"
    )
    assert totp.pk
    return person
