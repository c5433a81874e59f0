import json

from django.apps import apps
from django.urls import reverse

from portal.privacy.models import EventKind, SecurityEvent
from tests.factories import UserFactory
from tests.privacy.people import (
    CERTIFICATE_NAME,
    EMAIL,
    FULL,
    LAST,
    LIBRARY_NAME,
    OTHER_EMAIL,
    OTHER_PHONE,
    PHONE,
    build,
)

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
    "login_records",
    "admin_log",
    "documents_naming_you",
    "mentions",
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
    assert data["profile"]["email"] == EMAIL and "phone" not in data["profile"]
    enrollment, cancelled = data["enrollments"]
    assert [a["present"] for a in enrollment["attendance"]] == [True, True]
    assert enrollment["feedback"]["usefulness"] == 5 and FULL in enrollment["feedback"]["comments"]
    assert enrollment["follow_up"]["uses_learning"] == "yes"
    assert enrollment["certificate_issued_at"]
    assert data["meeting_registrations"][0]["attended"] is True
    assert [t["title"] for t in data["threads"]] == ["Terminvergabe online"]
    assert [p["body"][:19] for p in data["posts"]] == ["Unsere Erfahrungen.", "Nachtrag: die Liste"]
    assert data["subscriptions"][0]["mode"] == "digest"
    assert data["notification_preferences"] == [{"kind": "network.post", "mode": "digest"}]
    assert data["notifications"][0]["kind"] == "training.enrollment_confirmed"
    assert data["documents_uploaded"][0]["file_name"] == "checkliste.pdf"
    assert data["documents_uploaded"][0]["description"] == "Zusammengestellt aus den Erfahrungen am Schalter."
    assert data["profile"]["moderated_networks"] and data["profile"]["calendar_feed_active"] is True
    assert {e["kind"] for e in data["security_log"]} >= {"login", "login_failed"}
    assert data["read_markers"][0]["thread"] == "Terminvergabe online"
    # Both contact entries: under her address, and by name under another address of her authority.
    assert [(c["email"], c["phone"]) for c in data["contact_entries"]] == [
        (EMAIL, PHONE),
        (OTHER_EMAIL, OTHER_PHONE),
    ]
    assert {d["name"] for d in data["two_factor_devices"]} == {
        f"Smartphone von {FULL}",
        "Wiederherstellungscodes",
    }
    assert "abcd1234" not in response.content.decode()  # no recovery code, no secret
    # The colleague's post, feedback and address are theirs, not the person's.
    text = response.content.decode()
    for foreign in ("berta@mainz.example.org", "Berta", "Zu lang"):
        assert foreign not in text
    # The export itself is in the security log.
    event = SecurityEvent.objects.filter(kind=EventKind.EXPORT, user=person).get()
    assert event.user == person and event.details["file"].startswith("meine-daten-abh-portal-")


def mentioning_tables(needle: str) -> set[str]:
    """The tables (verbose names) with a row whose text names the person, found by plain search."""
    found = set()
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy or model._meta.label == "accounts.User":
            continue
        for row in model._default_manager.values_list(*[f.attname for f in model._meta.concrete_fields]):
            if needle.lower() in " ".join(str(value) for value in row).lower():
                found.add(str(model._meta.verbose_name))
    return found


def test_export_has_what_others_wrote_about_the_person_in_every_table(mainz, project_staff, client_for):
    colleague = UserFactory(authority=mainz, first_name="Berta", last_name="Kollegin")
    person = build(mainz=mainz, project_staff=project_staff, colleague=colleague)

    data = json.loads(client_for(person).get(reverse("privacy:export")).content)

    mentions = data["mentions"]
    # Every table that names her (found here by plain text search) is in the export with the passage.
    tables = mentioning_tables(LAST)
    assert {"Beitrag", "Maßnahme", "Beratungstermin", "Änderung", "Sicherheitsereignis", "Dokument"} <= tables
    assert tables <= {m["where"] for m in mentions}
    passages = " | ".join(p for m in mentions for p in m["passages"])
    for passage in (
        "Danke Maria! Frau Mainzer hat das sehr gut erklärt.",  # a post of somebody else
        "Frau Mainzer stellt die Checkliste vor.",  # minutes
        "Frau Mainzer berichtet vom Aufrufsystem.",  # consultation
        "Maria M. (Stadt Mainz), Coach",
        "Abgestimmt mit M. Mainzer.",  # phase of the change process
        "Hospitation bei Frau Mainzer (Stadt Mainz).",  # report narrative
        CERTIFICATE_NAME,  # security log: somebody downloaded her certificate
        LIBRARY_NAME,  # library document's file name
        "Das Paket, das Frau Mainzer für neue Kolleginnen und Kollegen gepackt hat.",  # its description
        "Rückruf unter 06131/123456.",  # her phone number (from her other contact entry)
        f"{FULL} hat geschrieben: Grüße",  # a mail to a colleague
        f"{FULL} geändert",  # the admin log
    ):
        assert passage in passages, passage
    # The content of mails she received, while kept.
    sent = next(m for m in data["notifications"] if m["kind"] == "training.enrollment_confirmed")
    assert (sent["subject"], sent["body"]) == ("Anmeldung bestätigt", f"Guten Tag {FULL},")
    # The admin log about her account, her login records, the security log with details.
    assert [(e["action"], e["change"]) for e in data["admin_log"]] == [("changed", f"{FULL} geändert")]
    records = data["login_records"]
    assert records["failed_attempts"][0]["ip_address"] == "127.0.0.1"
    assert len(records["failures"]) == 1 and records["logins"][0]["user_agent"] == "Firefox"
    assert all("details" in e for e in data["security_log"])
    # Cancellation reasons and the PDFs that print her name.
    [cancelled] = [e for e in data["enrollments"] if e["status"] == "cancelled"]
    assert cancelled["cancellation_reason"].startswith("Frau Mainzer ist erkrankt")
    assert any(
        r["cancellation_reason"].startswith("Frau Mainzer hat sich") for r in data["meeting_registrations"]
    )
    assert [s["course"] for s in data["documents_naming_you"]["sign_in_sheets"]] == [
        "Grundlagen Willkommenskultur"
    ]
    assert [p["authority"] for p in data["documents_naming_you"]["measure_plans"]] == ["Stadt Mainz"]


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
