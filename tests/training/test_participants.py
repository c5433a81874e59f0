"""The participant list (project staff all, a coordinator their authority's, funders no names), confirming
requests, the CSV export and attendance, with the query budget of the list and the attendance page."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localtime

from tests.factories import CourseDateFactory, EnrollmentFactory, UserFactory
from tests.helpers import page_queries, took_place
from tests.training.helpers import (
    CANCELLED,
    CATALOGUE,
    CONFIRMED,
    REQUESTED,
    WAITLISTED,
    add_enrollments,
    course_on,
    in_days,
    messages_of,
    page_text,
    table_text,
    ticked,
    url,
)
from training.models import Attendance, EnrollmentMode
from training.services import enrollments as services


def test_coordinator_may_not_confirm_requests_of_their_own_authority(
    client_for, coordinator, colleague, course
):
    enrollment = EnrollmentFactory(course=course, participant=colleague, status=REQUESTED, confirmed_at=None)
    assert client_for(coordinator).post(url("enrollment_confirm", enrollment.pk)).status_code == 403
    enrollment.refresh_from_db()
    assert enrollment.status == REQUESTED


def test_project_staff_confirm_a_request_from_the_participant_list(
    client_for, project_staff, member, django_capture_on_commit_callbacks, mailoutbox
):
    course = course_on(30, title="Auf Anfrage", enrollment_mode=EnrollmentMode.REQUEST)
    enrollment = EnrollmentFactory(course=course, participant=member, status=REQUESTED, confirmed_at=None)
    client = client_for(project_staff)
    assert f"{member} bestätigen" in page_text(client.get(url("participants", course.pk)))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("enrollment_confirm", enrollment.pk), follow=True)

    assert response.redirect_chain == [(url("participants", course.pk), 302)]
    assert messages_of(response) == [f"Die Anmeldung von {member} ist bestätigt."]
    enrollment.refresh_from_db()
    assert enrollment.status == CONFIRMED
    assert [mail.to for mail in mailoutbox] == [[member.email]]

    again = client.post(url("enrollment_confirm", enrollment.pk), follow=True)
    assert messages_of(again) == ["Nur offene Anfragen können bestätigt werden."]


def test_coordinator_sees_only_their_own_authoritys_participants(
    client_for, coordinator, colleague, hannover_member, course
):
    EnrollmentFactory(course=course, participant=colleague)
    EnrollmentFactory(course=course, participant=hannover_member)
    client = client_for(coordinator)

    participants = page_text(client.get(url("participants", course.pk)))
    detail = page_text(client.get(url("detail", course.pk)))

    assert str(colleague) in participants and str(colleague) in detail
    assert str(hannover_member) not in participants and str(hannover_member) not in detail
    assert "CSV herunterladen" not in participants and "Anwesenheit" not in participants
    assert client.get(url("participants_csv", course.pk)).status_code == 403


def test_funders_see_no_participant_names(client_for, funder, member, hannover_member, course):
    EnrollmentFactory(course=course, participant=member)
    EnrollmentFactory(course=course, participant=hannover_member, status=WAITLISTED, waitlist_position=1)
    client = client_for(funder)
    # Everyone is called Erika in the factories, the funder too; the last names and addresses are unique.
    names = [member.last_name, member.email, hannover_member.last_name, hannover_member.email]

    for page in (CATALOGUE, url("detail", course.pk)):
        response = client.get(page)
        assert response.status_code == 200
        html = response.content.decode()
        assert not [name for name in names if name in html], page
    for view in ("participants", "participants_csv", "feedback_results"):
        assert client.get(url(view, course.pk)).status_code == 403, view
    assert client.get(url("attendance", course.pk, course.dates.get().pk)).status_code == 403


def test_member_has_no_participant_list(client_for, member, course):
    assert client_for(member).get(url("participants", course.pk)).status_code == 403


def test_project_staff_see_the_participant_list_with_authority_and_status(
    client_for, project_staff, member, hannover_member, course
):
    EnrollmentFactory(course=course, participant=member)
    EnrollmentFactory(course=course, participant=hannover_member, status=WAITLISTED, waitlist_position=1)
    EnrollmentFactory(course=course, status=CANCELLED, confirmed_at=None, participant__last_name="Storniert")

    text = table_text(client_for(project_staff).get(url("participants", course.pk)))

    assert f"{member.get_full_name()} Stadt Mainz Angemeldet" in text
    assert f"{hannover_member.get_full_name()} Region Hannover Warteliste, Platz 1" in text
    assert "Storniert" not in text


def test_participants_csv_has_a_bom_and_semicolons(
    client_for, project_staff, member, hannover_member, course
):
    EnrollmentFactory(course=course, participant=member)
    EnrollmentFactory(course=course, participant=hannover_member, status=WAITLISTED, waitlist_position=1)

    response = client_for(project_staff).get(url("participants_csv", course.pk))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="teilnehmende-{course.pk}.csv"'
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeffName;")
    rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff")), delimiter=";"))
    assert rows == [
        ["Name", "E-Mail-Adresse", "Ausländerbehörde", "Status", "Platz auf der Warteliste"],
        [member.get_full_name(), member.email, "Stadt Mainz", "Angemeldet", ""],
        [hannover_member.get_full_name(), hannover_member.email, "Region Hannover", "Warteliste", "1"],
    ]


# --- attendance -------------------------------------------------------------------------------------------


def test_project_staff_mark_attendance(client_for, project_staff, member, colleague, hannover_member, course):
    date = course.dates.get()
    there = EnrollmentFactory(course=course, participant=member)
    away = EnrollmentFactory(course=course, participant=colleague)
    EnrollmentFactory(course=course, participant=hannover_member, status=WAITLISTED, waitlist_position=1)
    took_place(course)
    client = client_for(project_staff)
    path = url("attendance", course.pk, date.pk)

    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="{there.pk}"' in html and f'value="{away.pk}"' in html
    assert str(hannover_member) not in html, "only confirmed participants are on the list"

    response = client.post(path, {"present": [str(there.pk)]}, follow=True)

    assert messages_of(response) == ["Anwesenheit gespeichert: 1 anwesend."]
    assert response.redirect_chain == [(path, 302)]
    marks = dict(Attendance.objects.values_list("enrollment_id", "present"))
    assert marks == {there.pk: True, away.pk: False}
    html = response.content.decode()
    assert ticked(html, "present") == {str(there.pk)}

    # Marking again updates the same rows.
    client.post(path, {"present": [str(away.pk)]})
    assert dict(Attendance.objects.values_list("enrollment_id", "present")) == {
        there.pk: False,
        away.pk: True,
    }


def test_attendance_ignores_enrollments_of_other_courses(client_for, project_staff, member, course):
    other = course_on(40, title="Andere")
    foreign = EnrollmentFactory(course=other, participant=member)
    path = url("attendance", course.pk, course.dates.get().pk)

    client_for(project_staff).post(path, {"present": [str(foreign.pk)]})

    assert not Attendance.objects.filter(enrollment=foreign).exists()


def test_attendance_of_another_courses_date_is_404(client_for, project_staff, course):
    other = course_on(40, title="Andere")
    assert (
        client_for(project_staff).get(url("attendance", course.pk, other.dates.get().pk)).status_code == 404
    )


@pytest.mark.parametrize("who", ["coordinator", "project_staff"])
def test_participant_list_runs_the_same_queries_for_5_and_50_enrollments(
    client_for, request, mainz, hannover, who, django_assert_max_num_queries
):
    course = course_on(30, title="Groß", capacity=200, enrollment_mode=EnrollmentMode.REQUEST)
    CourseDateFactory(course=course, starts_at=in_days(31), ends_at=in_days(31, hour=16))
    client = client_for(request.getfixturevalue(who))
    add_enrollments(course, 5, mainz)
    EnrollmentFactory(
        course=course, participant=UserFactory(authority=hannover), status=REQUESTED, confirmed_at=None
    )
    with_5 = page_queries(client, url("participants", course.pk))
    add_enrollments(course, 45, mainz)
    for _ in range(5):
        EnrollmentFactory(
            course=course, participant=UserFactory(authority=hannover), status=REQUESTED, confirmed_at=None
        )

    with django_assert_max_num_queries(with_5):
        response = client.get(url("participants", course.pk))
    assert len(response.context["enrollments"]) == 25
    assert response.context["page"].paginator.count == (50 if who == "coordinator" else 56)
    assert with_5 <= 20


@pytest.mark.parametrize("who, expected", [("coordinator", 5), ("project_staff", 5)])
def test_participant_list_query_budget(client_for, request, mainz, who, expected, django_assert_num_queries):
    """Session, user, the course (for project staff with whether there are corrections after the
    start: none here, so no query for them), the page of enrollments with the number of all (a
    window, not a count of its own) and the dates: pinned."""
    course = course_on(30, title="Sehr groß", capacity=300)
    add_enrollments(course, 30, mainz)
    client = client_for(request.getfixturevalue(who))
    client.get(url("participants", course.pk))

    with django_assert_num_queries(expected):
        response = client.get(url("participants", course.pk), {"seite": 2})
    assert "26–30 von 30" in page_text(response)


def test_a_big_participant_list_comes_in_pages_of_25_with_the_same_queries(
    client_for, project_staff, mainz, django_assert_max_num_queries
):
    course = course_on(30, title="Sehr groß", capacity=300)
    client = client_for(project_staff)
    add_enrollments(course, 5, mainz)
    with_5 = page_queries(client, url("participants", course.pk))
    add_enrollments(course, 115, mainz)

    with django_assert_max_num_queries(with_5):
        first = client.get(url("participants", course.pk))
    last = client.get(url("participants", course.pk), {"seite": 5})

    def rows(response):
        return response.content.decode().split("<tbody", 1)[1].split("</tbody>", 1)[0].count("<tr")

    assert (rows(first), rows(last)) == (25, 20)
    assert "1–25 von 120" in page_text(first)
    assert "101–120 von 120" in page_text(last)
    shown = {e.pk for page in (first, last) for e in page.context["enrollments"]}
    assert len(shown) == 45  # nobody on two pages


def _buttons(response) -> list[tuple[str, str]]:
    """Each row button's (action, label): they all submit the page's one form of row actions."""
    html = response.content.decode()
    return re.findall(
        r'<button type="submit" form="teilnehmende-aktionen" formaction="([^"]+)"[^>]*>'
        r'<span class="kern-label">([^<]+)</span>',
        html,
    )


def test_each_row_shows_only_the_buttons_that_apply_and_they_work(
    client_for, project_staff, member, colleague, django_capture_on_commit_callbacks
):
    course = course_on(30, title="Auf Anfrage", enrollment_mode=EnrollmentMode.REQUEST)
    asked = EnrollmentFactory(course=course, participant=member, status=REQUESTED, confirmed_at=None)
    enrolled = EnrollmentFactory(course=course, participant=colleague)
    client = client_for(project_staff)
    page = client.get(url("participants", course.pk))

    assert sorted(_buttons(page)) == sorted(
        [
            (url("enrollment_confirm", asked.pk), f"{member} bestätigen"),
            (url("enrollment_cancel", asked.pk), f"{member} stornieren"),
            (url("enrollment_cancel", enrolled.pk), f"{colleague} stornieren"),
        ]
    )
    html = page.content.decode()
    assert html.count('id="teilnehmende-aktionen"') == 1
    assert "<form" not in html.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    assert f'data-confirm="Anmeldung von {colleague} wirklich stornieren?"' in html

    # What the shared form posts (its token and the way back) with a row's action.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("enrollment_cancel", enrolled.pk), {"next": url("participants", course.pk)}, follow=True
        )
    assert response.redirect_chain == [(url("participants", course.pk), 302)]
    assert messages_of(response) == [f"Die Anmeldung von {colleague} wurde storniert."]
    assert _buttons(response) == [
        (url("enrollment_confirm", asked.pk), f"{member} bestätigen"),
        (url("enrollment_cancel", asked.pk), f"{member} stornieren"),
    ]


def test_after_the_start_project_staff_get_the_correction_link_and_coordinators_no_button(
    client_for, project_staff, coordinator, colleague
):
    course = course_on(-1, title="Begonnen")
    enrollment = EnrollmentFactory(course=course, participant=colleague)

    staff_page = client_for(project_staff).get(url("participants", course.pk))
    coordinator_page = client_for(coordinator).get(url("participants", course.pk))

    assert _buttons(staff_page) == [] and _buttons(coordinator_page) == []
    assert f'href="{url("enrollment_correct", enrollment.pk)}">{colleague} nachträglich stornieren</a>' in (
        staff_page.content.decode()
    )
    assert "nachträglich stornieren" not in coordinator_page.content.decode()


# --- "Person anmelden": a search first, then the choice among the matches ---------------------------------


def _options(response) -> list[str]:
    html = response.content.decode()
    select = (
        html.split('name="participant"', 1)[1].split("</select>", 1)[0]
        if 'name="participant"' in html
        else ""
    )
    return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select)


def test_project_staff_find_a_person_by_name_and_enrol_them_from_the_participant_list(
    client_for, project_staff, member, hannover_member, course, django_capture_on_commit_callbacks
):
    wanted = UserFactory(first_name="Jana", last_name="Zimmermann", authority=hannover_member.authority)
    UserFactory(first_name="Jana", last_name="Zimmer", authority=hannover_member.authority)
    EnrollmentFactory(
        course=course, participant=UserFactory(last_name="Zimmerfrau", authority=hannover_member.authority)
    )
    client = client_for(project_staff)

    first = client.get(url("participants", course.pk))
    assert "Name, E-Mail-Adresse oder Behörde" in page_text(first) and _options(first) == []

    found = client.get(url("participants", course.pk), {"person": "zimmer hannover"})
    assert "2 Personen gefunden." in page_text(found)
    assert _options(found) == ["Jana Zimmer (Region Hannover)", "Jana Zimmermann (Region Hannover)"]
    assert 'value="zimmer hannover"' in found.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        enrolled = client.post(url("enroll", course.pk), {"participant": wanted.pk}, follow=True)
    assert enrolled.redirect_chain == [(url("participants", course.pk), 302)]
    assert str(wanted) in table_text(enrolled)
    again = client.get(url("participants", course.pk), {"person": "Zimmermann"})
    assert "Keine Person gefunden, die noch nicht angemeldet ist. Bitte suchen Sie anders." in page_text(
        again
    )
    assert _options(again) == []


def test_a_wide_search_offers_the_first_30_and_asks_for_a_closer_one(
    client_for, project_staff, mainz, course, django_assert_max_num_queries
):
    client = client_for(project_staff)
    UserFactory.create_batch(5, authority=mainz)
    with_5 = page_queries(client, url("participants", course.pk), {"person": "Mainz"})
    UserFactory.create_batch(35, authority=mainz)

    with django_assert_max_num_queries(with_5):
        response = client.get(url("participants", course.pk), {"person": "Mainz"})

    assert len(_options(response)) == 30
    assert "40 Personen gefunden; die ersten 30 stehen zur Auswahl. Bitte suchen Sie genauer." in page_text(
        response
    )
    assert with_5 <= 20


def test_attendance_page_runs_the_same_queries_for_5_and_50_enrollments(
    client_for, project_staff, mainz, course, django_assert_max_num_queries
):
    course.capacity = 200
    course.save()
    path = url("attendance", course.pk, course.dates.get().pk)
    client = client_for(project_staff)
    add_enrollments(course, 5, mainz)
    with_5 = page_queries(client, path)
    add_enrollments(course, 45, mainz)

    with django_assert_max_num_queries(with_5):
        client.get(path)


# --- attendance through the service ---------------------------------------------------------------


def test_project_staff_record_attendance_per_date_for_confirmed_participants(project_staff, held_course):
    course, (present, absent, waiting) = held_course
    first, second = course.dates.all()

    marked_present = services.attendance_record(
        course_date=first, present_ids={present.pk, waiting.pk}, by=project_staff
    )

    assert marked_present == 1
    assert set(Attendance.objects.values_list("enrollment", "course_date", "present")) == {
        (present.pk, first.pk, True),
        (absent.pk, first.pk, False),
    }
    # Recording again corrects the list instead of adding to it.
    services.attendance_record(course_date=first, present_ids={absent.pk}, by=project_staff)
    services.attendance_record(course_date=second, present_ids={present.pk, absent.pk}, by=project_staff)
    assert set(Attendance.objects.values_list("enrollment", "course_date", "present", "marked_by")) == {
        (present.pk, first.pk, False, project_staff.pk),
        (absent.pk, first.pk, True, project_staff.pk),
        (present.pk, second.pk, True, project_staff.pk),
        (absent.pk, second.pk, True, project_staff.pk),
    }


def test_only_project_staff_record_attendance(coordinator, held_course):
    course, (present, *_) = held_course

    with pytest.raises(PermissionDenied):
        services.attendance_record(course_date=course.dates.first(), present_ids={present.pk}, by=coordinator)
    assert not Attendance.objects.exists()


# The participant list's rows as the template wrote them before they were written in Python (issue 18).
_OLD_ROWS = (Path(__file__).parent / "participant_rows_before.txt").read_text()


def _old_row_values(enrollments, may_manage, begun, language):
    """What the view worked out per row for the old template."""
    with translation.override(language):
        for enrollment in enrollments:
            enrollment.name = name = str(enrollment.participant)
            enrollment.confirm_url = enrollment.cancel_url = enrollment.correct_url = ""
            enrollment.enrolled_by_note = ""
            if may_manage and enrollment.status == REQUESTED:
                enrollment.confirm_label = translation.gettext("%(name)s bestätigen") % {"name": name}
                enrollment.confirm_url = url("enrollment_confirm", enrollment.pk)
            if not begun:
                enrollment.cancel_question = translation.gettext(
                    "Anmeldung von %(name)s wirklich stornieren?"
                ) % {"name": name}
                enrollment.cancel_label = translation.gettext("%(name)s stornieren") % {"name": name}
                enrollment.cancel_url = url("enrollment_cancel", enrollment.pk)
            elif may_manage:
                enrollment.correct_label = translation.gettext("%(name)s nachträglich stornieren") % {
                    "name": name
                }
                enrollment.correct_url = url("enrollment_correct", enrollment.pk)
            enrollment.enrolled_at = date_format(localtime(enrollment.created_at), "SHORT_DATETIME_FORMAT")
            if enrollment.enrolled_by_id and enrollment.enrolled_by_id != enrollment.participant_id:
                enrollment.enrolled_by_note = translation.gettext("von %(name)s") % {
                    "name": enrollment.enrolled_by
                }
        return Template(_OLD_ROWS).render(Context({"enrollments": enrollments}))


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("begun", [False, True])
@pytest.mark.parametrize("who", ["coordinator", "project_staff"])
def test_the_rows_are_the_markup_the_template_wrote(
    client_for, request, mainz, coordinator, who, begun, language
):
    course = course_on(30, title="Groß", capacity=3, enrollment_mode=EnrollmentMode.REQUEST)
    tricky = UserFactory(authority=mainz, first_name="Anna <b>", last_name="O'Neil & Co")
    EnrollmentFactory(course=course, participant=tricky, enrolled_by=coordinator)
    EnrollmentFactory(
        course=course, participant=UserFactory(authority=mainz), status=REQUESTED, confirmed_at=None
    )
    add_enrollments(course, 4, mainz)  # confirmed and on the waiting list
    if begun:
        took_place(course)
    client = client_for(request.getfixturevalue(who))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.get(url("participants", course.pk))

    enrollments = list(response.context["page"])
    assert len(enrollments) == 6
    old = _old_row_values(enrollments, who == "project_staff", begun, language)
    html = response.content.decode()
    assert html.split('<tbody class="kern-table__body">\n', 1)[1].split("</tbody>", 1)[0] == old + "\n      "
