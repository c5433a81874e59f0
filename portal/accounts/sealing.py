"""Second-factor secrets that the database (and so every backup) holds only in a form useless without a
key outside it, TWO_FACTOR_KEY (by default derived from SECRET_KEY):

- the TOTP app's secret is encrypted with AES-SIV (`cryptography`): 16 bytes of synthetic IV and tag plus
  the 20-byte secret, 72 hex digits, so it fits django-otp's `key` column (80) and stays hex;
- a recovery code is stored as a keyed hash (HMAC-SHA-256, 16 hex digits): a login compares hashes.

Changing TWO_FACTOR_KEY (or SECRET_KEY while it is derived from it) voids every app and recovery code:
people then set up two-factor login again."""

import hashlib
import hmac
from binascii import Error as BinasciiError
from binascii import hexlify, unhexlify
from functools import cache
from os import urandom

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

TOTP_SECRET_BYTES = 20
SEALED_HEX_LENGTH = 2 * (16 + TOTP_SECRET_BYTES)
RECOVERY_HASH_LENGTH = 16  # django-otp's StaticToken.token holds 16 characters
_ASSOCIATED = [b"abh-portal totp secret"]


class UnsealError(ValueError):
    """The stored secret is not sealed with this key."""


@cache
def _key(master: str, purpose: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=purpose).derive(master.encode())


def _master() -> str:
    return settings.TWO_FACTOR_KEY or settings.SECRET_KEY


def seal(secret: bytes) -> str:
    return hexlify(AESSIV(_key(_master(), b"totp", 64)).encrypt(secret, _ASSOCIATED)).decode()


def unseal(stored: str) -> bytes:
    try:
        return AESSIV(_key(_master(), b"totp", 64)).decrypt(unhexlify(stored), _ASSOCIATED)
    except (InvalidTag, BinasciiError, ValueError):
        raise UnsealError("not sealed with TWO_FACTOR_KEY") from None


def is_sealed(stored: str) -> bool:
    return len(stored) == SEALED_HEX_LENGTH


def new_sealed_secret() -> str:
    return seal(urandom(TOTP_SECRET_BYTES))


def recovery_hash(code: str) -> str:
    """The stored form of a (normalised) recovery code."""
    digest = hmac.new(_key(_master(), b"recovery", 32), code.encode(), hashlib.sha256).hexdigest()
    return digest[:RECOVERY_HASH_LENGTH]
