from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import KernForm
from portal.notifications.models import DeliveryMode
from portal.notifications.services import modes_for


class PreferencesForm(KernForm):
    """One choice per kind that may be switched off; service mails are listed on the page instead."""

    submit_label = _("Einstellungen speichern")

    def __init__(self, *args, preferences: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        for row in preferences:
            kind = row["kind"]
            if kind.mandatory:
                continue
            self.fields[kind.code] = forms.ChoiceField(
                label=kind.label,
                choices=[(mode, DeliveryMode(mode).label) for mode in modes_for(kind)],
                initial=row["mode"],
                widget=forms.RadioSelect,
            )
