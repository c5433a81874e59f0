"""The name typed into the login's e-mail field, as the security log and the lockout keep it.

People type their password into the e-mail field now and then. What they typed is stored (in the
security log, in django-axes' AccessAttempt and AccessFailureLog, in axes' log lines) only when it is
the address of an account; anything else is kept as "unbekannt:" and the first 16 hex digits of an
HMAC-SHA256 with SECRET_KEY: still the same for the same input, so the lockout counts the attempts
and project staff can look an address up in the log (the search hashes what they type), but a
password cannot be read back. A new SECRET_KEY gives new hashes (the lockout starts afresh).
"""

import hashlib
import hmac
import re

from django.conf import settings

from portal.accounts.models import User

UNKNOWN_PREFIX = "unbekannt:"
_HASHED = re.compile(rf"{UNKNOWN_PREFIX}[0-9a-f]{{16}}")


def unknown_login_name(typed: str) -> str:
    """The keyed hash of a name that is no account's address."""
    key = settings.SECRET_KEY.encode()
    digest = hmac.new(key, typed.strip().lower().encode(), hashlib.sha256).hexdigest()[:16]
    return f"{UNKNOWN_PREFIX}{digest}"


def login_name(typed: str | None) -> str | None:
    """The address of an account (lower case) as typed, anything else hashed; an already hashed
    name stays as it is (axes hands its own value to the lockout signal)."""
    if typed is None:
        return None
    name = str(typed).strip().lower()
    if not name or _HASHED.fullmatch(name):
        return name
    if User.objects.filter(email__iexact=name).exists():
        return name
    return unknown_login_name(name)


def is_unknown(stored: str) -> bool:
    return bool(_HASHED.fullmatch(stored or ""))
