"""A page seen with a verified second factor reads the person and the session's device in one query
(portal/accounts/backends.py); what django_otp decides stays the same, at once on the next page."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from portal.accounts import two_factor
from tests.accounts.authenticator import HOME, SETUP, enable, verified_client
from tests.factories import UserFactory

PROFILE = reverse("accounts:profile")


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED_FOR_STAFF = True


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in queries]


def _reads_person(sql: str) -> bool:
    return 'FROM "accounts_user"' in sql or 'JOIN "accounts_user"' in sql


def test_a_verified_page_reads_person_and_device_in_one_query(client_for, project_staff):
    device, _codes = enable(project_staff)
    verified = verified_client(project_staff, device)
    verified.get(PROFILE)

    sql = _queries(verified, PROFILE)

    device_table = f'"{device._meta.db_table}"'
    person = [query for query in sql if _reads_person(query) and device_table in query]
    assert len(person) == 1, sql  # the device with its person
    assert not [query for query in sql if _reads_person(query) and query is not person[0]], sql
    # …and costs no more queries than the same person's page in a session without the second step.
    plain = client_for(project_staff)
    plain.get(PROFILE)
    assert len(sql) == len(_queries(plain, PROFILE))


def test_a_recovery_code_session_reads_its_device_with_the_person(project_staff, required):
    enable(project_staff)
    recovery = StaticDevice.objects.get(user=project_staff)
    verified = verified_client(project_staff, recovery)

    sql = _queries(verified, PROFILE)

    assert any('"otp_static_staticdevice"' in query and _reads_person(query) for query in sql), sql


def test_a_removed_device_ends_the_verification_on_the_next_page(project_staff, required):
    device, _codes = enable(project_staff)
    verified = verified_client(project_staff, device)
    assert verified.get(HOME).status_code == 200

    two_factor.disable(project_staff)

    response = verified.get(HOME)
    assert response.status_code == 302 and response["Location"] == SETUP
    assert DEVICE_ID_SESSION_KEY not in verified.session


def test_a_deactivated_person_is_logged_out_on_the_next_page(project_staff, required):
    device, _codes = enable(project_staff)
    verified = verified_client(project_staff, device)
    assert verified.get(HOME).status_code == 200

    project_staff.is_active = False
    project_staff.save(update_fields=["is_active"])

    response = verified.get(PROFILE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert not response.wsgi_request.user.is_authenticated


def test_another_persons_device_does_not_verify(project_staff, required):
    other = UserFactory(project_staff=True, email="andere@example.org")
    device, _codes = enable(other)
    enable(project_staff)
    borrowed = verified_client(project_staff, device)

    response = borrowed.get(HOME)

    assert response.status_code == 302  # not verified: the session skipped the second step
    assert SESSION_KEY not in borrowed.session or DEVICE_ID_SESSION_KEY not in borrowed.session
