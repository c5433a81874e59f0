"""Three months after a course, participants say whether they use what they learned (an AMIF figure)."""

from django.urls import reverse

from tests.factories import CourseFactory, EnrollmentFactory
from tests.helpers import took_place
from training.models import Attendance, FollowUpAnswer


def _attended(participant, present=True):
    course = CourseFactory()
    enrollment = EnrollmentFactory(course=course, participant=participant)
    took_place(course)
    Attendance.objects.create(enrollment=enrollment, course_date=course.dates.get(), present=present)
    return enrollment


def test_participant_answers_the_follow_up_question(client_for, member):
    enrollment = _attended(member)
    url = reverse("training:follow_up", args=[enrollment.pk])

    response = client_for(member).post(
        url, {"uses_learning": "partly", "example": "Checkliste am Schalter"}, follow=True
    )

    answer = FollowUpAnswer.objects.get(enrollment=enrollment)
    assert (answer.uses_learning, answer.example) == ("partly", "Checkliste am Schalter")
    assert "Vielen Dank für Ihre Antwort." in response.text


def test_a_missing_answer_is_explained_and_nothing_is_saved(client_for, member):
    enrollment = _attended(member)

    response = client_for(member).post(reverse("training:follow_up", args=[enrollment.pk]), {"example": "x"})

    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in response.text
    assert not FollowUpAnswer.objects.exists()


def test_nobody_else_and_no_absentee_answers(client_for, member, coordinator, outsider, funder):
    enrollment = _attended(member)
    absent = _attended(coordinator, present=False)
    url = reverse("training:follow_up", args=[enrollment.pk])

    for user in (coordinator, outsider, funder):
        assert client_for(user).post(url, {"uses_learning": "yes"}).status_code == 404
    absent_url = reverse("training:follow_up", args=[absent.pk])
    assert client_for(coordinator).post(absent_url, {"uses_learning": "yes"}).status_code == 404
    assert not FollowUpAnswer.objects.exists()
