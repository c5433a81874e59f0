from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from authorities.models.assessment import Dimension, MeasureTemplate
from authorities.models.process import Field, FieldOfAction
from portal.forms import FilterForm, KernForm, KernModelForm

RATING_CHOICES = [
    (1, _("1 – trifft nicht zu")),
    (2, _("2 – trifft eher nicht zu")),
    (3, _("3 – teils, teils")),
    (4, _("4 – trifft eher zu")),
    (5, _("5 – trifft voll zu")),
]


class AssessmentForm(KernForm):
    """One 1–5 rating per statement, grouped in a fieldset per dimension."""

    submit_label = _("Selbstcheck speichern")

    label = forms.CharField(
        label=_("Bezeichnung der Erhebung"),
        max_length=100,
        help_text=_("Zum Beispiel „Ausgangslage“ oder „Folgeerhebung nach einem Jahr“."),
    )

    def __init__(self, *args, dimensions: list[Dimension], **kwargs):
        super().__init__(*args, **kwargs)
        # Dimensions come with their statements prefetched.
        self.dimensions = [(dimension, list(dimension.statements.all())) for dimension in dimensions]
        for _dimension, statements in self.dimensions:
            for statement in statements:
                self.fields[self.field_name(statement)] = forms.TypedChoiceField(
                    label=statement.label,
                    choices=RATING_CHOICES,
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Bitte wählen Sie aus, wie sehr diese Aussage zutrifft.")},
                )

    @staticmethod
    def field_name(statement) -> str:
        return f"statement_{statement.pk}"

    @cached_property
    def helper(self):
        helper = super().helper
        helper.form_class = "portal-selfcheck"
        helper.layout = Layout(
            "label",
            *(
                Fieldset(dimension.label, *(self.field_name(s) for s in statements))
                for dimension, statements in self.dimensions
                if statements
            ),
        )
        return helper

    def ratings(self) -> dict[int, int]:
        return {
            statement.pk: self.cleaned_data[self.field_name(statement)]
            for _dimension, statements in self.dimensions
            for statement in statements
        }


class DimensionForm(KernForm):
    submit_label = _("Dimension hinzufügen")

    name = forms.CharField(label=_("Name der Dimension"), max_length=200)
    name_en = forms.CharField(
        label=_("Name der Dimension auf Englisch"),
        max_length=200,
        required=False,
        help_text=_("Für Lesende der englischen Fassung; ohne Angabe erscheint der deutsche Name."),
    )


class StatementForm(KernForm):
    submit_label = _("Aussage hinzufügen")

    dimension = forms.ModelChoiceField(label=_("Dimension"), queryset=Dimension.objects.none())
    text = forms.CharField(
        label=_("Aussage"),
        max_length=300,
        help_text=_("Eine Aussage, die die Behörde von 1 (trifft nicht zu) bis 5 (trifft voll zu) bewertet."),
    )
    text_en = forms.CharField(
        label=_("Aussage auf Englisch"),
        max_length=300,
        required=False,
        help_text=_("Für Lesende der englischen Fassung; ohne Angabe erscheint die deutsche Aussage."),
    )

    def __init__(self, *args, questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dimension"].queryset = questionnaire.dimensions.all()


class MeasureTemplateForm(KernModelForm):
    class Meta:
        model = MeasureTemplate
        fields = ["title", "description", "field", "field_of_action"]
        labels = {"title": _("Titel der Maßnahme")}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        # Case does not make another measure: "Terminvergabe online" and "terminvergabe Online" are one.
        duplicates = MeasureTemplate.objects.filter(title__iexact=title).exclude(pk=self.instance.pk)
        if duplicates.exists():
            raise forms.ValidationError(
                _("Eine Beispielmaßnahme mit diesem Titel gibt es bereits."), code="unique"
            )
        return title


class CatalogueFilterForm(FilterForm):
    field = forms.ChoiceField(
        label=_("Entwicklungsfeld"), choices=[("", _("Alle"))] + Field.choices, required=False
    )
    field_of_action = forms.ChoiceField(
        label=_("Handlungsfeld"), choices=[("", _("Alle"))] + FieldOfAction.choices, required=False
    )

    def apply(self, queryset):
        return queryset.filter(**self.filters())
