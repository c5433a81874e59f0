"""Password-reset and invitation tokens never reach a log: runserver's access log (`django.server`)
and django.request are filtered in the settings; gunicorn's logger class is tested in
tests/ops/test_serve.py."""

import logging
import threading
import urllib.request

import pytest
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.test import Client
from django.urls import reverse

from portal.accounts.secret_urls import mask_path, mask_request_line

TOKEN = "d4e5f6-0123456789abcdef0123456789abcdef"
RESET = reverse("accounts:password_reset_confirm", args=["MTIz", TOKEN])
INVITATION = reverse("accounts:invitation_accept", args=["MTIz", TOKEN])


@pytest.mark.parametrize(
    "target, logged",
    [
        (RESET, "/konto/passwort-neu/<uidb64>/<token>/"),
        (INVITATION, "/konto/einladung/<uidb64>/<token>/"),
        # Without the final slash (answered with a redirect) and percent-encoded.
        (RESET.rstrip("/"), "/konto/passwort-neu/<uidb64>/<token>"),
        (RESET.replace("-", "%2D"), "/konto/passwort-neu/<uidb64>/<token>/"),
        # The set-password step after the redirect, whose "token" is a fixed word.
        (INVITATION.replace(TOKEN, "einladung"), "/konto/einladung/<uidb64>/<token>/"),
        (f"https://portal.example.org{RESET}?weiter=1", "https://portal.example.org/konto/passwort-neu/<uidb64>/<token>/?weiter=1"),
        # A secret in the query string (as a calendar feed might carry it).
        ("/schulungen/?token=geheim&monat=5", "/schulungen/?token=<token>&monat=5"),
        # Everything else is logged as it came.
        ("/behoerden/?q=Mainz", "/behoerden/?q=Mainz"),
        ("/gibt-es-nicht/abc/", "/gibt-es-nicht/abc/"),
    ],
)  # fmt: skip
def test_secret_parts_of_a_path_are_replaced_by_their_names(target, logged):
    assert mask_path(target) == logged


def test_a_request_line_keeps_method_and_protocol():
    assert (
        mask_request_line(f"POST {RESET} HTTP/1.1") == "POST /konto/passwort-neu/<uidb64>/<token>/ HTTP/1.1"
    )
    assert mask_request_line("Bad request syntax") == "Bad request syntax"


def _app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


def test_runserver_logs_a_reset_request_without_its_token(caplog):
    """A real request through runserver's request handler; its log line goes through the settings' filter."""
    server = WSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(_app)
    thread = threading.Thread(target=server.handle_request)
    logger = logging.getLogger("django.server")
    logger.addHandler(caplog.handler)
    try:
        thread.start()
        port = server.server_address[1]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{RESET}", timeout=10) as response:
            assert response.status == 200
        thread.join(timeout=10)
    finally:
        logger.removeHandler(caplog.handler)
        server.server_close()

    assert '"GET /konto/passwort-neu/<uidb64>/<token>/ HTTP/1.1" 200' in caplog.text
    assert TOKEN not in caplog.text and "MTIz" not in caplog.text


def test_a_refused_csrf_check_on_a_reset_link_logs_no_token(caplog, db):
    caplog.set_level(logging.WARNING, logger="django.security.csrf")

    response = Client(enforce_csrf_checks=True).post(RESET, {"new_password1": "x"})

    assert response.status_code == 403
    assert "Forbidden (CSRF cookie not set.): /konto/passwort-neu/<uidb64>/<token>/" in caplog.text
    assert TOKEN not in caplog.text


def test_django_request_warnings_are_masked_as_well():
    logger = logging.getLogger("django.request")
    record = logger.makeRecord(logger.name, logging.WARNING, __file__, 1, "Not Found: %s", (RESET,), None)

    assert all(log_filter.filter(record) for log_filter in logger.filters)
    assert record.getMessage() == "Not Found: /konto/passwort-neu/<uidb64>/<token>/"
