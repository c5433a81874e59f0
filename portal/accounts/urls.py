from django.contrib.auth import views as auth_views
from django.urls import path

from portal.accounts import views

app_name = "accounts"

urlpatterns = [
    path("anmelden/", views.LoginView.as_view(), name="login"),
    path("anmelden/code/", views.login_code, name="login_code"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("passwort-vergessen/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "passwort-vergessen/gesendet/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "passwort-neu/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("einladung/<uidb64>/<token>/", views.InvitationAcceptView.as_view(), name="invitation_accept"),
    path("passwort-aendern/", views.PasswordChangeView.as_view(), name="password_change"),
    path("profil/", views.profile, name="profile"),
    path("profil/zwei-faktor/einrichten/", views.two_factor_setup, name="two_factor_setup"),
    path("profil/zwei-faktor/codes/", views.two_factor_codes, name="two_factor_codes"),
    path("profil/zwei-faktor/ausschalten/", views.two_factor_disable, name="two_factor_disable"),
    path("konten/", views.user_list, name="user_list"),
    path("konten/einladen/", views.user_invite, name="user_invite"),
    path("konten/<id:pk>/einladung-erneut/", views.invitation_resend, name="invitation_resend"),
]
