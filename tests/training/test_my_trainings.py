""" "Meine Schulungen": upcoming, waiting and past courses of the person, and the page's query budget."""

import pytest

from tests.factories import CourseDateFactory, EnrollmentFactory
from tests.helpers import attended, page_queries
from tests.training.helpers import (
    CANCELLED,
    CATALOGUE,
    MINE,
    REQUESTED,
    WAITLISTED,
    course_on,
    in_days,
    page_text,
    url,
)
from training.models import EnrollmentMode


def test_my_trainings_groups_upcoming_waiting_and_past(client_for, member, colleague, past_course):
    upcoming = course_on(10, title="Bald")
    EnrollmentFactory(course=upcoming, participant=member)
    requested = course_on(12, title="Angefragt", enrollment_mode=EnrollmentMode.REQUEST)
    EnrollmentFactory(course=requested, participant=member, status=REQUESTED, confirmed_at=None)
    full = course_on(20, title="Voll", capacity=1)
    EnrollmentFactory(course=full, participant=colleague)
    EnrollmentFactory(course=full, participant=member, status=WAITLISTED, waitlist_position=1)
    attended(past_course, member)
    dropped = course_on(15, title="Abgemeldet")
    EnrollmentFactory(course=dropped, participant=member, status=CANCELLED, confirmed_at=None)
    EnrollmentFactory(course=course_on(16, title="Nur die Kollegin"), participant=colleague)

    response = client_for(member).get(MINE)

    groups = {key: [e.course.title for e in response.context[key]] for key in ("upcoming", "waiting", "past")}
    assert groups == {"upcoming": ["Bald", "Angefragt"], "waiting": ["Voll"], "past": ["Vergangene Schulung"]}
    text = page_text(response)
    upcoming_part, rest = text.split("Auf der Warteliste", 1)
    waiting_part, past_part = rest.split("Besuchte Schulungen", 1)
    assert "Bald" in upcoming_part and "Angefragt" in upcoming_part
    assert "Voll" in waiting_part and "Warteliste, Platz 1" in waiting_part
    assert "Vergangene Schulung" in past_part and "Rückmeldung geben" in past_part
    assert "Abgemeldet" not in text and "Nur die Kollegin" not in text


def test_my_trainings_marks_a_cancelled_course(client_for, project_staff, member, course):
    EnrollmentFactory(course=course, participant=member)
    client_for(project_staff).post(url("cancel", course.pk), {"reason": ""})

    text = page_text(client_for(member).get(MINE))

    upcoming = text.split("Kommende Schulungen", 1)[1].split("Auf der Warteliste", 1)[0]
    assert "Aufenthaltsrecht kompakt" in upcoming and "Abgesagt" in upcoming
    assert "Angemeldet" not in text


def test_my_trainings_when_nothing_is_booked(client_for, member):
    text = page_text(client_for(member).get(MINE))
    assert "Sie sind für keine kommende Schulung angemeldet." in text
    assert "Sie stehen auf keiner Warteliste." in text


@pytest.mark.parametrize("who", ["project_staff", "funder"])
def test_my_trainings_sends_others_to_the_catalogue(client_for, request, who):
    response = client_for(request.getfixturevalue(who)).get(MINE)
    assert response.status_code == 302 and response["Location"] == CATALOGUE


def test_my_trainings_runs_the_same_queries_for_2_and_20_enrollments(
    client_for, member, django_assert_max_num_queries
):
    client = client_for(member)

    def book(n, start):
        for i in range(n):
            course = course_on(start + i if i % 2 else -start - i, title=f"Kurs {start + i}")
            attended(course, member)

    book(2, 1)
    with_2 = page_queries(client, MINE)
    book(18, 10)

    with django_assert_max_num_queries(with_2):
        client.get(MINE)


def test_my_trainings_are_in_date_order_next_date_first_and_latest_past_first(client_for, member):
    # Enrolled in an order that is not the order of the dates.
    for days, title in [
        (30, "In einem Monat"),
        (-40, "Vor Wochen"),
        (3, "In drei Tagen"),
        (-2, "Vorgestern"),
    ]:
        EnrollmentFactory(course=course_on(days, title=title), participant=member)
    # Began a week ago, its next date is tomorrow: it comes before the course in three days.
    running = course_on(-7, title="Läuft schon")
    CourseDateFactory(course=running, starts_at=in_days(1), ends_at=in_days(1, hour=16))
    EnrollmentFactory(course=running, participant=member)

    response = client_for(member).get(MINE)

    titles = {key: [e.course.title for e in response.context[key]] for key in ("upcoming", "past")}
    assert titles == {
        "upcoming": ["Läuft schon", "In drei Tagen", "In einem Monat"],
        "past": ["Vorgestern", "Vor Wochen"],
    }
    text = page_text(response)
    assert text.index("Läuft schon") < text.index("In drei Tagen") < text.index("In einem Monat")
