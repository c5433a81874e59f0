from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from portal.accounts import two_factor


class PortalAdminSite(admin.AdminSite):
    """Django's admin, entered only through the portal's own login (with its second step).

    A session must have passed the second step when TWO_FACTOR_REQUIRED_FOR_STAFF is on, and
    whenever the person has a device (like django_otp's OTPAdminSite)."""

    def has_permission(self, request):
        return super().has_permission(request) and two_factor.session_satisfies(request)

    def login(self, request, extra_context=None):
        if not request.user.is_authenticated:
            return redirect_to_login(request.GET.get("next") or request.get_full_path())
        if self.has_permission(request):
            return redirect("admin:index")
        if request.user.is_staff and not two_factor.has_device(request.user):
            messages.warning(
                request, _("Die Verwaltung verlangt die Zwei-Faktor-Anmeldung. Bitte richten Sie sie ein.")
            )
            return redirect("accounts:two_factor_setup")
        raise PermissionDenied
