"""The load test of the production stack (`make loadtest`): 200 simulated users for 5 minutes.

`prepare` creates the load accounts and courses, `locustfile` drives the users, `checks` looks at
the result (server errors, overbooked courses, lost or duplicated mail), `__main__` runs it all
against the stack of `portal.ops.serve`. This module is shared with the locustfile and imports no Django.
"""

import os

# All load accounts share this password; the locustfile logs in with it.
PASSWORD = os.environ.get("PORTAL_LOADTEST_PASSWORD", "Lasttest-Passwort-2026!")
EMAIL_DOMAIN = "lasttest.example.org"
COURSE_PREFIX = "Lasttest-Schulung"

# How many accounts of each kind the preparation creates (more than the users of each kind).
AUTHORITY_ACCOUNTS = 200
PROJECT_ACCOUNTS = 30
FUNDER_ACCOUNTS = 40


def email(kind: str, number: int) -> str:
    """kind: 'behoerde', 'projekt' or 'foerderung'."""
    return f"{kind}-{number:03d}@{EMAIL_DOMAIN}"


def totp(key_hex: str, at: float, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 TOTP (SHA-1), as django-otp's TOTPDevice computes it, for the staff's second step."""
    import hashlib
    import hmac
    import struct

    counter = struct.pack(">Q", int(at // step))
    digest = hmac.new(bytes.fromhex(key_hex), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)
