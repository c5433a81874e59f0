import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.privacy.models import EventKind, SecurityEvent
from tests.factories import CourseFactory, EnrollmentFactory
from tests.helpers import page_queries

PASSWORD = "ein-sicheres-Passwort-123"  # the factories' password
WRONG = "Geheim-und-falsch-987"
LOGIN = reverse("accounts:login")


def _texts(event) -> str:
    return " ".join(str(v) for v in (event.email, event.path, event.details, event.ip))


def test_login_is_logged_with_address_and_without_secrets(client, member, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    client.post(LOGIN, {"username": member.email, "password": PASSWORD}, REMOTE_ADDR="192.0.2.5")

    event = SecurityEvent.objects.get(kind=EventKind.LOGIN)
    assert (event.user, event.user_ref, event.ip, event.path) == (member, member.pk, "192.0.2.5", LOGIN)
    assert client.session.session_key not in _texts(event) + caplog.text
    assert PASSWORD not in _texts(event) + caplog.text
    assert f"security_event kind=login user_id={member.pk}" in caplog.text


def test_failed_login_keeps_the_lower_cased_address_never_the_password(client, member, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    client.post(LOGIN, {"username": "Member@MAINZ.example.org", "password": WRONG}, REMOTE_ADDR="192.0.2.6")

    event = SecurityEvent.objects.get(kind=EventKind.LOGIN_FAILED)
    assert event.email == "member@mainz.example.org" and event.user is None and event.ip == "192.0.2.6"
    assert WRONG not in _texts(event) and WRONG not in caplog.text
    assert "kind=login_failed" in caplog.text and "email=member@mainz.example.org" in caplog.text


def test_lockout_is_logged(client, member, settings):
    settings.AXES_ENABLED = True
    for _ in range(5):
        client.post(LOGIN, {"username": member.email, "password": WRONG}, REMOTE_ADDR="192.0.2.7")

    event = SecurityEvent.objects.get(kind=EventKind.LOCKOUT)
    assert event.email == member.email and event.ip == "192.0.2.7"
    assert SecurityEvent.objects.filter(kind=EventKind.LOGIN_FAILED).count() >= 4


def test_every_403_is_logged(member, client_for):
    response = client_for(member).get(reverse("privacy:security_log"))

    assert response.status_code == 403
    event = SecurityEvent.objects.get(kind=EventKind.PERMISSION_DENIED)
    assert event.user == member and event.path == reverse("privacy:security_log")


@pytest.mark.parametrize(
    "name, args",
    [
        ("authorities:export", []),
        ("training:participants_csv", ["course"]),
        ("training:participants_xlsx", ["course"]),
        ("reports:indicators_csv", []),
        ("reports:indicators_xlsx", []),
    ],
)
def test_exports_are_logged(name, args, project_staff, member, client_for):
    course = CourseFactory()
    EnrollmentFactory(course=course, participant=member)
    url = reverse(name, args=[course.pk if a == "course" else a for a in args])

    response = client_for(project_staff).get(url)

    assert response.status_code == 200
    event = SecurityEvent.objects.get(kind=EventKind.EXPORT)
    assert event.user == project_staff and event.path == url and event.details["file"]


def test_calendar_files_are_not_exports(member, client_for):
    course = CourseFactory()
    client_for(member).get(reverse("training:course_ics", args=[course.pk]))
    assert not SecurityEvent.objects.filter(kind=EventKind.EXPORT).exists()


# --- the page -----------------------------------------------------------------------------------------


def test_only_project_staff_see_the_log(funder, member, coordinator, client_for):
    for user in (funder, member, coordinator):
        assert client_for(user).get(reverse("privacy:security_log")).status_code == 403


def test_navigation_shows_the_log_to_project_staff_only(project_staff, coordinator, client_for):
    url = reverse("privacy:security_log")
    assert url in client_for(project_staff).get(reverse("pages:home")).content.decode()
    assert url not in client_for(coordinator).get(reverse("pages:home")).content.decode()


def test_filters_by_kind_date_and_address(project_staff, member, client_for):
    SecurityEvent.objects.all().delete()
    SecurityEvent.objects.create(kind=EventKind.LOGIN_FAILED, email="niemand@example.org", ip="192.0.2.1")
    old = SecurityEvent.objects.create(kind=EventKind.LOGIN, user=member, user_ref=member.pk)
    SecurityEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=10))
    client = client_for(project_staff)  # logs in: one more event today
    url = reverse("privacy:security_log")

    def shown(**params):
        return client.get(url, params).context["page"].paginator.count

    assert shown() == 3
    assert shown(kind="login_failed") == 1
    assert shown(search="niemand@") == 1
    assert shown(search="member@mainz") == 1
    assert shown(search=str(member.pk)) >= 1
    today = timezone.localdate().isoformat()
    assert shown(date_from=today) == 2
    assert shown(date_to=(timezone.localdate() - timedelta(days=5)).isoformat()) == 1
    assert shown(kind="nonsense") == 3  # an invalid filter is ignored
    html = client.get(url, {"kind": "login_failed"}).content.decode()
    assert "niemand@example.org" in html and "Fehlgeschlagene Anmeldung" in html


def test_log_page_query_count_does_not_grow(project_staff, client_for):
    from tests.factories import UserFactory

    client = client_for(project_staff)
    people = UserFactory.create_batch(5)
    url = reverse("privacy:security_log")

    def queries(events: int) -> int:
        for i in range(events):
            SecurityEvent.objects.create(kind=EventKind.LOGIN, user=people[i % 5], ip="192.0.2.9")
        return page_queries(client, url, {"seite": 1})

    few, many = queries(3), queries(120)
    # Session, user, count, one page of events with their accounts.
    assert few == many <= 4


def test_erasures_read_in_german_with_the_account_number_only(project_staff, member, client_for):
    from portal.privacy.erasure import person_erase

    last_name = member.last_name
    person_erase(user=member, by=project_staff)
    html = (
        client_for(project_staff).get(reverse("privacy:security_log"), {"kind": "erasure"}).content.decode()
    )
    assert f"Konto-Nr. der gelöschten Person: {member.pk}" in html and "auf Antrag" in html
    assert last_name not in html and "member@mainz" not in html


def test_one_time_link_secrets_are_not_logged(rf):
    from django.urls import resolve

    from portal.privacy.security import safe_path

    path = reverse("accounts:password_reset_confirm", args=["MQ", "abc-123secret"])
    request = rf.get(path)
    request.resolver_match = resolve(path)
    assert safe_path(request) == "/konto/passwort-neu/<uidb64>/<token>/"
    assert "abc-123secret" not in safe_path(request)


def test_a_failing_log_write_does_not_break_the_page(member, client_for, monkeypatch):
    from django.db import DatabaseError

    def broken(self, *args, **kwargs):
        raise DatabaseError("log table gone")

    monkeypatch.setattr(SecurityEvent, "save", broken)
    assert client_for(member).get(reverse("privacy:security_log")).status_code == 403


def test_the_log_is_paginated_newest_first(project_staff, member, client_for):
    client = client_for(project_staff)
    SecurityEvent.objects.all().delete()
    for _ in range(60):
        SecurityEvent.objects.create(kind=EventKind.LOGIN_FAILED, email="alt@example.org")
    newest = SecurityEvent.objects.create(kind=EventKind.LOGIN_FAILED, email="neu@example.org")
    url = reverse("privacy:security_log")

    first = client.get(url)
    assert first.context["page"].object_list[0] == newest
    assert "Nächste Seite" in first.content.decode() and "1–50 von 61" in first.content.decode()
    assert len(client.get(url, {"seite": 2}).context["page"].object_list) == 11
