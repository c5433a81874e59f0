from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from portal.collation import register_on_sqlite


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Konten")

    def ready(self) -> None:
        # The first app of INSTALLED_APPS: every connection, also migrate's, has German order on SQLite.
        connection_created.connect(register_on_sqlite, dispatch_uid="portal.collation")
