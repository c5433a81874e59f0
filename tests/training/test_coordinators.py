"""What a coordinator sees of their colleagues on the course page, and what a colleague they enrolled
reads in the mail."""

from tests.factories import EnrollmentFactory
from tests.training.helpers import REQUESTED, WAITLISTED, course_on, page_text, url
from training.models import EnrollmentMode
from training.services.enrollments import enrollment_create


def _colleagues_section(response) -> str:
    return (
        page_text(response).split("Kolleginnen und Kollegen Ihrer Behörde", 1)[1].split("Beschreibung", 1)[0]
    )


def test_a_coordinator_enrolled_alone_reads_that_nobody_else_is(client_for, coordinator, colleague, course):
    client = client_for(coordinator)
    assert "Noch niemand aus Ihrer Behörde ist angemeldet." in _colleagues_section(
        client.get(url("detail", course.pk))
    )

    EnrollmentFactory(course=course, participant=coordinator)
    section = _colleagues_section(client.get(url("detail", course.pk)))

    assert "Außer Ihnen ist noch niemand aus Ihrer Behörde angemeldet." in section
    assert "Noch niemand aus Ihrer Behörde" not in section

    EnrollmentFactory(course=course, participant=colleague)
    section = _colleagues_section(client.get(url("detail", course.pk)))
    assert f"{colleague} abmelden" in section and "niemand" not in section


def test_the_coordinator_is_not_in_their_own_colleague_picker(
    client_for, coordinator, colleague, member, course
):
    html = client_for(coordinator).get(url("detail", course.pk)).content.decode()

    assert f'<option value="{colleague.pk}">' in html and f'<option value="{member.pk}">' in html
    assert f'<option value="{coordinator.pk}">' not in html


def test_the_course_dates_come_before_the_enrollment_and_the_description(client_for, member, course):
    text = page_text(client_for(member).get(url("detail", course.pk)))

    assert text.index("Termine") < text.index("Ihre Anmeldung") < text.index("Beschreibung")


def test_a_colleague_enrolled_by_the_coordinator_is_told_by_whom(
    coordinator, colleague, member, django_capture_on_commit_callbacks, mailoutbox
):
    confirmed = course_on(20, title="Direkt", capacity=1)
    requested = course_on(21, title="Auf Anfrage", enrollment_mode=EnrollmentMode.REQUEST)
    with django_capture_on_commit_callbacks(execute=True):
        enrollment_create(course=confirmed, participant=colleague, by=coordinator)
        waiting = enrollment_create(course=confirmed, participant=member, by=coordinator)
        asked = enrollment_create(course=requested, participant=colleague, by=coordinator)
        enrollment_create(course=requested, participant=coordinator, by=coordinator)

    assert (waiting.status, asked.status) == (WAITLISTED, REQUESTED)
    told = f"Angemeldet hat Sie {coordinator.get_full_name()} ({coordinator.email})."
    by_recipient = [(mail.to[0], mail.subject, mail.body, mail.alternatives[0][0]) for mail in mailoutbox]
    assert len(by_recipient) == 4
    for to, subject, body, html in by_recipient[:3]:
        assert to in (colleague.email, member.email)
        assert told in body and told in html, subject
    # Who enrolled themselves is not told that they did.
    assert by_recipient[3][0] == coordinator.email and "Angemeldet hat Sie" not in by_recipient[3][2]
