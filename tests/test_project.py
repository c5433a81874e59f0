"""The project as a whole: migrations are complete, production settings are safe, the headers and
the health endpoint say what operators rely on."""

import json
import re
import secrets
from pathlib import Path

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.management import call_command
from django.http import HttpResponse
from django.template import RequestContext, Template
from django.urls import path, reverse

from portal.celery import app as celery_app
from tests.helpers import manage

BASE_DIR = Path(__file__).resolve().parent.parent


def test_no_model_change_is_missing_a_migration(db):
    # Exits with status 1 when makemigrations would write a file.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.fixture
def production_env(tmp_path):
    return {
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "portal.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        # Production sends real mail (the deploy check refuses the file backend).
        "EMAIL_URL": "smtp+tls://portal:geheim@mail.example.org:587",
    }


def test_deploy_check_passes_with_production_settings(production_env, tmp_path):
    assert len(production_env["SECRET_KEY"]) >= 50

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env, tmp_path=tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_fails_with_a_weak_secret_key(production_env, tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**production_env, "SECRET_KEY": "kurz"},
        tmp_path=tmp_path,
    )

    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_required_setting(production_env, tmp_path, missing):
    env = {key: value for key, value in production_env.items() if key != missing}

    result = manage("check", env=env, tmp_path=tmp_path)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"Environment variable {missing} must be set when DJANGO_ENV=production." in result.stderr


def test_production_refuses_an_empty_secret_key(production_env, tmp_path):
    result = manage("check", env={**production_env, "SECRET_KEY": "  "}, tmp_path=tmp_path)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


# --- headers ---------------------------------------------------------------------------------------


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@login_not_required
def _inline_script_page(request):
    # A page with an inline script, as a later feature might have: it gets its nonce from the context.
    page = Template('<script nonce="{{ csp_nonce }}">document.title = "x";</script>')
    return HttpResponse(page.render(RequestContext(request)))


urlpatterns = [path("inline-script/", _inline_script_page)]


def test_portal_pages_send_a_content_security_policy_without_unsafe_inline(client, db):
    policy = _csp(client.get(reverse("accounts:login")))

    assert policy["default-src"] == ["'self'"]
    assert "'self'" in policy["script-src"]
    for directive in ("script-src", "style-src", "default-src"):
        assert "'unsafe-inline'" not in policy[directive]
        assert "'unsafe-eval'" not in policy[directive]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]


@pytest.mark.urls("tests.test_project")
def test_inline_script_is_allowed_only_by_a_fresh_nonce_in_the_header(client, db):
    responses = [client.get("/inline-script/") for _ in range(2)]

    nonces = []
    for response in responses:
        in_page = re.search(r'<script nonce="([^"]+)">', response.text)[1]
        script_src = _csp(response)["script-src"]
        assert f"'nonce-{in_page}'" in script_src
        assert "'unsafe-inline'" not in script_src
        nonces.append(in_page)
    assert len(nonces[0]) >= 16 and nonces[0] != nonces[1]


def test_pages_forbid_framing_and_sniffing(client, db):
    response = client.get(reverse("pages:home"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


# --- health ----------------------------------------------------------------------------------------


def test_health_reports_database_and_broker_ok(client, db):
    response = client.get(reverse("pages:health"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.fixture
def unreachable_broker(monkeypatch):
    # Read before the environment changes: Celery prefers CELERY_BROKER_URL (as CI sets it) to its
    # configuration, so both point at the closed port while the test runs.
    previous = celery_app.conf.broker_url
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    yield
    celery_app.conf.broker_url = previous


def test_health_answers_503_when_the_broker_is_down(client, db, unreachable_broker):
    response = client.get(reverse("pages:health"))

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "error"}


def test_sessions_live_in_the_cache_only_when_it_is_shared(production_env, tmp_path):
    # A cache in each worker's memory would keep a logged-out session alive in the other workers.
    script = "from django.conf import settings as s; print(s.SESSION_ENGINE)"
    shared = {**production_env, "CACHE_URL": "redis://127.0.0.1:6379/0"}

    engines = [manage("shell", "-c", script, env=env, tmp_path=tmp_path) for env in (production_env, shared)]

    assert [r.stdout.strip().splitlines()[-1] for r in engines] == [
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    ]


def test_production_settings_harden_sessions_cookies_and_passwords(production_env, tmp_path):
    script = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'age': s.SESSION_COOKIE_AGE, 'every': s.SESSION_SAVE_EVERY_REQUEST,"
        "'refresh': s.SESSION_REFRESH_SECONDS, 'engine': s.SESSION_ENGINE,"
        "'secure': s.SESSION_COOKIE_SECURE,"
        "'csrf_secure': s.CSRF_COOKIE_SECURE, 'hsts': s.SECURE_HSTS_SECONDS, 'debug': s.DEBUG,"
        "'hasher': s.PASSWORD_HASHERS[0],"
        "'conn_max_age': s.DATABASES['default']['CONN_MAX_AGE'],"
        "'min_length': [v.get('OPTIONS', {}).get('min_length') for v in s.AUTH_PASSWORD_VALIDATORS"
        " if v['NAME'].endswith('MinimumLengthValidator')][0]}))"
    )

    result = manage("shell", "-c", script, env=production_env, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "age": 30 * 60,
        # Written when the expiry moves by a minute (portal.middleware.IdleSessionMiddleware).
        "every": False,
        "refresh": 60,
        "engine": "django.contrib.sessions.backends.db",
        "secure": True,
        "csrf_secure": True,
        "hsts": 31536000,
        "debug": False,
        "hasher": "django.contrib.auth.hashers.Argon2PasswordHasher",
        "conn_max_age": 60,
        "min_length": 12,
    }
