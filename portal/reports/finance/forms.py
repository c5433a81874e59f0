import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from authorities.models import ChangeProcess, State
from network.models import Meeting
from portal.forms import DateInput, FilterForm, KernForm, KernModelForm
from portal.reports.finance.models import CostCategory, FundingSource, WorkPackage
from training.models import Course

# "1.234,56", "1234,56", "1234.56", "1 234,56 €": what people type for an amount.
GROUPED = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")


class AmountField(forms.DecimalField):
    """An amount in euros with two places, typed the German way (a comma, points between thousands)
    or with a decimal point; never a float on the way."""

    def __init__(self, *, min_value: Decimal | None = Decimal("0.01"), **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(min_value=min_value, **kwargs)
        self.error_messages["invalid"] = _("Bitte geben Sie einen Betrag wie 1.234,56 an.")

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
            if GROUPED.match(value):
                value = value.replace(".", "")
            value = value.replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:.2f}".replace(".", ",")
        return value


class BudgetLineForm(KernForm):
    submit_label = _("Planansatz speichern")

    # A flat rate is computed from the plan of its base: it has no planned amount of its own.
    category = forms.ModelChoiceField(
        label=_("Kostenkategorie"),
        queryset=CostCategory.objects.filter(is_flat_rate=False),
        empty_label=_("Bitte wählen"),
    )
    year = forms.IntegerField(label=_("Jahr"), min_value=1900, max_value=2199)
    amount = AmountField(
        label=_("Planansatz in Euro"),
        min_value=Decimal(0),
        help_text=_("0 entfernt den Planansatz."),
    )

    def __init__(self, *args, action: str = "", **kwargs):
        self.form_action = action
        super().__init__(*args, **kwargs)


class FundingSourceForm(KernModelForm):
    planned_amount = AmountField(label=_("geplanter Betrag in Euro"), min_value=Decimal(0))

    class Meta:
        model = FundingSource
        fields = ["name", "kind", "state", "planned_amount", "max_rate_percent", "position"]
        help_texts = {"state": _("Nur bei einem Landesministerium.")}


class ExpenditureForm(KernForm):
    submit_label = _("Ausgabe erfassen")

    paid_on = forms.DateField(label=_("Zahlungsdatum"), widget=DateInput())
    # Nothing is booked on a flat rate (services.expenditure_create refuses it, too).
    category = forms.ModelChoiceField(
        label=_("Kostenkategorie"),
        queryset=CostCategory.objects.filter(is_flat_rate=False),
        empty_label=_("Bitte wählen"),
    )
    amount = AmountField(label=_("Betrag in Euro"))
    purpose = forms.CharField(label=_("Empfänger/Zweck"), max_length=300)
    receipt_number = forms.CharField(label=_("Beleg-Nr."), max_length=50, required=False)
    receipt = forms.FileField(
        label=_("Beleg (Datei)"),
        required=False,
        widget=forms.FileInput,
        help_text=_("Freiwillig: PDF, Word, Excel, OpenDocument-Text, PNG oder JPEG."),
    )
    course = forms.ModelChoiceField(
        label=_("Schulung"), queryset=Course.objects.order_by("title"), required=False
    )
    meeting = forms.ModelChoiceField(
        label=_("Netzwerktreffen"), queryset=Meeting.objects.order_by("-starts_at"), required=False
    )
    process = forms.ModelChoiceField(
        label=_("Veränderungsprozess"),
        queryset=ChangeProcess.objects.select_related("authority").order_by("authority__name", "pk"),
        required=False,
    )
    work_package = forms.ModelChoiceField(
        label=_("Arbeitspaket"),
        queryset=WorkPackage.objects.none(),
        required=False,
        help_text=_("Zusätzlich zur Aktivität, falls der Plan Arbeitspakete hat."),
    )
    state = forms.ChoiceField(
        label=_("Land"),
        choices=[("", _("beide Länder"))] + list(State.choices),
        required=False,
        help_text=_("Nur wenn die Ausgabe allein für ein Land anfällt."),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_package"].queryset = WorkPackage.objects.filter(project=project)  # type: ignore[attr-defined]

    def clean(self):
        cleaned = super().clean()
        chosen = [name for name in ("course", "meeting", "process") if cleaned.get(name)]
        if len(chosen) > 1:
            self.add_error(chosen[1], _("Bitte ordnen Sie die Ausgabe höchstens einer Aktivität zu."))
        return cleaned


class WorkPackageForm(KernModelForm):
    planned_amount = AmountField(label=_("geplanter Betrag in Euro"), min_value=Decimal(0), required=False)

    class Meta:
        model = WorkPackage
        fields = ["number", "title", "planned_amount"]


class ReversalForm(KernForm):
    submit_label = _("Ausgabe stornieren")

    note = forms.CharField(label=_("Grund der Stornierung"), max_length=300)


class FundReceiptForm(KernForm):
    submit_label = _("Mitteleingang erfassen")

    source = forms.ModelChoiceField(
        label=_("Finanzierungsquelle"), queryset=FundingSource.objects.none(), empty_label=_("Bitte wählen")
    )
    received_on = forms.DateField(label=_("Eingang am"), widget=DateInput())
    amount = AmountField(label=_("Betrag in Euro"))
    reference = forms.CharField(label=_("Verwendungszweck/Bescheid"), max_length=300, required=False)

    def __init__(self, *args, project, action: str = "", **kwargs):
        self.form_action = action
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = FundingSource.objects.filter(project=project)  # type: ignore[attr-defined]


class OverviewFilterForm(FilterForm):
    as_of = forms.DateField(label=_("Stand"), required=False, widget=DateInput())
