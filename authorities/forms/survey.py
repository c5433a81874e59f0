"""Forms of the customers' survey: the public questionnaire (in the visitor's language, with the
survey's own words rather than the portal's catalogues) and the coordinator's wave form."""

from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from authorities.forms.assessment import AssessmentForm
from authorities.models.process import Measure
from authorities.models.survey import ItemKind, StaffWave, SurveyItem, SurveyWave, WaveKind
from authorities.models.survey_words import SCALE_VALUES
from portal.accounts.models import User
from portal.forms import ChoicesByNumber, KernForm

HONEYPOT = "website"
# The mouth of the face beside each scale step (an SVG path in a 24×24 box), from a broad smile at
# "very good" down to a frown at "very bad".
FACES = {
    5: "M7 14 Q12 19.5 17 14",
    4: "M8 14.5 Q12 17 16 14.5",
    3: "M8 15.5 L16 15.5",
    2: "M8 16.5 Q12 14 16 16.5",
    1: "M7 17.5 Q12 12 17 17.5",
}


class SurveyAnswerForm(forms.Form):
    """The questionnaire as one form: a field per item (`item_<code>`), the form token and a honeypot.

    Rendered by its own template (templates/authorities/survey/public.html), not by crispy: the public
    page shows nothing of the portal, its words come from survey_words in the visitor's language, and
    scale answers are radio buttons with faces."""

    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, items: list[tuple[SurveyItem, Any]], words: dict[str, Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.items = items
        missing = {"required": words["missing"], "invalid_choice": words["missing"]}
        for item, text in items:
            name = f"item_{item.code}"
            if item.kind == ItemKind.COMMENT:
                self.fields[name] = forms.CharField(
                    label=text.text,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    max_length=settings.SURVEY_COMMENT_MAX_CHARS,
                    error_messages={
                        "max_length": str(words["too_long"]).format(max=settings.SURVEY_COMMENT_MAX_CHARS)
                    },
                )
                continue
            if item.kind == ItemKind.SCALE:
                choices = list(zip(SCALE_VALUES, words["scale"], strict=True))
            elif item.kind == ItemKind.YES_NO:
                choices = [(1, words["yes"]), (0, words["no"])]
            else:
                choices = list(enumerate(text.options))
            self.fields[name] = forms.TypedChoiceField(
                label=text.text,
                choices=choices,
                coerce=int,
                required=item.required,
                widget=forms.RadioSelect,
                error_messages=missing,
            )
        # Left empty by people; a robot filling every field fills it too (hidden from view and from
        # assistive technology, labelled for whoever meets it anyway).
        self.fields[HONEYPOT] = forms.CharField(label=words["honeypot"], required=False)

    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT))

    def answers(self) -> dict[str, int]:
        return {
            item.code: self.cleaned_data[f"item_{item.code}"]
            for item, _text in self.items
            if item.kind != ItemKind.COMMENT and self.cleaned_data.get(f"item_{item.code}") not in (None, "")
        }

    def comment(self) -> str:
        for item, _text in self.items:
            if item.kind == ItemKind.COMMENT:
                return str(self.cleaned_data.get(f"item_{item.code}") or "")
        return ""

    def questions(self) -> list[dict[str, Any]]:
        """Per item: the item, its bound field and its radio buttons, each with the face of its step."""
        result = []
        for item, _text in self.items:
            field = self[f"item_{item.code}"]
            options = []
            if item.kind != ItemKind.COMMENT:
                for option in field.subwidgets:
                    mouth = FACES.get(int(option.data["value"])) if item.kind == ItemKind.SCALE else None
                    options.append({"widget": option, "mouth": mouth})
            result.append({"item": item, "field": field, "options": options})
        return result


class WaveForm(KernForm):
    submit_label = _("Welle öffnen")

    kind = forms.ChoiceField(label=_("Art der Befragung"), choices=WaveKind.choices)
    opens_on = forms.DateField(
        label=_("offen ab"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    closes_on = forms.DateField(
        label=_("offen bis"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["opens_on"].initial = today
        self.fields["closes_on"].initial = today + timedelta(days=28)


class SurveyMeasureForm(KernForm):
    """Sie sagten – wir taten: which questions of the survey a measure answers."""

    submit_label = _("Zuordnung speichern")

    measure = forms.ModelChoiceField(label=_("Maßnahme"), queryset=Measure.objects.none())
    items = ChoicesByNumber(
        label=_("Fragen, auf die die Maßnahme antwortet"),
        queryset=SurveyItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, wave: SurveyWave, **kwargs: Any):
        super().__init__(*args, **kwargs)
        measures = Measure.objects.filter(process__authority_id=wave.authority_id).order_by("title")
        self.fields["measure"].queryset = measures  # type: ignore[attr-defined]
        items = wave.questionnaire.items.exclude(kind=ItemKind.COMMENT).prefetch_related("texts")
        field = self.fields["items"]
        field.queryset = items  # type: ignore[attr-defined]
        field.label_from_instance = lambda item: next(  # type: ignore[attr-defined]
            (t.text for t in item.texts.all() if t.language == "de"), item.code
        )


# --- the staff survey -----------------------------------------------------------------------------


class StaffWaveForm(KernForm):
    submit_label = _("Mitarbeitendenbefragung öffnen")

    closes_on = forms.DateField(
        label=_("offen bis"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["closes_on"].initial = timezone.localdate() + timedelta(days=21)


class StaffInviteForm(KernForm):
    """The colleagues a coordinator names: active accounts of the authority."""

    submit_label = _("Einladungen senden")

    colleagues = ChoicesByNumber(
        label=_("Kolleginnen und Kollegen"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Jede Person erhält einen Link, der einmal antwortet. "
            "Wer schon eingeladen ist, erhält keinen zweiten."
        ),
        required=False,
    )
    addresses = forms.CharField(
        label=_("Weitere E-Mail-Adressen (eine je Zeile)"),
        help_text=_("Für Kolleginnen und Kollegen ohne Konto im Portal."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def clean_addresses(self) -> list[str]:
        addresses = [
            line.strip().lower() for line in self.cleaned_data["addresses"].splitlines() if line.strip()
        ]
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                raise ValidationError(
                    _("„%(address)s“ ist keine gültige E-Mail-Adresse.") % {"address": address}
                ) from None
        return sorted(set(addresses))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("colleagues") and not cleaned.get("addresses") and not self.errors:
            self.add_error(
                "colleagues", _("Bitte wählen Sie mindestens eine Person aus oder nennen Sie eine Adresse.")
            )
        return cleaned

    def __init__(self, *args: Any, wave: StaffWave, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["colleagues"]
        field.queryset = User.objects.filter(  # type: ignore[attr-defined]
            authority_id=wave.authority_id, is_active=True
        ).order_by("last_name", "first_name", "email")
        field.label_from_instance = lambda user: user.get_full_name() or user.email  # type: ignore[attr-defined]


class StaffAnswerForm(AssessmentForm):
    """The self-check's statements, rated 1–5 by a colleague (no label of the round)."""

    submit_label = _("Antworten absenden")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        del self.fields["label"]

    @cached_property
    def helper(self):  # type: ignore[no-untyped-def]
        helper = super().helper
        helper.layout.fields.remove("label")
        return helper

    def ratings(self) -> dict[int, int]:
        return {
            statement.pk: self.cleaned_data[self.field_name(statement)]
            for _dimension, statements in self.dimensions
            for statement in statements
        }
