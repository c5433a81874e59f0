"""Limits for mails anybody can trigger without logging in (password reset, "Barriere melden").

Each attempt is counted in the cache per client address (portal.accounts.client) and per typed-in
e-mail address, in a window of PORTAL_MAIL_LIMIT_SECONDS that starts with the first attempt. Nothing
is stored in the database; addresses appear in the cache only as hashes.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from portal.accounts.client import client_ip

logger = logging.getLogger(__name__)


def _count(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: a new window
        cache.add(key, 1, timeout=window)
        return 1


def mail_allowed(kind: str, request, *, address: str = "") -> bool:
    """Count one attempt of `kind` (e.g. "password_reset") and say whether it is within the limits.

    The client is counted first; an attempt refused for the client does not count against the
    address, so nobody can use up another person's attempts from one machine faster than its own."""
    checks = [("client", client_ip(request) or "-", settings.PORTAL_MAIL_LIMIT_PER_CLIENT)]
    if address:
        checks.append(("address", address.strip().lower(), settings.PORTAL_MAIL_LIMIT_PER_ADDRESS))
    window = settings.PORTAL_MAIL_LIMIT_SECONDS
    try:
        for scope, value, limit in checks:
            digest = hashlib.sha256(value.encode()).hexdigest()
            if _count(f"mail-limit:{kind}:{scope}:{digest}", window) > limit:
                return False
    except Exception:
        # A cache that is down must not stop people from resetting their password.
        logger.warning("mail_limit_unavailable kind=%s", kind, exc_info=True)
    return True


def client_within_limit(kind: str, request, *, limit: int, window: int) -> bool:
    """Count one request of `kind` from the client's address (as a hash, in the cache only) and say
    whether it is within `limit` per `window` seconds. A cache that is down lets it through."""
    digest = hashlib.sha256((client_ip(request) or "-").encode()).hexdigest()
    try:
        return _count(f"limit:{kind}:client:{digest}", window) <= limit
    except Exception:
        logger.warning("rate_limit_unavailable kind=%s", kind, exc_info=True)
        return True


def refusal() -> str:
    """The German message when a limit is reached; it names no account and no address."""
    return _(
        "Von Ihrem Anschluss oder für diese E-Mail-Adresse wurden in der letzten Stunde zu viele "
        "Anfragen gestellt. Bitte versuchen Sie es in einer Stunde erneut."
    )
