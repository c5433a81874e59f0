"""Attendance, certificates, feedback and the follow-up rest only on dates that took place (issue 15):
a date in February next year cannot be marked, and a course whose dates were moved into the future
keeps its marks but counts them nowhere, and tells project staff so."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import EnrollmentFactory
from tests.helpers import took_place
from tests.training.helpers import page_text, url
from training.models import Attendance, Certificate
from training.services import documents as document_services
from training.services import enrollments as services
from training.services import feedback as feedback_services


def test_attendance_for_a_date_ahead_is_refused_next_to_the_form(client_for, project_staff, member, course):
    enrollment = EnrollmentFactory(course=course, participant=member)
    course_date = course.dates.get()
    client = client_for(project_staff)

    assert "Anwesenheit am" not in page_text(client.get(course.get_absolute_url()))
    response = client.post(url("attendance", course.pk, course_date.pk), {"present": [str(enrollment.pk)]})

    assert response.status_code == 200
    assert "Die Anwesenheit kann erst erfasst werden, wenn der Termin begonnen hat" in page_text(response)
    assert not Attendance.objects.exists()


def test_dates_moved_into_the_future_keep_their_marks_count_nowhere_and_warn(
    client_for, project_staff, member, course
):
    enrollment = EnrollmentFactory(course=course, participant=member)
    took_place(course)
    course_date = course.dates.get()
    services.attendance_record(course_date=course_date, present_ids={enrollment.pk}, by=project_staff)
    assert document_services.certificates_issue(course=course, by=project_staff) == 1

    # The date is moved to next month (e.g. it was entered with the wrong year).
    course_date.starts_at += timedelta(days=40)
    course_date.ends_at += timedelta(days=40)
    course_date.save()

    assert Attendance.objects.filter(present=True).count() == 1  # kept
    page = page_text(client_for(project_staff).get(course.get_absolute_url()))
    assert "Für einen Termin, der inzwischen in der Zukunft liegt, ist bereits 1 Anwesenheit erfasst." in page
    assert (
        "Anwesenheit" not in page_text(client_for(member).get(course.get_absolute_url())).split("Termine")[0]
    )
    # No certificate, no feedback for a date that has not taken place.
    assert document_services.certificates_issue(course=course, by=project_staff) == 0
    assert not Certificate.objects.exists()
    with pytest.raises(ValidationError, match="nach der Teilnahme"):
        feedback_services.feedback_submit(
            enrollment=enrollment, by=member, usefulness=5, will_apply="", comments=""
        )


def test_feedback_waits_until_the_attended_date_has_ended(project_staff, member, course):
    enrollment = EnrollmentFactory(course=course, participant=member)
    course_date = course.dates.get()
    # The date is running: attendance can be taken from its start on ...
    length = course_date.ends_at - course_date.starts_at
    course_date.starts_at = timezone.now() - timedelta(minutes=30)
    course_date.ends_at = course_date.starts_at + length
    course_date.save()
    services.attendance_record(course_date=course_date, present_ids={enrollment.pk}, by=project_staff)

    # ... but feedback only once it has ended.
    with pytest.raises(ValidationError, match="nach der Teilnahme"):
        feedback_services.feedback_submit(
            enrollment=enrollment, by=member, usefulness=4, will_apply="", comments=""
        )
    took_place(course)
    feedback = feedback_services.feedback_submit(
        enrollment=enrollment, by=member, usefulness=4, will_apply="", comments=""
    )
    assert feedback.usefulness == 4
