"""Two-factor login in the profile: set up the app, see and renew recovery codes, switch it off."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login

from portal.accounts import services, two_factor
from portal.accounts.forms import PasswordConfirmForm, TwoFactorSetupForm

# Recovery codes wait here between the write and the page that shows them once.
NEW_CODES = "two_factor_new_codes"


@never_cache
@sensitive_post_parameters("code", "password")
def setup(request):
    user = request.user
    replaces = two_factor.has_device(user)
    device = two_factor.setup_start(user)
    form = TwoFactorSetupForm(request.POST or None, user=user, replaces=replaces)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = two_factor.enable(user, device, form.cleaned_data["code"])
        except two_factor.CodeRejected as rejected:
            form.add_error("code", str(rejected))
        else:
            otp_login(request, device)
            # Sessions opened elsewhere before this had no second step: they end.
            services.sessions_end(user, keep=request.session.session_key)
            request.session[NEW_CODES] = codes
            messages.success(request, _("Die Zwei-Faktor-Anmeldung ist eingeschaltet."))
            return redirect("accounts:two_factor_codes")
    context = {
        "title": _("Zwei-Faktor-Anmeldung einrichten"),
        "form": form,
        "qr_code": two_factor.qr_code_svg(device),
        "secret": two_factor.secret_for_display(device),
        "replaces": replaces,
        "required": two_factor.is_required(user),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@never_cache
@sensitive_post_parameters("password")
def recovery_codes(request):
    user = request.user
    if not two_factor.has_device(user):
        return redirect("accounts:two_factor_setup")
    codes = request.session.pop(NEW_CODES, None)
    form = PasswordConfirmForm(request.POST or None, user=user, submit_label=_("Neue Codes erzeugen"))
    if request.method == "POST" and form.is_valid():
        request.session[NEW_CODES] = two_factor.recovery_codes_renew(user)
        messages.success(
            request, _("Es gibt neue Wiederherstellungscodes. Die bisherigen gelten nicht mehr.")
        )
        return redirect("accounts:two_factor_codes")
    context = {
        "title": _("Wiederherstellungscodes"),
        "codes": [two_factor.format_code(code) for code in codes] if codes else None,
        "left": two_factor.recovery_codes_left(user),
        "form": form,
    }
    return render(request, "accounts/two_factor_codes.html", context)


@never_cache
@sensitive_post_parameters("password")
def disable(request):
    user = request.user
    if not two_factor.has_device(user):
        return redirect("accounts:profile")
    required = two_factor.is_required(user)
    if required and request.method == "POST":
        raise PermissionDenied
    form = PasswordConfirmForm(
        request.POST or None, user=user, submit_label=_("Zwei-Faktor-Anmeldung ausschalten")
    )
    if request.method == "POST" and form.is_valid():
        two_factor.disable(user)
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        messages.success(request, _("Die Zwei-Faktor-Anmeldung ist ausgeschaltet."))
        return redirect("accounts:profile")
    context = {"title": _("Zwei-Faktor-Anmeldung ausschalten"), "form": form, "required": required}
    return render(request, "accounts/two_factor_disable.html", context)
