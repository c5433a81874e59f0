"""Accounts and courses of the load test, made afresh before each run (needs Django set up).

The load accounts (behoerde-NNN@, projekt-NNN@, foerderung-NNN@lasttest.example.org) all have the
password of `portal.ops.loadtest.PASSWORD`. Their enrollments and the load courses of an earlier run
are removed, so that every enrollment of a load course belongs to this run.
"""

import secrets
from datetime import timedelta

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.utils import timezone

from authorities.models import Authority
from portal.accounts import backends
from portal.accounts.models import Role, User
from portal.ops import loadtest
from training.models import Course, CourseDate, CourseFormat, CourseStatus, EnrollmentMode, OpenTo, Topic

COURSES = 10
SEATS = 8
# The authority staff work in this many authorities, so that the limit per authority comes into play.
AUTHORITIES = 20
# Every fifth authority staff member and funder logs in through the form (project staff all do).
LOGIN_EVERY = 5


@transaction.atomic
def prepare() -> dict:
    """Create or reset everything the load test needs; returns the plan the locustfile reads."""
    authorities = list(Authority.objects.order_by("pk")[:AUTHORITIES])
    if not authorities:
        raise RuntimeError("Keine Behörden: zuerst seed_demo ausführen.")
    password = make_password(loadtest.PASSWORD)  # one hash for all: Argon2 costs time per account
    plan = {"authority": [], "project": [], "funder": [], "courses": [], "totp": {}, "sessions": {}}

    for number in range(1, loadtest.AUTHORITY_ACCOUNTS + 1):
        user = _account(
            loadtest.email("behoerde", number),
            password,
            role=Role.AUTHORITY_STAFF,
            authority=authorities[number % len(authorities)],
            first_name="Last",
            last_name=f"Behörde {number:03d}",
        )
        plan["authority"].append(user.email)
        _resume_session(plan, user, number)
    for number in range(1, loadtest.PROJECT_ACCOUNTS + 1):
        user = _account(
            loadtest.email("projekt", number), password, role=Role.PROJECT_STAFF,
            first_name="Last", last_name=f"Projekt {number:03d}",
        )  # fmt: skip
        plan["project"].append(user.email)
        key = _second_factor(user)
        if key:
            plan["totp"][user.email] = key
    for number in range(1, loadtest.FUNDER_ACCOUNTS + 1):
        user = _account(
            loadtest.email("foerderung", number), password, role=Role.FUNDER,
            first_name="Last", last_name=f"Förderung {number:03d}",
        )  # fmt: skip
        plan["funder"].append(user.email)
        _resume_session(plan, user, number)

    _forget_failed_logins()
    # Earlier load courses go with their enrollments; the load accounts keep nothing from before.
    Course.objects.filter(title__startswith=loadtest.COURSE_PREFIX).delete()
    staff = User.objects.get(email=plan["project"][0])
    plan["courses"] = [course.pk for course in _courses(by=staff)]
    plan["reports"] = _released_reports(by=staff)
    return plan


def _account(email: str, password: str, **values) -> User:
    user, _created = User.objects.update_or_create(
        email=email, defaults={"password": password, "is_active": True, "language": "de", **values}
    )
    return user


def _resume_session(plan: dict, user: User, number: int) -> None:
    """Four in five authority staff and funders continue a session they started earlier in the day
    (as after a login); the fifth logs in through the form. Argon2 costs each login about half a
    second of CPU: 200 logins in the first minutes would measure the password hash, not the portal."""
    if number % LOGIN_EVERY:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backends.PATH
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        plan["sessions"][user.email] = session.session_key


def _second_factor(user: User) -> str | None:
    """A confirmed TOTP device with a key the locustfile knows, when two-factor login is installed."""
    try:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from portal.accounts.sealing import seal
    except ImportError:
        return None
    key = secrets.token_hex(20)
    TOTPDevice.objects.filter(user=user).delete()
    # Stored sealed, as the portal's own set-up stores it (portal/accounts/sealing.py).
    TOTPDevice.objects.create(
        user=user, name="Authenticator-App", key=seal(bytes.fromhex(key)), confirmed=True
    )
    return key


def _released_reports(*, by: User) -> list[int]:
    """The released report PDFs the funders download; one is rendered and released when there is none
    (rendered here, before the stack starts, as the worker would)."""
    from portal.reports import services
    from portal.reports.models import ReportingPeriod, ReportVersion, VersionStatus
    from portal.reports.tasks import render_version

    def with_file():
        # A version whose file is missing from MEDIA_ROOT (e.g. rendered by another checkout against
        # the same database) would answer 500: the media storage belongs to the database.
        versions = ReportVersion.objects.filter(status=VersionStatus.DONE, released_at__isnull=False)
        return [v.pk for v in versions if v.file and v.file.storage.exists(v.file.name)]

    period = ReportingPeriod.objects.order_by("starts_on").first()
    if not with_file() and period is not None:
        version = services.version_request(period=period, by=by)
        render_version(version.pk)
        version.refresh_from_db()
        services.version_release(version=version, by=by)
    return with_file()


def _forget_failed_logins() -> None:
    try:
        from axes.models import AccessAttempt
    except ImportError:
        return
    AccessAttempt.objects.filter(username__endswith=f"@{loadtest.EMAIL_DOMAIN}").delete()


def _courses(*, by: User) -> list[Course]:
    topic = Topic.objects.order_by("name").first() or Topic.objects.create(name="Lasttest")
    start = timezone.now().replace(hour=8, minute=0, second=0, microsecond=0) + timedelta(days=30)
    courses = []
    for number in range(1, COURSES + 1):
        course = Course.objects.create(
            title=f"{loadtest.COURSE_PREFIX} {number:02d}",
            description="Eine Schulung für den Lasttest.",
            topic=topic,
            target_group="Mitarbeitende der Ausländerbehörden",
            format=CourseFormat.IN_PERSON,
            location="Mainz, Raum 1",
            trainers="Lasttest-Team",
            capacity=SEATS,
            # Every second course allows two seats per authority.
            seats_per_authority=2 if number % 2 == 0 else None,
            open_to=OpenTo.BOTH,
            status=CourseStatus.PUBLISHED,
            enrollment_mode=EnrollmentMode.DIRECT,
            created_by=by,
        )
        day = start + timedelta(days=number)
        CourseDate.objects.create(course=course, starts_at=day, ends_at=day + timedelta(hours=7), room="1")
        courses.append(course)
    return courses
