"""The course form beyond its fields: adding date rows without saving first (no JavaScript needed)."""

import re

import pytest
from django.core.exceptions import ValidationError

from tests.factories import EnrollmentFactory
from tests.training.helpers import (
    CONFIRMED,
    CREATE,
    WAITLISTED,
    a_date,
    course_form,
    course_on,
    field_error,
    local_input,
    messages_of,
    page_text,
    statuses,
    url,
)
from training.models import Course
from training.services.courses import course_update

ADD = {"weiterer_termin": "1"}


def _management(html: str, name: str) -> str:
    return re.search(rf'name="termine-{name}"[^>]*value="(\d+)"', html)[1]


def _rows(html: str) -> int:
    return len(re.findall(r'name="termine-\d+-starts_at"', html))


def test_project_staff_add_a_date_row_and_nothing_typed_is_lost(client_for, project_staff, topic):
    client = client_for(project_staff)
    typed = course_form(
        topic, dates=[a_date(40), a_date(41, room="Aula")], title="Drei Tage Aufenthaltsrecht"
    )

    response = client.post(CREATE, {**typed, **ADD})

    assert response.status_code == 200
    assert not Course.objects.exists()
    html = response.content.decode()
    assert _rows(html) == 4
    assert 'value="Drei Tage Aufenthaltsrecht"' in html and 'value="Aula"' in html
    assert f'value="{a_date(41)["starts_at"]}"' in html
    assert 'value="Mainz, Landesverwaltung"' in html
    assert f'<option value="{topic.pk}" selected>' in html
    # Nothing was judged yet: a half-filled form is no error.
    assert "Bitte korrigieren Sie" not in html

    # The new fourth row filled, the empty third one left as it is, and saved.
    saved = course_form(
        topic,
        dates=[a_date(40), a_date(41, room="Aula"), {}, a_date(42, room="Foyer")],
        initial_dates=int(_management(html, "INITIAL_FORMS")),
        title="Drei Tage Aufenthaltsrecht",
        **{"termine-TOTAL_FORMS": _management(html, "TOTAL_FORMS")},
    )
    response = client.post(CREATE, saved, follow=True)

    assert messages_of(response) == ["Die Schulung wurde als Entwurf angelegt."]
    course = Course.objects.get()
    assert [d.room for d in course.dates.all()] == ["Raum 2.01", "Aula", "Foyer"]


def test_an_added_row_keeps_a_half_filled_form_as_typed(client_for, project_staff, topic):
    typed = course_form(topic, dates=[{"starts_at": a_date(40)["starts_at"]}], title="", capacity="abc")

    html = client_for(project_staff).post(CREATE, {**typed, **ADD}).content.decode()

    assert 'value="abc"' in html and f'value="{a_date(40)["starts_at"]}"' in html
    assert "zwingend erforderlich" not in html and "Bitte korrigieren Sie" not in html


def test_adding_a_row_to_a_course_keeps_its_dates_and_changes_nothing(client_for, project_staff, topic):
    course = course_on(30, title="Ein Tag", topic=topic)
    date = course.dates.get()
    row = {
        "pk": date.pk,
        "starts_at": local_input(date.starts_at),
        "ends_at": local_input(date.ends_at),
        "room": date.room,
    }
    typed = course_form(
        topic, dates=[row], initial_dates=1, title="Zwei Tage", **{"termine-TOTAL_FORMS": "2"}
    )
    client = client_for(project_staff)

    html = client.post(url("edit", course.pk), {**typed, **ADD}).content.decode()

    course.refresh_from_db()
    assert course.title == "Ein Tag" and course.dates.count() == 1
    assert f'name="termine-0-pk" value="{date.pk}"' in html and _rows(html) == 3
    assert 'value="Zwei Tage"' in html

    saved = course_form(
        topic,
        dates=[row, {}, a_date(31, room="Raum 3")],
        initial_dates=int(_management(html, "INITIAL_FORMS")),
        title="Zwei Tage",
        **{"termine-TOTAL_FORMS": "3"},
    )
    response = client.post(url("edit", course.pk), saved, follow=True)

    assert messages_of(response) == ["Die Schulung wurde gespeichert."]
    dates = list(course.dates.all())
    assert dates[0].pk == date.pk and [d.room for d in dates] == [date.room, "Raum 3"]


def test_the_add_button_comes_after_save_and_goes_away_at_twenty_rows(client_for, project_staff, topic):
    client = client_for(project_staff)
    html = client.get(CREATE).content.decode()
    assert html.index(">Speichern<") < html.index("Weiteren Termin hinzufügen</span>")
    # The page jumps to the new row.
    assert 'formaction="#termin-3"' in html

    full = course_form(topic, dates=[a_date(40 + i) for i in range(19)], **{"termine-TOTAL_FORMS": "19"})
    response = client.post(CREATE, {**full, **ADD})
    assert _rows(response.content.decode()) == 20
    assert "Weiteren Termin hinzufügen</span>" not in page_text(response)
    assert 'id="termin-20"' in response.content.decode()


def _existing(course) -> list[dict]:
    return [
        {"pk": d.pk, "starts_at": local_input(d.starts_at), "ends_at": local_input(d.ends_at), "room": d.room}
        for d in course.dates.all()
    ]


def test_fewer_seats_than_people_enrolled_are_saved_only_once_confirmed(
    client_for, project_staff, topic, staff_of
):
    course = course_on(30, title="Beliebt", topic=topic, capacity=5)
    people = staff_of(n=4)
    for person in people[:3]:
        EnrollmentFactory(course=course, participant=person)
    EnrollmentFactory(course=course, participant=people[3], status=WAITLISTED, waitlist_position=1)
    client = client_for(project_staff)
    data = course_form(topic, dates=_existing(course), initial_dates=1, title="Beliebt", capacity="2")

    response = client.post(url("edit", course.pk), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert field_error(html, "id_capacity").startswith(
        "Bereits 3 Personen haben einen Platz, mehr als die neue Zahl der Plätze (2)."
    )
    assert 'name="fewer_seats_confirmed"' in html and 'value="2"' in html
    course.refresh_from_db()
    assert course.capacity == 5

    response = client.post(url("edit", course.pk), {**data, "fewer_seats_confirmed": "on"}, follow=True)

    assert messages_of(response) == ["Die Schulung wurde gespeichert."]
    course.refresh_from_db()
    assert course.capacity == 2
    # Nobody loses a seat, nobody moves up.
    assert [status for _person, status, _position in statuses(course)] == [CONFIRMED] * 3 + [WAITLISTED]


def test_seats_down_to_the_number_enrolled_need_no_confirmation(client_for, project_staff, topic, staff_of):
    course = course_on(30, title="Passt genau", topic=topic, capacity=5)
    for person in staff_of(n=3):
        EnrollmentFactory(course=course, participant=person)
    data = course_form(topic, dates=_existing(course), initial_dates=1, capacity="3")

    response = client_for(project_staff).post(url("edit", course.pk), data, follow=True)

    assert messages_of(response) == ["Die Schulung wurde gespeichert."]
    assert (
        'name="fewer_seats_confirmed"'
        not in client_for(project_staff).get(url("edit", course.pk)).content.decode()
    )
    course.refresh_from_db()
    assert course.capacity == 3


def test_zero_seats_are_refused_at_the_field_even_when_confirmed(client_for, project_staff, topic):
    course = course_on(30, title="Null", topic=topic, capacity=5)
    EnrollmentFactory(course=course)
    data = course_form(
        topic, dates=_existing(course), initial_dates=1, capacity="0", fewer_seats_confirmed="on"
    )

    response = client_for(project_staff).post(url("edit", course.pk), data)

    assert (
        field_error(response.content.decode(), "id_capacity")
        == "Eine Schulung braucht mindestens einen Platz."
    )
    course.refresh_from_db()
    assert course.capacity == 5


def test_the_service_refuses_fewer_seats_than_held_without_confirmation(project_staff, staff_of):
    course = course_on(30, title="Direkt", capacity=4)
    for person in staff_of(n=2):
        EnrollmentFactory(course=course, participant=person)

    with pytest.raises(ValidationError) as refused:
        course_update(course=course, by=project_staff, capacity=1)

    assert refused.value.error_dict["capacity"][0].code == "fewer_seats"
    assert (
        course_update(course=course, by=project_staff, capacity=1, fewer_seats_confirmed=True).capacity == 1
    )
