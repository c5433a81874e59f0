"""Who is asking: the client's address behind the reverse proxies production runs.

One function for the lockout (django-axes' AXES_CLIENT_IP_CALLABLE), the security log and the rate
limits. Behind N trusted proxies each one appends the address it was connected from to
X-Forwarded-For, so the client is the N-th address from the right; everything left of it was written
by the client itself and can be anything. With PORTAL_PROXY_COUNT = 0 the header is ignored.
"""

import ipaddress

from django.conf import settings


def _address(value) -> str | None:
    try:
        return str(ipaddress.ip_address(str(value).strip())) if value else None
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address, or REMOTE_ADDR when the header is missing, too short or malformed;
    None when not even that is an address (an odd request of a test or a management command)."""
    meta = getattr(request, "META", None) or {}
    remote = _address(meta.get("REMOTE_ADDR"))
    proxies = settings.PORTAL_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",")
    if len(forwarded) < proxies:
        return remote
    return _address(forwarded[-proxies]) or remote
