import os
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from authorities.models import (
    Consultation,
    ContactPerson,
    HistoryAction,
    HistoryEntry,
    Measure,
    MeasurePlanDocument,
    PhaseTransition,
)
from network.models import Document, MinutesItem, Post, Thread
from portal.notifications.models import Notification
from portal.privacy.erasure import person_erase
from portal.privacy.models import EventKind, SecurityEvent
from portal.reports.computations import REGISTRY, compute
from portal.reports.models import ProgressReport
from tests.factories import MeasureFactory, NetworkFactory, UserFactory
from tests.privacy.people import EMAIL, FIRST, LAST, OTHER_EMAIL, PHONE, build
from training.models import Certificate, Enrollment, Feedback


def all_figures() -> dict:
    today = timezone.localdate()
    periods = [
        (today - timedelta(days=365), today + timedelta(days=365)),
        (today - timedelta(days=60), today),
        (today.replace(day=1), today),
    ]
    return {
        (key, start, end, state): compute(key, date_from=start, date_to=end, state=state)
        for key in REGISTRY
        for start, end in periods
        for state in (None, "RP", "NI")
    }


def rows_mentioning(*needles: str) -> list[str]:
    """Every row of every table whose text names the person (case-insensitive), and every stored
    file whose name does."""
    needles = [n.lower() for n in needles]
    hits = []
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue
        for row in model._default_manager.values_list(*[f.attname for f in model._meta.concrete_fields]):
            text = " ".join(str(value) for value in row).lower()
            hits += [f"{model._meta.label}: {needle}" for needle in needles if needle in text]
    for folder, _, files in os.walk(settings.MEDIA_ROOT):
        for name in files:
            path = os.path.join(folder, name).lower()
            hits += [f"file {path}: {needle}" for needle in needles if needle in path]
    return hits


EVERY_TRACE = (FIRST, LAST, EMAIL, OTHER_EMAIL, PHONE, "987654", "123456")


def offered_places(html: str) -> dict[str, bool]:
    """The places the confirmation page offers for redaction, and whether each is ticked."""
    return {
        value: "checked" in rest
        for value, rest in re.findall(
            r'<input type="checkbox"[^>]*name="redact" value="([^"]+)"([^>]*)>', html
        )
    }


@pytest.fixture
def person(mainz, project_staff):
    colleague = UserFactory(authority=mainz, first_name="Berta", last_name="Kollegin")
    return build(mainz=mainz, project_staff=project_staff, colleague=colleague)


def test_erasure_removes_the_person_everywhere_and_keeps_every_figure(
    person, project_staff, client_for, django_capture_on_commit_callbacks
):
    person_client = client_for(person)
    files = [Certificate.objects.get().file, MeasurePlanDocument.objects.get().file]
    assert all(file.storage.exists(file.name) for file in files)
    assert rows_mentioning(*EVERY_TRACE)  # the scan finds what is there
    before = all_figures()
    assert any(before.values())
    staff = client_for(project_staff)
    url = reverse("privacy:erase", args=[person.pk])
    places = offered_places(staff.get(url).content.decode())
    assert places  # "Danke Maria!", her signature "Maria"

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url, {"confirm": "on", "redact": list(places)})
    assert response.status_code == 302

    assert all_figures() == before
    # No trace of her name (any spelling, file names included), addresses or phone numbers is left.
    assert rows_mentioning(*EVERY_TRACE) == []
    person.refresh_from_db()
    assert person.email == f"geloescht-{person.pk}@invalid"
    assert (person.first_name, person.last_name) == ("", "")
    assert not person.is_active and not person.has_usable_password()
    assert person.erased_at is not None
    # Pseudonymised, not anonymised: authority and role stay for the figures.
    assert (person.authority_id, person.role) == (person.authority.pk, "authority_staff")
    # The rows behind the figures stay, linked to the pseudonymised account; free texts are gone.
    assert Enrollment.objects.filter(participant=person, status="confirmed").count() == 1
    feedback = Feedback.objects.get(enrollment__participant=person)
    assert (feedback.usefulness, feedback.comments, feedback.will_apply) == (5, "", "")
    assert not any(file.storage.exists(file.name) for file in files)
    assert not MeasurePlanDocument.objects.get().ready  # made again, without the name, on request
    # Both contact entries went: the one under her address and the one under another address.
    assert not ContactPerson.objects.filter(
        authority=person.authority, function__in=["head", "contact"]
    ).filter(email__in=[EMAIL, OTHER_EMAIL])
    # The sent mail keeps its row without content; the failed one is not left for resending.
    mails = Notification.objects.filter(recipient=person)
    assert [(m.status, m.payload) for m in mails] == [("sent", {})]
    # Two-factor devices and recovery codes are gone.
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists() and not StaticToken.objects.exists()
    # Sessions ended: the person's browser is logged out.
    assert not any(s.get_decoded().get("_auth_user_id") == str(person.pk) for s in Session.objects.all())
    assert person_client.get(reverse("accounts:profile")).status_code == 302
    # Erasure is logged with the account number, never the name.
    event = SecurityEvent.objects.get(kind=EventKind.ERASURE)
    assert event.user == project_staff and event.details == {"person_id": person.pk, "reason": "request"}


def test_erasure_replaces_every_form_of_the_name_and_keeps_the_texts(person, project_staff):
    person_erase(user=person, by=project_staff)

    texts = {
        "thanks": Post.objects.get(author=project_staff).body,
        "minutes": MinutesItem.objects.get(kind="information").text,
        "minutes_person": MinutesItem.objects.get(kind="information").responsible_person,
        "measure": Measure.objects.get(involved__startswith="gelöschte").responsible,
        "consultation": Consultation.objects.get().topics,
        "callback": Consultation.objects.get().next_steps,
        "phase": PhaseTransition.objects.exclude(reason="").get().reason,
        "library": Document.objects.get(title="Willkommenspaket").original_name,
        "export": SecurityEvent.objects.get(kind=EventKind.EXPORT).details["file"],
        "report": ProgressReport.objects.get().activities,
    }
    assert texts == {
        # The first name alone may mean someone else: it stays unless staff tick it (next test).
        "thanks": "Danke Maria! gelöschte Person hat das sehr gut erklärt.",
        "minutes": "gelöschte Person stellt die Checkliste vor.",
        "minutes_person": "gelöschte Person",
        "measure": "gelöschte Person",
        "consultation": "gelöschte Person berichtet vom Aufrufsystem.",
        "callback": "Rückruf unter gelöschte Person.",
        "phase": "Abgestimmt mit gelöschte Person.",
        "library": "Willkommenspaket_geloeschte_person.pdf",
        "export": "teilnahmebescheinigung-geloeschte-person-grundlagen-willkommenskultur.pdf",
        "report": "Hospitation bei gelöschte Person (Stadt Mainz).",
    }
    # Her own post signed "Maria" keeps its text: nobody ticked it.
    assert Post.objects.filter(author=person, body__endswith="\n\nMaria").exists()


def test_staff_see_the_first_name_alone_and_redact_what_they_tick(person, project_staff, client_for):
    staff = client_for(project_staff)
    url = reverse("privacy:erase", args=[person.pk])
    html = staff.get(url).content.decode()

    signature = Post.objects.get(author=person, body__endswith="Maria")
    thanks = Post.objects.get(author=project_staff)
    places = offered_places(html)
    # Where and what: the post, its column and the words around the first name.
    assert places == {f"network.post:{signature.pk}:body": True, f"network.post:{thanks.pk}:body": False}
    assert "Danke <mark>Maria</mark>! gelöschte Person hat das sehr gut erklärt." in html
    assert "Nachtrag: die Liste hängt an. <mark>Maria</mark>" in html
    assert f"<strong>Beitrag Nr. {thanks.pk} in „Terminvergabe online“</strong>, Beitrag:" in html
    assert "Fundstellen, die eine andere Person meinen können" in html

    staff.post(url, {"confirm": "on", "redact": [f"network.post:{thanks.pk}:body"]})

    thanks.refresh_from_db()
    signature.refresh_from_db()
    assert thanks.body == "Danke gelöschte Person! gelöschte Person hat das sehr gut erklärt."
    assert signature.body.endswith("Maria")  # not ticked, so it stays


def test_a_place_that_went_away_meanwhile_is_refused_with_a_message(person, project_staff, client_for):
    url = reverse("privacy:erase", args=[person.pk])
    response = client_for(project_staff).post(url, {"confirm": "on", "redact": ["network.post:999999:body"]})

    assert response.status_code == 200
    assert "Eine der angekreuzten Fundstellen gibt es nicht mehr" in response.content.decode()
    person.refresh_from_db()
    assert person.erased_at is None


def test_a_surname_nobody_else_bears_is_replaced_alone(mainz, project_staff):
    person = UserFactory(
        authority=mainz, first_name="Zyprian", last_name="Quastenberg", email="zq@example.org"
    )
    UserFactory(authority=mainz, first_name="Peter", last_name="Quast")  # a shorter name is another
    measure = MeasureFactory(responsible="Quastenberg (bis März), dann Quast", involved="Quastenbergs Team")

    person_erase(user=person, by=project_staff)

    measure.refresh_from_db()
    assert (measure.responsible, measure.involved) == (
        "gelöschte Person (bis März), dann Quast",
        "gelöschte Person Team",
    )


def test_a_surname_others_share_is_offered_not_replaced(mainz, project_staff, client_for):
    person = UserFactory(authority=mainz, first_name="Maria", last_name="Mainzer", email="mm@example.org")
    UserFactory(authority=mainz, first_name="Peter", last_name="Mainzer")
    post = Post.objects.create(
        thread=Thread.objects.create(
            network=NetworkFactory(members=[mainz]), title="Frage", last_post_at=timezone.now()
        ),
        author=project_staff,
        body="Mainzer hat angerufen. Frau Mainzer auch, und Maria M. ebenso.",
    )
    html = client_for(project_staff).get(reverse("privacy:erase", args=[person.pk])).content.decode()
    assert f'value="network.post:{post.pk}:body"' in html

    person_erase(user=person, by=project_staff)

    post.refresh_from_db()
    assert post.body == "Mainzer hat angerufen. gelöschte Person auch, und gelöschte Person ebenso."


@pytest.mark.parametrize(
    ("surname", "text", "expected"),
    [
        ("Mainz", "Frau Mainz (Stadt Mainz)", "gelöschte Person (Stadt Mainz)"),
        # "Mainzer" is also what Mainz makes of its places: left to staff unless clearly her.
        ("Mainzer", "Im Mainzer Rathaus mit Frau Mainzer", "Im Mainzer Rathaus mit gelöschte Person"),
    ],
)
def test_a_surname_that_is_a_place_of_the_registry_leaves_the_place(
    mainz, project_staff, surname, text, expected
):
    person = UserFactory(authority=mainz, first_name="Anna", last_name=surname, email="am@example.org")
    entry = HistoryEntry.objects.create(
        authority=mainz, actor=project_staff, action=HistoryAction.CONTACT_ADDED, subject=text
    )

    person_erase(user=person, by=project_staff)

    entry.refresh_from_db()
    assert entry.subject == expected


def test_a_stored_file_whose_name_names_the_person_is_renamed(
    person, project_staff, django_capture_on_commit_callbacks
):
    # An upload from before the random names (or copied in by hand): its stored name names her.
    document = Document.objects.get(title="Willkommenspaket")
    old = document.file.storage.save(
        "bibliothek/Willkommenspaket_Maria_Mainzer.pdf", ContentFile(b"%PDF-1.7 Inhalt")
    )
    Document.objects.filter(pk=document.pk).update(file=old)

    with django_capture_on_commit_callbacks(execute=True):
        person_erase(user=person, by=project_staff)

    document.refresh_from_db()
    assert "mainzer" not in document.file.name.lower() and document.file.read() == b"%PDF-1.7 Inhalt"
    assert not document.file.storage.exists(old)


def test_posts_stay_and_read_as_deleted_person_without_authority(person, project_staff, client_for):
    person_erase(user=person, by=project_staff)
    post = Post.objects.filter(author=person, body__startswith="Unsere").select_related("thread").get()
    page = client_for(project_staff).get(post.thread.get_absolute_url())
    html = page.content.decode()
    assert "Unsere Erfahrungen." in html
    assert LAST not in html
    header = re.search(rf'id="beitrag-{post.pk}-kopf">(.*?)</p>', html, re.S).group(1)
    assert header.startswith("gelöschte Person · <time") and "Stadt Mainz" not in header
    # A post of somebody who was not erased still shows the authority.
    colleague_post = Post.objects.get(body__startswith="Danke, ich")
    other = re.search(rf'id="beitrag-{colleague_post.pk}-kopf">(.*?)</p>', html, re.S).group(1)
    assert "Stadt Mainz" in other


def test_confirmation_page_warns_and_needs_the_tick(person, project_staff, client_for):
    client = client_for(project_staff)
    url = reverse("privacy:erase", args=[person.pk])
    page = client.get(url).content.decode()
    assert "Diese Löschung ist endgültig" in page and "nicht rückgängig" in page and EMAIL in page
    assert "pseudonymisiert" in page and "mit Behörde und Rolle" in page
    assert "2 Schulungsanmeldungen bleiben ohne Namen für die Berichte erhalten." in page
    assert (
        "2 Beiträge in Diskussionen bleiben stehen und erscheinen als „gelöschte Person“ ohne Behörde" in page
    )
    assert "0 Plätze in noch nicht begonnenen Schulungen werden frei" in page

    response = client.post(url, {})
    assert "Bitte bestätigen Sie die Löschung" in response.content.decode()
    person.refresh_from_db()
    assert person.erased_at is None and person.is_active


def test_user_list_links_to_erasure_for_project_staff_only(person, project_staff, coordinator, client_for):
    url = reverse("privacy:erase", args=[person.pk])
    assert url in client_for(project_staff).get(reverse("accounts:user_list")).content.decode()
    assert url not in client_for(coordinator).get(reverse("accounts:user_list")).content.decode()
    assert client_for(coordinator).post(url, {"confirm": "on"}).status_code == 403
    person.refresh_from_db()
    assert person.erased_at is None


def test_nobody_erases_their_own_account(project_staff, client_for):
    response = client_for(project_staff).post(
        reverse("privacy:erase", args=[project_staff.pk]), {"confirm": "on"}
    )
    assert "nicht selbst löschen" in response.content.decode()
    project_staff.refresh_from_db()
    assert project_staff.is_active and project_staff.erased_at is None


def test_erasure_is_idempotent_and_the_list_shows_it(person, project_staff, client_for):
    person_erase(user=person, by=project_staff)
    person_erase(user=person, by=project_staff)
    assert SecurityEvent.objects.filter(kind=EventKind.ERASURE).count() == 1
    html = client_for(project_staff).get(reverse("accounts:user_list")).content.decode()
    assert "gelöscht" in html and "Einladung an geloescht" not in html


def test_admin_action_leads_to_the_confirmation(person, project_staff, member, client_for):
    project_staff.is_staff = project_staff.is_superuser = True
    project_staff.save()
    admin = client_for(project_staff)
    changelist = reverse("admin:accounts_user_changelist")

    one = admin.post(changelist, {"action": "erase", "_selected_action": [person.pk]})
    assert one.status_code == 302 and one["Location"] == reverse("privacy:erase", args=[person.pk])
    two = admin.post(changelist, {"action": "erase", "_selected_action": [person.pk, member.pk]}, follow=True)
    assert "genau ein Konto" in two.content.decode()
    person.refresh_from_db()
    assert person.erased_at is None


def test_seats_ahead_go_to_the_waiting_list(person, project_staff, mainz):
    from network.models import RegistrationStatus
    from tests.factories import CourseFactory, EnrollmentFactory, MeetingRegistrationFactory
    from training.models import EnrollmentStatus

    course = CourseFactory(capacity=1)
    seat = EnrollmentFactory(course=course, participant=person)
    waiting = EnrollmentFactory(
        course=course, participant=UserFactory(authority=mainz), status="waitlisted", waitlist_position=1
    )
    registration = MeetingRegistrationFactory(participant=person)
    from portal.privacy.erasure import erasure_preview

    preview = erasure_preview(person)
    # Kept: the course attended and the one cancelled before (both count in the figures).
    assert (preview["seats_released"], preview["meeting_places_released"], preview["enrollments_kept"]) == (
        1,
        1,
        2,
    )

    person_erase(user=person, by=project_staff)

    seat.refresh_from_db()
    waiting.refresh_from_db()
    registration.refresh_from_db()
    assert seat.status == EnrollmentStatus.CANCELLED and seat.cancelled_by == project_staff
    assert waiting.status == EnrollmentStatus.CONFIRMED and waiting.waitlist_position is None
    assert registration.status == RegistrationStatus.CANCELLED
    # The course the person attended keeps its enrollment (it feeds the figures).
    assert Enrollment.objects.filter(participant=person, status=EnrollmentStatus.CONFIRMED).count() == 1


def test_erasure_is_all_or_nothing(person, project_staff, client_for, monkeypatch):
    from portal.privacy import erasure

    client = client_for(person)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(erasure, "_scrub_text_everywhere", broken)
    with pytest.raises(RuntimeError):
        person_erase(user=person, by=project_staff)

    person.refresh_from_db()
    assert (person.email, person.is_active, person.erased_at) == (EMAIL, True, None)
    assert Feedback.objects.get(enrollment__participant=person).comments
    assert client.get(reverse("accounts:profile")).status_code == 200  # still logged in
    assert not SecurityEvent.objects.filter(kind=EventKind.ERASURE).exists()


def test_names_with_umlauts_are_found_in_json_and_text(mainz, project_staff):
    from authorities.models import HistoryAction, HistoryEntry

    person = UserFactory(authority=mainz, first_name="Jürgen", last_name="Größlé", email="jg@example.org")
    entry = HistoryEntry.objects.create(
        authority=mainz,
        actor=project_staff,
        action=HistoryAction.CONTACT_ADDED,
        subject="Jürgen Größlé",
        changes=[{"field": "name", "old": "", "new": "Größlé, Jürgen"}],
    )

    person_erase(user=person, by=project_staff)

    entry.refresh_from_db()
    assert entry.subject == "gelöschte Person"
    assert entry.changes == [{"field": "name", "old": "", "new": "gelöschte Person"}]
    assert rows_mentioning("Größlé", "jg@example.org") == []


def test_only_whole_names_and_addresses_are_replaced():
    from portal.privacy.names import Identity, NameMatcher

    matcher = NameMatcher(
        Identity(first_name="Anna", last_name="Schmidt", emails=["anna@example.org"], surname_alone=False)
    )
    text = "Anna Schmidt, Johanna Schmidt, marianna@example.org, ANNA@example.org. (Schmidt, Anna) Annabell"
    assert matcher.replace(text) == (
        "gelöschte Person, Johanna Schmidt, marianna@example.org, gelöschte Person. "
        "(gelöschte Person) Annabell"
    )
    # Left for staff to decide: the surname alone (shared) and the first name alone.
    assert [m.group(0) for m in matcher.ambiguous_matches("Schmidt sagt, Anna kommt.")] == ["Schmidt", "Anna"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Juergen Groessle war da.", "gelöschte Person war da."),
        ("GROESSLE, JUERGEN", "gelöschte Person"),
        ("Größlé Jürgen", "gelöschte Person"),
        ("Herrn Dr. Größle", "gelöschte Person"),
        ("Danke an Jürgen G. und J. Größlé", "Danke an gelöschte Person und gelöschte Person"),
        ("Größlés Vorschlag", "gelöschte Person Vorschlag"),
        ("protokoll_juergen_groessle_2026.pdf", "protokoll_geloeschte_person_2026.pdf"),
        ("bescheinigung-grole-jurgen.pdf", "bescheinigung-geloeschte-person.pdf"),
        ("Tel. 06131/98 76 54 oder +49 (0) 6131 987654", "Tel. gelöschte Person oder gelöschte Person"),
        ("Schreiben Sie an jg@example.org.", "Schreiben Sie an gelöschte Person."),
        ("Größler und Jürgens bleiben", "Größler und Jürgens bleiben"),
    ],
)
def test_every_spelling_of_the_name_is_found(text, expected):
    from portal.privacy.names import Identity, NameMatcher

    identity = Identity(
        first_name="Jürgen", last_name="Größlé", emails=["jg@example.org"], phones=["06131 987654"]
    )
    assert NameMatcher(identity).replace(text) == expected


def test_sign_in_sheet_names_the_erased_person_as_deleted(person, project_staff):
    from django.template.loader import render_to_string

    person_erase(user=person, by=project_staff)
    enrollment = Enrollment.objects.select_related("course").get(participant=person, status="confirmed")
    course_date = enrollment.course.dates.first()
    html = render_to_string(
        "pdf/sign_in_sheet.html",
        {"course": enrollment.course, "course_date": course_date, "enrollments": [enrollment]},
    )
    assert "gelöschte Person" in html and ", </td>" not in html


def test_the_privacy_page_calls_the_result_what_it_is(client, db):
    html = client.get(reverse("pages:privacy")).content.decode()

    assert "Pseudonymisiert heißt" in html and "mit Behörde und Rolle" in html
    assert "Anonymisiert heißt" not in html
    assert "Name, dienstliche E-Mail-Adresse, Rolle" in html  # no phone number any more
