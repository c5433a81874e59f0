"""Requests for the course's PDFs: in the web request only database rows and a queued task; the worker
renders them (training/tasks.py)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from portal.accounts.models import User
from portal.rendered import discard_rendered
from training import rules, tasks
from training.models import Attendance, Certificate, Course, CourseDate, Enrollment, SignInSheet


@transaction.atomic
def certificates_issue(*, course: Course, by: User) -> int:
    """A certificate for everyone who attended at least one date; returns how many are being made."""
    if not rules.may_manage_courses(by):
        raise PermissionDenied
    now = timezone.now()
    attended = Enrollment.objects.filter(
        course=course, attendances__in=Attendance.objects.attended(now=now)
    ).distinct()
    # Attendance may have been corrected since the last issue (or its date moved into the future):
    # such certificates go.
    for certificate in Certificate.objects.filter(enrollment__course=course).exclude(enrollment__in=attended):
        discard_rendered(certificate)
    count = 0
    for enrollment in attended:
        certificate, _created = Certificate.objects.update_or_create(
            enrollment=enrollment, defaults={"requested_at": now, "requested_by": by}
        )
        tasks.render_certificate.delay_on_commit(certificate.pk)
        count += 1
    return count


@transaction.atomic
def sign_in_sheet_request(*, course_date: CourseDate, by: User) -> SignInSheet:
    if not rules.may_manage_courses(by):
        raise PermissionDenied
    sheet, _created = SignInSheet.objects.update_or_create(
        course_date=course_date, defaults={"requested_at": timezone.now(), "requested_by": by}
    )
    tasks.render_sign_in_sheet.delay_on_commit(sheet.pk)
    return sheet
