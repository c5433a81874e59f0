"""A person with traces in every corner of the portal, for the export and erasure tests."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from authorities.models import (
    ContactPerson,
    HistoryAction,
    HistoryEntry,
    MeasurePlanDocument,
    MeasureStatus,
)
from network.models import Document, Post, ReadMarker, Subscription, SubscriptionMode, Thread
from portal.notifications.models import DeliveryMode, Notification, NotificationPreference
from portal.privacy.models import EventKind, SecurityEvent
from tests.factories import (
    ChangeProcessFactory,
    CourseDateFactory,
    CourseFactory,
    EnrollmentFactory,
    MeasureFactory,
    MeetingFactory,
    MeetingRegistrationFactory,
    MinutesFactory,
    MinutesItemFactory,
    NetworkFactory,
    UserFactory,
)
from training.models import Attendance, CalendarToken, Certificate, Feedback, FollowUpAnswer, UsesLearning

FIRST, LAST = "Zyprian", "Quastenberg"
FULL = f"{FIRST} {LAST}"
EMAIL = "zyprian.quastenberg@mainz.example.org"
PHONE = "06131 987654"


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
    person = UserFactory(authority=mainz, email=EMAIL, first_name=FIRST, last_name=LAST, phone=PHONE)

    course = CourseFactory(dates=None, status="completed")
    CourseDateFactory(course=course, starts_at=past(40), ends_at=past(40) + timedelta(hours=6))
    CourseDateFactory(course=course, starts_at=past(39), ends_at=past(39) + timedelta(hours=6))
    enrollment = attend(
        person, course, usefulness=5, comments=f"Sehr gut. {FULL}", example="Beratung am Schalter"
    )
    attend(colleague, course, usefulness=3, comments="Zu lang")
    certificate = Certificate.objects.create(enrollment=enrollment, generated_at=timezone.now())
    certificate.file.save("x.pdf", ContentFile(f"%PDF {FULL}".encode()), save=True)

    network = NetworkFactory(members=[mainz], moderators=[person])
    meeting = MeetingFactory(
        network=network,
        starts_at=past(20),
        ends_at=past(20) + timedelta(hours=3),
        registration_deadline=past(27),
    )
    MeetingRegistrationFactory(meeting=meeting, participant=person, attended=True)
    MeetingRegistrationFactory(meeting=meeting, participant=colleague, attended=True)
    MinutesItemFactory(
        minutes=MinutesFactory(meeting=meeting), responsible_person=FULL, done_on=past(10).date()
    )

    thread = Thread.objects.create(
        network=network, title="Terminvergabe online", created_by=person, last_post_at=timezone.now()
    )
    Post.objects.create(thread=thread, author=person, body=f"Unsere Erfahrungen.\n\nViele Grüße\n{FULL}")
    Post.objects.create(thread=thread, author=colleague, body=f"Danke, ich schreibe Ihnen an {EMAIL}.")
    Subscription.objects.create(user=person, network=network, mode=SubscriptionMode.DIGEST)
    ReadMarker.objects.create(user=person, thread=thread, read_at=timezone.now())
    NotificationPreference.objects.create(user=person, kind="network.post", mode=DeliveryMode.DIGEST)
    CalendarToken.objects.create(user=person)
    Document.objects.create(
        title="Checkliste Empfang",
        category="checklist",
        file="bibliothek/abc",
        original_name="checkliste.pdf",
        content_type="application/pdf",
        size=10,
        uploaded_by=person,
    )

    user_type = ContentType.objects.get_for_model(person)
    Notification.objects.create(
        recipient=person,
        kind="training.enrollment_confirmed",
        object_type=user_type,
        object_id=person.pk,
        status="sent",
        payload={"to": [EMAIL], "subject": "Anmeldung", "body": f"Guten Tag {FULL},"},
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

    process = ChangeProcessFactory(authority=mainz, coach=project_staff)
    MeasureFactory(process=process, responsible=FULL, status=MeasureStatus.DONE, due_on=past(5).date())
    plan = MeasurePlanDocument.objects.create(process=process, generated_at=timezone.now())
    plan.file.save("plan.pdf", ContentFile(f"%PDF {FULL}".encode()), save=True)
    ContactPerson.objects.create(authority=mainz, name=FULL, function="contact", email=EMAIL, phone=PHONE)
    HistoryEntry.objects.create(
        authority=mainz,
        actor=project_staff,
        action=HistoryAction.CONTACT_ADDED,
        subject=FULL,
        changes=[{"field": "name", "old": "", "new": FULL}, {"field": "email", "old": "", "new": EMAIL}],
    )
    SecurityEvent.objects.create(kind=EventKind.LOGIN_FAILED, email=EMAIL, ip="127.0.0.1")
    SecurityEvent.objects.create(kind=EventKind.LOGIN, user=person, user_ref=person.pk, ip="127.0.0.1")
    AccessAttempt.objects.create(
        username=EMAIL, ip_address="127.0.0.1", user_agent="x", failures_since_start=1
    )
    LogEntry.objects.log_actions(
        user_id=project_staff.pk, queryset=[person], action_flag=CHANGE, change_message=f"{FULL} geändert"
    )
    totp = TOTPDevice.objects.create(user=person, name=f"Smartphone von {FULL}", confirmed=True)
    StaticDevice.objects.create(user=person, name="Wiederherstellungscodes").token_set.create(
        token="abcd1234"
    )
    assert totp.pk
    return person
