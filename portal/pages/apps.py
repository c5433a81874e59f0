from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "portal.pages"
    label = "pages"
    verbose_name = _("Seiten")

    def ready(self):
        # Django 6.1's blank choice "- Select an option -" has no German translation yet; Django
        # invites apps to set their own here. It applies to every select in the portal.
        from django.db.models import fields

        fields.BLANK_CHOICE_LABEL = _("Bitte wählen")

        # `<id:pk>` in every route with a database id; before any URL module is imported.
        from portal import converters

        converters.register()
