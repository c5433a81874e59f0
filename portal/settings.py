"""Settings of the ABH-Portal, read from the environment.

Embedded defaults make `make run` work on a machine with nothing installed (SQLite, a
filesystem broker, mail into files). `DJANGO_ENV=production` turns the defaults off: the
portal then refuses to start without SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
"""

import os
import sys
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from portal.env import env_bool, env_int, env_list, env_str, started_base_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))

PRODUCTION = env_str("DJANGO_ENV", "development") == "production"

# --- core ----------------------------------------------------------------------------------------

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production", required=PRODUCTION)
DEBUG = env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"], required=PRODUCTION)
CSRF_FAILURE_VIEW = "portal.pages.views.csrf_failure"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The portal's own address for every link in mails, .ics files, the calendar feed and invitations
# (portal/links.py); without the variable, the address runserver was started on.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", started_base_url(sys.argv)).rstrip("/")

INSTALLED_APPS = [
    "portal.accounts",
    "portal.pages",
    "portal.notifications",
    "portal.reports",
    "portal.privacy",
    "authorities",
    "training",
    "network",
    # Operations tooling: installed only for its `backup` and `restore` commands (no models).
    "portal.ops",
    # Django's admin with the portal's site (login through the portal, second factor).
    "portal.accounts.admin_apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # A nonce in every page's policy; logged-in pages Cache-Control: no-store (portal/middleware.py).
    "portal.middleware.PageHeadersMiddleware",
    # Django's, but an unchanged session is written at most once a minute (portal/middleware.py).
    "portal.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django_otp's, the second-factor device read with the person (portal/accounts/backends.py).
    "portal.accounts.middleware.OTPMiddleware",
    # Closed by default: every view needs a login unless it is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.accounts.middleware.TwoFactorRequiredMiddleware",
    # Security log: every 403 and every file handed out as an attachment.
    "portal.privacy.middleware.SecurityLogMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it sees the result of authentication (django-axes' requirement).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.pages.context_processors.navigation",
            ],
        },
    }
]

# --- database ---------------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}", required=PRODUCTION),
        # Persistent connections measured 1.4x the throughput of list pages.
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the worker share the embedded database.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts and security ------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "pages:home"
LOGOUT_REDIRECT_URL = "pages:home"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend; a page reads the person and its session's device in one query.
    "portal.accounts.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password-reset and invitation links stay valid for three days.
PASSWORD_RESET_TIMEOUT = int(timedelta(days=3).total_seconds())

# django-axes: lock a user name from one IP address after 5 failed logins.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# Log-in ignores the case of the e-mail address; without this, every spelling got 5 more tries. A name
# that is no account's address is counted and stored as a keyed hash (portal/accounts/login_names.py).
AXES_USERNAME_CALLABLE = "portal.accounts.forms.lockout_username"
# The number of reverse proxies in front of gunicorn: the client is the address that many places from
# the right of X-Forwarded-For (portal/accounts/client.py; django-ipware, which axes would otherwise
# ask, is not installed). Used by the lockout, the security log and the rate limits.
PORTAL_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "portal.accounts.client.client_ip"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Wrong codes of the login's second step count as failed logins; axes must not store them, nor the
# typed user name in its copy of the form (post_data): it may be a password typed into the wrong field.
AXES_SENSITIVE_PARAMETERS = ["username", "code"]

# Mails anybody can trigger without logging in (password reset, "Barriere melden"): at most this many
# per typed-in e-mail address and per client address within an hour, counted in the cache.
PORTAL_MAIL_LIMIT_PER_ADDRESS = env_int("PORTAL_MAIL_LIMIT_PER_ADDRESS", 3)
PORTAL_MAIL_LIMIT_PER_CLIENT = env_int("PORTAL_MAIL_LIMIT_PER_CLIENT", 10)
PORTAL_MAIL_LIMIT_SECONDS = 3600
# The rate limits' counters. Several gunicorn workers need one shared cache (Redis); the default, a
# cache in each process's memory, counts per process.
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
    # Sessions are read from the shared cache and written to both (a logged-in page no longer reads
    # the session's row). Only with a shared cache: a copy in one process's memory would outlive a
    # logout or sessions_end() done by another worker.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The indicators of a running period (and the change-process overview's table) are kept in the cache
# until a counted fact changes (a write in any process changes the facts generation, portal/facts.py)
# or time makes one countable. That needs one cache for every process that writes (web workers and the
# Celery worker): on by default only with CACHE_URL; a cache per process would keep one worker's
# figures after another worker's write.
RUNNING_FIGURES_CACHE = env_bool("PORTAL_RUNNING_FIGURES_CACHE", bool(CACHE_URL))

# Two-factor login (TOTP app + recovery codes, django-otp): open to everybody; project staff must
# use it where this is on (production by default), and the admin then requires it of everybody.
TWO_FACTOR_REQUIRED_FOR_STAFF = env_bool("PORTAL_2FA_STAFF", PRODUCTION)
OTP_TOTP_ISSUER = "ABH-Portal"
# The key that seals the apps' TOTP secrets and hashes the recovery codes (portal/accounts/sealing.py);
# never in the database or a backup. Empty: derived from SECRET_KEY. Changing it voids every device.
TWO_FACTOR_KEY = env_str("PORTAL_2FA_KEY", "")
# The admin lists devices (to remove a lost one) but never shows their secrets or QR codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    # Sessions end after 30 minutes without a request: each request moves the expiry on, but the
    # session is written only when that moves it by a minute or more (portal.middleware.
    # IdleSessionMiddleware), so it ends between 29 and 30 minutes after the last request.
    SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
    SESSION_REFRESH_SECONDS = 60
    SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    # PORTAL_HTTPS=false only for the local stack of `make serve` on 127.0.0.1 without TLS: cookies
    # travel over plain http and nothing redirects to https. Never set it behind a real proxy.
    _https = env_bool("PORTAL_HTTPS", True)
    SESSION_COOKIE_SECURE = _https
    CSRF_COOKIE_SECURE = _https
    LANGUAGE_COOKIE_SECURE = _https
    SECURE_SSL_REDIRECT = _https and env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: only the portal's own files; scripts need a nonce when inline.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    # KERN's icons are inline SVG data URLs in its CSS.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- language, time, formats ----------------------------------------------------------------

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
# One date and one date-time format per language (portal/locale_formats/).
FORMAT_MODULE_PATH = ["portal.locale_formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Berlin"
USE_TZ = True
LANGUAGE_COOKIE_NAME = "portal_language"

# --- static files (KERN UX and htmx come from npm, never from a CDN) ----------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
# Development serves straight from the finders (node_modules included); production from STATIC_ROOT.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("kern", BASE_DIR / "node_modules" / "@kern-ux" / "native" / "dist"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    # Files 0640 in folders 0750 (portal/storage.py).
    "default": {"BACKEND": "portal.storage.PrivateFileStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- forms ----------------------------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = ["kern"]
CRISPY_TEMPLATE_PACK = "kern"
# Django's form templates, with select boxes written in Python (portal/renderers.py: speed).
FORM_RENDERER = "portal.renderers.PortalRenderer"
CRISPY_FAIL_SILENTLY = not DEBUG

# --- mail -----------------------------------------------------------------------------------------

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ABH-Portal <portal@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where reports of accessibility barriers and other notices to the project team go.
PORTAL_TEAM_EMAIL = env_str("PORTAL_TEAM_EMAIL", "projekt@example.org")
EMAIL_URL = env_str("EMAIL_URL", "")
if EMAIL_URL:
    _email = urlparse(EMAIL_URL)
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email.hostname or "localhost",
                "port": _email.port,
                "username": unquote(_email.username or ""),
                "password": unquote(_email.password or ""),
                "use_tls": _email.scheme == "smtp+tls",
                "use_ssl": _email.scheme == "smtps",
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }

# --- Celery ---------------------------------------------------------------------------------------

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    # The embedded broker: message files in one folder under var/, shared by web and worker.
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith("redis"):
    # A task whose worker died is handed to the next worker after this many seconds (Redis's default
    # is an hour); longer than the longest retry delay (10 minutes), so no retry is handed out twice.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 900)}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Beat only starts scans; each scan finds in the database what is due and claims it before sending.
CELERY_BEAT_SCHEDULE = {
    "notification-scans": {"task": "portal.notifications.tasks.run_scans", "schedule": 3600},
    # Mails the broker could not take at commit wait in the outbox; this hands them over
    # (portal/notifications/mail.py).
    "mail-outbox": {"task": "portal.notifications.tasks.sweep_outbox", "schedule": 60},
    # Daily: the storage periods of portal/privacy/retention.py.
    "privacy-retention": {"task": "portal.privacy.tasks.apply_retention", "schedule": 24 * 3600},
    # Daily: expired sessions leave the database (`clearsessions`).
    "sessions-clear": {"task": "portal.privacy.tasks.clear_expired_sessions", "schedule": 24 * 3600},
}
CELERY_IMPORTS = ["portal.notifications.mail", "portal.notifications.tasks", "portal.privacy.tasks"]

# --- logging -------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Password-reset and invitation tokens never reach a log (gunicorn: portal/accounts/access_log.py).
    "filters": {"secret_paths": {"()": "portal.accounts.secret_urls.SecretPathFilter"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # WeasyPrint and fontTools describe every step of a PDF at INFO.
        **{name: {"level": "WARNING"} for name in ("axes", "weasyprint", "fontTools")},
        # runserver's access log, and the paths in the warnings of django.request ("Not Found: …")
        # and of the CSRF check ("Forbidden (…): …"). A logger's filters see only its own records.
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["secret_paths"],
        },
        "django.request": {"filters": ["secret_paths"]},
        "django.security.csrf": {"filters": ["secret_paths"]},
    },
}

# --- networks ------------------------------------------------------------------------------------

# How long people may edit or delete their own posts in a network discussion.
NETWORK_POST_EDIT_MINUTES = env_int("NETWORK_POST_EDIT_MINUTES", 30)
# The largest file the library accepts.
LIBRARY_MAX_UPLOAD_MB = env_int("LIBRARY_MAX_UPLOAD_MB", 20)

# --- the customers' survey (anonymous public pages) -----------------------------------------------

# A form token (one per page view) is accepted this long after the page was shown.
SURVEY_TOKEN_MAX_AGE_SECONDS = env_int("SURVEY_TOKEN_MAX_AGE_SECONDS", 3 * 3600)
# Answers per client address and window, counted only in the cache. Generous: a waiting room shares
# one network, and one address may be many phones.
SURVEY_RATE_LIMIT = env_int("SURVEY_RATE_LIMIT", 30)
SURVEY_RATE_WINDOW_SECONDS = env_int("SURVEY_RATE_WINDOW_SECONDS", 600)
SURVEY_COMMENT_MAX_CHARS = env_int("SURVEY_COMMENT_MAX_CHARS", 1000)
# Comments are deleted this many days after their wave ended.
SURVEY_COMMENT_RETENTION_DAYS = env_int("SURVEY_COMMENT_RETENTION_DAYS", 365)
SURVEY_WAVE_MAX_DAYS = env_int("SURVEY_WAVE_MAX_DAYS", 183)
# Results are shown from this many answers (customers), and beside the peers' median from this many
# peers with results.
SURVEY_MIN_ANSWERS = env_int("SURVEY_MIN_ANSWERS", 10)
SURVEY_MIN_PEERS = env_int("SURVEY_MIN_PEERS", 5)
# The staff survey's results are shown from this many colleagues' answers.
SURVEY_STAFF_MIN_ANSWERS = env_int("SURVEY_STAFF_MIN_ANSWERS", 5)

# --- privacy (DSGVO) --------------------------------------------------------------------------

# The funded project's end; participants' personal data are anonymised RETENTION_MONTHS later.
try:
    PROJECT_END_DATE = date.fromisoformat(env_str("PROJECT_END_DATE", "2027-12-31"))
except ValueError:
    raise ImproperlyConfigured(
        "Environment variable PROJECT_END_DATE must be a date like 2027-12-31."
    ) from None
# 12 months after the project's end (final report and its check): participants' accounts are deactivated
# and only the AMIF audit evidence is kept, until 31 December of the fifth year after the last payment
# (Art. 82 Regulation (EU) 2021/1060; portal/privacy/retention.py). Until the operator enters the day of
# the last payment, it is estimated as the project's end + RETENTION_MONTHS.
RETENTION_MONTHS = env_int("RETENTION_MONTHS", 12)
try:
    _last_payment = env_str("AMIF_LAST_PAYMENT_DATE", "")
    AMIF_LAST_PAYMENT_DATE = date.fromisoformat(_last_payment) if _last_payment else None
except ValueError:
    raise ImproperlyConfigured(
        "Environment variable AMIF_LAST_PAYMENT_DATE must be a date like 2028-11-30."
    ) from None
# Project staff and funders: erased this long after their account was deactivated and last used.
STAFF_ACCOUNT_RETENTION_DAYS = env_int("STAFF_ACCOUNT_RETENTION_DAYS", 90)
# The security log (logins, failed logins, 403s, exports, erasures) serves to notice and investigate
# misuse: 90 days cover the project team's quarterly review and an incident noticed weeks late; proof of
# erasures is the erasure journal, not this log.
SECURITY_LOG_RETENTION_DAYS = env_int("SECURITY_LOG_RETENTION_DAYS", 90)
# What the operator configures for gunicorn's and the workers' logs in journald (README, "Logs"); the
# Datenschutz page names it.
LOG_RETENTION_DAYS = env_int("LOG_RETENTION_DAYS", 14)
# The erasure journal (account number and day of every erasure): outside the database and MEDIA_ROOT,
# so outside the backups; a restore erases its accounts again (portal/privacy/journal.py).
ERASURE_JOURNAL = Path(env_str("ERASURE_JOURNAL", str(VAR_DIR / "erasure-journal.jsonl")))

# --- backups (portal/ops/backup.py) --------------------------------------------------------------

# Encrypted with GnuPG: to this public key (fingerprint or address in the keyring of the user who runs
# `make backup`; GNUPGHOME chooses the keyring) or, without it, symmetrically with the passphrase in this
# file (mode 600, not under MEDIA_ROOT). In production a backup without either is refused.
BACKUP_GPG_RECIPIENT = env_str("BACKUP_GPG_RECIPIENT", "")
BACKUP_PASSPHRASE_FILE = env_str("BACKUP_PASSPHRASE_FILE", "")
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(VAR_DIR / "backups")))
# Older archives in BACKUP_DIR are deleted after each new backup: an erased person lives on in a backup
# at most this long (and a restore erases them again from the journal).
BACKUP_RETENTION_DAYS = env_int("BACKUP_RETENTION_DAYS", 30)

# --- demo data --------------------------------------------------------------------------------

PORTAL_DEMO_PASSWORD = env_str("PORTAL_DEMO_PASSWORD", "Willkommen-2026!")

# --- the operator named in Impressum and Datenschutz -----------------------------------------

PORTAL_OPERATOR = {
    "name": env_str("PORTAL_OPERATOR_NAME", "Projekt Willkommenskultur in Ausländerbehörden (Demo-Betrieb)"),
    "address": env_str("PORTAL_OPERATOR_ADDRESS", "Musterstraße 1\n55116 Mainz"),
    "email": env_str("PORTAL_OPERATOR_EMAIL", PORTAL_TEAM_EMAIL),
}
# The controller's data-protection officer (Art. 37 DSGVO), named on the Datenschutz page.
PORTAL_DPO = {
    "name": env_str("PORTAL_DPO_NAME", "Datenschutzbeauftragte des Projekts (Demo-Betrieb)"),
    "address": env_str("PORTAL_DPO_ADDRESS", ""),
    "email": env_str("PORTAL_DPO_EMAIL", "datenschutz@example.org"),
}
# Processors (Art. 28 DSGVO) as the operator contracted them: name and seat; empty reads "not entered".
PORTAL_PROCESSORS = {
    "hosting": env_str("PORTAL_PROCESSOR_HOSTING", ""),
    "mail": env_str("PORTAL_PROCESSOR_MAIL", ""),
    "backup": env_str("PORTAL_PROCESSOR_BACKUP", ""),
}
