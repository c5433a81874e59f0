"""Every link that leaves the portal (mails, .ics files, the calendar feed, invitations) points at the
portal's own address, `PORTAL_BASE_URL`: a portal started on port 8100 never sends links to 8000."""

import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from network import ics as meeting_ics
from portal.env import started_base_url
from tests.factories import CourseFactory, MeetingFactory
from training import ics as course_ics
from training.models import CalendarToken

ELSEWHERE = "http://127.0.0.1:8100"


@pytest.fixture
def on_port_8100(settings):
    settings.PORTAL_BASE_URL = ELSEWHERE


def test_the_enrollment_mail_links_to_the_portal_on_its_own_port(
    on_port_8100, client_for, member, django_capture_on_commit_callbacks, mailoutbox
):
    course = CourseFactory()

    with django_capture_on_commit_callbacks(execute=True):
        client_for(member).post(reverse("training:enroll", args=[course.pk]))

    [mail] = mailoutbox
    links = re.findall(r"https?://[^\s\"<>]+", mail.body + mail.alternatives[0][0])
    assert f"{ELSEWHERE}/schulungen/{course.pk}/" in links
    assert links and all(link.startswith(ELSEWHERE + "/") for link in links), links
    [(name, calendar_file, _type)] = mail.attachments
    assert f"URL:{ELSEWHERE}/schulungen/{course.pk}/" in calendar_file.replace("\r\n ", "")


def test_ics_files_and_the_calendar_feed_use_the_portals_address(on_port_8100, member, client_for, db):
    course, meeting = CourseFactory(), MeetingFactory()

    assert f"URL:{ELSEWHERE}/schulungen/{course.pk}/" in course_ics.course_calendar(course)
    assert f"URL:{ELSEWHERE}{meeting.get_absolute_url()}" in meeting_ics.meeting_calendar(meeting).replace(
        "\r\n ", ""
    )
    client = client_for(member)
    client.post(reverse("training:calendar_settings"))
    token = CalendarToken.objects.get(user=member).token
    page = client.get(reverse("training:calendar_settings")).content.decode()
    assert f'value="{ELSEWHERE}{reverse("training:calendar_feed", args=[token])}"' in page


def test_the_invitation_link_points_at_the_portals_address(
    on_port_8100, project_staff, mainz, client_for, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(project_staff).post(
            reverse("accounts:user_invite"),
            {
                "first_name": "Lena",
                "last_name": "Weber",
                "email": "lena.weber@mainz.example.org",
                "role": "authority_staff",
                "authority": mainz.pk,
            },
        )

    [mail] = mailoutbox
    assert re.search(rf"{re.escape(ELSEWHERE)}/konto/einladung/[^/\s]+/[^/\s]+/", mail.body), mail.body
    assert "127.0.0.1:8000" not in mail.body + mail.alternatives[0][0]


def test_without_the_setting_the_address_is_the_one_runserver_serves():
    assert started_base_url(["manage.py", "runserver", "127.0.0.1:8100"]) == ELSEWHERE
    assert started_base_url(["manage.py", "runserver", "8100", "--noreload"]) == ELSEWHERE
    assert started_base_url(["manage.py", "runserver", "0.0.0.0:8100"]) == ELSEWHERE
    assert started_base_url(["manage.py", "runserver"]) == "http://127.0.0.1:8000"
    assert started_base_url(["celery", "-A", "portal", "worker"]) == "http://127.0.0.1:8000"


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_gives_web_server_and_worker_the_address_of_its_port():
    recipe = subprocess.run(
        ["make", "--dry-run", "--no-print-directory", "processes", "PORT=8100"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert f"PORTAL_BASE_URL={ELSEWHERE}" in recipe
