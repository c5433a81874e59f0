"""When the database cannot be reached, every page answers 503 with a plain German page that needs no
database (no session, user or navigation), /health/ says 503, and a write that fails halfway leaves
nothing behind.

"Database down" is simulated where the connection is opened (`ensure_connection`), with the error
Django raises for a refused connection; on PostgreSQL, one test points the connection at a closed
port for real."""

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from portal.notifications.models import Notification
from tests.factories import CourseFactory
from training.models import Enrollment
from training.services import enrollments as training_services

REFUSED = 'connection to server at "127.0.0.1", port 5432 failed: Connection refused'


@pytest.fixture(autouse=True)
def _production_like(settings):
    settings.DEBUG = False


def _logged_in(user) -> Client:
    """A client that answers errors with pages, as a browser sees them."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


class Database:
    def __init__(self, patch):
        self.patch = patch

    def down(self):
        """From now on every query fails as with a refused connection."""

        def refuse():
            raise OperationalError(REFUSED)

        self.patch.setattr(connection, "ensure_connection", refuse)

    def up(self):
        self.patch.undo()


@pytest.fixture
def database(db):
    # After `db`, so that the database is up again before the test's transaction is rolled back.
    with pytest.MonkeyPatch.context() as patch:
        yield Database(patch)


def _assert_unavailable_page(response):
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Content-Type"].startswith("text/html")
    assert "Das Portal ist vorübergehend nicht erreichbar" in page
    assert "Bitte versuchen Sie es in einigen Minuten noch einmal." in page
    assert "Traceback" not in page
    assert "OperationalError" not in page
    assert "5432" not in page


@pytest.mark.parametrize(
    "name, args",
    [("pages:home", []), ("training:catalogue", []), ("authorities:list", []), ("accounts:profile", [])],
)
def test_pages_answer_503_with_the_german_page_when_the_database_is_down(member, name, args, database):
    client = _logged_in(member)
    database.down()

    response = client.get(reverse(name, args=args))
    _assert_unavailable_page(response)
    # The headers of every page, although nobody can look up who is logged in.
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_the_login_page_answers_503_too(db, database):
    client = Client(raise_request_exception=False)
    database.down()

    response = client.post(reverse("accounts:login"), {"username": "a@example.org", "password": "x"})

    _assert_unavailable_page(response)


def test_an_enrollment_while_the_database_is_down_answers_503(member, database):
    course = CourseFactory()
    client = _logged_in(member)
    database.down()

    response = client.post(reverse("training:enroll", args=[course.pk]))

    _assert_unavailable_page(response)
    database.up()
    assert not Enrollment.objects.exists()


def test_other_errors_keep_the_500_page(member, monkeypatch):
    def broken(request):
        raise ValueError("a bug")

    monkeypatch.setattr("portal.pages.views.figures.authority_dashboard", broken)

    response = _logged_in(member).get(reverse("pages:home"))

    assert response.status_code == 500
    assert "Technischer Fehler" in response.content.decode()
    assert "a bug" not in response.content.decode()


@pytest.mark.parametrize("logged_in", [False, True])
def test_health_answers_503_when_the_database_is_down(member, database, logged_in):
    # A browser with a session cookie too: the health check never loads the session's user.
    client = _logged_in(member) if logged_in else Client(raise_request_exception=False)
    database.down()

    response = client.get(reverse("pages:health"))

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error", "broker": "ok"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a closed port needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_postgresql_on_a_closed_port_gives_the_page_and_the_health_check_503(member, monkeypatch):
    client = _logged_in(member)
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "PORT", "1")
    monkeypatch.setitem(
        connection.settings_dict, "OPTIONS", {**connection.settings_dict["OPTIONS"], "connect_timeout": 2}
    )
    try:
        page = client.get(reverse("training:catalogue"))
        health = client.get(reverse("pages:health"))
    finally:
        connection.close()
        monkeypatch.undo()

    _assert_unavailable_page(page)
    assert health.status_code == 503
    assert health.json()["database"] == "error"


# --- no half-done enrollment -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # real commits and rollbacks, as in production
def test_an_error_after_the_enrollment_and_its_mail_were_written_leaves_neither(member, monkeypatch):
    """The database goes away after the enrollment row and its mail's row were written, before the
    transaction commits: both are gone, the person sees the 503 page, and no mail goes out."""
    course = CourseFactory()
    client = _logged_in(member)
    written = {}
    send_email = training_services.send_email

    def send_then_fail(**kwargs):
        send_email(**kwargs)
        written["enrollments"] = Enrollment.objects.filter(course=course).count()
        written["mails"] = Notification.objects.count()
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(training_services, "send_email", send_then_fail)

    response = client.post(reverse("training:enroll", args=[course.pk]))

    assert written == {"enrollments": 1, "mails": 1}
    _assert_unavailable_page(response)
    assert not Enrollment.objects.exists()
    assert not Notification.objects.exists()

    # Once the database is back, the same click enrolls the person, with one mail.
    monkeypatch.undo()
    response = client.post(reverse("training:enroll", args=[course.pk]))
    assert response.status_code == 302
    assert Enrollment.objects.filter(course=course, participant=member).count() == 1
    assert Notification.objects.count() == 1


# --- broker down -----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_page_that_needs_the_broker_answers_503_when_it_is_down(project_staff, broker_down):
    """A PDF is queued for the worker after commit; with the broker down the person sees the 503
    page (the request row is saved, the page says to check), not a traceback."""
    course = CourseFactory()
    course_date = course.dates.first()
    client = _logged_in(project_staff)

    response = client.post(reverse("training:sign_in_sheet_request", args=[course.pk, course_date.pk]))

    _assert_unavailable_page(response)
    assert "prüfen Sie danach bitte, ob es angekommen ist" in response.content.decode()
