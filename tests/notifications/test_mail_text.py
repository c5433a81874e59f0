"""Subjects and plain-text bodies are plain text: what people typed arrives as they typed it, never
HTML-escaped; only the HTML part escapes it."""

from network.services import meetings
from tests.factories import CourseFactory, MeetingFactory, NetworkFactory
from training.services import enrollments as services

TITLE = "<b>Recht & Ordnung</b>"


def test_member_gets_a_course_title_literally_in_subject_and_text(
    member, django_capture_on_commit_callbacks, mailoutbox
):
    course = CourseFactory(title=TITLE)

    with django_capture_on_commit_callbacks(execute=True):
        services.enrollment_create(course=course, participant=member, by=member)

    (mail,) = mailoutbox
    assert mail.subject == f"Anmeldung bestätigt: {TITLE}"
    assert TITLE in mail.body
    assert "&lt;" not in mail.body and "&amp;" not in mail.body
    html, _type = mail.alternatives[0]
    assert "&lt;b&gt;Recht &amp; Ordnung&lt;/b&gt;" in html


def test_member_gets_a_meeting_title_literally_in_the_subject(
    member, mainz, django_capture_on_commit_callbacks, mailoutbox
):
    meeting = MeetingFactory(network=NetworkFactory(members=[mainz]), title="Fachtag „Service & Recht“")

    with django_capture_on_commit_callbacks(execute=True):
        meetings.meeting_register(meeting=meeting, participant=member, by=member)

    (mail,) = mailoutbox
    assert "Fachtag „Service & Recht“" in mail.subject
    assert "&amp;" not in mail.subject


def test_a_line_break_in_a_title_does_not_reach_the_subject_header(
    member, django_capture_on_commit_callbacks, mailoutbox
):
    course = CourseFactory(title="Recht\r\nBcc: jemand@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        services.enrollment_create(course=course, participant=member, by=member)

    (mail,) = mailoutbox
    assert mail.subject == "Anmeldung bestätigt: Recht Bcc: jemand@example.org"
    assert "\n" not in mail.message()["Subject"]
