from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from authorities.models.assessment import MeasureTemplate
from authorities.models.process import (
    ChangeProcess,
    Consultation,
    Field,
    Goal,
    Measure,
    MeasureStatus,
    Milestone,
    Phase,
)
from portal.accounts.models import Role, User
from portal.forms import DateInput, FilterForm, HintedRadioSelect, KernForm, KernModelForm


def _coaches():
    return User.objects.filter(role=Role.PROJECT_STAFF, is_active=True).order_by(
        "last_name", "first_name", "email"
    )


class ProcessStartForm(KernForm):
    submit_label = _("Prozess beginnen")

    coach = forms.ModelChoiceField(label=_("Prozessbegleitung"), queryset=User.objects.none())
    started_on = forms.DateField(label=_("Beginn"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = _coaches()


class ProcessSettingsForm(KernModelForm):
    class Meta:
        model = ChangeProcess
        fields = ["coach", "started_on", "status", "coordinator_may_add_consultations"]
        widgets = {"started_on": DateInput()}
        help_texts = {
            "status": _(
                "Abgeschlossene und abgebrochene Prozesse bleiben lesbar; danach kann ein neuer beginnen."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = _coaches()


class PhaseChangeForm(KernForm):
    submit_label = _("Phase wechseln")

    to_phase = forms.TypedChoiceField(label=_("Neue Phase"), coerce=int, choices=Phase.choices)
    result_note = forms.CharField(
        label=_("Ergebnis der bisherigen Phase"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    reason = forms.CharField(
        label=_("Begründung"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Nötig, wenn Sie eine Phase überspringen oder zu einer früheren Phase zurückgehen."),
    )

    def __init__(self, *args, process: ChangeProcess, **kwargs):
        super().__init__(*args, **kwargs)
        to_phase = cast(forms.ChoiceField, self.fields["to_phase"])
        to_phase.choices = [(v, label) for v, label in Phase.choices if v != process.phase]
        if process.phase < Phase.CONSOLIDATION:
            to_phase.initial = process.phase + 1


class GoalForm(KernModelForm):
    class Meta:
        model = Goal
        fields = ["title", "description", "field"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class MeasureForm(KernModelForm):
    """Every field of a measure, for project staff."""

    class Meta:
        model = Measure
        fields = [
            "title", "description", "goal", "field", "field_of_action", "responsible", "involved",
            "starts_on", "due_on", "status", "progress", "result",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "result": forms.Textarea(attrs={"rows": 3}),
            "starts_on": DateInput(),
            "due_on": DateInput(),
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
        }

    def __init__(self, *args, process: ChangeProcess, **kwargs):
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Goal]", self.fields["goal"]).queryset = process.goals.all()


class MeasureProgressForm(KernModelForm):
    """What the authority's coordinator may change; any other posted field is not even read."""

    class Meta:
        model = Measure
        fields = ["status", "progress", "result"]
        widgets = {
            "result": forms.Textarea(attrs={"rows": 3}),
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
        }

    def __init__(self, *args, process: ChangeProcess, **kwargs):
        super().__init__(*args, **kwargs)


class MeasureFromTemplateForm(KernForm):
    submit_label = _("Maßnahme übernehmen")

    template = forms.ModelChoiceField(
        label=_("Beispielmaßnahme aus dem Katalog"),
        queryset=MeasureTemplate.objects.all(),
        # Titles alone are hard to choose between: each option shows what the measure is.
        widget=HintedRadioSelect(hint_of=lambda value: value.instance.description),
    )
    responsible = forms.CharField(label=_("Verantwortlich"), max_length=200)
    goal = forms.ModelChoiceField(label=_("Ziel"), queryset=Goal.objects.none(), required=False)
    due_on = forms.DateField(label=_("Fällig am"), widget=DateInput(), required=False)

    def __init__(self, *args, process: ChangeProcess, **kwargs):
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Goal]", self.fields["goal"]).queryset = process.goals.all()


class MilestoneForm(KernModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on", "reached_on"]
        widgets = {"due_on": DateInput(), "reached_on": DateInput()}


class ConsultationForm(KernModelForm):
    class Meta:
        model = Consultation
        fields = ["held_on", "format", "participants", "topics", "agreements", "next_steps"]
        widgets = {
            "held_on": DateInput(),
            "participants": forms.Textarea(attrs={"rows": 2}),
            "topics": forms.Textarea(attrs={"rows": 3}),
            "agreements": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }


class MeasureFilterForm(FilterForm):
    field = forms.ChoiceField(
        label=_("Entwicklungsfeld"), choices=[("", _("Alle Felder")), *Field.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Alle Status")), *MeasureStatus.choices], required=False
    )

    def apply(self, queryset):
        filters = self.filters()
        if field := filters.get("field"):
            queryset = queryset.filter(field=field)
        if status := filters.get("status"):
            queryset = queryset.filter(status=status)
        return queryset
