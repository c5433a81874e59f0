"""Where two-factor login is required (project staff with TWO_FACTOR_REQUIRED_FOR_STAFF on), a
person without it is sent to its set-up page from every page until it is done. django_otp's middleware,
reading the session's device with the person."""

from functools import cached_property

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import middleware as otp_middleware

from portal.accounts import backends, two_factor


class OTPMiddleware(otp_middleware.OTPMiddleware):
    """django_otp's, but the device the session names comes with the person (one query, not two):
    see portal/accounts/backends.py. What it decides is django_otp's: a device that is missing, not
    confirmed or another person's leaves the request unverified and the session without it."""

    def _verify_user_sync(self, request, user):
        with backends.session_device(request.session.get(DEVICE_ID_SESSION_KEY)):
            return super()._verify_user_sync(request, user)

    def _device_from_persistent_id(self, persistent_id: str):
        read, device = backends.device_read_with_user(persistent_id)
        return device if read else super()._device_from_persistent_id(persistent_id)


class TwoFactorRequiredMiddleware:
    """After AuthenticationMiddleware, django_otp's OTPMiddleware and MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def exempt_paths(self) -> set[str]:
        names = ["accounts:two_factor_setup", "accounts:logout", "pages:health", "set_language"]
        return {reverse(name) for name in names}

    def __call__(self, request):
        if self._applies(request):
            if two_factor.has_device(request.user):
                # A session that skipped the second step (opened before the device existed).
                logout(request)
                return redirect_to_login(request.get_full_path())
            messages.warning(
                request,
                _(
                    "Für Ihr Konto ist die Zwei-Faktor-Anmeldung vorgeschrieben. "
                    "Bitte richten Sie sie jetzt ein."
                ),
            )
            url = reverse("accounts:two_factor_setup")
            if request.headers.get("HX-Request"):
                return HttpResponse(headers={"HX-Redirect": url})
            return redirect(url)
        return self.get_response(request)

    def _applies(self, request) -> bool:
        if not settings.TWO_FACTOR_REQUIRED_FOR_STAFF:
            return False
        user = request.user
        if not user.is_authenticated or not two_factor.is_required(user) or two_factor.is_verified(request):
            return False
        path = request.path_info
        return path not in self.exempt_paths and not path.startswith(settings.STATIC_URL)
