"""Forms of networks, meetings and minutes (discussions and the library bring their own)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from authorities.models.registry import Authority
from network.models import ItemKind, Meeting, MinutesItem, Network
from portal.accounts.models import Role, User
from portal.forms import DateInput, KernForm, KernModelForm

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ChoicesByNumber(forms.ModelMultipleChoiceField):
    """A number beyond 64 bits is no choice and rejected as one: SQLite raised OverflowError on it in the
    IN lookup (Django guards `exact`, not `in`), a server error."""

    def clean(self, value):
        for pk in value if isinstance(value, list | tuple) else []:
            try:
                number = int(str(pk))
            except ValueError:
                continue
            if not -(2**63) <= number < 2**63:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super().clean(value)


class AuthorityChoiceField(ChoicesByNumber):
    def label_from_instance(self, authority):
        return f"{authority.name} ({authority.get_state_display()})"


class PersonChoiceField(ChoicesByNumber):
    def label_from_instance(self, user):
        who = user.authority.name if user.authority_id else _("Projektteam")
        return f"{user.get_full_name() or user.email} ({who})"


class NetworkForm(KernModelForm):
    members = AuthorityChoiceField(
        label=_("Mitgliedsbehörden"),
        queryset=Authority.objects.order_by("state", "name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    moderators = PersonChoiceField(
        label=_("Moderation"),
        queryset=User.objects.filter(is_active=True)
        .filter(Q(role=Role.PROJECT_STAFF) | Q(role=Role.AUTHORITY_STAFF))
        .select_related("authority")
        .order_by("role", "last_name", "first_name"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        required=False,
        help_text=_("Projektteam oder Mitarbeitende der Mitgliedsbehörden. Mehrfachauswahl mit Strg."),
    )

    class Meta:
        model = Network
        fields = ["name", "description", "scope", "members", "moderators"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"name": {"unique": _("Ein Netzwerk mit diesem Namen gibt es bereits.")}}

    def clean(self):
        data = super().clean()
        members = {authority.pk for authority in data.get("members") or []}
        strangers = [
            person
            for person in data.get("moderators") or []
            if person.is_authority_staff and person.authority_id not in members
        ]
        if strangers:
            self.add_error(
                "moderators",
                _("Nicht aus einer Mitgliedsbehörde: %(names)s. Wählen Sie die Behörde als Mitglied aus.")
                % {"names": ", ".join(str(person) for person in strangers)},
            )
        return data


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


class RegisterColleagueForm(KernForm):
    submit_label = pgettext_lazy("Treffen", "Kollegin oder Kollegen anmelden")

    def __init__(self, *args, participants, action="", **kwargs):
        self.form_action = action
        super().__init__(*args, **kwargs)
        self.fields["participant"] = forms.ModelChoiceField(
            label=_("Kollegin oder Kollege"), queryset=participants, empty_label=_("Bitte wählen")
        )


class MinutesItemForm(KernModelForm):
    submit_label = _("Punkt speichern")

    class Meta:
        model = MinutesItem
        fields = ["kind", "text", "responsible_authority", "responsible_person", "due_on"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4}), "due_on": DateInput()}
        help_texts = {
            "responsible_authority": _("Nur bei Aufgaben."),
            "responsible_person": _("Nur bei Aufgaben."),
            "due_on": _("Nur bei Aufgaben."),
        }

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the network's own members can be responsible; another id is a form error.
        self.fields["responsible_authority"].queryset = network.members.order_by("name")
        self.fields["responsible_authority"].empty_label = _("Keine Behörde")

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
