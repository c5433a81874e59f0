"""Trainings in headless Chromium with the demo data: an authority-staff user finds a course with the
filters, enrolls, downloads the calendar file and cancels; a full course puts the next person on the
waiting list, who moves up by themselves when the seat frees up; every training page passes axe
(WCAG 2.1 A/AA), loads nothing from another host and trips no Content Security Policy."""

import re
from datetime import datetime, time, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from portal.accounts.models import User
from tests.e2e.pages import DEMO_USERS, record_dialogs
from training.models import Attendance, Course, CourseFormat, Enrollment, EnrollmentStatus, Topic
from training.services import courses as services

pytestmark = pytest.mark.e2e

TABLET = {"width": 768, "height": 1024}


def nav(page):
    return page.get_by_role("navigation", name="Hauptnavigation")


def main(page):
    return page.get_by_role("main")


def message(page, text: str):
    """The flash message at the top of the page that contains `text`."""
    return main(page).locator(".portal-messages").get_by_text(text)


def heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def accept_confirmations(page) -> None:
    # Cancelling asks "wirklich stornieren?" through window.confirm; Playwright would dismiss it.
    page.on("dialog", lambda dialog: dialog.accept())


def course_cards(page) -> list[str]:
    return main(page).locator(".portal-course-list").get_by_role("heading", level=2).all_inner_texts()


def one_day_course(title: str, *, capacity: int, days: int = 21) -> Course:
    """A published course open to both states, directly bookable, with one date `days` from today."""
    staff = User.objects.get(email=DEMO_USERS["project_staff"])
    day = timezone.localdate() + timedelta(days=days)
    course = services.course_create(
        by=staff,
        dates=[
            {
                "starts_at": timezone.make_aware(datetime.combine(day, time(9))),
                "ends_at": timezone.make_aware(datetime.combine(day, time(16))),
                "room": "Raum 0.01",
            }
        ],
        title=title,
        topic=Topic.objects.get(name="Aufenthaltsrecht"),
        description="Ein Tag zu den Grundlagen.",
        target_group="Sachbearbeitung",
        format=CourseFormat.IN_PERSON,
        location="Kassel, Tagungshaus",
        trainers="Ute Fromm",
        capacity=capacity,
        open_to="both",
    )
    return services.course_publish(course=course, by=staff)


def test_authority_staff_find_enroll_download_and_cancel(browsing):
    page = browsing.page
    accept_confirmations(page)
    browsing.login(DEMO_USERS["authority_staff"])  # Region Hannover, Niedersachsen

    with page.expect_navigation():
        page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
            "link", name="Schulungen", exact=True
        ).click()
    assert heading(page) == "Schulungen"
    browsing.axe("catalogue")
    browsing.screenshot("training-catalogue")
    everything = course_cards(page)
    assert "Westbalkanregelung und Blaue Karte EU" not in everything, "a course only for Rhineland-Palatinate"

    page.get_by_label("Thema").select_option(label="Interkulturelle Kompetenz")
    page.get_by_label("Land", exact=True).select_option(label="Niedersachsen")
    page.get_by_label("Format").select_option(label="Präsenz")
    page.get_by_label("Nur mit freien Plätzen").check()
    with page.expect_navigation():
        main(page).get_by_role("button", name="Anwenden").click()
    assert course_cards(page) == ["Interkulturelle Kompetenz für Führungskräfte"]
    assert main(page).get_by_role("status").filter(has_text="gefunden").inner_text() == "1 Schulung gefunden"
    assert page.get_by_label("Nur mit freien Plätzen").is_checked(), "the filter keeps its value"
    browsing.axe("catalogue filtered")

    with page.expect_navigation():
        main(page).get_by_role("link", name="Interkulturelle Kompetenz für Führungskräfte").click()
    assert heading(page) == "Interkulturelle Kompetenz für Führungskräfte"
    assert main(page).get_by_text("nur Niedersachsen").is_visible()
    browsing.axe("course detail")
    browsing.screenshot("training-detail")

    with page.expect_navigation():
        main(page).get_by_role("button", name="Jetzt anmelden").click()
    assert message(
        page, "Hannes Hannoveraner ist angemeldet. Eine Bestätigung wurde per E-Mail verschickt."
    ).is_visible()
    assert main(page).get_by_text("Angemeldet", exact=True).is_visible()
    browsing.axe("course detail after enrolling")
    course_path = urlsplit(page.url).path

    # The calendar file: from a link on the page if there is one, else from its address.
    course = Course.objects.get(title="Interkulturelle Kompetenz für Führungskräfte")
    try:
        ics_path = reverse("training:course_ics", args=[course.pk])
    except NoReverseMatch:
        ics_path = None
    if ics_path:
        link = main(page).locator(f'a[href="{ics_path}"]')
        if link.count():
            with page.expect_download() as download:
                link.first.click()
            content = Path(download.value.path()).read_text(encoding="utf-8")
            assert download.value.suggested_filename.endswith(".ics")
        else:
            response = page.request.get(browsing.base_url + ics_path)
            assert response.ok and response.headers["content-type"].startswith("text/calendar")
            content = response.text()
        assert content.startswith("BEGIN:VCALENDAR") and "Interkulturelle Kompetenz" in content

    with page.expect_navigation():
        page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
            "link", name="Meine Schulungen"
        ).click()
    upcoming = page.get_by_role("region", name="Kommende Schulungen")
    assert upcoming.get_by_role("link", name="Interkulturelle Kompetenz für Führungskräfte").is_visible()
    browsing.axe("Meine Schulungen")
    browsing.screenshot("training-mine")

    browsing.goto(course_path)
    with page.expect_navigation():
        main(page).get_by_role("button", name="Anmeldung stornieren").click()
    assert message(page, "Die Anmeldung von Hannes Hannoveraner wurde storniert.").is_visible()
    assert main(page).get_by_role("button", name="Jetzt anmelden").is_visible()
    assert Enrollment.objects.get(course=course, participant__email=DEMO_USERS["authority_staff"]).status == (
        EnrollmentStatus.CANCELLED
    )
    browsing.axe("course detail after cancelling")

    # The feedback form of a course attended before.
    browsing.goto("/schulungen/meine/")
    feedback = page.get_by_role("region", name="Besuchte Schulungen").get_by_role(
        "link", name=re.compile("Rückmeldung (geben|ändern)")
    )
    assert feedback.count() >= 1, "the demo data has an attended course for hannover@"
    with page.expect_navigation():
        feedback.first.click()
    assert heading(page) == "Ihre Rückmeldung"
    browsing.axe("feedback form")
    page.get_by_label("4 – nützlich").check()
    with page.expect_navigation():
        main(page).get_by_role("button", name="Rückmeldung senden").click()
    assert message(page, "Vielen Dank für Ihre Rückmeldung.").is_visible()
    browsing.assert_clean()


def test_a_full_course_puts_the_next_person_on_the_waiting_list(open_browsing):
    course = one_day_course("Ein Platz: Aufenthaltsrecht am Schalter", capacity=1)
    path = reverse("training:detail", args=[course.pk])

    first = open_browsing()
    accept_confirmations(first.page)
    first.login(DEMO_USERS["authority_staff"])
    first.goto(path)
    with first.page.expect_navigation():
        main(first.page).get_by_role("button", name="Jetzt anmelden").click()
    assert message(first.page, "ist angemeldet").is_visible()
    assert main(first.page).get_by_text("0 von 1 Plätzen frei").is_visible()

    second = open_browsing()
    second.login(DEMO_USERS["coordinator"])  # Stadt Mainz
    second.goto(path)
    page = second.page
    assert main(page).get_by_text("0 von 1 Plätzen frei").is_visible()
    with page.expect_navigation():
        main(page).get_by_role("button", name="Auf die Warteliste setzen").click()
    assert message(page, "Maria Mainzer steht auf Platz 1 der Warteliste.").is_visible()
    assert main(page).get_by_text("Sie stehen auf Platz 1 der Warteliste").is_visible()
    second.axe("course detail on the waiting list")
    second.goto("/schulungen/meine/")
    waiting = page.get_by_role("region", name="Auf der Warteliste")
    assert waiting.get_by_text("Warteliste, Platz 1").is_visible()
    second.axe("Meine Schulungen with a waiting list")

    # The first person cancels; the waiting list moves by itself.
    with first.page.expect_navigation():
        main(first.page).get_by_role("button", name="Anmeldung stornieren").click()
    second.goto(path)
    assert main(page).get_by_text("Angemeldet", exact=True).is_visible()
    assert main(page).get_by_role("button", name="Anmeldung stornieren").is_visible()
    first.assert_clean()
    second.assert_clean()


def test_coordinator_enrolls_a_colleague_and_sees_the_participant_list(browsing):
    page = browsing.page
    course = one_day_course("Für das Kollegium: Aufenthaltsrecht", capacity=10)
    browsing.login(DEMO_USERS["coordinator"])
    browsing.goto(reverse("training:detail", args=[course.pk]))

    colleague = main(page).get_by_label("Kollegin oder Kollege")
    colleague.select_option(index=1)
    name = colleague.locator("option:checked").inner_text().split(" (")[0]
    with page.expect_navigation():
        main(page).get_by_role("button", name="Kollegin oder Kollegen anmelden").click()
    assert message(page, f"{name} ist angemeldet.").is_visible()
    assert (
        page.get_by_role("region", name="Kolleginnen und Kollegen Ihrer Behörde")
        .get_by_text(name)
        .is_visible()
    )
    browsing.axe("course detail for a coordinator")

    browsing.goto(reverse("training:participants", args=[course.pk]))
    assert page.get_by_role("region", name="Teilnehmende").get_by_role("rowheader", name=name).is_visible()
    browsing.axe("participant list for a coordinator")
    browsing.assert_clean()


def test_project_staff_find_enrol_and_cancel_someone_on_the_participant_list(browsing):
    page = browsing.page
    dialogs = record_dialogs(page)
    course = one_day_course("Für alle: Aufenthaltsrecht", capacity=10)
    person = User.objects.get(email=DEMO_USERS["authority_staff"])
    browsing.login(DEMO_USERS["project_staff"])
    browsing.goto(reverse("training:participants", args=[course.pk]))

    # Without JavaScript's help too: the search is a GET form, the page comes back with the matches.
    main(page).get_by_label("Name, E-Mail-Adresse oder Behörde").fill(person.email)
    with page.expect_navigation():
        main(page).get_by_role("button", name="Person suchen").click()
    assert main(page).get_by_text("1 Person gefunden.").is_visible()
    browsing.axe("participant list after a search")
    main(page).get_by_label("Person", exact=True).select_option(label=f"{person} ({person.authority})")
    with page.expect_navigation():
        main(page).get_by_role("button", name="Zur Schulung anmelden").click()
    rows = page.get_by_role("region", name="Teilnehmende")
    assert rows.get_by_role("rowheader", name=str(person)).is_visible()

    # The row's button asks first (its own question), then cancels.
    with page.expect_navigation():
        rows.get_by_role("button", name=f"{person} stornieren").click()
    assert dialogs == [f"confirm: Anmeldung von {person} wirklich stornieren?"]
    assert message(page, f"Die Anmeldung von {person} wurde storniert.").is_visible()
    assert main(page).get_by_text("Noch keine Anmeldungen.").is_visible()
    browsing.assert_clean()


def test_project_staff_pages(open_browsing):
    browsing = open_browsing()
    page = browsing.page
    browsing.login(DEMO_USERS["project_staff"])

    # A past course of the demo data with participants and feedback.
    course = Course.objects.get(title="Aufenthaltsrecht kompakt: Neuerungen 2026")
    browsing.goto(reverse("training:participants", args=[course.pk]))
    assert heading(page) == "Teilnehmende"
    assert page.get_by_role("region", name="Teilnehmende").get_by_role("row").count() > 2
    browsing.axe("participant list")
    browsing.screenshot("training-participants")

    # A message to everyone enrolled, through the outbox; the page says how many mails.
    with page.expect_navigation():
        main(page).get_by_role("link", name="Nachricht an alle").click()
    assert heading(page) == "Nachricht an die Teilnehmenden"
    browsing.axe("message to the participants")
    page.get_by_label("Betreff").fill("Folien")
    page.get_by_label("Nachricht", exact=True).fill(
        "Die Folien der Schulung finden Sie im Anhang der Dokumente."
    )
    with page.expect_navigation():
        main(page).get_by_role("button", name="Nachricht senden").click()
    assert message(page, "in den Versand gegeben").is_visible()
    assert heading(page) == "Teilnehmende"

    # The past course is found in the catalogue under "Vergangene Schulungen".
    browsing.goto(reverse("training:catalogue"))
    main(page).get_by_label("Zeitraum").select_option(label="Vergangene Schulungen")
    with page.expect_navigation():
        main(page).get_by_role("button", name="Anwenden").click()
    assert main(page).get_by_role("link", name=course.title).count() == 1
    browsing.axe("catalogue of past courses")

    date = course.dates.first()
    browsing.goto(reverse("training:attendance", args=[course.pk, date.pk]))
    assert heading(page) == "Anwesenheit"
    boxes = main(page).get_by_role("checkbox")
    assert boxes.count() > 2
    browsing.axe("attendance")
    browsing.screenshot("training-attendance")
    first_box = boxes.first
    was = first_box.is_checked()
    first_box.set_checked(not was)
    with page.expect_navigation():
        main(page).get_by_role("button", name="Anwesenheit speichern").click()
    assert message(page, "Anwesenheit gespeichert").is_visible()
    assert main(page).get_by_role("checkbox").first.is_checked() == (not was)
    assert Attendance.objects.filter(course_date=date, present=not was).exists()

    browsing.goto(reverse("training:feedback_results", args=[course.pk]))
    assert heading(page) == "Rückmeldungen"
    browsing.axe("feedback results")

    browsing.goto(reverse("training:catalogue"))
    with page.expect_navigation():
        main(page).get_by_role("link", name="Schulung anlegen").click()
    assert heading(page) == "Schulung anlegen"
    browsing.axe("course form")
    browsing.screenshot("training-form")
    # Sent empty: every error is summarised and next to its field.
    with page.expect_navigation():
        main(page).get_by_role("button", name="Speichern").click()
    page.wait_for_function("() => document.activeElement?.matches('[data-error-summary]')")
    title = page.get_by_label("Titel")
    assert title.get_attribute("aria-invalid") == "true"
    browsing.axe("course form with errors")

    browsing.goto(reverse("training:edit", args=[course.pk]))
    assert heading(page) == "Schulung bearbeiten"
    rows = course.dates.count() + 1
    assert main(page).get_by_role("checkbox", name="Löschen").count() == rows, "each date row can be removed"
    assert "Select an option" not in main(page).inner_text()
    browsing.axe("course edit form")
    # One more date row without saving first, and without JavaScript's help.
    page.get_by_label("Titel").fill("Noch nicht gespeichert")
    with page.expect_navigation():
        main(page).get_by_role("button", name="Weiteren Termin hinzufügen").click()
    assert main(page).get_by_role("checkbox", name="Löschen").count() == rows + 1
    assert page.get_by_label("Titel").input_value() == "Noch nicht gespeichert"
    browsing.axe("course edit form with one more date row")
    browsing.goto(reverse("training:cancel", args=[course.pk]))
    browsing.axe("cancel form")
    browsing.goto(reverse("training:topics"))
    assert heading(page) == "Themen der Schulungen"
    browsing.axe("topics")
    browsing.assert_clean()

    # The attendance list is marked on a tablet: the page does not scroll sideways.
    tablet = open_browsing(viewport=TABLET)
    tablet.login(DEMO_USERS["project_staff"])
    tablet.goto(reverse("training:attendance", args=[course.pk, date.pk]))
    overflow = tablet.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the attendance page is {overflow}px wider than the tablet"
    tablet.axe("attendance on a tablet")
    tablet.screenshot("training-attendance-tablet")
    tablet.assert_clean()


def test_funders_see_courses_but_no_names(browsing):
    page = browsing.page
    browsing.login(DEMO_USERS["funder"])
    browsing.goto(reverse("training:catalogue"))
    browsing.axe("catalogue for a funder")
    with page.expect_navigation():
        main(page).locator(".portal-course-list").get_by_role("link").first.click()
    text = main(page).inner_text()
    for person in User.objects.filter(enrollments__isnull=False).distinct()[:50]:
        assert person.last_name not in text
    browsing.axe("course detail for a funder")
    response = page.goto(browsing.base_url + urlsplit(page.url).path + "teilnehmende/")
    assert response.status == 403
    browsing.assert_clean()
