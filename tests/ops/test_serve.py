"""The production stack of `make serve` and the checks of `make loadtest`, as far as they can be checked
without starting the stack: the checks find an overbooked course, a gap in a waiting list and a
lost or duplicated mail; the HTTPS switch for loopback relaxes only what it says; the locust users'
forms and two-factor codes work against the portal."""

import os
import re
import secrets
import smtplib
import socket
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portal.notifications.models import Notification
from portal.ops import loadtest
from portal.ops.loadtest import checks
from portal.ops.loadtest.forms import post_form
from portal.ops.serve import stack
from tests.factories import AuthorityFactory, CourseFactory, EnrollmentFactory, UserFactory
from training.models import Enrollment, EnrollmentStatus
from training.services import enrollments as services

BASE_DIR = Path(__file__).resolve().parents[2]


# --- seats ----------------------------------------------------------------------------------------


def test_a_course_with_more_seats_taken_than_it_has_is_reported(db):
    fine = CourseFactory(capacity=2)
    EnrollmentFactory.create_batch(2, course=fine)
    overbooked = CourseFactory(capacity=1, title="Überbucht")
    EnrollmentFactory.create_batch(2, course=overbooked)
    # Waiting and cancelled enrollments hold no seat.
    EnrollmentFactory(course=fine, status=EnrollmentStatus.WAITLISTED, waitlist_position=1)
    EnrollmentFactory(course=fine, status=EnrollmentStatus.CANCELLED)

    problems = checks.overbooked_courses()

    assert problems == [f"Überbucht (#{overbooked.pk}): 2 Plätze belegt (2 bestätigt), 1 vorhanden"]


def test_more_seats_for_one_authority_than_its_limit_is_reported(db):
    course = CourseFactory(capacity=10, seats_per_authority=1, title="Je Behörde einer")
    authority = AuthorityFactory()
    for _ in range(2):
        EnrollmentFactory(course=course, participant=UserFactory(authority=authority))
    EnrollmentFactory(course=course, participant=UserFactory(authority=AuthorityFactory()))

    problems = checks.overbooked_courses()

    assert len(problems) == 1
    assert f"2 Plätze für Behörde #{authority.pk}, höchstens 1" in problems[0]


def test_a_gap_in_a_waiting_list_is_reported(db):
    course = CourseFactory(capacity=1, title="Mit Lücke")
    EnrollmentFactory(course=course)
    for position in (1, 3):
        EnrollmentFactory(course=course, status=EnrollmentStatus.WAITLISTED, waitlist_position=position)
    in_order = CourseFactory(capacity=1)
    EnrollmentFactory(course=in_order, status=EnrollmentStatus.WAITLISTED, waitlist_position=1)

    assert checks.waiting_list_gaps() == [f"Mit Lücke (#{course.pk}): Wartelistenplätze [1, 3]"]


# --- mail -----------------------------------------------------------------------------------------


@pytest.fixture
def sent_mails(tmp_path, django_capture_on_commit_callbacks):
    """Enroll, wait, cancel and move up through the real services; the mails they send are written
    as files, as the SMTP sink of the load test writes them."""
    since = timezone.now()
    course = CourseFactory(capacity=1, title="Lasttest-Schulung 01")
    first, second = UserFactory(email="erste@example.org"), UserFactory(email="zweite@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        seat = services.enrollment_create(course=course, participant=first, by=first)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrollment_create(course=course, participant=second, by=second)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrollment_cancel(enrollment=seat, by=first)
    folder = tmp_path / "mail"
    folder.mkdir()
    files = []
    for number, message in enumerate(mail.outbox):
        path = folder / f"{number}.eml"
        path.write_bytes(message.message().as_bytes())
        files.append(path)
    return course, since, files


def test_every_enrollment_mail_received_once_passes(db, sent_mails):
    course, since, files = sent_mails

    result = checks.compare_mails(courses=[course], since=since, mail_files=files)

    # Confirmation and cancellation for the first, waiting list and the freed seat for the second.
    assert (result.expected, result.received) == (4, 4)
    assert result.ok
    subjects = sorted(subject for _to, subject in checks.received_mails(files))
    assert subjects == [
        "Abmeldung: Lasttest-Schulung 01",
        "Anmeldung bestätigt: Lasttest-Schulung 01",
        "Platz frei geworden: Lasttest-Schulung 01",
        "Warteliste: Lasttest-Schulung 01",
    ]


def test_a_mail_received_twice_is_a_duplicate(db, sent_mails):
    course, since, files = sent_mails
    copy = files[0].with_name("copy.eml")
    copy.write_bytes(files[0].read_bytes())

    result = checks.compare_mails(courses=[course], since=since, mail_files=[*files, copy])

    assert not result.ok
    assert sum(result.duplicated.values()) == 1
    assert not result.lost


def test_a_mail_never_received_is_lost(db, sent_mails):
    course, since, files = sent_mails
    promoted = next(path for path in files if b"Platz frei geworden" in path.read_bytes())

    result = checks.compare_mails(
        courses=[course], since=since, mail_files=[path for path in files if path != promoted]
    )

    assert not result.ok
    assert list(result.lost) == [("zweite@example.org", "Platz frei geworden: Lasttest-Schulung 01")]


def test_outbox_mails_count_and_an_unsent_one_is_reported(db, sent_mails):
    course, since, files = sent_mails
    user = UserFactory(email="dritte@example.org")
    payload = {"to": [user.email], "subject": "Erinnerung:  morgen", "template": "training/course_reminder"}
    Notification.objects.create(recipient=user, payload=payload, status="claimed")

    result = checks.compare_mails(courses=[course], since=since, mail_files=files)

    assert result.expected == 5
    assert list(result.lost) == [("dritte@example.org", "Erinnerung: morgen")]
    assert result.unsent and "claimed" in result.unsent[0]


def test_the_smtp_sink_keeps_each_mail_as_one_file(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = subprocess.Popen(
        [sys.executable, "-m", "portal.ops.serve.mailsink", "--dir", str(tmp_path), "--port", str(port)],
        cwd=BASE_DIR,
    )
    try:
        stack.wait_for_port("127.0.0.1", port)
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = "portal@example.org", "a@example.org", "Grüße"
        message.set_content("Hallo")
        with smtplib.SMTP("127.0.0.1", port) as client:
            client.send_message(message)
            client.send_message(message)
    finally:
        sink.terminate()
        sink.wait(10)

    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 2
    assert checks.received_mails(files) == {("a@example.org", "Grüße"): 2}


# --- the stack's settings ------------------------------------------------------------------------


def _deploy_check(tmp_path, **extra):
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env = {
        **base,
        "PORTAL_VAR_DIR": str(tmp_path),
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "EMAIL_URL": "smtp://127.0.0.1:8025",
        **extra,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stdout + result.stderr


def test_the_loopback_switch_relaxes_only_secure_cookies_and_the_https_redirect(tmp_path):
    output = _deploy_check(tmp_path, PORTAL_HTTPS="false")

    reported = set(re.findall(r"\(security\.\w+\)", output))
    # W010 (session cookie not Secure): Django names it W012 only for its own SessionMiddleware, and the
    # portal uses a subclass (portal.middleware.IdleSessionMiddleware).
    assert reported == {"(security.W008)", "(security.W010)", "(security.W016)"}, output


def test_without_the_switch_the_deploy_check_finds_nothing(tmp_path):
    output = _deploy_check(tmp_path)

    assert "System check identified no issues" in output, output


def test_the_stack_generates_its_secret_key_once_and_keeps_what_is_set(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_VAR_DIR", str(tmp_path))
    base = {"PATH": "/usr/bin", "CELERY_BROKER_URL": "redis://127.0.0.1:6379/9"}

    env, options = stack.production_env(stack.Options(port=8123), base=base)
    again, _ = stack.production_env(stack.Options(port=8123), base=base)

    assert env["DJANGO_ENV"] == "production"
    assert len(env["SECRET_KEY"]) >= 50 and again["SECRET_KEY"] == env["SECRET_KEY"]
    assert (tmp_path / "serve" / "secret_key").stat().st_mode & 0o777 == 0o600
    assert env["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/9"
    assert env["DATABASE_URL"] == "postgres://postgres@127.0.0.1:5432/abh_serve"
    assert env["PORTAL_HTTPS"] == "false" and env["PORTAL_BASE_URL"] == "http://127.0.0.1:8123"
    assert env["EMAIL_URL"] == "smtp://127.0.0.1:8025" and options.mail_dir == tmp_path / "serve" / "mail"


def test_exactly_one_beat_with_its_schedule_under_var(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_VAR_DIR", str(tmp_path))
    commands = stack.Stack(env={}, options=stack.Options(mail_dir=tmp_path)).commands()

    beats = [command for command in commands.values() if "beat" in command]
    assert len(beats) == 1
    assert f"--schedule={tmp_path / 'serve' / 'celerybeat-schedule'}" in beats[0]
    assert not any("-B" in command for command in commands.values())
    assert "--workers" in commands["web"]


# --- what the locust users do ----------------------------------------------------------------------


def test_a_form_read_from_the_page_and_sent_back_is_accepted(client_for, project_staff):
    course = CourseFactory(title="Lasttest-Schulung 02")
    client = client_for(project_staff)
    url = reverse("training:edit", args=[course.pk])

    form = post_form(client.get(url).content.decode(), has="description")
    form.set("description", "Geändert im Lasttest.")
    response = client.post(
        form.action or url, data=form.encoded(), content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    course.refresh_from_db()
    assert course.description == "Geändert im Lasttest."


def test_the_locust_two_factor_code_is_accepted_by_django_otp(db):
    from portal.accounts.models import AuthenticatorApp
    from portal.accounts.sealing import seal

    key = secrets.token_hex(20)
    device = AuthenticatorApp.objects.create(
        user=UserFactory(project_staff=True), key=seal(bytes.fromhex(key)), confirmed=True
    )

    assert device.verify_token(loadtest.totp(key, time.time()))
    assert not device.verify_token(str((int(loadtest.totp(key, time.time())) + 1) % 10**6).zfill(6))


def test_load_accounts_are_made_afresh_and_their_courses_hold_no_old_enrollments(db, settings):
    from portal.ops.loadtest.prepare import prepare

    AuthorityFactory.create_batch(3)
    plan = prepare()
    course_ids = set(plan["courses"])
    EnrollmentFactory(course_id=plan["courses"][0])

    again = prepare()

    assert len(again["authority"]) == loadtest.AUTHORITY_ACCOUNTS
    assert set(again["courses"]).isdisjoint(course_ids)
    assert not Enrollment.objects.filter(course_id__in=[*course_ids, *again["courses"]]).exists()
    assert set(again["totp"]) == set(again["project"])


def test_a_prepared_session_lets_the_load_user_in_without_the_login_form(db, client):
    from portal.ops.loadtest.prepare import LOGIN_EVERY, prepare

    AuthorityFactory.create_batch(3)
    plan = prepare()

    resumed = [email for email in plan["authority"] if email in plan["sessions"]]
    assert len(resumed) == loadtest.AUTHORITY_ACCOUNTS - loadtest.AUTHORITY_ACCOUNTS // LOGIN_EVERY
    assert not set(plan["project"]) & set(plan["sessions"])
    client.cookies["sessionid"] = plan["sessions"][resumed[0]]
    response = client.get(reverse("training:mine"))
    assert response.status_code == 200
    assert response.wsgi_request.user.email == resumed[0]


def test_stopping_the_stack_leaves_no_process_behind(tmp_path, monkeypatch):
    import psutil

    monkeypatch.setenv("PORTAL_VAR_DIR", str(tmp_path))
    # A process that starts a child of its own, as gunicorn and Celery start their workers.
    parent = (
        "import subprocess, sys, time; "
        "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); time.sleep(60)"
    )

    class Sleepers(stack.Stack):
        def commands(self):
            return {"web": [sys.executable, "-c", parent], "worker": [sys.executable, "-c", parent]}

    running = Sleepers(env=dict(os.environ), options=stack.Options())
    running.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(
        psutil.Process(p.pid).children() for p in running.processes.values()
    ):
        time.sleep(0.1)
    pids = [p.pid for p in running.processes.values()]
    pids += [child.pid for pid in pids for child in psutil.Process(pid).children()]
    assert len(pids) == 4

    running.stop(timeout=5)

    def gone(pid):
        try:
            return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return True

    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not all(gone(pid) for pid in pids):
        time.sleep(0.1)
    assert all(gone(pid) for pid in pids)


# --- gunicorn's access log ------------------------------------------------------------------------


class _Response:
    status = "200 OK"
    sent = 1234
    headers = [("Content-Type", "text/html")]


def test_gunicorn_logs_a_reset_request_without_its_token(tmp_path, monkeypatch):
    """The stack's gunicorn command line picks the portal's logger class; its access log masks the
    password-reset token in the request line, the path, the query and the referrer."""
    import datetime as dt

    from gunicorn.app.wsgiapp import WSGIApplication

    log = tmp_path / "access.log"
    web = stack.Stack(env={}, options=stack.Options(log_dir=tmp_path)).commands()["web"]
    arguments = web[web.index("portal.wsgi") :]
    monkeypatch.setattr(sys, "argv", ["gunicorn", *arguments])
    config = WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").cfg
    # The format also writes the raw URI and the query string as gunicorn keeps them.
    config.set("access_log_format", config.access_log_format + " %({raw_uri}e)s %(U)s %(q)s")
    logger = config.logger_class(config)

    token = "d4e5f6-0123456789abcdef0123456789abcdef"
    path = reverse("accounts:password_reset_confirm", args=["MTIz", token])
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{path}?token={token}",
        "PATH_INFO": path,
        "QUERY_STRING": f"token={token}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://portal.example.org{path}",
    }
    logger.access(_Response(), [("REFERER", environ["HTTP_REFERER"])], environ, dt.timedelta(seconds=0.01))
    for handler in logger.access_log.handlers:
        handler.flush()

    line = log.read_text()
    assert config.logger_class.__module__ == "portal.accounts.access_log"
    assert '"GET /konto/passwort-neu/<uidb64>/<token>/?token=<token> HTTP/1.1" 200' in line
    assert '"https://portal.example.org/konto/passwort-neu/<uidb64>/<token>/"' in line
    assert token not in line and "MTIz" not in line
