from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "portal.privacy"
    label = "privacy"
    verbose_name = _("Datenschutz und Sicherheit")

    def ready(self):
        # Receivers of the login, failed-login and lockout signals.
        from portal.privacy import security  # noqa: F401
