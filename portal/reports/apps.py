from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "portal.reports"
    label = "reports"
    verbose_name = _("Berichte")

    def ready(self):
        # The customer survey's computations register themselves with the others on import.
        from portal.reports import survey_computations  # noqa: F401
