from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from authorities.models import State
from portal.forms import ChoicesByNumber, DateInput, FilterForm, KernForm, KernModelForm
from portal.reports.models import (
    Indicator,
    ProgrammeIndicator,
    ProgressReport,
    ReportingPeriod,
    ReportVersion,
)


class PeriodForm(KernModelForm):
    class Meta:
        model = ReportingPeriod
        fields = ["title", "kind", "starts_on", "ends_on", "due_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "due_on": DateInput()}
        help_texts = {
            "title": _("Zum Beispiel „Zwischenbericht 2026“."),
            "due_on": _("Bis zu diesem Tag muss der Bericht beim Fördermittelgeber sein."),
        }

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on, due_on = (cleaned.get(name) for name in ("starts_on", "ends_on", "due_on"))
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", _("Das Ende muss nach dem Beginn des Zeitraums liegen."))
        elif ends_on and due_on and due_on < ends_on:
            self.add_error("due_on", _("Die Abgabefrist darf nicht vor dem Ende des Zeitraums liegen."))
        return cleaned


NARRATIVE_FORM_ID = "sachbericht"


class NarrativeForm(KernModelForm):
    submit_label = _("Entwurf speichern")

    @cached_property
    def helper(self) -> FormHelper:
        helper = super().helper
        # The "Bericht erzeugen" button further down belongs to this form (VersionRequestForm), and
        # static/js/unsaved.js warns before a page with unsaved changes is left.
        helper.form_id = NARRATIVE_FORM_ID
        helper.attrs = {"data-warn-unsaved": ""}
        return helper

    class Meta:
        model = ProgressReport
        fields = ["summary", "activities", "deviations", "outlook"]
        widgets = {name: forms.Textarea(attrs={"rows": 8}) for name in fields}
        help_texts = {
            "activities": _("Gliedern Sie die Aktivitäten bitte nach Arbeitspaketen."),
        }


class IndicatorForm(KernModelForm):
    programme_indicators = ChoicesByNumber(
        label=_("Programmindikatoren"),
        queryset=ProgrammeIndicator.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Die amtlichen Indikatoren, zu denen dieser Indikator beiträgt. Neue Zuordnungen gelten als "
            "Vorschlag („zu prüfen“)."
        ),
    )
    mappings_checked = forms.BooleanField(
        label=_("Zuordnung geprüft"),
        required=False,
        help_text=_("Markieren Sie dies, wenn alle gewählten Zuordnungen an der Quelle geprüft sind."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["programme_indicators"].initial = [
                mapping.programme_indicator_id for mapping in self.instance.mappings.all()
            ]

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name_de",
            "name_en",
            "unit",
            "unit_en",
            "computation",
            "target_total",
            "target_rp",
            "target_ni",
            "programme",
            "position",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "computation": _("Wie der Wert aus den Daten des Portals berechnet wird."),
            "position": _("Kleinere Zahlen stehen im Bericht weiter oben."),
        }

    def clean(self):
        cleaned = super().clean()
        for name in ("target_total", "target_rp", "target_ni"):
            value = cleaned.get(name)
            if value is not None and value < 0:
                self.add_error(name, _("Ein Zielwert kann nicht negativ sein."))
        return cleaned


class IndicatorFilterForm(FilterForm):
    """The period and the state of the indicator table (and of its exports)."""

    date_from = forms.DateField(label=_("Von"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("Bis"), required=False, widget=DateInput)
    state = forms.ChoiceField(
        label=_("Land"),
        required=False,
        choices=[("", _("Beide Länder"))] + list(State.choices),
    )


class VersionRequestForm(KernForm):
    """The area of a new version. On the narrative page its field and button belong to the narrative
    form (HTML `form` attribute): "Bericht erzeugen" posts the sections typed above as well, and the
    page saves them as the draft before the version is queued, so nothing typed is lost."""

    submit_label = _("Bericht erzeugen")

    state = forms.ChoiceField(
        label=_("Gebiet"),
        required=False,
        choices=[("", _("Beide Länder"))] + list(State.choices),
        help_text=_(
            "Der Bericht wird im Hintergrund erstellt; das dauert einige Sekunden. Der Sachbericht oben "
            "wird dabei zuerst als Entwurf gespeichert."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].widget.attrs["form"] = NARRATIVE_FORM_ID

    @cached_property
    def helper(self) -> FormHelper:
        helper = FormHelper(self)
        helper.form_tag = False
        helper.disable_csrf = True
        helper.add_input(Submit("generate", self.submit_label, form=NARRATIVE_FORM_ID))
        return helper


class VersionReleaseForm(KernForm):
    """The release of a version; an interim one (its period had not ended) needs a second confirmation."""

    submit_label = _("Jetzt für die Fördermittelgeber freigeben")

    def __init__(self, *args, version: ReportVersion, **kwargs):
        super().__init__(*args, **kwargs)
        if version.as_of is not None:
            self.fields["interim_confirmed"] = forms.BooleanField(
                label=_(
                    "Ich gebe einen vorläufigen Bericht frei: Er zählt nur bis zum %(day)s, der Zeitraum "
                    "endet erst am %(end)s."
                )
                % {
                    "day": date_format(version.as_of, "SHORT_DATE_FORMAT"),
                    "end": date_format(version.period.ends_on, "SHORT_DATE_FORMAT"),
                },
                required=False,
                help_text=_("Die Fördermittelgeber sehen ihn als „vorläufig“ gekennzeichnet."),
            )


class VersionWithdrawForm(KernForm):
    submit_label = _("Version zurückziehen")

    reason = forms.CharField(
        label=_("Grund der Rücknahme"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Die Fördermittelgeber sehen den Grund und den Tag der Rücknahme."),
    )
