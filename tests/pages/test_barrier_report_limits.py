"""'Barriere melden' sends a mail to the project team without a login: limited per given address
and per client address."""

import pytest
from django.urls import reverse

REPORT = reverse("pages:barrier_report")
REFUSED = "in der letzten Stunde zu viele Anfragen gestellt"


@pytest.fixture
def report(client, django_capture_on_commit_callbacks, settings):
    settings.PORTAL_MAIL_LIMIT_PER_ADDRESS = 3
    settings.PORTAL_MAIL_LIMIT_PER_CLIENT = 10

    def post(email="", remote="192.0.2.30"):
        data = {"page": "/behoerden/", "description": "Kontrast zu gering.", "email": email}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(REPORT, data, REMOTE_ADDR=remote)

    return post


def test_the_fourth_report_from_one_address_within_an_hour_is_refused(report, mailoutbox, db):
    answers = [report("murat@example.org", remote=f"192.0.2.{i}") for i in range(4)]

    assert [a.status_code for a in answers] == [302, 302, 302, 429]
    assert REFUSED in answers[3].text
    # What was typed is kept for later.
    assert "Kontrast zu gering." in answers[3].text
    assert len(mailoutbox) == 3


def test_one_client_sends_ten_reports_an_hour_without_an_address(report, mailoutbox, db):
    answers = [report() for _ in range(11)]
    other_client = report(remote="198.51.100.4")

    assert [a.status_code for a in answers] == [302] * 10 + [429]
    assert REFUSED in answers[10].text
    assert other_client.status_code == 302
    assert len(mailoutbox) == 11
