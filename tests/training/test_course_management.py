"""Project staff manage the courses: only they reach the course pages for it (drafts are 404 for
everyone else), the course form with its dates, publishing, copying, cancelling and the topics."""

import re

import pytest
from django.utils import timezone

from tests.factories import CourseDateFactory, CourseFactory, EnrollmentFactory
from tests.training.helpers import (
    CANCELLED,
    CATALOGUE,
    CONFIRMED,
    CREATE,
    WAITLISTED,
    a_date,
    course_form,
    course_on,
    course_titles,
    field_error,
    in_days,
    local_input,
    messages_of,
    page_text,
    url,
)
from training.models import (
    Attendance,
    Course,
    CourseDate,
    CourseFormat,
    CourseStatus,
    Topic,
)


@pytest.mark.parametrize("who", ["member", "coordinator", "funder"])
def test_only_project_staff_manage_courses(client_for, request, who, course):
    client = client_for(request.getfixturevalue(who))
    date = course.dates.get()
    for method, path in [
        ("get", CREATE),
        ("post", CREATE),
        ("get", url("edit", course.pk)),
        ("post", url("edit", course.pk)),
        ("post", url("publish", course.pk)),
        ("post", url("duplicate", course.pk)),
        ("get", url("cancel", course.pk)),
        ("post", url("cancel", course.pk)),
        ("get", url("participants_csv", course.pk)),
        ("get", url("attendance", course.pk, date.pk)),
        ("post", url("attendance", course.pk, date.pk)),
        ("get", url("feedback_results", course.pk)),
    ]:
        assert getattr(client, method)(path).status_code == 403, f"{method} {path}"
    assert Course.objects.count() == 1
    course.refresh_from_db()
    assert course.status == CourseStatus.PUBLISHED


def test_authority_staff_get_404_for_drafts(client_for, member, coordinator):
    draft = course_on(30, title="Entwurf", status=CourseStatus.DRAFT)
    assert client_for(member).get(url("detail", draft.pk)).status_code == 404
    assert client_for(coordinator).get(url("participants", draft.pk)).status_code == 404
    assert client_for(member).post(url("enroll", draft.pk)).status_code == 404


def test_project_staff_create_a_course_with_dates(client_for, project_staff, topic):
    data = course_form(topic, dates=[a_date(40), a_date(41, room="")])

    response = client_for(project_staff).post(CREATE, data, follow=True)

    course = Course.objects.get()
    assert response.redirect_chain == [(url("detail", course.pk), 302)]
    assert messages_of(response) == ["Die Schulung wurde als Entwurf angelegt."]
    assert (course.status, course.created_by, course.capacity, course.topic) == (
        CourseStatus.DRAFT,
        project_staff,
        16,
        topic,
    )
    starts = [timezone.localtime(d.starts_at) for d in course.dates.all()]
    assert starts == [in_days(40), in_days(41)]
    assert starts[0].tzinfo is not None and str(starts[0].tzinfo) == "Europe/Berlin"
    assert [d.room for d in course.dates.all()] == ["Raum 2.01", ""]
    assert "Veröffentlichen" in page_text(response)


def test_course_form_page_renders_for_project_staff(client_for, project_staff, course):
    client = client_for(project_staff)
    create = client.get(CREATE).content.decode()
    # German throughout, also the blank choice of the selects (Django's own is not translated yet).
    assert "Select an option" not in create
    assert create.count('<option value="" selected>Bitte wählen</option>') == 2
    html = client.get(url("edit", course.pk)).content.decode()
    assert f'name="termine-0-pk" value="{course.dates.get().pk}"' in html
    assert f'value="{local_input(course.dates.get().starts_at)}"' in html
    # Every date row has its own box to remove it, as the hint on the page says.
    assert "„Löschen“ ankreuzen" in html
    for row in range(2):
        assert re.search(rf'<input type="checkbox" name="termine-{row}-DELETE"[^>]*>', html)
        assert f'<label class="kern-label" for="id_termine-{row}-DELETE">Löschen' in html


@pytest.mark.parametrize(
    "change, field_id, error",
    [
        (
            {"dates": [{**a_date(40), "ends_at": local_input(in_days(40, hour=8))}]},
            "id_termine-0-ends_at",
            "Das Ende muss nach dem Beginn liegen.",
        ),
        ({"dates": []}, "id_termine-0-starts_at", "Dieses Feld ist zwingend erforderlich."),
        (
            {"dates": [{"starts_at": local_input(in_days(40)), "ends_at": ""}]},
            "id_termine-0-ends_at",
            "Dieses Feld ist zwingend erforderlich.",
        ),
        ({"location": ""}, "id_location", "Bitte geben Sie den Ort an."),
        ({"format": CourseFormat.HYBRID, "location": ""}, "id_location", "Bitte geben Sie den Ort an."),
        (
            {"format": CourseFormat.ONLINE, "location": ""},
            "id_online_link",
            "Bitte geben Sie den Link zur Online-Veranstaltung an.",
        ),
        (
            {"registration_opens": local_input(in_days(10)), "registration_closes": local_input(in_days(5))},
            "id_registration_closes",
            "Der Anmeldeschluss muss nach dem Anmeldebeginn liegen.",
        ),
        ({"capacity": "0"}, "id_capacity", "Eine Schulung braucht mindestens einen Platz."),
        ({"title": ""}, "id_title", "Dieses Feld ist zwingend erforderlich."),
    ],
    ids=[
        "end-before-start",
        "no-date",
        "no-end",
        "no-location",
        "hybrid-no-location",
        "online-no-link",
        "closes-before-opens",
        "no-seats",
        "no-title",
    ],
)
def test_invalid_course_input_is_shown_next_to_the_field_and_nothing_is_saved(
    client_for, project_staff, topic, change, field_id, error
):
    change = dict(change)
    data = course_form(topic, dates=change.pop("dates", [a_date(40)]), **change)

    response = client_for(project_staff).post(CREATE, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert field_error(html, field_id) == error
    assert "Bitte korrigieren Sie" in html
    # What was typed stays in the form.
    assert 'value="Fachkräfteeinwanderung für Einsteiger"' in html or not data["title"]
    assert not Course.objects.exists() and not CourseDate.objects.exists()


def test_edit_keeps_the_dates_and_their_attendance(client_for, project_staff, member, topic):
    course = course_on(-1, title="Gestern", topic=topic)
    date = course.dates.get()
    enrollment = EnrollmentFactory(course=course, participant=member)
    Attendance.objects.create(enrollment=enrollment, course_date=date, present=True)
    data = course_form(
        topic,
        dates=[
            {
                "pk": date.pk,
                "starts_at": local_input(date.starts_at),
                "ends_at": local_input(date.ends_at),
                "room": "Aula",
            },
            a_date(1, room="Raum 3"),
        ],
        initial_dates=1,
        title="Gestern und morgen",
    )

    response = client_for(project_staff).post(url("edit", course.pk), data, follow=True)

    assert messages_of(response) == ["Die Schulung wurde gespeichert."]
    course.refresh_from_db()
    assert course.title == "Gestern und morgen"
    dates = list(course.dates.all())
    assert dates[0].pk == date.pk and dates[0].room == "Aula"
    assert len(dates) == 2 and dates[1].room == "Raum 3"
    assert Attendance.objects.get(enrollment=enrollment).course_date_id == date.pk


def test_edit_removes_a_date_marked_for_deletion(client_for, project_staff, topic):
    course = course_on(30, title="Zwei Tage", topic=topic)
    first = course.dates.get()
    second = CourseDateFactory(course=course, starts_at=in_days(31), ends_at=in_days(31, hour=16))
    rows = [
        {"pk": d.pk, "starts_at": local_input(d.starts_at), "ends_at": local_input(d.ends_at), "room": d.room}
        for d in (first, second)
    ]
    rows[1]["DELETE"] = "on"

    client_for(project_staff).post(url("edit", course.pk), course_form(topic, dates=rows, initial_dates=2))

    assert list(course.dates.values_list("pk", flat=True)) == [first.pk]


def test_edit_cannot_take_over_another_courses_date(client_for, project_staff, topic):
    course = course_on(30, title="Meine", topic=topic)
    other = course_on(50, title="Fremde", topic=topic)
    foreign = other.dates.get()
    row = {**a_date(33), "pk": foreign.pk}

    client_for(project_staff).post(url("edit", course.pk), course_form(topic, dates=[row], initial_dates=1))

    foreign.refresh_from_db()
    assert foreign.course == other and timezone.localtime(foreign.starts_at) == in_days(50)
    assert [timezone.localtime(d.starts_at) for d in course.dates.all()] == [in_days(33)]


def test_invalid_edit_changes_nothing(client_for, project_staff, topic):
    course = course_on(30, title="Unverändert", topic=topic)
    date = course.dates.get()
    bad = {"pk": date.pk, "starts_at": local_input(date.starts_at), "ends_at": local_input(date.starts_at)}

    response = client_for(project_staff).post(
        url("edit", course.pk), course_form(topic, dates=[bad], initial_dates=1)
    )

    assert (
        field_error(response.content.decode(), "id_termine-0-ends_at")
        == "Das Ende muss nach dem Beginn liegen."
    )
    course.refresh_from_db()
    date.refresh_from_db()
    assert course.title == "Unverändert" and date.ends_at > date.starts_at


def test_removing_every_date_is_refused(client_for, project_staff, topic):
    course = course_on(30, title="Ein Termin", topic=topic)
    date = course.dates.get()
    row = {
        "pk": date.pk,
        "starts_at": local_input(date.starts_at),
        "ends_at": local_input(date.ends_at),
        "DELETE": "on",
    }

    response = client_for(project_staff).post(
        url("edit", course.pk), course_form(topic, dates=[row], initial_dates=1)
    )

    assert response.status_code == 200
    assert field_error(response.content.decode(), "termine") == "Bitte geben Sie mindestens einen Termin an."
    assert list(course.dates.all()) == [date]


def test_raising_the_capacity_in_the_form_moves_the_waiting_list(client_for, project_staff, member, topic):
    course = course_on(30, title="Voll", topic=topic, capacity=1)
    EnrollmentFactory(course=course)
    waiting = EnrollmentFactory(course=course, participant=member, status=WAITLISTED, waitlist_position=1)
    date = course.dates.get()
    row = {"pk": date.pk, "starts_at": local_input(date.starts_at), "ends_at": local_input(date.ends_at)}

    client_for(project_staff).post(
        url("edit", course.pk), course_form(topic, dates=[row], initial_dates=1, capacity="2")
    )

    waiting.refresh_from_db()
    assert (waiting.status, waiting.waitlist_position) == (CONFIRMED, None)


def test_project_staff_publish_a_draft(client_for, project_staff, member):
    draft = course_on(30, title="Entwurf", status=CourseStatus.DRAFT)
    response = client_for(project_staff).post(url("publish", draft.pk), follow=True)
    assert messages_of(response) == ["Die Schulung ist veröffentlicht."]
    draft.refresh_from_db()
    assert draft.status == CourseStatus.PUBLISHED
    assert course_titles(client_for(member).get(CATALOGUE)) == ["Entwurf"]


def test_a_draft_without_dates_cannot_be_published(client_for, project_staff):
    draft = CourseFactory(status=CourseStatus.DRAFT, dates=None)
    response = client_for(project_staff).post(url("publish", draft.pk), follow=True)
    assert messages_of(response) == ["Eine Schulung ohne Termin kann nicht veröffentlicht werden."]
    draft.refresh_from_db()
    assert draft.status == CourseStatus.DRAFT


def test_project_staff_duplicate_a_course(client_for, project_staff, member, course):
    EnrollmentFactory(course=course, participant=member)
    response = client_for(project_staff).post(url("duplicate", course.pk), follow=True)

    copy = Course.objects.exclude(pk=course.pk).get()
    assert response.redirect_chain == [(url("edit", copy.pk), 302)]
    assert messages_of(response) == ["Die Kopie wurde als Entwurf angelegt. Bitte passen Sie die Termine an."]
    assert (copy.title, copy.status, copy.created_by) == (
        "Aufenthaltsrecht kompakt (Kopie)",
        CourseStatus.DRAFT,
        project_staff,
    )
    assert [d.starts_at for d in copy.dates.all()] == [d.starts_at for d in course.dates.all()]
    assert not copy.dates.filter(pk__in=course.dates.values("pk")).exists()
    assert not copy.enrollments.exists()


def test_project_staff_cancel_a_course_and_everyone_enrolled_gets_a_mail(
    client_for,
    project_staff,
    member,
    colleague,
    hannover_member,
    course,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    EnrollmentFactory(course=course, participant=member)
    EnrollmentFactory(course=course, participant=colleague, status=WAITLISTED, waitlist_position=1)
    EnrollmentFactory(course=course, participant=hannover_member, status=CANCELLED, confirmed_at=None)
    client = client_for(project_staff)
    assert "Die Absage lässt sich nicht rückgängig machen." in page_text(client.get(url("cancel", course.pk)))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("cancel", course.pk), {"reason": "Die Trainerin ist erkrankt."}, follow=True
        )

    assert messages_of(response) == [
        "Die Schulung wurde abgesagt; alle Angemeldeten werden per E-Mail informiert."
    ]
    assert "Diese Schulung wurde abgesagt." in page_text(response)
    course.refresh_from_db()
    assert course.status == CourseStatus.CANCELLED
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([member.email, colleague.email])
    assert all("Die Trainerin ist erkrankt." in mail.body for mail in mailoutbox)
    # The course page tells the participant; nobody can enroll any more.
    text = page_text(client_for(member).get(url("detail", course.pk)))
    assert "Diese Schulung wurde abgesagt." in text


def test_project_staff_extend_the_topic_list(client_for, project_staff, course):
    client = client_for(project_staff)
    page = page_text(client.get(url("topics")))
    assert "Aufenthaltsrecht (1 Schulung)" in page and "Führung im Wandel (0 Schulungen)" in page

    response = client.post(url("topics"), {"name": "  Datenschutz in der Ausländerbehörde "}, follow=True)

    assert messages_of(response) == ["Das Thema „Datenschutz in der Ausländerbehörde“ wurde hinzugefügt."]
    assert "Datenschutz in der Ausländerbehörde (0 Schulungen)" in page_text(response)
    assert ">Datenschutz in der Ausländerbehörde</option>" in client.get(CREATE).content.decode()

    again = client.post(url("topics"), {"name": "Aufenthaltsrecht"})
    assert field_error(again.content.decode(), "id_name") == "Dieses Thema gibt es bereits."
    empty = client.post(url("topics"), {"name": ""})
    assert field_error(empty.content.decode(), "id_name") == "Dieses Feld ist zwingend erforderlich."


@pytest.mark.parametrize("who", ["member", "coordinator", "funder"])
def test_only_project_staff_extend_the_topic_list(client_for, request, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(url("topics")).status_code == 403
    assert client.post(url("topics"), {"name": "Eigenes Thema"}).status_code == 403
    assert not Topic.objects.filter(name="Eigenes Thema").exists()
