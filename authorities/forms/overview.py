from django import forms
from django.utils.translation import gettext_lazy as _

from authorities.models.process import Phase
from authorities.models.registry import State
from portal.accounts.models import Role, User
from portal.forms import FilterForm


class CoachChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class ProcessOverviewFilterForm(FilterForm):
    state = forms.ChoiceField(
        label=_("Land"),
        choices=[("", _("Alle Länder")), *State.choices],
        required=False,
    )
    coach = CoachChoiceField(
        label=_("Prozessbegleitung"),
        queryset=User.objects.filter(role=Role.PROJECT_STAFF, is_active=True).order_by(
            "last_name", "first_name", "email"
        ),
        empty_label=_("Alle"),
        required=False,
    )
    phase = forms.TypedChoiceField(
        label=_("Phase"),
        choices=[("", _("Alle Phasen")), *Phase.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
