from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.sealing import unseal
from portal.choices import choice_display
from portal.collation import GERMAN
from portal.facts import FactsQuerySet


class Role(models.TextChoices):
    PROJECT_STAFF = "project_staff", _("Projektteam")
    AUTHORITY_STAFF = "authority_staff", _("Mitarbeitende einer Ausländerbehörde")
    FUNDER = "funder", _("Fördermittelgeber")


class UserQuerySet(FactsQuerySet["User"]):
    def visible_to(self, user: "User") -> "UserQuerySet":
        if user.is_project_staff:
            return self
        if user.is_coordinator and user.authority_id is not None:
            return self.filter(authority_id=user.authority_id)
        return self.filter(pk=user.pk)

    def for_user_list(self) -> "UserQuerySet":
        return self.select_related("authority").order_by("last_name", "first_name", "email")

    def matching(self, text: str) -> "UserQuerySet":
        """The account list's search: every word in the name, the e-mail address or the authority."""
        found = self
        for word in text.split()[:8]:
            found = found.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(authority__name__icontains=word)
            )
        return found


# mypy cannot follow a base class made by a call; django-stubs still gives the manager the
# queryset's methods.
class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user: User = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.update(is_staff=True, is_superuser=True, role=Role.PROJECT_STAFF)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> "User":
        # E-mail addresses are stored in lower case; log-in ignores case.
        user: User = self.get(email__iexact=username)
        return user


class User(AbstractUser):
    username = None  # type: ignore[assignment]  # the e-mail address is the login name
    # Django's fields with German sort order (portal/collation.py).
    first_name = models.CharField(_("Vorname"), max_length=150, blank=True, db_collation=GERMAN)
    last_name = models.CharField(_("Nachname"), max_length=150, blank=True, db_collation=GERMAN)
    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)
    get_role_display = choice_display("role")
    authority = models.ForeignKey(
        "authorities.Authority",
        verbose_name=_("Ausländerbehörde"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    is_coordinator = models.BooleanField(
        _("Koordination"),
        default=False,
        help_text=_("Koordinierende pflegen die Daten ihrer Behörde und melden Kolleginnen und Kollegen an."),
    )
    language = models.CharField(
        _("Sprache"), max_length=5, choices=[("de", _("Deutsch")), ("en", _("Englisch"))], default="de"
    )
    invited_by = models.ForeignKey(
        "self",
        verbose_name=_("eingeladen von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("eingeladen am"), null=True, blank=True)
    # Set when the person's data was erased (DSGVO): the row stays for the figures, anonymised.
    erased_at = models.DateTimeField(_("gelöscht am"), null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        verbose_name = _("Konto")
        verbose_name_plural = _("Konten")
        constraints = [
            # Authority staff belong to exactly one authority; nobody else belongs to one.
            models.CheckConstraint(
                condition=(Q(role=Role.AUTHORITY_STAFF) & Q(authority__isnull=False))
                | (~Q(role=Role.AUTHORITY_STAFF) & Q(authority__isnull=True)),
                name="user_authority_matches_role",
                violation_error_message=_(
                    "Mitarbeitende einer Ausländerbehörde brauchen eine Behörde; andere Rollen haben keine."
                ),
            ),
            models.CheckConstraint(
                condition=Q(is_coordinator=False) | Q(role=Role.AUTHORITY_STAFF),
                name="user_coordinator_is_authority_staff",
                violation_error_message=_("Nur Mitarbeitende einer Ausländerbehörde können koordinieren."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        if self.erased_at is not None:
            return gettext("gelöschte Person")
        return super().get_full_name()

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.lower()
        super().save(*args, **kwargs)

    @property
    def is_project_staff(self) -> bool:
        return self.role == Role.PROJECT_STAFF

    @property
    def is_authority_staff(self) -> bool:
        return self.role == Role.AUTHORITY_STAFF

    @property
    def is_funder(self) -> bool:
        return self.role == Role.FUNDER

    @property
    def has_pending_invitation(self) -> bool:
        return not self.has_usable_password() and self.last_login is None and self.erased_at is None


class AuthenticatorApp(TOTPDevice):
    """django-otp's TOTP device whose secret is stored sealed with TWO_FACTOR_KEY
    (portal/accounts/sealing.py): the database and its backups alone cannot make a valid code."""

    class Meta:
        proxy = True
        verbose_name = _("Authenticator-App")
        verbose_name_plural = _("Authenticator-Apps")

    @property
    def bin_key(self) -> bytes:
        return unseal(self.key)
