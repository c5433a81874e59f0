"""The start pages of authority staff ("what's next for me") and project staff ("what needs me this
week"): every item links where its work is done, and the pages cost the same queries for more data."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from authorities.models import AssessmentRound, Phase, Questionnaire
from network.models import MinutesItem, Post, ReadMarker, Thread
from portal import start_sections
from portal.accounts.models import Role
from portal.notifications.models import Notification, NotificationStatus
from portal.reports.models import FundingProject, PeriodKind, Programme, ReportingPeriod
from portal.start_sections import Shared, StartItem, StartSection, start_section
from tests.factories import (
    ChangeProcessFactory,
    ContactPersonFactory,
    CourseDateFactory,
    CourseFactory,
    EnrollmentFactory,
    MeetingFactory,
    MeetingRegistrationFactory,
    MilestoneFactory,
    MinutesFactory,
    MinutesItemFactory,
    NetworkFactory,
    UserFactory,
)
from tests.helpers import page_queries
from training.models import EnrollmentMode, EnrollmentStatus

HOME = reverse("pages:home")


def _section(response, key):
    return next((section for section in response.context["sections"] if section.key == key), None)


def _thread_with_posts(network, author, count=1, title="Terminvergabe online"):
    thread = Thread.objects.create(network=network, title=title, created_by=author)
    for n in range(count):
        Post.objects.create(thread=thread, author=author, body=f"Beitrag {n}")
    thread.last_post_at = timezone.now()
    thread.save()
    return thread


# --- authority staff -------------------------------------------------------------------------------


def test_member_sees_their_next_course_with_a_calendar_link(client_for, member):
    later = CourseFactory(title="Interkulturelle Kompetenz")
    sooner = CourseFactory(title="Aufenthaltsrecht kompakt", dates=None)
    CourseDateFactory(course=sooner, starts_at=timezone.now() + dt.timedelta(days=3))
    past = CourseFactory(title="Vergangene Schulung", dates=None)
    CourseDateFactory(course=past, starts_at=timezone.now() - dt.timedelta(days=10))
    for course in (later, sooner, past):
        EnrollmentFactory(course=course, participant=member)

    response = client_for(member).get(HOME)

    section = _section(response, "schulungen")
    assert [item.title for item in section.items] == ["Aufenthaltsrecht kompakt", "Interkulturelle Kompetenz"]
    assert section.items[0].url == sooner.get_absolute_url()
    assert reverse("training:course_ics", args=[sooner.pk]) in response.text


def test_member_sees_the_meetings_of_their_networks_and_which_they_registered_for(
    client_for, member, mainz, hannover
):
    network = NetworkFactory(members=[mainz], name="Netzwerk Rheinhessen")
    registered = MeetingFactory(network=network, title="Frühjahrstreffen")
    MeetingRegistrationFactory(meeting=registered, participant=member)
    MeetingFactory(
        network=network, title="Sommertreffen", starts_at=registered.starts_at + dt.timedelta(days=30)
    )
    MeetingFactory(network=NetworkFactory(members=[hannover]), title="Treffen in Hannover")

    response = client_for(member).get(HOME)

    items = _section(response, "treffen").items
    assert [(item.title, item.badge) for item in items] == [
        ("Frühjahrstreffen", "angemeldet"),
        ("Sommertreffen", ""),
    ]
    assert reverse("network:meeting_ics", args=[network.pk, registered.pk]) in response.text


def test_member_sees_the_open_tasks_of_their_authority_from_published_minutes(
    client_for, member, mainz, hannover
):
    network = NetworkFactory(members=[mainz, hannover])
    published = MinutesFactory(meeting=MeetingFactory(network=network))
    MinutesItemFactory(minutes=published, responsible_authority=mainz, text="Flyer übersetzen lassen")
    MinutesItemFactory(
        minutes=published,
        responsible_authority=mainz,
        text="Schon erledigt",
        done_on=timezone.localdate(),
    )
    MinutesItemFactory(minutes=published, responsible_authority=hannover, text="Aufgabe von Hannover")
    draft = MinutesFactory(meeting=MeetingFactory(network=network), published_at=None)
    MinutesItemFactory(minutes=draft, responsible_authority=mainz, text="Aus dem Entwurf")

    response = client_for(member).get(HOME)

    items = _section(response, "aufgaben").items
    assert [item.title for item in items] == ["Flyer übersetzen lassen"]
    assert items[0].url == published.meeting.get_absolute_url()


def test_member_sees_no_task_of_draft_minutes_nor_of_a_network_their_authority_left(
    client_for, member, mainz, hannover
):
    # The authority has undone tasks (the card's count), but none the page may show.
    draft = MinutesFactory(meeting=MeetingFactory(network=NetworkFactory(members=[mainz])), published_at=None)
    MinutesItemFactory(minutes=draft, responsible_authority=mainz, text="Aus dem Entwurf")
    elsewhere = MinutesFactory(meeting=MeetingFactory(network=NetworkFactory(members=[hannover])))
    MinutesItemFactory(minutes=elsewhere, responsible_authority=mainz, text="Aus einem früheren Netzwerk")

    assert _section(client_for(member).get(HOME), "aufgaben") is None


def test_member_sees_threads_with_unread_posts_of_their_networks(client_for, member, coordinator, mainz):
    network = NetworkFactory(members=[mainz])
    unread = _thread_with_posts(network, coordinator, count=2, title="Online-Terminvergabe")
    read = _thread_with_posts(network, coordinator, title="Schon gelesen")
    ReadMarker.objects.create(user=member, thread=read, read_at=timezone.now())
    _thread_with_posts(network, member, title="Nur eigene Beiträge")
    _thread_with_posts(NetworkFactory(), coordinator, title="Fremdes Netzwerk")

    response = client_for(member).get(HOME)

    items = _section(response, "diskussionen").items
    assert [(item.title, item.badge) for item in items] == [("Online-Terminvergabe", "2 neue Beiträge")]
    assert items[0].url == unread.get_absolute_url()


def test_coordinator_sees_the_process_phase_next_milestones_and_a_due_self_check(
    client_for, coordinator, mainz, project_staff
):
    process = ChangeProcessFactory(authority=mainz, coach=project_staff, phase=Phase.SITE_ASSESSMENT)
    MilestoneFactory(process=process, title="Standortbestimmung abgeschlossen")
    MilestoneFactory(process=process, title="Erreicht", reached_on=timezone.localdate())

    response = client_for(coordinator).get(HOME)

    titles = [item.title for item in _section(response, "prozess").items]
    assert titles == [
        "Phase 2 von 6: Standortbestimmung",
        "Standortbestimmung abgeschlossen",
        "Selbstcheck Willkommenskultur ausfüllen",
    ]
    assert reverse("authorities:assessment_new", args=[mainz.pk, process.pk]) in response.text


def test_coordinator_sees_the_first_three_open_milestones_of_the_running_process_only(
    client_for, coordinator, mainz, project_staff
):
    # The section and the authority's card come from one read that joins the milestones: the card's
    # count of contact persons must not grow with them, nor a finished process's milestones show.
    finished = ChangeProcessFactory(authority=mainz, coach=project_staff, status="completed")
    MilestoneFactory(process=finished, title="Aus dem alten Prozess", due_on=timezone.localdate())
    process = ChangeProcessFactory(authority=mainz, coach=project_staff, phase=Phase.SITE_ASSESSMENT)
    today = timezone.localdate()
    for days, title in ((40, "Vierter"), (10, "Zweiter"), (-3, "Erster"), (20, "Dritter")):
        MilestoneFactory(process=process, title=title, due_on=today + dt.timedelta(days=days))
    MilestoneFactory(process=process, title="Erreicht", due_on=today - dt.timedelta(days=9), reached_on=today)
    questionnaire = Questionnaire.objects.create(title="Selbstcheck")
    AssessmentRound.objects.create(process=process, questionnaire=questionnaire, label="Ausgangslage")
    ContactPersonFactory(authority=mainz)
    ContactPersonFactory(authority=mainz)

    response = client_for(coordinator).get(HOME)

    items = _section(response, "prozess").items
    assert [(item.title, item.badge) for item in items] == [
        ("Phase 2 von 6: Standortbestimmung", ""),
        ("Erster", "überfällig"),
        ("Zweiter", ""),
        ("Dritter", ""),
    ]  # the baseline is done, the follow-up not yet due
    # The milestones are on their part of the process page.
    milestones = reverse("authorities:process_milestones", args=[process.authority_id, process.pk])
    assert items[1].url == milestones + "#meilensteine"
    assert response.context["contacts_count"] == 2


def test_member_sees_the_phase_but_no_self_check_to_fill_in(client_for, member, mainz, project_staff):
    ChangeProcessFactory(authority=mainz, coach=project_staff, phase=Phase.SITE_ASSESSMENT)

    titles = [item.title for item in _section(client_for(member).get(HOME), "prozess").items]

    assert titles == ["Phase 2 von 6: Standortbestimmung"]


def test_coordinator_sees_the_open_requests_of_colleagues(client_for, coordinator, member, mainz, outsider):
    course = CourseFactory(title="Beratung in einfacher Sprache", enrollment_mode=EnrollmentMode.REQUEST)
    EnrollmentFactory(course=course, participant=member, status=EnrollmentStatus.REQUESTED)
    EnrollmentFactory(course=course, participant=coordinator, status=EnrollmentStatus.REQUESTED)
    EnrollmentFactory(course=course, participant=outsider, status=EnrollmentStatus.REQUESTED)

    response = client_for(coordinator).get(HOME)

    items = _section(response, "anfragen").items
    assert [item.title for item in items] == [f"{member.get_full_name()}: Beratung in einfacher Sprache"]
    assert items[0].badge == "Angefragt"
    assert _section(client_for(member).get(HOME), "anfragen") is None


def test_coordinator_sees_their_first_five_courses_and_the_five_oldest_requests_of_colleagues(
    client_for, coordinator, mainz
):
    # Both lists come from one read of the enrollments ahead: each keeps its own order and its five.
    now = timezone.now()
    own, requested = [], []
    for n in range(7):
        course = CourseFactory(title=f"Eigene {n}", dates=None)
        CourseDateFactory(course=course, starts_at=now + dt.timedelta(days=20 - 2 * n))  # the last first
        EnrollmentFactory(course=course, participant=coordinator)
        own.append(course.title)
    over = CourseFactory(title="Vorbei", dates=None)
    CourseDateFactory(course=over, starts_at=now - dt.timedelta(days=3))
    EnrollmentFactory(course=over, participant=coordinator)
    for n in range(7):
        colleague = UserFactory(authority=mainz, first_name="Kollegin", last_name=str(n))
        course = CourseFactory(title=f"Anfrage {n}")
        enrollment = EnrollmentFactory(course=course, participant=colleague, status="requested")
        type(enrollment).objects.filter(pk=enrollment.pk).update(created_at=now - dt.timedelta(days=n))
        requested.append(f"Kollegin {n}: Anfrage {n}")
    late = UserFactory(authority=mainz)
    EnrollmentFactory(course=over, participant=late, status=EnrollmentStatus.REQUESTED)  # nothing ahead

    response = client_for(coordinator).get(HOME)

    assert [item.title for item in _section(response, "schulungen").items] == own[::-1][:5]
    assert [item.title for item in _section(response, "anfragen").items] == requested[::-1][:5]


def test_member_without_anything_ahead_is_told_so(client_for, member):
    text = client_for(member).get(HOME).text

    assert "Sie sind zu keiner kommenden Schulung angemeldet." in text
    assert "In Ihren Netzwerken ist kein Treffen geplant." in text
    assert "Ungelesene Diskussionen" not in text


def test_a_section_an_app_registers_appears_on_the_start_page(client_for, member, monkeypatch):
    # The extension point a running survey wave (built elsewhere) uses: a function in an app's
    # start_sections.py, registered for a role. The apps' own sections are loaded first, so that the
    # copy taken here holds them and the registry is left as it was.
    start_sections.load_start_sections(Role.AUTHORITY_STAFF)
    monkeypatch.setitem(
        start_sections.SECTIONS, Role.AUTHORITY_STAFF, list(start_sections.SECTIONS[Role.AUTHORITY_STAFF])
    )

    @start_section(Role.AUTHORITY_STAFF, order=70)
    def survey_wave(user, now, shared):
        return StartSection(
            key="befragung",
            title="Kundenbefragung läuft",
            items=[StartItem(title="Befragung 2027", url="/behoerden/")],
        )

    text = client_for(member).get(HOME).text

    assert "Kundenbefragung läuft" in text and 'href="/behoerden/"' in text


# --- project staff -----------------------------------------------------------------------------------


def test_project_staff_see_what_needs_them_this_week(client_for, project_staff, member):
    requested = CourseFactory(title="Anfrage-Schulung", enrollment_mode=EnrollmentMode.REQUEST)
    EnrollmentFactory(course=requested, participant=member, status=EnrollmentStatus.REQUESTED)
    soon = CourseFactory(title="Beginnt in drei Tagen", dates=None)
    CourseDateFactory(course=soon, starts_at=timezone.now() + dt.timedelta(days=3))
    CourseFactory(title="Beginnt in einem Monat")
    began = CourseFactory(title="Begann vorige Woche", dates=None)  # its second date is this week
    CourseDateFactory(course=began, starts_at=timezone.now() - dt.timedelta(days=5))
    CourseDateFactory(course=began, starts_at=timezone.now() + dt.timedelta(days=2))
    draft = CourseFactory(title="Entwurf", status="draft", dates=None)
    CourseDateFactory(course=draft, starts_at=timezone.now() + dt.timedelta(days=2))
    MeetingFactory(title="Fachtag morgen", starts_at=timezone.now() + dt.timedelta(days=1))
    today = timezone.localdate()
    ReportingPeriod.objects.create(
        title="Zwischenbericht 2026",
        kind=PeriodKind.INTERIM,
        starts_on=today - dt.timedelta(days=200),
        ends_on=today - dt.timedelta(days=20),
        due_on=today + dt.timedelta(days=5),
    )
    earlier = FundingProject.objects.create(
        title="Vorgängerprojekt",
        programme=Programme.values[0],
        beneficiary="Träger",
        starts_on=dt.date(2015, 1, 1),
        ends_on=dt.date(2017, 12, 31),
    )
    ReportingPeriod.objects.create(  # history, not work: a period of an earlier project
        project=earlier,
        title="Schlussbericht 2017",
        kind=PeriodKind.FINAL,
        starts_on=dt.date(2015, 1, 1),
        ends_on=dt.date(2017, 12, 31),
        due_on=dt.date(2018, 3, 31),
    )
    Notification.objects.create(status=NotificationStatus.FAILED, payload={})

    response = client_for(project_staff).get(HOME)

    requests = _section(response, "anfragen")
    assert requests.total == 1 and requests.items[0].url == reverse(
        "training:participants", args=[requested.pk]
    )
    assert [item.title for item in _section(response, "schulungen").items] == ["Beginnt in drei Tagen"]
    assert [item.title for item in _section(response, "treffen").items] == ["Fachtag morgen"]
    assert [item.title for item in _section(response, "berichte").items] == ["Zwischenbericht 2026"]
    assert _section(response, "e-mails").items[0].title == "1 E-Mail konnte nicht zugestellt werden"
    assert response.context["open_items"]["failed_mails"] == 1
    assert [section.key for section in response.context["sections"]][-1] == "e-mails"
    assert reverse("notifications:failed") in response.text


def test_project_staff_see_how_many_requests_wait_beyond_the_first_five(client_for, project_staff, mainz):
    course = CourseFactory(title="Anfrage-Schulung", enrollment_mode=EnrollmentMode.REQUEST)
    cancelled = CourseFactory(title="Abgesagte Schulung", status="cancelled")
    people = [UserFactory(authority=mainz, last_name=f"Person {n}") for n in range(8)]
    for person in people[:7]:
        EnrollmentFactory(course=course, participant=person, status=EnrollmentStatus.REQUESTED)
    EnrollmentFactory(course=cancelled, participant=people[7], status=EnrollmentStatus.REQUESTED)
    EnrollmentFactory(course=course, participant=UserFactory(authority=mainz))  # confirmed: no request

    response = client_for(project_staff).get(HOME)

    requests = _section(response, "anfragen")
    assert requests.total == 7
    assert [item.meta.split(" · ")[0] for item in requests.items] == [
        person.get_full_name() for person in people[:5]
    ]
    assert '<span class="kern-label kern-label--small">7</span>' in response.text


def test_failed_mails_are_a_registered_section_and_counted_once_for_it_and_their_card(
    client_for, project_staff, monkeypatch
):
    # The section is in the registry at its order (50): a section an app registers later comes after it.
    start_sections.load_start_sections(Role.PROJECT_STAFF)
    monkeypatch.setitem(
        start_sections.SECTIONS, Role.PROJECT_STAFF, list(start_sections.SECTIONS[Role.PROJECT_STAFF])
    )

    @start_section(Role.PROJECT_STAFF, order=60)
    def survey_results(user, now, shared):
        return StartSection(key="befragung", title="Befragung ausgewertet", empty="Keine neuen Ergebnisse.")

    Notification.objects.create(status=NotificationStatus.FAILED, payload={})
    Notification.objects.create(status=NotificationStatus.FAILED, payload={})

    with CaptureQueriesContext(connection) as queries:
        response = client_for(project_staff).get(HOME)

    assert [section.key for section in response.context["sections"]][-2:] == ["e-mails", "befragung"]
    assert _section(response, "e-mails").items[0].title == "2 E-Mails konnten nicht zugestellt werden"
    assert '<p class="portal-figure">2</p>' in response.text  # the open items' card
    counted = [query for query in queries if Notification._meta.db_table in query["sql"]]
    assert len(counted) == 1


def test_a_shared_read_is_done_once_per_page_and_arguments():
    calls = []

    def read(*args):
        calls.append(args)
        return len(calls)

    shared = Shared()

    assert [shared(read), shared(read), shared(read, 7), shared(read, 7)] == [1, 1, 2, 2]
    assert calls == [(), (7,)]
    assert Shared()(read) == 3  # a new page reads afresh


def test_project_staff_start_page_runs_at_most_eight_queries(
    client_for, mainz, member, coordinator, project_staff
):
    _more_of_everything(2, mainz=mainz, member=member, coordinator=coordinator, project_staff=project_staff)
    for n in range(3):
        course = CourseFactory(dates=None, title=f"Diese Woche {n}")
        CourseDateFactory(course=course, starts_at=timezone.now() + dt.timedelta(days=n + 1))
        EnrollmentFactory(course=course)
    client = client_for(project_staff)
    client.get(HOME)

    # Session and user, two for the figures, four for the sections (a second factor adds its device);
    # 13 before the figures and the number of requests came along with other queries, 10 before the
    # failed mails were counted once for the open items and their section (`Shared`), 9 before the
    # open invitations and failed mails were counted in one statement (issue 18).
    assert page_queries(client, HOME) <= 8


# --- query budget --------------------------------------------------------------------------------------


def _more_of_everything(n, *, mainz, member, coordinator, project_staff):
    network = NetworkFactory(members=[mainz])
    for _ in range(n):
        course = CourseFactory(enrollment_mode=EnrollmentMode.REQUEST)
        EnrollmentFactory(course=course, participant=member)
        EnrollmentFactory(
            course=course, participant=UserFactory(authority=mainz), status=EnrollmentStatus.REQUESTED
        )
        meeting = MeetingFactory(network=network, starts_at=timezone.now() + dt.timedelta(days=2))
        MeetingRegistrationFactory(meeting=meeting, participant=member)
        MinutesItemFactory(
            minutes=MinutesFactory(meeting=MeetingFactory(network=network)), responsible_authority=mainz
        )
        _thread_with_posts(network, coordinator, count=2)
        Notification.objects.create(status=NotificationStatus.FAILED, payload={})
    process = ChangeProcessFactory(authority=mainz, coach=project_staff) if n == 2 else mainz.processes.get()
    for _ in range(n):
        MilestoneFactory(process=process)


@pytest.mark.parametrize("who", ["project_staff", "member", "coordinator"])
def test_start_pages_run_the_same_queries_for_more_data(
    client_for, request, mainz, member, coordinator, project_staff, django_assert_num_queries, who
):
    client = client_for(request.getfixturevalue(who))
    people = {"mainz": mainz, "member": member, "coordinator": coordinator, "project_staff": project_staff}
    _more_of_everything(2, **people)
    with_2 = page_queries(client, HOME)
    _more_of_everything(12, **people)

    with django_assert_num_queries(with_2):
        client.get(HOME)


def test_dates_are_the_days_of_the_portals_time_zone(client_for, coordinator, member):
    course = CourseFactory(enrollment_mode=EnrollmentMode.REQUEST)
    enrollment = EnrollmentFactory(course=course, participant=member, status=EnrollmentStatus.REQUESTED)
    late_evening_utc = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)  # 1 January in Berlin
    type(enrollment).objects.filter(pk=enrollment.pk).update(created_at=late_evening_utc)

    items = _section(client_for(coordinator).get(HOME), "anfragen").items

    assert items[0].meta == "angefragt am 01.01.2027"


def test_member_sees_how_many_contact_persons_their_authority_has(client_for, member, mainz, hannover):
    ContactPersonFactory(authority=mainz)
    ContactPersonFactory(authority=mainz)
    ContactPersonFactory(authority=hannover)

    assert client_for(member).get(HOME).context["contacts_count"] == 2


def test_project_staff_with_admin_rights_find_the_admin_in_the_administration_menu(client_for, project_staff):
    def administration(user):
        navigation = client_for(user).get(HOME).context["main_navigation"]
        group = next(item for item in navigation if item.get("group"))
        return {str(link["label"]): link["url"] for link in group["group"]}

    assert "Datenpflege (Django-Admin)" not in administration(project_staff)
    project_staff.is_staff = True
    project_staff.save()
    assert administration(project_staff)["Datenpflege (Django-Admin)"] == reverse("admin:index")
    assert administration(project_staff)["Sicherheitsprotokoll"] == reverse("privacy:security_log")


def test_english_readers_get_the_start_page_in_english(client_for, member, settings):
    client = client_for(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    text = client.get(HOME).text

    assert "My next courses" in text and "Next meetings of your networks" in text
    assert "Meine nächsten Schulungen" not in text


def test_coordinators_start_page_runs_seven_queries(
    client_for, mainz, member, coordinator, project_staff, django_assert_num_queries
):
    """Session and user, one query per section, but two pairs in one each: the running process with its
    open milestones and the authority's card, the own courses and the colleagues' requests (ten before,
    issue 18). Pinned, so that a query per item (a field left out of an `only()`) shows at once."""
    people = {"mainz": mainz, "member": member, "coordinator": coordinator, "project_staff": project_staff}
    _more_of_everything(2, **people)  # with a running process
    _more_of_everything(4, **people)
    client = client_for(coordinator)
    shown = {section.key: section for section in client.get(HOME).context["sections"]}
    assert {"treffen", "aufgaben", "prozess", "anfragen"} <= shown.keys()
    assert len(shown["anfragen"].items) == 5 and len(shown["treffen"].items) == 5

    with django_assert_num_queries(7):
        response = client.get(HOME)
    assert response.status_code == 200


def test_coordinators_start_page_does_not_look_for_tasks_when_the_authority_has_none_undone(
    client_for, mainz, hannover, member, coordinator, project_staff, django_assert_num_queries
):
    """The authority's card counts its undone tasks in its own query: without any, the task section
    runs no query (issue 18: most authorities have none)."""
    people = {"mainz": mainz, "member": member, "coordinator": coordinator, "project_staff": project_staff}
    _more_of_everything(2, **people)
    MinutesItem.objects.filter(responsible_authority=mainz).update(done_on=timezone.localdate())
    MinutesItemFactory(responsible_authority=hannover)
    client = client_for(coordinator)
    client.get(HOME)

    with django_assert_num_queries(6):
        response = client.get(HOME)
    assert _section(response, "aufgaben") is None
    assert {"treffen", "prozess", "anfragen"} <= {section.key for section in response.context["sections"]}
