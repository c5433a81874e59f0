"""Two-factor login: a TOTP app (django-otp) plus 10 one-time recovery codes. The app's secret is
stored sealed and the recovery codes as keyed hashes (portal/accounts/sealing.py).

Reads (`has_device`, `is_required`, `session_satisfies`) and writes (`setup_start`, `enable`,
`recovery_codes_renew`, `disable`) of the second factor. A code is checked by `verify`, which
returns the device that accepted it or raises `CodeRejected` with a German message.
"""

import re
from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from portal.accounts.models import AuthenticatorApp, User
from portal.accounts.sealing import UnsealError, new_sealed_secret, recovery_hash

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator-App"
RECOVERY_DEVICE_NAME = "Wiederherstellungscodes"


class CodeRejected(Exception):
    """A code was wrong, expired or tried too soon after failures; str() is the German message."""


# --- reads -----------------------------------------------------------------------------------------


def has_device(user: User) -> bool:
    """Whether the person has switched two-factor login on (a confirmed app)."""
    return user.is_authenticated and AuthenticatorApp.objects.filter(user=user, confirmed=True).exists()


def is_required(user: User) -> bool:
    """Project staff must use two-factor login where TWO_FACTOR_REQUIRED_FOR_STAFF is on (production)."""
    return bool(settings.TWO_FACTOR_REQUIRED_FOR_STAFF) and user.is_project_staff


def is_verified(request) -> bool:
    """Whether this session passed the second step (set by django_otp's OTPMiddleware)."""
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


def session_satisfies(request) -> bool:
    """The admin's test: a verified session, needed by everybody when the setting is on and by
    everybody who has a device."""
    if is_verified(request):
        return True
    return not settings.TWO_FACTOR_REQUIRED_FOR_STAFF and not has_device(request.user)


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def secret_for_display(device: AuthenticatorApp) -> str:
    """The secret as authenticator apps take it by hand: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: AuthenticatorApp) -> SafeString:
    """The set-up link as an inline SVG QR code (no styles, no scripts: passes the CSP)."""
    qr = segno.make(device.config_url, error="l")
    svg = qr.svg_inline(
        border=4,
        omitsize=True,  # a viewBox: the stylesheet sets the size
        dark="#000",
        light="#fff",
        svgclass="portal-qr",
        lineclass=None,
        title=_("QR-Code zum Einrichten der Authenticator-App"),
    )
    # Screen readers announce the title; the secret below the code is the text alternative.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308 (segno's own markup)


# --- checking a code -------------------------------------------------------------------------------


def _normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def _throttled_message(device: Device) -> str | None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    locked_until = (data or {}).get("locked_until")
    seconds = max(1, int((locked_until - timezone.now()).total_seconds()) + 1) if locked_until else 60
    return ngettext(
        "Zu viele falsche Codes. Bitte warten Sie %(seconds)d Sekunde und versuchen Sie es dann erneut.",
        "Zu viele falsche Codes. Bitte warten Sie %(seconds)d Sekunden und versuchen Sie es dann erneut.",
        seconds,
    ) % {"seconds": seconds}


def _check(device: Device, code: str, wrong: str) -> Device:
    """Verify `code` on `device` (locked for the check), or raise CodeRejected."""
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        if message := _throttled_message(device):
            raise CodeRejected(message)
        try:
            if device.verify_token(code):
                return device
        except UnsealError:  # sealed under an earlier TWO_FACTOR_KEY: no code can match
            pass
    raise CodeRejected(wrong)


def _wrong_app_code() -> str:
    return _("Der Code ist falsch oder abgelaufen. Bitte geben Sie den aktuellen Code aus Ihrer App ein.")


def verify(user: User, code: str) -> Device:
    """The second step of the login: six digits go to the app, anything else is a recovery code,
    which is used up. Failures are throttled by django-otp (1, 2, 4, 8 … seconds)."""
    code = _normalise(code)
    if code.isdigit() and len(code) == 6:
        device: Device | None = AuthenticatorApp.objects.filter(user=user, confirmed=True).first()
        wrong = _wrong_app_code()
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
        wrong = _(
            "Dieser Wiederherstellungscode ist falsch oder wurde schon verwendet. Jeder Code gilt nur einmal."
        )
        code = recovery_hash(code)  # stored only as its hash
    if device is None:
        raise CodeRejected(wrong)
    return _check(device, code, wrong)


# --- writes ----------------------------------------------------------------------------------------


@transaction.atomic
def setup_start(user: User) -> AuthenticatorApp:
    """The app being set up: one unconfirmed device per person, kept until it is confirmed, so
    that reloading the page does not change the QR code."""
    device = AuthenticatorApp.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is not None and not _opens(device):
        device.delete()  # sealed under an earlier TWO_FACTOR_KEY: a new secret, a new QR code
        device = None
    if device is None:
        device = AuthenticatorApp.objects.create(
            user=user, name=APP_DEVICE_NAME, confirmed=False, key=new_sealed_secret()
        )
    return device


def _opens(device: AuthenticatorApp) -> bool:
    try:
        return bool(device.bin_key)
    except UnsealError:
        return False


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    # Shown once to the person; the database keeps only their hashes.
    StaticToken.objects.bulk_create(StaticToken(device=device, token=recovery_hash(code)) for code in codes)
    return codes


def enable(user: User, device: AuthenticatorApp, code: str) -> tuple[AuthenticatorApp, list[str]]:
    """Confirm the app with its first code; replaces an earlier app and returns new recovery codes."""
    device = _check(device, _normalise(code), _wrong_app_code())
    with transaction.atomic():
        AuthenticatorApp.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return device, _new_recovery_codes(user)


@transaction.atomic
def recovery_codes_renew(user: User) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    return _new_recovery_codes(user)


@transaction.atomic
def disable(user: User) -> None:
    AuthenticatorApp.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def format_code(code: str) -> str:
    """Recovery codes are shown as two groups of four for reading aloud and typing."""
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code
