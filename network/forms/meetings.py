"""Forms of meetings and their minutes."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from network.markdown import MARKDOWN_HELP
from network.models.meetings import ItemKind, Meeting, MinutesItem
from network.models.networks import Network
from portal.forms import ColleagueForm, DateInput, KernModelForm

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MeetingForm(KernModelForm):
    class Meta:
        model = Meeting
        fields = [
            "title", "kind", "starts_at", "ends_at", "location", "online_link", "agenda", "capacity",
            "registration_deadline",
        ]  # fmt: skip
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "registration_deadline": DATETIME,
            "agenda": forms.Textarea(attrs={"rows": 6}),
        }

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Das Ende muss nach dem Beginn liegen."))
        deadline = data.get("registration_deadline")
        if starts and deadline and deadline > starts:
            self.add_error("registration_deadline", _("Der Anmeldeschluss muss vor dem Beginn liegen."))
        if not data.get("location") and not data.get("online_link") and not self.has_error("online_link"):
            self.add_error(
                "location", _("Bitte geben Sie einen Veranstaltungsort oder einen Online-Link an.")
            )
        return data


class RegisterColleagueForm(ColleagueForm):
    """The shared form for acting for a colleague, with the meeting's words ("register", not "enrol")."""

    submit_label = pgettext_lazy("Treffen", "Kollegin oder Kollegen anmelden")


class MinutesItemForm(KernModelForm):
    submit_label = _("Punkt speichern")

    class Meta:
        model = MinutesItem
        fields = ["kind", "text", "responsible_authority", "responsible_person", "due_on"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4}), "due_on": DateInput()}
        help_texts = {
            "text": MARKDOWN_HELP,
            "responsible_authority": _("Nur bei Aufgaben."),
            "responsible_person": _("Nur bei Aufgaben."),
            "due_on": _("Nur bei Aufgaben."),
        }

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the network's own members can be responsible; another id is a form error.
        responsible = cast(forms.ModelChoiceField, self.fields["responsible_authority"])
        responsible.queryset = network.members.order_by("name")
        responsible.empty_label = _("Keine Behörde")

    def clean(self):
        data = super().clean()
        if data.get("kind") == ItemKind.TASK and not (
            data.get("responsible_authority") or data.get("responsible_person")
        ):
            self.add_error(
                "responsible_person",
                _("Bitte nennen Sie für eine Aufgabe eine zuständige Behörde oder Person."),
            )
        return data
