"""Data the portal does not need it does not show or keep (issue 19): free-text feedback without the
participant's name, no phone number on accounts, no typed login name that is no account's address
(it may be a password), posts not copied into mails."""

import json
import logging

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.urls import reverse

from portal.accounts.login_names import unknown_login_name
from portal.privacy.models import EventKind, SecurityEvent
from tests.factories import CourseFactory, EnrollmentFactory, UserFactory
from training.models import Feedback, FollowUpAnswer, UsesLearning

LOGIN = reverse("accounts:login")
TYPED_PASSWORD = "Sommer-Regen-2026!"


@pytest.fixture
def answered(mainz):
    participant = UserFactory(authority=mainz, first_name="Maria", last_name="Mainzer")
    enrollment = EnrollmentFactory(course=CourseFactory(title="Grundlagen"), participant=participant)
    Feedback.objects.create(
        enrollment=enrollment, usefulness=4, comments="Sehr praxisnah.", will_apply="Checkliste"
    )
    FollowUpAnswer.objects.create(
        enrollment=enrollment, uses_learning=UsesLearning.YES, example="Am Schalter"
    )
    return enrollment


def test_free_text_feedback_shows_no_participant_name_anywhere(answered, project_staff, client_for):
    project_staff.is_staff = project_staff.is_superuser = True
    project_staff.save()
    staff = client_for(project_staff)
    feedback, follow_up = Feedback.objects.get(), FollowUpAnswer.objects.get()
    pages = {
        "results": reverse("training:feedback_results", args=[answered.course_id]),
        "admin feedback list": reverse("admin:training_feedback_changelist"),
        "admin feedback": reverse("admin:training_feedback_change", args=[feedback.pk]),
        "admin follow-up list": reverse("admin:training_followupanswer_changelist"),
        "admin follow-up": reverse("admin:training_followupanswer_change", args=[follow_up.pk]),
    }
    for name, url in pages.items():
        response = staff.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        assert "Mainzer" not in html and "Maria" not in html, name
        assert "Grundlagen" in html, name
    assert "Sehr praxisnah." in staff.get(pages["admin feedback"]).content.decode()
    assert "Am Schalter" in staff.get(pages["admin follow-up"]).content.decode()
    # The answers are the participants' own: nobody edits them in the admin.
    response = staff.post(pages["admin feedback"], {"comments": "geändert", "usefulness": 1})
    assert response.status_code == 403
    assert Feedback.objects.get().comments == "Sehr praxisnah."


def test_accounts_have_no_phone_number(member, project_staff, client_for):
    project_staff.is_staff = project_staff.is_superuser = True
    project_staff.save()

    profile = client_for(member).get(reverse("accounts:profile")).content.decode()
    admin = client_for(project_staff).get(reverse("admin:accounts_user_change", args=[member.pk]))
    export = json.loads(client_for(member).get(reverse("privacy:export")).content)

    assert 'name="phone"' not in profile and 'name="phone"' not in admin.content.decode()
    assert "phone" not in export["profile"]
    assert "phone" not in {field.name for field in type(member)._meta.fields}


def test_a_password_typed_into_the_address_field_is_never_stored(client, member, settings, caplog):
    settings.AXES_ENABLED = True
    caplog.set_level(logging.INFO)
    for _ in range(5):
        client.post(LOGIN, {"username": TYPED_PASSWORD, "password": "irgendwas"}, REMOTE_ADDR="192.0.2.9")

    # Still counted under one name: the fifth attempt locks it out.
    assert (
        client.post(LOGIN, {"username": TYPED_PASSWORD, "password": "x"}, REMOTE_ADDR="192.0.2.9").status_code
        == 429
    )
    hashed = unknown_login_name(TYPED_PASSWORD)
    assert hashed.startswith("unbekannt:") and len(hashed) == len("unbekannt:") + 16
    events = SecurityEvent.objects.filter(kind__in=[EventKind.LOGIN_FAILED, EventKind.LOCKOUT])
    assert {e.email for e in events} == {hashed}
    attempt = AccessAttempt.objects.get()
    assert attempt.username == hashed and {f.username for f in AccessFailureLog.objects.all()} <= {hashed}
    stored = " ".join(
        [caplog.text, attempt.post_data, attempt.get_data]
        + [f"{e.email} {e.details} {e.path}" for e in SecurityEvent.objects.all()]
    )
    assert TYPED_PASSWORD.lower() not in stored.lower()


def test_a_known_address_is_kept_and_a_hashed_one_is_found_by_searching_it(
    client, member, project_staff, client_for
):
    client.post(LOGIN, {"username": member.email.upper(), "password": "falsch"})
    client.post(LOGIN, {"username": "tippfehler@example.org", "password": "falsch"})

    assert set(SecurityEvent.objects.values_list("email", flat=True)) == {
        member.email,
        unknown_login_name("tippfehler@example.org"),
    }
    log = client_for(project_staff)
    found = log.get(reverse("privacy:security_log"), {"search": "Tippfehler@example.org"}).content.decode()
    assert "unbekannte Adresse (Kennung" in found and member.email not in found


def test_names_stored_before_are_hashed_by_the_migration(member):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("portal.privacy.migrations.0002_hash_unknown_login_names")
    typed = SecurityEvent.objects.create(kind=EventKind.LOGIN_FAILED, email=TYPED_PASSWORD.lower())
    known = SecurityEvent.objects.create(kind=EventKind.LOGIN_FAILED, email=member.email)
    attempt = AccessAttempt.objects.create(
        username=TYPED_PASSWORD.lower(),
        ip_address="192.0.2.1",
        user_agent="x",
        failures_since_start=1,
        post_data=f"username={TYPED_PASSWORD}\npassword=********************",
    )

    migration.hash_unknown_names(apps, None)

    typed.refresh_from_db()
    known.refresh_from_db()
    attempt.refresh_from_db()
    assert typed.email == unknown_login_name(TYPED_PASSWORD) and known.email == member.email
    assert attempt.username == unknown_login_name(TYPED_PASSWORD)
    assert TYPED_PASSWORD not in attempt.post_data and "password=" in attempt.post_data
