from typing import cast

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from authorities.models.registry import Authority
from portal.accounts.login_names import login_name
from portal.accounts.models import Role, User
from portal.accounts.tokens import password_setup_url
from portal.forms import FilterForm, KernForm, KernFormMixin, KernModelForm, SearchField
from portal.notifications.mail import send_email

# Like the model field: no e-mail address is longer, and a longer name must never reach a query
# (SQLite refuses LIKE patterns of 50,000 characters with an error).
EMAIL_MAX_LENGTH = 254


def _email_too_long() -> dict:
    return {
        "max_length": _(
            "Eine E-Mail-Adresse hat höchstens %(limit_value)d Zeichen (diese hat %(show_value)d)."
        )
    }


class LoginForm(KernFormMixin, auth_forms.AuthenticationForm):
    submit_label = _("Anmelden")

    username = auth_forms.UsernameField(
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autofocus": True}),
        error_messages=_email_too_long(),
    )
    error_messages = {
        "invalid_login": _(
            "Die E-Mail-Adresse oder das Passwort ist falsch. Bitte prüfen Sie Ihre Eingabe. "
            "Nach 5 Fehlversuchen wird die Anmeldung vorübergehend gesperrt."
        ),
        "inactive": _("Dieses Konto ist deaktiviert."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("E-Mail-Adresse")
        self.fields["username"].widget.attrs.update(autocomplete="username", type="email")
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


def lockout_username(request, credentials=None):
    """The name django-axes counts failures under (and stores): log-in ignores case, so the lockout
    must too; a name that is no account's address is kept only as a keyed hash (a password typed
    into the e-mail field must not be stored). Asked several times per request: remembered on it."""
    data = credentials if credentials else getattr(request, "data", request.POST)
    username = data.get("username")
    if not username:
        return username
    known = getattr(request, "_lockout_names", None)
    if known is None:
        known = {}
        if request is not None:
            request._lockout_names = known
    if username not in known:
        known[username] = login_name(username)
    return known[username]


class PasswordResetRequestForm(KernFormMixin, auth_forms.PasswordResetForm):
    submit_label = _("Link anfordern")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-Mail-Adresse")
        self.fields["email"].help_text = _("Die Adresse, mit der Sie sich im Portal anmelden.")

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        user = context["user"]
        send_email(
            to=[to_email],
            template="password_reset",
            context={"user": user, "url": password_setup_url(user, "accounts:password_reset_confirm")},
            language=user.language,
        )


# Django's German says "das selbe Passwort"; correct German writes "dasselbe".
SAME_PASSWORD_HINT = _("Bitte geben Sie dasselbe Passwort zur Bestätigung noch einmal ein.")


class SamePasswordHintMixin:
    confirmation_field = "new_password2"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.confirmation_field].help_text = SAME_PASSWORD_HINT  # type: ignore[attr-defined]


class SetPasswordForm(SamePasswordHintMixin, KernFormMixin, auth_forms.SetPasswordForm):
    submit_label = _("Passwort speichern")


class PasswordChangeForm(SamePasswordHintMixin, KernFormMixin, auth_forms.PasswordChangeForm):
    submit_label = _("Passwort ändern")


class ProfileForm(KernModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "language"]
        labels = {"first_name": _("Vorname"), "last_name": _("Nachname")}


class InvitationForm(KernForm):
    submit_label = _("Einladung senden")

    first_name = forms.CharField(label=_("Vorname"), max_length=150)
    last_name = forms.CharField(label=_("Nachname"), max_length=150)
    email = forms.EmailField(
        label=_("E-Mail-Adresse"), max_length=EMAIL_MAX_LENGTH, error_messages=_email_too_long()
    )
    role = forms.ChoiceField(label=_("Rolle"), choices=Role.choices)
    authority = forms.ModelChoiceField(
        label=_("Ausländerbehörde"),
        queryset=Authority.objects.none(),
        required=False,
        help_text=_("Nur für Mitarbeitende einer Ausländerbehörde."),
    )
    is_coordinator = forms.BooleanField(label=_("Koordiniert für die eigene Behörde"), required=False)

    def __init__(self, *args, inviter: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.inviter = inviter
        self.address_taken = False
        if inviter.is_project_staff:
            authority = cast(forms.ModelChoiceField, self.fields["authority"])
            authority.queryset = Authority.objects.only("pk", "name").order_by("name")
        else:
            # Coordinators invite colleagues of their own authority, nobody else.
            for name in ("role", "authority"):
                del self.fields[name]

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None:
            if User.objects.visible_to(self.inviter).filter(pk=existing.pk).exists():
                raise forms.ValidationError(_("Für diese E-Mail-Adresse gibt es bereits ein Konto."))
            # An account the inviter may not see (a coordinator, another authority's person): the
            # answer is the same as for a new address, so the form tells nobody who has an account.
            self.address_taken = True
        return email

    def clean(self):
        data = super().clean()
        if not self.inviter.is_project_staff:
            data["role"], data["authority"] = Role.AUTHORITY_STAFF, self.inviter.authority
            return data
        role, authority = data.get("role"), data.get("authority")
        if role == Role.AUTHORITY_STAFF and not authority:
            self.add_error("authority", _("Bitte wählen Sie die Ausländerbehörde der Person."))
        if role and role != Role.AUTHORITY_STAFF:
            if authority:
                self.add_error(
                    "authority", _("Nur Mitarbeitende einer Ausländerbehörde gehören zu einer Behörde.")
                )
            if data.get("is_coordinator"):
                self.add_error(
                    "is_coordinator", _("Nur Mitarbeitende einer Ausländerbehörde können koordinieren.")
                )
        return data


class TwoFactorCodeForm(KernForm):
    """The second step of the login: a code from the app or a recovery code."""

    submit_label = _("Bestätigen")

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_(
            "Der sechsstellige Code aus Ihrer Authenticator-App oder einer Ihrer Wiederherstellungscodes."
        ),
        error_messages={"required": _("Bitte geben Sie den Code ein.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            autocomplete="one-time-code", autofocus=True, spellcheck="false"
        )


def _current_password_field(**kwargs) -> forms.CharField:
    return forms.CharField(
        label=_("Ihr Passwort"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Bitte geben Sie Ihr Passwort ein.")},
        **kwargs,
    )


def _check_current_password(user: User, password: str) -> str:
    if not user.check_password(password):
        raise forms.ValidationError(_("Das Passwort ist falsch."))
    return password


class TwoFactorSetupForm(KernForm):
    """Confirming the app with its first code; replacing an app that is on also needs the password
    (a session alone, however it was opened, cannot swap the second factor)."""

    submit_label = _("Zwei-Faktor-Anmeldung einschalten")

    code = forms.CharField(
        label=_("Code aus der App"),
        max_length=10,
        help_text=_("Die sechs Ziffern, die Ihre Authenticator-App jetzt für das ABH-Portal anzeigt."),
        error_messages={"required": _("Bitte geben Sie den Code aus Ihrer App ein.")},
    )

    def __init__(self, *args, user: User, replaces: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["code"].widget.attrs.update(autocomplete="one-time-code", inputmode="numeric")
        if replaces:
            self.fields["password"] = _current_password_field(
                help_text=_("Ihr bisheriges Smartphone gilt danach nicht mehr; bitte bestätigen Sie das.")
            )

    def clean_password(self):
        return _check_current_password(self.user, self.cleaned_data["password"])

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Der Code besteht aus sechs Ziffern, zum Beispiel 123456."))
        return code


class PasswordConfirmForm(KernForm):
    """Asks for the current password before a change to the login itself."""

    password = _current_password_field()

    def __init__(self, *args, user: User, submit_label=None, **kwargs):
        self.user = user
        if submit_label:
            self.submit_label = submit_label
        super().__init__(*args, **kwargs)

    def clean_password(self):
        return _check_current_password(self.user, self.cleaned_data["password"])


class UserSearchForm(FilterForm):
    submit_label = _("Suchen")

    q = SearchField(label=_("Suche"), help_text=_("Name, E-Mail-Adresse oder Behörde"))
