"""A walk over every URL of the portal with real objects behind its path parameters, for the checks that
hold on every page (security headers, form fuzzing).

The world is the demo (`seed_demo`: authorities, processes, courses, networks, discussions, library) plus
the few objects the demo has no reason to make (a failed mail, a reporting period, an open invitation,
a calendar link). Each role is one of the demo accounts; `anonymous` is nobody.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from authorities import tasks as authorities_tasks
from authorities.models import ChangeProcess, MeasureTemplate, ProcessStatusChange, StaffWave, SurveyWave
from authorities.selectors.assessment import active_questionnaire
from authorities.services import overview as authorities_overview
from network.models import Document, Meeting, Minutes, Network, Post, Thread
from portal.accounts.models import User
from portal.notifications.models import Notification, NotificationStatus
from portal.reports.models import (
    Expenditure,
    FundingProject,
    FundingSource,
    PeriodKind,
    ReportingPeriod,
    WorkPackage,
)
from tests.factories import UserFactory
from training import tasks as training_tasks
from training.models import CalendarToken, Certificate, Course, Enrollment, SignInSheet

# Where a converter in a route gets its value from: the pk of an existing object or a dummy string.
CONVERTER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
# Regex routes of the admin, each with a concrete stand-in.
REGEX_ROUTES = {
    r"^(?P<app_label>": "authorities/",
    r"(?P<url>.*)$": "gibt-es-nicht/",
}


def _patterns(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}".strip(":") if entry.namespace else namespace
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}".strip(":") if entry.name else f"{namespace}:<unnamed>"
            yield prefix + str(entry.pattern), name, entry


# Every route of the resolver as (route, name, pattern), for this walk, test_url_auth and test_bounds.
ALL_PATTERNS = list(_patterns(get_resolver().url_patterns))


ROLES = {
    "anonymous": None,
    "project_staff": "projekt@example.org",
    "coordinator": "mainz@example.org",  # coordinator of Stadt Mainz
    "member": "hannover@example.org",  # authority staff of Region Hannover
    "funder": "foerderung@example.org",
}

# Views that change something on GET would change the world under the walk: there are none (a test
# below would find them), but log-out ends the session of the client that asks.
SKIP = {"accounts:logout", "set_language"}


@dataclass
class World:
    users: dict
    values: dict = field(default_factory=dict)  # route name -> {parameter: value}

    def client(self, role: str) -> Client:
        client = Client()
        if self.users[role] is not None:
            client.force_login(self.users[role])
        return client

    def path(self, route: str, name: str) -> str:
        for regex, stand_in in REGEX_ROUTES.items():
            if regex in route:
                return "/" + route[: route.index(regex)] + stand_in
        values = self.values_for(name)

        def fill(match):
            converter, param = match["converter"] or "str", match["name"]
            if param in values:
                return str(values[param])
            return "1" if converter in {"int", "id", "path"} else "abc"

        return "/" + CONVERTER.sub(fill, route)

    def values_for(self, name: str) -> dict:
        namespace = name.split(":")[0]
        values = dict(self.values.get(namespace, {}))
        for prefix, overrides in self.values.items():
            if ":" in prefix and name.startswith(prefix):
                values.update(overrides)
        return values


def pages():
    """(route, name) of every GET-able URL pattern, the admin's included."""
    return [(route, name) for route, name, _pattern in ALL_PATTERNS if name not in SKIP]


def build_world() -> World:
    call_command("seed_demo", verbosity=0)
    users = {role: User.objects.get(email=email) if email else None for role, email in ROLES.items()}
    coordinator = users["coordinator"]
    mainz = coordinator.authority

    process = ChangeProcess.objects.filter(authority=mainz).first() or ChangeProcess.objects.first()
    authority = process.authority if process else mainz
    contact = authority.contacts.first()

    # Someone of Mainz who attended a course: certificate, feedback and follow-up pages exist for them.
    # The coordinator's own: a course attended, so certificate, feedback and follow-up pages are theirs.
    enrollment = (
        Enrollment.objects.filter(participant__authority=mainz, attendances__present=True)
        .exclude(course__in=Enrollment.objects.filter(participant=coordinator).values("course"))
        .first()
    )
    if enrollment is not None:
        Enrollment.objects.filter(pk=enrollment.pk).update(participant=coordinator, enrolled_by=coordinator)
        enrollment.refresh_from_db()
    course = enrollment.course if enrollment else Course.objects.filter(dates__isnull=False).first()

    minutes = Minutes.objects.filter(items__isnull=False, meeting__network__members=mainz).first()
    meeting = minutes.meeting if minutes else Meeting.objects.filter(network__members=mainz).first()
    network = meeting.network if meeting else Network.objects.first()
    thread = Thread.objects.filter(network=network).first()
    # A fresh post of the coordinator's own: still editable.
    post = (
        Post.objects.create(thread=thread, author=coordinator, body="Danke für die Unterlagen.")
        if thread
        else None
    )
    registration = meeting.registrations.first() if meeting else None

    period = ReportingPeriod.objects.first() or ReportingPeriod.objects.create(
        title="Zwischenbericht 2026",
        kind=PeriodKind.INTERIM,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 6, 30),
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )
    # Report versions (the PDF of a period) arrive with their own feature; the walk takes one if it can.
    version = (
        period.versions.create(number=1, requested_by=users["project_staff"])
        if hasattr(period, "versions")
        else None
    )
    # An expenditure with a receipt file, as project staff upload it (the demo's have none).
    expenditure = Expenditure.objects.order_by("number").first()
    if expenditure is not None and not expenditure.receipt:
        expenditure.receipt.save("beleg.pdf", ContentFile(b"%PDF-1.4 Beleg"), save=False)
        Expenditure.objects.filter(pk=expenditure.pk).update(
            receipt=expenditure.receipt.name, receipt_name="beleg.pdf", receipt_type="application/pdf"
        )
    failed = Notification.objects.create(
        status=NotificationStatus.FAILED,
        recipient=coordinator,
        payload={"to": [coordinator.email], "subject": "Erinnerung", "body": "Text"},
        attempts=3,
        last_error="Verbindung abgelehnt",
    )
    invited = UserFactory(email="eingeladen@mainz.example.org", authority=mainz, password=None)
    token, _created = CalendarToken.objects.get_or_create(user=coordinator)

    # One of each PDF, rendered here as the worker would (the walk downloads them).
    staff = users["project_staff"]
    if enrollment is not None:
        certificate = Certificate.objects.create(enrollment=enrollment, requested_by=staff)
        training_tasks.render_certificate(certificate.pk)
    if course is not None and course.dates.exists():
        sheet = SignInSheet.objects.create(course_date=course.dates.first(), requested_by=staff)
        training_tasks.render_sign_in_sheet(sheet.pk)
    if process is not None:
        # (The request's own delay_on_commit never fires: the test's transaction is not committed.)
        document = authorities_overview.measure_plan_request(process=process, by=staff)
        authorities_tasks.render_measure_plan(document.pk)

    def pk(obj):
        return obj.pk if obj is not None else 1

    # The demo's running customer wave (Mainz's follow-up) and one of its comments.
    wave = SurveyWave.objects.filter(authority=authority).order_by("-opens_on").first()
    comment = wave.comments.first() if wave is not None else None
    # A staff-survey wave of the same authority (the demo opens none).
    staff_wave = StaffWave.objects.create(
        authority=authority,
        questionnaire=active_questionnaire(),
        opens_on=timezone.localdate(),
        closes_on=timezone.localdate() + dt.timedelta(days=21),
    )

    # A guessed day of the process's status (the demo's processes never changed theirs).
    process_fact = (
        ProcessStatusChange.objects.create(
            process=process, from_status="paused", to_status="active", day=process.started_on, guessed=True
        )
        if process
        else None
    )

    values = {
        "accounts": {"pk": invited.pk, "uidb64": "MQ", "token": "abc-def"},
        "notifications": {"pk": failed.pk},
        "privacy": {"pk": invited.pk},
        "authorities": {
            "pk": authority.pk,
            "contact_pk": pk(contact),
            "process_pk": pk(process),
            "goal_pk": pk(process and process.goals.first()),
            "measure_pk": pk(process and process.measures.first()),
            "milestone_pk": pk(process and process.milestones.first()),
            "template_pk": pk(MeasureTemplate.objects.first()),
            "wave_pk": pk(wave),
            "size": "a4",
            "comment_pk": comment.pk if comment is not None else "00000000-0000-0000-0000-000000000000",
        },
        "authorities:staff_": {"pk": authority.pk, "wave_pk": staff_wave.pk},
        "authorities:status_correct": {"change_pk": pk(authority.status_changes.first())},
        "authorities:process_status_correct": {"change_pk": pk(process_fact)},
        "authorities:done_on_correct": {
            "measure_pk": pk(process and process.measures.filter(done_on__isnull=False).first())
        },
        "survey": {"key": wave.key if wave is not None else "-", "language": "ar"},
        "training": {
            "pk": pk(course),
            "date_pk": pk(course and course.dates.first()),
            "enrollment_pk": pk(enrollment),
            "token": token.token,
        },
        "network": {
            "pk": pk(network),
            "meeting_pk": pk(meeting),
            "registration_pk": pk(registration),
            "item_pk": pk(minutes and minutes.items.first()),
            "thread_pk": pk(post and post.thread),
            "post_pk": pk(post),
        },
        "network:document": {"pk": pk(Document.objects.first())},
        "reports": {"pk": period.pk},
        "reports:version_": {"pk": pk(version)},
        "admin": {"object_id": authority.pk},
        "finance": {
            "pk": pk(expenditure),
            "project_pk": pk(FundingProject.objects.filter(is_current=True).first()),
        },
        "finance:source_": {"pk": pk(FundingSource.objects.first())},
        "finance:work_package_": {"pk": pk(WorkPackage.objects.first())},
    }
    return World(users=users, values=values)
