"""The security log: one row per event in `SecurityEvent` and one key=value line on the
`portal.security` logger. Never a password, a session key or the name of an erased person; a typed
login name that is no account's address only as a keyed hash (`portal/accounts/login_names.py`)."""

import json
import logging

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import DatabaseError, transaction
from django.dispatch import receiver

from portal.accounts.client import client_ip
from portal.accounts.login_names import login_name
from portal.accounts.secret_urls import mask_path
from portal.privacy.models import EventKind, SecurityEvent

logger = logging.getLogger("portal.security")


def safe_path(request) -> str:
    """The requested path with the secrets of one-time links replaced by their names."""
    if request is None:
        return ""
    return mask_path(request.path, getattr(request, "resolver_match", None))[:500]


def _value(value) -> str:
    if value is None or value == "":
        return "-"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return json.dumps(text, ensure_ascii=False) if any(c.isspace() or c in '"=' for c in text) else text


def record(kind: str, *, request=None, user=None, email: str = "", details: dict | None = None):
    """Write one event; a database failure is logged, never raised into the request."""
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        user = candidate if candidate is not None and candidate.is_authenticated else None
    event = SecurityEvent(
        kind=kind,
        user=user,
        user_ref=user.pk if user is not None else None,
        email=(email or "").strip().lower()[:254],
        ip=client_ip(request),
        path=safe_path(request),
        details=details or {},
    )
    logger.info(
        "security_event kind=%s user_id=%s email=%s ip=%s path=%s details=%s",
        kind,
        _value(event.user_ref),
        _value(event.email),
        _value(event.ip),
        _value(event.path),
        _value(event.details),
    )
    try:
        # A savepoint: a failed write leaves the caller's transaction usable.
        with transaction.atomic():
            event.save()
    except DatabaseError:
        logger.exception("security_event_not_saved kind=%s", kind)
        return None
    return event


# --- signal receivers -------------------------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="privacy_security_login")
def _logged_in(sender, request, user, **kwargs):
    record(EventKind.LOGIN, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="privacy_security_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    # The typed-in user name is kept if it is an account's address, else only as a keyed hash (it may
    # be a password typed into the wrong field); the (already masked) password never is.
    username = credentials.get("username") or credentials.get("email") or ""
    record(EventKind.LOGIN_FAILED, request=request, email=login_name(str(username)) or "")


def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    record(EventKind.LOCKOUT, request=request, email=login_name(str(username or "")) or "")


try:
    from axes.signals import user_locked_out
except ImportError:  # pragma: no cover - axes is a dependency
    pass
else:
    user_locked_out.connect(_locked_out, dispatch_uid="privacy_security_lockout")
