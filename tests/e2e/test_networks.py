"""Networks in headless Chromium with the demo data: an authority-staff user of Region Hannover opens
their network, registers for an upcoming meeting and unregisters again, starts a thread and replies
(HTML in a post shows as text), searches the library and downloads a document of their network; project
staff add an item to the minutes of a past meeting and publish them, which the member then reads on the
meeting page; project staff try an upload that is rejected; the funder has no networks but the library.
Every page on the way passes axe (WCAG 2.1 A/AA), loads nothing from another host and trips no Content
Security Policy."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from network.models import (
    Document,
    DocumentDownload,
    Meeting,
    MeetingRegistration,
    Minutes,
    Network,
    Post,
    Thread,
)
from portal.accounts.models import User
from tests.e2e.pages import DEMO_USERS, PHONE, main_nav

pytestmark = pytest.mark.e2e

NI = "Netzwerk Willkommenskultur Niedersachsen"
RP = "Netzwerk Willkommenskultur Rheinland-Pfalz"
UPCOMING = "Netzwerktreffen: Digitale Antragsverfahren"  # 7 weeks ahead, 25 places, a few taken
NI_DOCUMENT = "Ergebnisse Fachtag Niedersachsen"  # visible to the members of the NI network only
SCRIPT = "<script>alert(1)</script>"


def main(page):
    return page.get_by_role("main")


def message(page, text: str):
    """The flash message at the top of the page that contains `text`."""
    return main(page).locator(".portal-messages").get_by_text(text)


def heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def click_and_wait(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def submit(page, name: str) -> None:
    click_and_wait(page, main(page).get_by_role("button", name=name, exact=True))


def section(page, name: str):
    return main(page).get_by_role("region", name=name, exact=True)


def record_dialogs(page) -> list[str]:
    """Accept every confirm() (unregistering, publishing) and keep its text; an alert() would show here."""
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.accept()

    page.on("dialog", on_dialog)
    return dialogs


def past_meeting_without_minutes(network: Network) -> Meeting:
    """The demo publishes the minutes of every past meeting; a moderator needs one still to write."""
    day = timezone.localdate() - timedelta(days=5)
    return Meeting.objects.create(
        network=network,
        title="Netzwerktreffen: Kommunikation mit Arbeitgebern",
        starts_at=timezone.make_aware(datetime.combine(day, time(10))),
        ends_at=timezone.make_aware(datetime.combine(day, time(13))),
        online_link="https://video.example.org/netzwerk",
        agenda="1. Begrüßung\n2. Erfahrungen",
    )


def test_member_meets_discusses_and_downloads(browsing):
    page = browsing.page
    dialogs = record_dialogs(page)
    network = Network.objects.get(name=NI)
    meeting = network.meetings.get(title=UPCOMING)
    hannes = User.objects.get(email=DEMO_USERS["authority_staff"])
    assert not meeting.registrations.filter(participant=hannes).exists()
    browsing.login(DEMO_USERS["authority_staff"])  # Region Hannover, Niedersachsen

    # The networks of the own authority; the Rhineland-Palatinate network is not among them.
    click_and_wait(page, main_nav(page).get_by_role("link", name="Netzwerke", exact=True))
    assert heading(page) == "Netzwerke"
    cards = main(page).locator(".portal-cards").get_by_role("heading", level=2).all_inner_texts()
    assert NI in cards and RP not in cards
    browsing.axe("network list")
    browsing.screenshot("network-list")
    click_and_wait(page, main(page).get_by_role("link", name=NI))
    assert heading(page) == NI
    assert section(page, "Offene Aufgaben").get_by_role("table").is_visible()
    browsing.axe("network page")
    browsing.screenshot("network-page")

    # Register for an upcoming meeting that still has places, then unregister again.
    click_and_wait(page, section(page, "Kommende Treffen").get_by_role("link", name=UPCOMING))
    assert heading(page) == UPCOMING
    free_before = main(page).get_by_text(re.compile(r"\d+ von 25 Plätzen frei")).inner_text()
    browsing.axe("meeting page before registering")
    submit(page, "Jetzt anmelden")
    confirmation = "Eine Bestätigung mit Kalendereintrag wurde per E-Mail verschickt."
    assert message(page, f"Hannes Hannoveraner ist angemeldet. {confirmation}").is_visible()
    registration = section(page, "Ihre Anmeldung")
    assert registration.get_by_text("Sie sind für dieses Treffen angemeldet.").is_visible()
    assert main(page).get_by_text(re.compile(r"\d+ von 25 Plätzen frei")).inner_text() != free_before
    assert meeting.registrations.filter(participant=hannes, status="registered").exists()
    browsing.axe("meeting page, registered")
    browsing.screenshot("network-meeting-registered")
    with page.expect_download() as calendar:
        main(page).get_by_role("link", name="In den Kalender übernehmen (.ics)").click()
    assert calendar.value.suggested_filename.endswith(".ics")
    submit(page, "Abmelden")
    assert dialogs[-1] == "confirm: Möchten Sie sich wirklich von diesem Treffen abmelden?"
    assert message(page, "Hannes Hannoveraner ist abgemeldet.").is_visible()
    assert section(page, "Ihre Anmeldung").get_by_role("button", name="Jetzt anmelden").is_visible()
    assert not MeetingRegistration.objects.filter(meeting=meeting, participant=hannes, status="registered")

    # A new thread: first without anything (errors), then with a title and a first post.
    browsing.goto(network.get_absolute_url())
    click_and_wait(page, section(page, "Diskussionen").get_by_role("link", name="Alle Diskussionen"))
    assert heading(page) == "Diskussionen"
    assert main(page).get_by_role("table").is_visible()
    browsing.axe("thread list")
    browsing.screenshot("network-threads")
    click_and_wait(page, main(page).get_by_role("link", name="Neue Diskussion"))
    assert heading(page) == "Neue Diskussion"
    browsing.axe("new-thread form")
    submit(page, "Diskussion beginnen")
    assert heading(page) == "Neue Diskussion", "an empty thread is refused"
    assert main(page).get_by_role("alert").is_visible()
    assert page.get_by_label("Thema").get_attribute("aria-invalid") == "true"
    browsing.axe("new-thread form with errors")
    browsing.screenshot("network-thread-form-errors")
    page.get_by_label("Thema").fill("Erfahrungen mit der E-Akte")
    page.get_by_label("Erster Beitrag").fill("Wer arbeitet schon **vollständig** mit der E-Akte?")
    submit(page, "Diskussion beginnen")
    assert message(page, "Die Diskussion wurde eröffnet.").is_visible()
    assert heading(page) == "Erfahrungen mit der E-Akte"
    assert main(page).locator("strong").get_by_text("vollständig").is_visible()
    thread = Thread.objects.get(network=network, title="Erfahrungen mit der E-Akte")

    # A reply with HTML in it shows the HTML as text and runs nothing.
    page.get_by_label("Ihre Antwort").fill(f"Wir testen gerade. {SCRIPT}")
    submit(page, "Antworten")
    assert message(page, "Ihr Beitrag wurde veröffentlicht.").is_visible()
    post = Post.objects.filter(thread=thread).latest("pk")
    assert page.url.endswith(f"{thread.get_absolute_url()}#beitrag-{post.pk}")
    reply = main(page).locator(f"#beitrag-{post.pk}")
    assert reply.get_by_text(f"Wir testen gerade. {SCRIPT}").is_visible()
    assert reply.locator("script").count() == 0
    assert section(page, "2 Beiträge").is_visible()
    browsing.axe("thread page")
    browsing.screenshot("network-thread")

    # The library: search, open the network's document, download it.
    click_and_wait(page, main_nav(page).get_by_role("link", name="Bibliothek"))
    assert heading(page) == "Konzepte und Instrumente"
    browsing.axe("library list")
    page.get_by_label("Suche", exact=True).fill("Fachtag")
    submit(page, "Anwenden")
    titles = main(page).locator(".portal-cards").get_by_role("heading", level=2).all_inner_texts()
    assert titles == [NI_DOCUMENT]
    assert main(page).get_by_role("status").inner_text() == "1 Dokument gefunden"
    browsing.axe("library list, searched")
    browsing.screenshot("network-library-search")
    click_and_wait(page, main(page).get_by_role("link", name=NI_DOCUMENT))
    assert heading(page) == NI_DOCUMENT
    browsing.axe("document page")
    browsing.screenshot("network-document")
    document = Document.objects.get(title=NI_DOCUMENT)
    with page.expect_download() as download_info:
        main(page).get_by_role("link", name=f"{document.original_name} herunterladen").click()
    download = download_info.value
    assert download.suggested_filename == "ergebnisse-fachtag-niedersachsen.pdf" == document.original_name
    # The download never becomes a page; its response is fetched again with the browser's cookies.
    response = page.request.get(download.url)
    assert response.ok
    assert response.headers["content-disposition"].startswith("attachment;")
    assert 'filename="ergebnisse-fachtag-niedersachsen.pdf"' in response.headers["content-disposition"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.body().startswith(b"%PDF-")
    # Two downloads of one person on one day are one download for the figures.
    assert DocumentDownload.objects.filter(document=document, user=hannes).count() == 1

    assert not [text for text in dialogs if not text.startswith("confirm:")], dialogs
    browsing.assert_clean()


def test_moderator_publishes_minutes_the_member_reads_them(open_browsing):
    network = Network.objects.get(name=NI)
    meeting = past_meeting_without_minutes(network)
    staff = open_browsing()
    page = staff.page
    dialogs = record_dialogs(page)
    staff.login(DEMO_USERS["project_staff"])

    staff.goto(meeting.get_absolute_url())
    assert heading(page) == meeting.title
    assert not section(page, "Protokoll").count()
    staff.axe("meeting page (moderator)")
    # Project staff may write to everyone registered.
    click_and_wait(page, main(page).get_by_role("link", name="Nachricht an alle"))
    assert heading(page) == "Nachricht an die Angemeldeten"
    staff.axe("message to the registered")
    staff.goto(meeting.get_absolute_url())
    click_and_wait(page, main(page).get_by_role("link", name="Protokoll bearbeiten"))
    assert heading(page) == "Protokoll"
    staff.axe("minutes form, empty")
    # A task without anybody responsible is refused.
    page.get_by_label("Art").select_option(label="Aufgabe")
    page.get_by_label("Inhalt").fill("Ansprechpersonen der Kammern zusammenstellen.")
    submit(page, "Punkt speichern")
    assert main(page).get_by_role("alert").is_visible()
    staff.axe("minutes form with an error")
    page.get_by_label("Zuständige Behörde").select_option(label="Region Hannover")
    page.get_by_label("Fällig am").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    submit(page, "Punkt speichern")
    assert message(page, "Der Punkt wurde dem Protokoll hinzugefügt.").is_visible()
    assert main(page).get_by_text("Ansprechpersonen der Kammern zusammenstellen.").is_visible()
    staff.axe("minutes form with an item")
    staff.screenshot("network-minutes")
    submit(page, "Veröffentlichen")
    assert dialogs == ["confirm: Protokoll veröffentlichen? Danach sehen es alle Mitglieder des Netzwerks."]
    assert message(page, "Das Protokoll ist veröffentlicht und für alle Mitglieder sichtbar.").is_visible()
    assert heading(page) == meeting.title
    assert Minutes.objects.get(meeting=meeting).is_published
    staff.assert_clean()

    # The member reads them on the meeting page, and the task among the network's open tasks: on a
    # phone in the dark theme, where the badges and the tables must keep their contrast too.
    member = open_browsing(viewport=PHONE, color_scheme="dark")
    member.login(DEMO_USERS["authority_staff"])
    member.goto(meeting.get_absolute_url())
    minutes = section(member.page, "Protokoll")
    assert minutes.get_by_text("Ansprechpersonen der Kammern zusammenstellen.").is_visible()
    assert minutes.get_by_text(re.compile(r"^Veröffentlicht am \d\d\.\d\d\.\d{4}$")).is_visible()
    assert not main(member.page).get_by_role("link", name="Protokoll bearbeiten").count()
    member.axe("meeting page with published minutes")
    member.screenshot("network-meeting-minutes")
    member.goto(network.get_absolute_url())
    tasks = section(member.page, "Offene Aufgaben")
    assert tasks.get_by_role("rowheader", name="Ansprechpersonen der Kammern zusammenstellen.").is_visible()
    member.axe("network page (phone, dark)")
    member.screenshot("network-page-phone-dark")
    member.goto(reverse("network:threads", args=[network.pk]))
    member.axe("thread list (phone, dark)")
    member.goto(reverse("network:library"))
    member.axe("library list (phone, dark)")
    member.screenshot("network-library-phone-dark")
    member.assert_clean()


def test_upload_refused_and_the_funder_has_the_library_only(open_browsing, live_server):
    staff = open_browsing()
    page = staff.page
    staff.login(DEMO_USERS["project_staff"])
    staff.goto(reverse("network:library"))
    click_and_wait(page, main(page).get_by_role("link", name="Dokument hochladen"))
    assert heading(page) == "Dokument hochladen"
    staff.axe("upload form")
    staff.screenshot("network-upload")
    page.get_by_label("Titel").fill("Checkliste Wartebereich")
    page.get_by_label("Kategorie").select_option(label="Checkliste")
    page.get_by_label("Schlagwörter").fill("Wartebereich")
    html_named_pdf = {"name": "liste.pdf", "mimeType": "application/pdf", "buffer": b"<html>Hallo</html>"}
    page.get_by_label("Datei").set_input_files(html_named_pdf)
    submit(page, "Hochladen und veröffentlichen")
    assert heading(page) == "Dokument hochladen", "an HTML file named .pdf is refused"
    assert main(page).get_by_role("alert").get_by_text(re.compile("Webseite oder XML-Datei")).is_visible()
    assert page.get_by_label("Datei").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Titel").input_value() == "Checkliste Wartebereich", "the other fields stay"
    assert not Document.objects.filter(title="Checkliste Wartebereich").exists()
    staff.axe("upload form with a rejected file")
    staff.screenshot("network-upload-rejected")
    staff.assert_clean()

    funder = open_browsing()
    page = funder.page
    funder.login(DEMO_USERS["funder"])
    assert not main_nav(page).get_by_role("link", name="Netzwerke", exact=True).count()
    network = Network.objects.get(name=NI)
    for path in (reverse("network:list"), network.get_absolute_url()):
        response = page.goto(live_server.url + path)
        assert response.status == 404, path
    funder.goto(reverse("network:library"))
    assert heading(page) == "Konzepte und Instrumente"
    titles = main(page).locator(".portal-cards").get_by_role("heading", level=2).all_inner_texts()
    assert "Leitfaden Willkommenskultur in der Ausländerbehörde" in titles
    assert NI_DOCUMENT not in titles and "Arbeitsstand Evaluation (intern)" not in titles
    assert not page.get_by_label("Netzwerk", exact=True).count(), "the funder has no networks to filter by"
    funder.axe("library list (funder)")
    funder.assert_clean()
