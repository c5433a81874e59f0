import json

from django.urls import reverse

from portal.privacy.models import EventKind, SecurityEvent
from tests.factories import UserFactory
from tests.privacy.people import EMAIL, FULL, PHONE, build

CATEGORIES = {
    "profile",
    "enrollments",
    "meeting_registrations",
    "threads",
    "posts",
    "subscriptions",
    "notification_preferences",
    "read_markers",
    "contact_entries",
    "two_factor_devices",
    "notifications",
    "documents_uploaded",
    "work_records",
    "security_log",
}


def test_own_data_download_has_every_category_and_nobody_else(mainz, project_staff, client_for):
    colleague = UserFactory(
        authority=mainz, first_name="Berta", last_name="Kollegin", email="berta@mainz.example.org"
    )
    person = build(mainz=mainz, project_staff=project_staff, colleague=colleague)

    response = client_for(person).get(reverse("privacy:export"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    assert set(data) >= CATEGORIES
    assert data["profile"]["email"] == EMAIL and data["profile"]["phone"] == PHONE
    [enrollment] = data["enrollments"]
    assert [a["present"] for a in enrollment["attendance"]] == [True, True]
    assert enrollment["feedback"]["usefulness"] == 5 and FULL in enrollment["feedback"]["comments"]
    assert enrollment["follow_up"]["uses_learning"] == "yes"
    assert enrollment["certificate_issued_at"]
    assert data["meeting_registrations"][0]["attended"] is True
    assert [t["title"] for t in data["threads"]] == ["Terminvergabe online"]
    assert len(data["posts"]) == 1 and "Unsere Erfahrungen." in data["posts"][0]["body"]
    assert data["subscriptions"][0]["mode"] == "digest"
    assert data["notification_preferences"] == [{"kind": "network.post", "mode": "digest"}]
    assert data["notifications"][0]["kind"] == "training.enrollment_confirmed"
    assert data["documents_uploaded"][0]["file_name"] == "checkliste.pdf"
    assert data["profile"]["moderated_networks"] and data["profile"]["calendar_feed_active"] is True
    assert {e["kind"] for e in data["security_log"]} >= {"login", "login_failed"}
    assert data["read_markers"][0]["thread"] == "Terminvergabe online"
    assert data["contact_entries"][0]["phone"] == PHONE
    assert {d["name"] for d in data["two_factor_devices"]} == {
        f"Smartphone von {FULL}",
        "Wiederherstellungscodes",
    }
    assert "abcd1234" not in response.content.decode()  # no recovery code, no secret
    # The colleague's post, feedback and address are theirs, not the person's.
    text = response.content.decode()
    for foreign in ("berta@mainz.example.org", "Kollegin", "Zu lang", "ich schreibe Ihnen"):
        assert foreign not in text
    # The export itself is in the security log.
    event = SecurityEvent.objects.filter(kind=EventKind.EXPORT).get()
    assert event.user == person and event.details["file"].startswith("meine-daten-abh-portal-")


def test_profile_links_to_the_download_and_the_privacy_page(member, client_for):
    html = client_for(member).get(reverse("accounts:profile")).content.decode()
    assert reverse("privacy:export") in html and reverse("pages:privacy") in html


def test_every_role_can_download_their_own_data(funder, project_staff, client_for):
    for user in (funder, project_staff):
        data = json.loads(client_for(user).get(reverse("privacy:export")).content)
        assert data["profile"]["email"] == user.email


def test_profile_offers_an_erasure_request_to_the_operator(member, client_for, settings):
    html = client_for(member).get(reverse("accounts:profile")).content.decode()
    assert f'href="mailto:{settings.PORTAL_OPERATOR["email"]}?subject=' in html
    assert f"Konto-Nr.%20{member.pk}" in html
