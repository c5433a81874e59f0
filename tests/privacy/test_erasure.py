from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from authorities.models import MeasurePlanDocument
from network.models import Post
from portal.notifications.models import Notification
from portal.privacy.erasure import person_erase
from portal.privacy.models import EventKind, SecurityEvent
from portal.reports.computations import REGISTRY, compute
from tests.factories import UserFactory
from tests.privacy.people import EMAIL, FIRST, LAST, PHONE, build
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
    """Every row of every table whose text names the person (case-insensitive)."""
    needles = [n.lower() for n in needles]
    hits = []
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue
        for row in model._default_manager.values_list(*[f.attname for f in model._meta.concrete_fields]):
            text = " ".join(str(value) for value in row).lower()
            hits += [f"{model._meta.label}: {needle}" for needle in needles if needle in text]
    return hits


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
    assert rows_mentioning(FIRST, LAST, EMAIL, PHONE)  # the scan finds what is there
    before = all_figures()
    assert any(before.values())

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(project_staff).post(
            reverse("privacy:erase", args=[person.pk]), {"confirm": "on"}
        )
    assert response.status_code == 302

    assert all_figures() == before
    assert rows_mentioning(FIRST, LAST, EMAIL, PHONE) == []
    person.refresh_from_db()
    assert person.email == f"geloescht-{person.pk}@invalid"
    assert (person.first_name, person.last_name, person.phone) == ("", "", "")
    assert not person.is_active and not person.has_usable_password()
    assert person.erased_at is not None
    # The rows behind the figures stay, linked to the anonymised account; free texts are gone.
    assert Enrollment.objects.filter(participant=person).count() == 1
    feedback = Feedback.objects.get(enrollment__participant=person)
    assert (feedback.usefulness, feedback.comments, feedback.will_apply) == (5, "", "")
    assert not any(file.storage.exists(file.name) for file in files)
    assert not MeasurePlanDocument.objects.get().ready  # made again, without the name, on request
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


def test_posts_stay_and_read_as_deleted_person(person, project_staff, client_for):
    person_erase(user=person, by=project_staff)
    post = Post.objects.filter(author=person).select_related("thread").get()
    page = client_for(project_staff).get(post.thread.get_absolute_url())
    html = page.content.decode()
    assert "Unsere Erfahrungen." in html
    assert "gelöschte Person" in html
    assert LAST not in html


def test_confirmation_page_warns_and_needs_the_tick(person, project_staff, client_for):
    client = client_for(project_staff)
    url = reverse("privacy:erase", args=[person.pk])
    page = client.get(url).content.decode()
    assert "Diese Löschung ist endgültig" in page and "nicht rückgängig" in page and EMAIL in page
    assert "1 Schulungsanmeldung bleibt ohne Namen für die Berichte erhalten." in page
    assert "1 Beitrag in Diskussionen bleibt stehen" in page
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
    assert (preview["seats_released"], preview["meeting_places_released"], preview["enrollments_kept"]) == (
        1,
        1,
        1,
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
    from portal.privacy.erasure import trace_pattern

    pattern = trace_pattern(["anna@example.org", "Anna Schmidt", "Schmidt, Anna"])
    text = "Anna Schmidt, Johanna Schmidt, marianna@example.org, ANNA@example.org. (Schmidt, Anna)"
    assert pattern.sub("X", text) == "X, Johanna Schmidt, marianna@example.org, X. (X)"
    assert pattern.fullmatch("anna@example.org") and not pattern.fullmatch("marianna@example.org")


def test_sign_in_sheet_names_the_erased_person_as_deleted(person, project_staff):
    from django.template.loader import render_to_string

    person_erase(user=person, by=project_staff)
    enrollment = Enrollment.objects.select_related("course").get(participant=person)
    course_date = enrollment.course.dates.first()
    html = render_to_string(
        "pdf/sign_in_sheet.html",
        {"course": enrollment.course, "course_date": course_date, "enrollments": [enrollment]},
    )
    assert "gelöschte Person" in html and ", </td>" not in html
