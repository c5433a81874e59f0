"""The form of a network: its member authorities and its moderators."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from authorities.models.registry import Authority
from network.models.networks import Network
from portal.accounts.models import Role, User
from portal.forms import ChoicesByNumber, KernModelForm


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
