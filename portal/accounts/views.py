from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.accounts import services
from portal.accounts.forms import (
    InvitationForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetRequestForm,
    ProfileForm,
    SetPasswordForm,
)
from portal.accounts.models import User
from portal.accounts.permissions import role_required


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


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": gettext_lazy("Anmelden")}

    def form_valid(self, form):
        return _with_language(super().form_valid(form), form.get_user())


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetRequestForm
    extra_context = {"title": gettext_lazy("Passwort vergessen")}
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:login")
    title = gettext_lazy("Neues Passwort festlegen")

    def form_valid(self, form):
        messages.success(self.request, _("Ihr Passwort wurde gespeichert. Sie können sich jetzt anmelden."))
        return super().form_valid(form)


class InvitationAcceptView(PasswordResetConfirmView):
    """The one-time link of an invitation: the person chooses a password and is logged in."""

    template_name = "accounts/invitation_accept.html"
    reset_url_token = "einladung"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("pages:home")

    def form_valid(self, form):
        response = super(PasswordResetConfirmView, self).form_valid(form)
        messages.success(self.request, _("Willkommen im ABH-Portal. Ihr Konto ist eingerichtet."))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    extra_context = {"title": gettext_lazy("Passwort ändern")}
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Ihr Passwort wurde geändert."))
        return super().form_valid(form)


def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Ihr Profil wurde gespeichert."))
        return _with_language(redirect("accounts:profile"), request.user)
    return render(request, "accounts/profile.html", {"form": form, "title": _("Mein Profil")})


@role_required("is_project_staff", "is_coordinator")
def user_list(request):
    users = User.objects.visible_to(request.user).for_user_list()
    page = Paginator(users, 50).get_page(request.GET.get("seite"))
    return render(request, "accounts/user_list.html", {"page": page})


@role_required("is_project_staff", "is_coordinator")
def user_invite(request):
    form = InvitationForm(request.POST or None, inviter=request.user)
    if request.method == "POST" and form.is_valid():
        user = services.user_invite(by=request.user, **form.cleaned_data)
        messages.success(request, _("Die Einladung an %(email)s wurde verschickt.") % {"email": user.email})
        return redirect("accounts:user_list")
    return render(request, "accounts/user_invite.html", {"form": form, "title": _("Person einladen")})


@require_POST
@role_required("is_project_staff", "is_coordinator")
def invitation_resend(request, pk):
    user = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    services.invitation_resend(user=user, by=request.user)
    messages.success(
        request, _("Die Einladung an %(email)s wurde erneut verschickt.") % {"email": user.email}
    )
    return redirect("accounts:user_list")
