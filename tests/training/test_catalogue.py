"""The catalogue as each role sees it: upcoming courses with free seats and one's own status, drafts
only for project staff, courses open to one's state, the filters, and its query budget."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.timezone import localtime

from portal.formats import weekday_date
from tests.factories import CourseDateFactory, EnrollmentFactory, TopicFactory, UserFactory
from tests.helpers import page_queries
from tests.training.helpers import (
    CANCELLED,
    CATALOGUE,
    MINE,
    WAITLISTED,
    course_on,
    course_titles,
    in_days,
    page_text,
    url,
)
from training.forms import CatalogueFilterForm
from training.models import CourseFormat, CourseStatus, Enrollment, OpenTo, Topic


def test_catalogue_shows_upcoming_published_courses_with_free_seats_and_own_status(
    client_for, member, colleague, mainz
):
    open_course = course_on(20, title="A: Offene Schulung", capacity=3)
    EnrollmentFactory(course=open_course, participant=member)
    full = course_on(25, title="B: Ausgebuchte Schulung", capacity=1)
    EnrollmentFactory(course=full, participant=colleague)
    EnrollmentFactory(course=full, participant=member, status=WAITLISTED, waitlist_position=1)
    course_on(-20, title="Vergangene Schulung")
    course_on(30, title="Entwurf einer Schulung", status=CourseStatus.DRAFT)
    course_on(30, title="Abgesagte Schulung", status=CourseStatus.CANCELLED)
    cancelled_mine = course_on(35, title="C: Storniert", capacity=5)
    EnrollmentFactory(course=cancelled_mine, participant=member, status=CANCELLED, confirmed_at=None)

    response = client_for(member).get(CATALOGUE)

    assert response.status_code == 200
    assert course_titles(response) == ["A: Offene Schulung", "B: Ausgebuchte Schulung", "C: Storniert"]
    text = page_text(response)
    assert "3 Schulungen gefunden" in text
    cards = text.split("Präsenz ")
    open_card = next(card for card in cards if card.startswith("A: Offene Schulung"))
    assert "2 Plätze frei" in open_card and "Angemeldet" in open_card
    full_card = next(card for card in cards if card.startswith("B: Ausgebuchte Schulung"))
    assert "Ausgebucht – Warteliste" in full_card and "Warteliste, Platz 1" in full_card
    cancelled_card = next(card for card in cards if card.startswith("C: Storniert"))
    assert "5 Plätze frei" in cancelled_card and "Angemeldet" not in cancelled_card


def test_catalogue_shows_drafts_only_to_project_staff(client_for, project_staff, member, funder):
    course_on(30, title="Entwurf einer Schulung", status=CourseStatus.DRAFT)
    course_on(31, title="Veröffentlichte Schulung")

    staff_page = client_for(project_staff).get(CATALOGUE)
    assert course_titles(staff_page) == ["Entwurf einer Schulung", "Veröffentlichte Schulung"]
    assert "Entwurf" in page_text(staff_page)
    for user in (member, funder):
        assert course_titles(client_for(user).get(CATALOGUE)) == ["Veröffentlichte Schulung"]


def test_authority_staff_see_only_courses_open_to_their_state(client_for, member, outsider, funder):
    rp = course_on(30, title="Nur Rheinland-Pfalz", open_to=OpenTo.RP)
    ni = course_on(31, title="Nur Niedersachsen", open_to=OpenTo.NI)
    course_on(32, title="Beide Länder", open_to=OpenTo.BOTH)

    assert course_titles(client_for(member).get(CATALOGUE)) == ["Nur Rheinland-Pfalz", "Beide Länder"]
    assert course_titles(client_for(outsider).get(CATALOGUE)) == ["Nur Niedersachsen", "Beide Länder"]
    assert len(course_titles(client_for(funder).get(CATALOGUE))) == 3
    # The course page and enrollment of a course for the other state do not exist for them.
    assert client_for(member).get(url("detail", ni.pk)).status_code == 404
    assert client_for(outsider).get(url("detail", rp.pk)).status_code == 404
    assert client_for(outsider).post(url("enroll", rp.pk)).status_code == 404
    assert not Enrollment.objects.exists()


@pytest.fixture
def assorted(db, member):
    """Three upcoming courses that differ in topic, state, format, month and free seats."""
    law = TopicFactory(name="Aufenthaltsrecht")
    culture = TopicFactory(name="Interkulturelle Kompetenz")
    full = course_on(30, title="Präsenz in Rheinland-Pfalz", topic=law, open_to=OpenTo.RP, capacity=1)
    EnrollmentFactory(course=full, participant=UserFactory(authority=member.authority))
    course_on(
        75,
        title="Online in Niedersachsen",
        topic=culture,
        open_to=OpenTo.NI,
        format=CourseFormat.ONLINE,
        location="",
        online_link="https://video.example.org/raum",
    )
    course_on(
        32,
        title="Hybrid für beide",
        topic=law,
        open_to=OpenTo.BOTH,
        format=CourseFormat.HYBRID,
        online_link="https://video.example.org/raum",
    )
    return {"law": law, "culture": culture}


def _month(days) -> str:
    return f"{in_days(days):%Y-%m}"


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, ["Präsenz in Rheinland-Pfalz", "Hybrid für beide", "Online in Niedersachsen"]),
        ({"topic": "culture"}, ["Online in Niedersachsen"]),
        ({"topic": "law"}, ["Präsenz in Rheinland-Pfalz", "Hybrid für beide"]),
        ({"state": "RP"}, ["Präsenz in Rheinland-Pfalz", "Hybrid für beide"]),
        ({"state": "NI"}, ["Hybrid für beide", "Online in Niedersachsen"]),
        ({"format": "online"}, ["Online in Niedersachsen"]),
        ({"format": "in_person"}, ["Präsenz in Rheinland-Pfalz"]),
        ({"month": 75}, ["Online in Niedersachsen"]),
        ({"free_seats": "on"}, ["Hybrid für beide", "Online in Niedersachsen"]),
        ({"state": "RP", "free_seats": "on", "topic": "law"}, ["Hybrid für beide"]),
        # Values that are not on offer are ignored, not an error.
        (
            {"state": "BY", "month": "kaputt"},
            ["Präsenz in Rheinland-Pfalz", "Hybrid für beide", "Online in Niedersachsen"],
        ),
    ],
)
def test_catalogue_filters(client_for, funder, assorted, params, expected):
    query = dict(params)
    if "topic" in query:
        query["topic"] = assorted[query["topic"]].pk
    if isinstance(query.get("month"), int):
        query["month"] = _month(query["month"])

    response = client_for(funder).get(CATALOGUE, query)

    assert response.status_code == 200
    assert course_titles(response) == expected
    assert f"{len(expected)} Schulung" in page_text(response)


def test_catalogue_month_filter_counts_a_course_with_several_dates_in_the_month_once(client_for, funder):
    course = course_on(40, title="Zweitägig")
    CourseDateFactory(course=course, starts_at=in_days(41), ends_at=in_days(41, hour=16))
    month = f"{in_days(40):%Y-%m}"
    assert course_titles(client_for(funder).get(CATALOGUE, {"month": month})).count("Zweitägig") == 1


def test_catalogue_says_so_when_no_course_matches(client_for, member, course):
    response = client_for(member).get(CATALOGUE, {"format": "online"})
    assert course_titles(response) == []
    assert "Keine Schulung passt zu den gewählten Filtern." in page_text(response)


def _add_courses(n, member):
    for i in range(n):
        course = course_on(10 + i % 60, title=f"Schulung {i:03d}", capacity=3)
        EnrollmentFactory(course=course)
        if i % 2:
            EnrollmentFactory(course=course, participant=member)
        CourseDateFactory(
            course=course, starts_at=in_days(70 + i % 30), ends_at=in_days(70 + i % 30, hour=16)
        )


@pytest.mark.parametrize("who", ["member", "project_staff", "funder"])
@pytest.mark.parametrize(
    "params", [{}, {"free_seats": "on", "state": "RP", "format": "in_person"}, {"seite": "2"}]
)
def test_catalogue_runs_the_same_queries_for_5_and_50_courses(
    client_for, request, member, who, params, django_assert_max_num_queries
):
    client = client_for(request.getfixturevalue(who))
    _add_courses(5, member)
    with_5 = page_queries(client, CATALOGUE, params)
    _add_courses(45, member)

    with django_assert_max_num_queries(with_5):
        response = client.get(CATALOGUE, params)
    assert len(course_titles(response)) == 20


@pytest.fixture
def over_the_years(db):
    """Courses before, around and after today, a draft copied from a past course among them."""
    course_on(-40, title="Lange her")
    course_on(-5, title="Letzte Woche")
    course_on(-60, title="Alter Entwurf", status=CourseStatus.DRAFT)
    course_on(-10, title="Abgesagt vorbei", status=CourseStatus.CANCELLED)
    course_on(10, title="Bald")
    course_on(20, title="Neuer Entwurf", status=CourseStatus.DRAFT)
    running = course_on(-2, title="Läuft noch")
    CourseDateFactory(course=running, starts_at=in_days(3), ends_at=in_days(3, hour=16))


@pytest.mark.parametrize(
    "when, expected",
    [
        (None, ["Läuft noch", "Bald", "Neuer Entwurf"]),
        ("kommend", ["Läuft noch", "Bald", "Neuer Entwurf"]),
        # The most recent first: the course just held is where attendance and certificates are due.
        ("vergangen", ["Letzte Woche", "Abgesagt vorbei", "Lange her", "Alter Entwurf"]),
        ("entwuerfe", ["Alter Entwurf", "Neuer Entwurf"]),
        (
            "alle",
            [
                "Neuer Entwurf",
                "Bald",
                "Läuft noch",
                "Letzte Woche",
                "Abgesagt vorbei",
                "Lange her",
                "Alter Entwurf",
            ],
        ),
        ("kaputt", ["Läuft noch", "Bald", "Neuer Entwurf"]),
    ],
)
def test_project_staff_choose_upcoming_past_drafts_or_all_courses(
    client_for, project_staff, over_the_years, when, expected
):
    response = client_for(project_staff).get(CATALOGUE, {"when": when} if when else {})

    assert course_titles(response) == expected


def test_past_courses_say_so_instead_of_their_free_seats(client_for, project_staff, over_the_years):
    text = page_text(client_for(project_staff).get(CATALOGUE, {"when": "vergangen"}))

    assert "Angezeigt: Vergangene Schulungen." in text
    assert "Letzte Woche" in text and "Plätze frei" not in text
    assert text.count("Vergangen ") >= 2 and "Abgesagt" in text


@pytest.mark.parametrize("who", ["member", "funder"])
def test_authority_staff_and_funders_see_upcoming_courses_whatever_they_ask_for(
    client_for, request, who, over_the_years
):
    response = client_for(request.getfixturevalue(who)).get(CATALOGUE, {"when": "vergangen"})

    assert course_titles(response) == ["Läuft noch", "Bald"]
    assert 'name="when"' not in response.content.decode()


def test_authority_staff_are_pointed_to_their_past_courses(client_for, member, funder):
    assert f'href="{MINE}">Meine Schulungen</a>' in client_for(member).get(CATALOGUE).content.decode()
    assert "Ihre vergangenen Schulungen" not in page_text(client_for(funder).get(CATALOGUE))


@pytest.mark.parametrize("when", ["vergangen", "alle", "entwuerfe"])
def test_past_and_all_courses_run_the_same_queries_for_5_and_50_courses(
    client_for, project_staff, member, when, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            course = course_on(
                -10 - i % 60,
                title=f"Schulung {i:03d}",
                status=CourseStatus.DRAFT if i % 3 else CourseStatus.PUBLISHED,
            )
            EnrollmentFactory(course=course)

    client = client_for(project_staff)
    add(5)
    with_5 = page_queries(client, CATALOGUE, {"when": when})
    add(45)

    with django_assert_max_num_queries(with_5):
        response = client.get(CATALOGUE, {"when": when})
    assert len(course_titles(response)) == 20


def test_project_staff_filter_past_courses_by_month(client_for, project_staff, member, over_the_years):
    month = f"{in_days(-40):%Y-%m}"
    # The past courses of `over_the_years`, the most recent first, that fall in that month.
    past = [(-5, "Letzte Woche"), (-10, "Abgesagt vorbei"), (-40, "Lange her"), (-60, "Alter Entwurf")]
    expected = [title for days, title in past if f"{in_days(days):%Y-%m}" == month]

    staff_page = client_for(project_staff).get(CATALOGUE, {"when": "vergangen", "month": month})

    assert "Lange her" in expected and course_titles(staff_page) == expected
    # Authority staff are offered the coming months only.
    assert f'value="{month}"' not in client_for(member).get(CATALOGUE).content.decode()


# --- the filter form, kept rendered per process (issue 18) ------------------------------------------


def _topic_options(response) -> list[tuple[str, bool]]:
    """The topic select's options as (label, selected)."""
    select = re.search(r'<select name="topic".*?</select>', response.content.decode(), re.S)
    assert select
    return [
        (label, bool(selected))
        for selected, label in re.findall(r"<option value=\"[^\"]*\"( selected)?>([^<]*)</option>", select[0])
    ]


def test_a_new_or_renamed_topic_is_offered_in_the_filters_at_once(client_for, project_staff, member, topic):
    client = client_for(member)
    before = [label for label, _selected in _topic_options(client.get(CATALOGUE))]
    assert "Fachkräfteeinwanderung" in before and "Zuwanderung kompakt" not in before

    client_for(project_staff).post(reverse("training:topics"), {"name": "Zuwanderung kompakt"})
    Topic.objects.filter(pk=topic.pk).update(name="Zuwanderung von Fachkräften")  # as in the Django admin

    after = [label for label, _selected in _topic_options(client.get(CATALOGUE))]
    assert after == [
        "Alle Themen",
        *sorted(
            {*before[1:], "Zuwanderung kompakt", "Zuwanderung von Fachkräften"} - {"Fachkräfteeinwanderung"}
        ),
    ]


def test_the_filters_show_what_each_request_chose_in_its_language(client_for, member, funder, assorted):
    law, culture = assorted["law"], assorted["culture"]
    for who in (member, funder, member):
        client = client_for(who)
        for topic, expected in (
            (law, "Aufenthaltsrecht"),
            (culture, "Interkulturelle Kompetenz"),
            (None, ""),
        ):
            response = client.get(CATALOGUE, {"topic": topic.pk} if topic else {})
            chosen = [label for label, selected in _topic_options(response) if selected]
            assert chosen == [expected or "Alle Themen"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(CATALOGUE, {"topic": law.pk, "free_seats": "on"})
    assert _topic_options(english)[0] == ("All topics", False)
    assert 'name="free_seats" class="kern-form-check__checkbox" id="id_free_seats" checked' in (
        english.content.decode()
    )


@pytest.mark.parametrize(
    "query", ["", "?when=vergangen&topic={pk}&free_seats=on&seite=2", "?topic=kaputt&state=BY"]
)
def test_the_kept_filter_form_is_what_crispy_renders(rf, topic, query):
    request = rf.get(CATALOGUE + query.format(pk=topic.pk))
    crispy = Template("{% load crispy_forms_tags %}{% crispy form %}")

    for _ in range(2):  # rendered, then kept
        form = CatalogueFilterForm(request.GET, may_manage=True)
        assert form.rendered(request) == crispy.render(Context({"form": form, "request": request}))


@pytest.mark.parametrize("who, expected", [("member", 4), ("project_staff", 4)])
def test_catalogue_query_budget(client_for, request, member, who, expected, django_assert_num_queries):
    """Session, user, the topics and the page of courses with the number of all (a window, not a
    count of its own; authority staff's state is a subquery, not a query of its own): pinned, so
    that a query per card or per option shows at once."""
    _add_courses(25, member)
    client = client_for(request.getfixturevalue(who))
    client.get(CATALOGUE)

    with django_assert_num_queries(expected):
        client.get(CATALOGUE, {"free_seats": "on", "seite": "2"})


# The catalogue's cards as the template's loop wrote them before they were written in Python (issue 18).
_OLD_CARDS = (Path(__file__).parent / "catalogue_cards_before.txt").read_text()


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("who, params", [("member", {}), ("project_staff", {"when": "alle"})])
def test_the_cards_are_the_markup_the_template_loop_wrote(
    client_for, request, member, colleague, language, who, params
):
    tricky = TopicFactory(name="Recht & <Praxis>")
    mine = course_on(20, title="A <b>fett</b> & mehr", capacity=3, topic=tricky, location="Mainz & Umgebung")
    EnrollmentFactory(course=mine, participant=member)
    one_left = course_on(21, title="B: ein Platz", capacity=2, location="")
    EnrollmentFactory(course=one_left, participant=colleague)
    full = course_on(25, title="C: ausgebucht", capacity=1, format=CourseFormat.ONLINE)
    EnrollmentFactory(course=full, participant=colleague)
    EnrollmentFactory(course=full, participant=member, status=WAITLISTED, waitlist_position=1)
    course_on(-20, title="D: vergangen")
    course_on(30, title="E: Entwurf", status=CourseStatus.DRAFT)
    course_on(30, title="F: abgesagt", status=CourseStatus.CANCELLED)
    client = client_for(request.getfixturevalue(who))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.get(CATALOGUE, params)

    page = response.context["page"]
    with translation.override(language):
        for course in page:
            course.url = reverse("training:detail", args=[course.pk])
            course.format_label = course.get_format_display()
            start = course.first_start
            course.starts = translation.gettext("ab %(date)s") % {"date": weekday_date(localtime(start))}
            course.free_seats_label = translation.ngettext(
                "%(counter)s Platz frei", "%(counter)s Plätze frei", course.free_seats
            ) % {"counter": course.free_seats}
        old = Template(_OLD_CARDS).render(Context({"page": page}))
    html = response.content.decode()
    assert len(page) == (3 if who == "member" else 6)
    assert (
        html.split('<ul class="portal-cards portal-course-list">\n', 1)[1].split("</ul>", 1)[0] + "</ul>"
        == old
    )
