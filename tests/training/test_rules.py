"""Who may do what in the trainings: the decisions of training/rules.py over the standing cast, and the
services asking the same rules as the pages (a service that lacks a check its view makes is the copy
of a rule that has drifted)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from portal.accounts.models import Role, User
from tests.factories import CourseFactory, EnrollmentFactory
from tests.helpers import attended
from training import rules
from training.models import Course, CourseStatus, Enrollment, Topic
from training.services import courses as course_services

NOT_STAFF = ["member", "coordinator", "outsider", "funder"]


def a_date() -> dict:
    starts = timezone.now() + dt.timedelta(days=30)
    return {"pk": None, "starts_at": starts, "ends_at": starts + dt.timedelta(hours=6), "room": ""}


def course_values(topic) -> dict:
    return {
        "title": "Interkulturelle Kommunikation",
        "description": "Gespräche am Schalter.",
        "topic": topic,
        "target_group": "Sachbearbeitung",
        "format": "in_person",
        "location": "Mainz",
        "trainers": "Dr. Petra Schulz",
        "capacity": 12,
    }


# --- the course services ask the rule the course pages ask ------------------------------------------


@pytest.mark.parametrize("who", NOT_STAFF)
def test_only_project_staff_create_a_course_through_the_service(db, request, who):
    topic = Topic.objects.create(name="Kommunikation")
    with pytest.raises(PermissionDenied):
        course_services.course_create(
            by=request.getfixturevalue(who), dates=[a_date()], **course_values(topic)
        )
    assert not Course.objects.exists()


@pytest.mark.parametrize("who", NOT_STAFF)
def test_only_project_staff_change_a_course_through_the_service(db, request, who):
    course = CourseFactory(title="Aufenthaltsrecht kompakt", capacity=5)
    with pytest.raises(PermissionDenied):
        course_services.course_update(
            course=course, by=request.getfixturevalue(who), title="Geändert", capacity=50
        )
    course.refresh_from_db()
    assert (course.title, course.capacity) == ("Aufenthaltsrecht kompakt", 5)


@pytest.mark.parametrize("who", NOT_STAFF)
def test_only_project_staff_publish_a_course_through_the_service(db, request, who):
    course = CourseFactory(status=CourseStatus.DRAFT)
    with pytest.raises(PermissionDenied):
        course_services.course_publish(course=course, by=request.getfixturevalue(who))
    course.refresh_from_db()
    assert course.status == CourseStatus.DRAFT


@pytest.mark.parametrize("who", NOT_STAFF)
def test_only_project_staff_copy_a_course_through_the_service(db, request, who):
    course = CourseFactory()
    with pytest.raises(PermissionDenied):
        course_services.course_duplicate(course=course, by=request.getfixturevalue(who))
    assert Course.objects.count() == 1


@pytest.mark.parametrize("who", NOT_STAFF)
def test_only_project_staff_cancel_a_course_through_the_service(request, who, member, mailoutbox):
    course = CourseFactory()
    EnrollmentFactory(course=course, participant=member)
    with pytest.raises(PermissionDenied):
        course_services.course_cancel(course=course, by=request.getfixturevalue(who), reason="")
    course.refresh_from_db()
    assert course.status == CourseStatus.PUBLISHED
    assert mailoutbox == []


# --- the decisions over the standing cast -------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "participant", "allowed"),
    [
        ("member", "member", True),
        ("member", "coordinator", False),
        ("coordinator", "member", True),
        ("coordinator", "outsider", False),
        ("outsider", "member", False),
        ("project_staff", "member", True),
        ("project_staff", "outsider", True),
        # Courses are for the authorities' staff: nobody enrols project staff or funders.
        ("project_staff", "project_staff", False),
        ("project_staff", "funder", False),
        ("funder", "funder", False),
        ("funder", "member", False),
    ],
)
def test_who_may_enroll_whom(request, actor, participant, allowed):
    actor, participant = request.getfixturevalue(actor), request.getfixturevalue(participant)
    assert rules.may_enroll(actor, participant) is allowed


def test_a_coordinator_without_an_authority_acts_for_nobody_without_one():
    # The database refuses such a coordinator; the rule does not rely on it (None == None).
    coordinator = User(role=Role.AUTHORITY_STAFF, is_coordinator=True, authority=None)
    stranger = User(pk=4711, role=Role.AUTHORITY_STAFF, authority=None)
    enrollment = Enrollment(participant=stranger)

    assert not rules.may_enroll(coordinator, stranger)
    assert not rules.may_cancel(coordinator, enrollment)


@pytest.mark.parametrize(
    ("who", "manage", "others", "participants", "take_part"),
    [
        ("project_staff", True, True, True, False),
        ("coordinator", False, True, True, True),
        ("member", False, False, False, True),
        ("funder", False, False, False, False),
    ],
)
def test_what_each_role_may_do(request, who, manage, others, participants, take_part):
    user = request.getfixturevalue(who)
    assert rules.may_manage_courses(user) is manage
    assert rules.may_enroll_others(user) is others
    assert rules.may_see_participants(user) is participants
    assert rules.may_take_part(user) is take_part


def test_only_the_participant_may_give_feedback(member, coordinator, project_staff):
    enrollment = EnrollmentFactory(participant=member)
    assert rules.may_give_feedback(member, enrollment)
    assert not rules.may_give_feedback(coordinator, enrollment)
    assert not rules.may_give_feedback(project_staff, enrollment)
    assert not rules.may_give_feedback(User(), Enrollment())  # two unsaved: no pk is nobody's


# --- scope helpers -----------------------------------------------------------------------------------


def test_a_date_of_another_course_is_not_found_under_this_course(project_staff):
    course, other = CourseFactory(), CourseFactory()
    date = other.dates.get()
    with pytest.raises(Http404):
        rules.course_date_for(project_staff, course.pk, date.pk)
    assert rules.course_date_for(project_staff, other.pk, date.pk) == date


def test_a_date_of_a_draft_is_not_found_for_authority_staff(member, project_staff):
    draft = CourseFactory(status=CourseStatus.DRAFT)
    date = draft.dates.get()
    with pytest.raises(Http404):
        rules.course_date_for(member, draft.pk, date.pk)
    assert rules.course_date_for(project_staff, draft.pk, date.pk) == date


def test_feedback_forms_find_only_ones_own_attended_enrollment(member, coordinator):
    enrollment = attended(CourseFactory(), member)
    missed = attended(CourseFactory(), member, present=False)

    assert rules.own_attended_enrollment_for(member, enrollment.pk) == enrollment
    for user, pk in [(member, missed.pk), (coordinator, enrollment.pk)]:
        with pytest.raises(Http404):
            rules.own_attended_enrollment_for(user, pk)


def test_certificates_are_found_for_the_participant_their_coordinator_and_project_staff(
    member, coordinator, project_staff, outsider
):
    enrollment = attended(CourseFactory(), member)
    for user in (member, coordinator, project_staff):
        assert rules.certificate_enrollment_for(user, enrollment.pk) == enrollment
    with pytest.raises(Http404):
        rules.certificate_enrollment_for(outsider, enrollment.pk)
