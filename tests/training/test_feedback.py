"""Feedback after the course: only participants who attended give it (through the page and the
service), once, with a rating from 1 to 5; project staff see the results."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from tests.factories import EnrollmentFactory, UserFactory
from tests.helpers import attended
from tests.training.helpers import MINE, WAITLISTED, field_error, message, messages_of, page_text, ticked, url
from training.models import Feedback
from training.services import enrollments as services
from training.services import feedback as feedback_services


def test_participant_who_attended_gives_feedback(client_for, member, past_course):
    enrollment = attended(past_course, member)
    client = client_for(member)
    assert "Rückmeldung geben" in page_text(client.get(MINE))
    page = client.get(url("feedback", enrollment.pk))
    assert "Wie war die Schulung „Vergangene Schulung“?" in page_text(page)

    response = client.post(
        url("feedback", enrollment.pk),
        {"usefulness": "4", "will_apply": "Die Checkliste", "comments": "Gern mehr Fälle."},
        follow=True,
    )

    assert response.redirect_chain == [(MINE, 302)]
    assert messages_of(response) == ["Vielen Dank für Ihre Rückmeldung."]
    feedback = Feedback.objects.get(enrollment=enrollment)
    assert (feedback.usefulness, feedback.will_apply, feedback.comments) == (
        4,
        "Die Checkliste",
        "Gern mehr Fälle.",
    )
    assert "Rückmeldung ändern" in page_text(response)

    # Changing it keeps one answer per enrollment; the form shows the earlier answer.
    assert ticked(client.get(url("feedback", enrollment.pk)).content.decode(), "usefulness") == {"4"}
    client.post(url("feedback", enrollment.pk), {"usefulness": "5"})
    assert Feedback.objects.get().usefulness == 5


@pytest.mark.parametrize("situation", ["absent", "not-marked", "waitlisted"])
def test_feedback_form_only_for_participants_who_attended(client_for, member, past_course, situation):
    if situation == "absent":
        enrollment = attended(past_course, member, present=False)
    elif situation == "not-marked":
        enrollment = EnrollmentFactory(course=past_course, participant=member)
    else:
        enrollment = EnrollmentFactory(
            course=past_course, participant=member, status=WAITLISTED, waitlist_position=1
        )
    client = client_for(member)

    assert "Rückmeldung geben" not in page_text(client.get(MINE))
    assert client.get(url("feedback", enrollment.pk)).status_code == 404
    assert client.post(url("feedback", enrollment.pk), {"usefulness": "5"}).status_code == 404
    assert not Feedback.objects.exists()


def test_feedback_needs_a_rating_from_1_to_5(client_for, member, past_course):
    enrollment = attended(past_course, member)
    client = client_for(member)
    response = client.post(url("feedback", enrollment.pk), {"usefulness": "9"})
    assert response.status_code == 200
    error = "Bitte eine gültige Auswahl treffen. 9 ist keine gültige Auswahl."
    assert field_error(response.content.decode(), "id_usefulness") == error
    missing = client.post(url("feedback", enrollment.pk), {"will_apply": "Alles"})
    assert field_error(missing.content.decode(), "id_usefulness") == "Dieses Feld ist zwingend erforderlich."
    assert "Alles</textarea>" in missing.content.decode()
    assert not Feedback.objects.exists()


def test_project_staff_see_aggregated_feedback(client_for, project_staff, past_course):
    for usefulness, will_apply in [(5, "Checklisten"), (4, ""), (2, "")]:
        enrollment = attended(past_course, UserFactory())
        Feedback.objects.create(enrollment=enrollment, usefulness=usefulness, will_apply=will_apply)
    attended(past_course, UserFactory())  # attended, no answer

    response = client_for(project_staff).get(url("feedback_results", past_course.pk))

    text = page_text(response)
    assert response.context["summary"] == {"count": 3, "useful": 2, "average": pytest.approx(11 / 3)}
    assert "3 Rückmeldungen" in text
    assert "2 halten die Schulung für nützlich für ihre Arbeit (4 oder 5)" in text
    assert "3,7 durchschnittliche Bewertung (1 bis 5)" in text
    assert "Anwenden: Checklisten" in text
    assert response.context["distribution"] == [(5, 1), (4, 1), (3, 0), (2, 1), (1, 0)]


def test_feedback_results_without_answers(client_for, project_staff, past_course):
    text = page_text(client_for(project_staff).get(url("feedback_results", past_course.pk)))
    assert "0 Rückmeldungen" in text and "– durchschnittliche Bewertung" in text


@pytest.mark.parametrize("who", ["member", "coordinator", "funder"])
def test_feedback_results_are_for_project_staff_only(client_for, request, who, past_course):
    assert (
        client_for(request.getfixturevalue(who)).get(url("feedback_results", past_course.pk)).status_code
        == 403
    )


# --- feedback through the service -----------------------------------------------------------------


def test_feedback_is_possible_only_after_attending(project_staff, held_course):
    course, (present, absent, waiting) = held_course
    services.attendance_record(course_date=course.dates.first(), present_ids={present.pk}, by=project_staff)

    for enrollment in (absent, waiting):
        with pytest.raises(ValidationError) as refused:
            feedback_services.feedback_submit(
                enrollment=enrollment, by=enrollment.participant, usefulness=5, will_apply="", comments=""
            )
        assert message(refused) == "Eine Rückmeldung ist nach der Teilnahme an der Schulung möglich."

    feedback = feedback_services.feedback_submit(
        enrollment=present, by=present.participant, usefulness=4, will_apply="Checklisten", comments="Gut."
    )
    assert (feedback.enrollment, feedback.usefulness, feedback.will_apply) == (present, 4, "Checklisten")


def test_a_second_feedback_replaces_the_first(project_staff, held_course):
    course, (present, *_) = held_course
    services.attendance_record(course_date=course.dates.first(), present_ids={present.pk}, by=project_staff)

    for usefulness in (2, 5):
        feedback_services.feedback_submit(
            enrollment=present, by=present.participant, usefulness=usefulness, will_apply="", comments=""
        )

    assert list(Feedback.objects.values_list("enrollment", "usefulness")) == [(present.pk, 5)]


def test_only_the_participant_gives_feedback(project_staff, coordinator, held_course):
    course, (present, *_) = held_course
    services.attendance_record(course_date=course.dates.first(), present_ids={present.pk}, by=project_staff)

    for by in (project_staff, coordinator):
        with pytest.raises(PermissionDenied):
            feedback_services.feedback_submit(
                enrollment=present, by=by, usefulness=5, will_apply="", comments=""
            )


@pytest.mark.parametrize("usefulness", [0, 6])
def test_the_database_keeps_usefulness_between_1_and_5(project_staff, held_course, usefulness):
    course, (present, *_) = held_course
    services.attendance_record(course_date=course.dates.first(), present_ids={present.pk}, by=project_staff)

    with pytest.raises(IntegrityError):
        feedback_services.feedback_submit(
            enrollment=present, by=present.participant, usefulness=usefulness, will_apply="", comments=""
        )
    assert not Feedback.objects.exists()
