"""The accounts pages: logging in (password, second step, reset, invitation link), the profile with
its two-factor pages, and the accounts of others (list, invite). One module while it stays under
about 400 lines; the sections below are its sub-areas (login, profile, two_factor, users)."""

import time
from copy import copy

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from portal.accounts import backends, ratelimit, rules, services, two_factor
from portal.accounts.forms import (
    InvitationForm,
    LoginForm,
    PasswordChangeForm,
    PasswordConfirmForm,
    PasswordResetRequestForm,
    ProfileForm,
    SetPasswordForm,
    TwoFactorCodeForm,
    TwoFactorSetupForm,
    UserSearchForm,
)
from portal.accounts.models import User
from portal.accounts.tokens import invitation_token_generator
from portal.links import reverse_each
from portal.permissions import rule_required


def _with_language(response, user):
    """The portal speaks the language chosen in the profile, from login on."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        user.language,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
    )
    return response


# --- logging in: password, second step, reset, invitation link -------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": gettext_lazy("Anmelden")}

    def form_valid(self, form):
        user = form.get_user()
        if two_factor.has_device(user):
            return _second_step(self.request, user, backend=user.backend, next_url=self.get_success_url())
        return _with_language(super().form_valid(form), user)


# The second step must follow the password within this time.
PENDING_LOGIN = "two_factor_pending_login"
PENDING_LOGIN_SECONDS = 5 * 60


def _second_step(request, user, *, backend: str, next_url: str):
    """Not logged in yet: the session only remembers who passed the password step, and the code
    page (`login_code`) finishes the login. The one way in for everybody with a device."""
    request.session[PENDING_LOGIN] = {
        "user": user.pk,
        "backend": backend,
        "next": next_url,
        "at": time.time(),
    }
    return redirect("accounts:login_code")


def _pending_login(request):
    pending = request.session.get(PENDING_LOGIN)
    if not pending or time.time() - pending["at"] > PENDING_LOGIN_SECONDS:
        return None, None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return (user, pending) if user else (None, None)


@login_not_required
@never_cache
@sensitive_post_parameters("code")
def login_code(request):
    """The second step of the login for people with two-factor login: a code from their app or a
    recovery code. Wrong codes count as failed logins for django-axes and are throttled."""
    user, pending = _pending_login(request)
    if user is None:
        request.session.pop(PENDING_LOGIN, None)
        messages.error(request, _("Bitte melden Sie sich erneut mit E-Mail-Adresse und Passwort an."))
        return redirect("accounts:login")
    credentials = {"username": user.email}
    if settings.AXES_ENABLED and not AxesProxyHandler.is_allowed(request, credentials):
        request.session.pop(PENDING_LOGIN, None)
        return get_lockout_response(request, None, credentials)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.verify(user, form.cleaned_data["code"])
        except two_factor.CodeRejected as rejected:
            form.add_error("code", str(rejected))
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                # AxesMiddleware answers with the lockout page; the password must be given again.
                request.session.pop(PENDING_LOGIN, None)
        else:
            del request.session[PENDING_LOGIN]
            user.otp_device = device  # django_otp stores the verified device in the new session
            auth_login(request, user, backend=pending["backend"])
            if isinstance(device, StaticDevice):
                left = two_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "Sie haben einen Wiederherstellungscode verwendet. Es bleibt noch %(left)d Code.",
                        "Sie haben einen Wiederherstellungscode verwendet. Es bleiben noch %(left)d Codes.",
                        left,
                    )
                    % {"left": left},
                )
            return _with_language(redirect(pending["next"]), user)
    return render(
        request, "accounts/login_code.html", {"form": form, "title": _("Anmelden: zweiter Schritt")}
    )


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetRequestForm
    extra_context = {"title": gettext_lazy("Passwort vergessen")}
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # Counted alike for known and unknown addresses: the limit tells nobody who has an account.
        if not ratelimit.mail_allowed("password_reset", self.request, address=form.cleaned_data["email"]):
            form.add_error(None, ratelimit.refusal())
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:login")
    title = gettext_lazy("Neues Passwort festlegen")

    def form_valid(self, form):
        messages.success(self.request, _("Ihr Passwort wurde gespeichert. Sie können sich jetzt anmelden."))
        return super().form_valid(form)


class InvitationAcceptView(PasswordResetConfirmView):
    """The one-time link of an invitation: the person chooses a password and is logged in.

    The link has its own tokens (portal.accounts.tokens) and works only while the invitation is
    pending; a person with a second factor is sent to the code step, never logged in by the link."""

    template_name = "accounts/invitation_accept.html"
    reset_url_token = "einladung"
    token_generator = invitation_token_generator
    backend = backends.PATH
    success_url = reverse_lazy("pages:home")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active and user.has_pending_invitation else None

    def form_valid(self, form):
        user = form.save()
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        if two_factor.has_device(user):
            messages.success(
                self.request,
                _(
                    "Ihr Passwort ist gespeichert. "
                    "Bitte geben Sie jetzt den Code aus Ihrer Authenticator-App ein."
                ),
            )
            return _second_step(self.request, user, backend=self.backend, next_url=str(self.success_url))
        auth_login(self.request, user, backend=self.backend)
        messages.success(self.request, _("Willkommen im ABH-Portal. Ihr Konto ist eingerichtet."))
        return redirect(self.success_url)


# --- the profile -----------------------------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    extra_context = {"title": gettext_lazy("Passwort ändern")}
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Ihr Passwort wurde geändert."))
        return super().form_valid(form)


def profile(request):
    # The form gets a copy: validating a model form writes its values into the instance, and the
    # service must see the person as saved to know what changed.
    form = ProfileForm(request.POST or None, instance=copy(request.user))
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Ihr Profil wurde gespeichert."))
        return _with_language(redirect("accounts:profile"), request.user)
    context = {
        "form": form,
        "title": _("Mein Profil"),
        "two_factor_on": two_factor.has_device(request.user),
        "two_factor_required": two_factor.is_required(request.user),
    }
    return render(request, "accounts/profile.html", context)


# --- two-factor login in the profile: set up the app, see and renew recovery codes, switch it off ---

# Recovery codes wait here between the write and the page that shows them once.
NEW_CODES = "two_factor_new_codes"


@never_cache
@sensitive_post_parameters("code", "password")
def two_factor_setup(request):
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
def two_factor_codes(request):
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
def two_factor_disable(request):
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


# --- accounts of others: list, invite --------------------------------------------------------------


@rule_required(rules.may_manage_accounts)
def user_list(request):
    form = UserSearchForm(request.GET)
    users = User.objects.visible_to(request.user).for_user_list().matching(form.filters().get("q", ""))
    page = Paginator(users, 50).get_page(request.GET.get("seite"))
    # Each row's links and button texts from one reverse() and one translation each (issue 18).
    resend_url, erase_url = reverse_each("accounts:invitation_resend"), reverse_each("privacy:erase")
    resend, erase = _("Einladung an %(email)s erneut senden"), _("Daten von %(name)s löschen")
    for person in page:
        person.resend_url, person.erase_url = resend_url(person.pk), erase_url(person.pk)
        person.resend_label, person.erase_label = resend % {"email": person.email}, erase % {"name": person}
    return render(request, "accounts/user_list.html", {"page": page, "form": form})


@rule_required(rules.may_manage_accounts)
def user_invite(request):
    form = InvitationForm(request.POST or None, inviter=request.user)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if not form.address_taken:
            services.user_invite(by=request.user, **form.cleaned_data)
        if request.user.is_project_staff:
            # Project staff see every account: for them the form names an existing one.
            message = _("Die Einladung an %(email)s wurde verschickt.")
        else:
            # One answer whether or not another authority's account has this address (nothing is
            # changed or sent then): the form tells a coordinator nothing about other accounts.
            message = _(
                "Die Einladung an %(email)s wurde verschickt, sofern es für diese Adresse noch kein Konto "
                "im ABH-Portal gibt. Ein bestehendes Konto bleibt unverändert."
            )
        messages.success(request, message % {"email": email})
        return redirect("accounts:user_list")
    return render(request, "accounts/user_invite.html", {"form": form, "title": _("Person einladen")})


@require_POST
@rule_required(rules.may_manage_accounts)
def invitation_resend(request, pk):
    user = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    services.invitation_resend(user=user, by=request.user)
    messages.success(
        request, _("Die Einladung an %(email)s wurde erneut verschickt.") % {"email": user.email}
    )
    return redirect("accounts:user_list")
