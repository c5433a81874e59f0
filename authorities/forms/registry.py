from django import forms
from django.db.models import Case, F, Q, When
from django.utils.translation import gettext_lazy as _

from authorities.models.registry import Authority, ContactPerson, Kind, ParticipationStatus, State
from portal.forms import DateInput, FilterForm, KernForm, KernModelForm, SearchField

CONTACT_DATA_FIELDS = ["street", "postal_code", "city", "phone", "email", "website", "staff_count"]


class AuthorityForm(KernModelForm):
    """Everything project staff maintain about an authority (status changes have their own form)."""

    class Meta:
        model = Authority
        fields = [
            "name", "kind", "state", "ags", "seat", *CONTACT_DATA_FIELDS,
            "population", "population_date", "joined_on", "notes",
        ]  # fmt: skip
        widgets = {
            "population_date": DateInput(),
            "joined_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "ags": _("8 Ziffern, z. B. 07315000 für die Stadt Mainz."),
            "website": _("Mit https://, z. B. https://www.mainz.de"),
        }


class AuthorityCreateForm(AuthorityForm):
    class Meta(AuthorityForm.Meta):
        fields = [*AuthorityForm.Meta.fields, "participation_status"]


class AuthorityContactDataForm(KernModelForm):
    """What a coordinator may change about their own authority."""

    class Meta:
        model = Authority
        fields = CONTACT_DATA_FIELDS


class StatusChangeForm(KernForm):
    submit_label = _("Status ändern")

    participation_status = forms.ChoiceField(
        label=_("Neuer Teilnahmestatus"), choices=ParticipationStatus.choices
    )
    changed_on = forms.DateField(
        label=_("Geändert am"), widget=DateInput(), help_text=_("Leer lassen für heute."), required=False
    )

    def __init__(self, *args, authority: Authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.authority = authority
        self.fields["participation_status"].initial = authority.participation_status

    def clean_participation_status(self):
        status = self.cleaned_data["participation_status"]
        if status == self.authority.participation_status:
            raise forms.ValidationError(_("Die Behörde hat diesen Status bereits."))
        return status


class FactDayForm(KernForm):
    """The correction of a dated fact's day: the day and why (the service checks the order)."""

    submit_label = _("Datum korrigieren")

    day = forms.DateField(label=_("Richtiges Datum"), widget=DateInput())
    reason = forms.CharField(
        label=_("Begründung"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Wird mit der Korrektur im Änderungsverlauf gespeichert."),
    )


class ContactPersonForm(KernModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "function", "email", "phone"]


SORTS = {
    "name": ("name", _("Name (A–Z)")),
    "-name": ("-name", _("Name (Z–A)")),
    "ags": ("ags", _("AGS")),
    # PostgreSQL sorts empty values first when descending; authorities without a figure belong last.
    "-population": (F("population").desc(nulls_last=True), _("Einwohnerzahl (absteigend)")),
    "state": ("state", _("Land")),
    # In the order of the lifecycle (interested … withdrawn), not of the codes.
    "status": (
        Case(*[When(participation_status=code, then=i) for i, code in enumerate(ParticipationStatus.values)]),
        _("Teilnahmestatus"),
    ),
}


class AuthorityFilterForm(FilterForm):
    q = SearchField(label=_("Suche"), help_text=_("Name oder AGS"))
    state = forms.ChoiceField(
        label=_("Land"), choices=[("", _("Alle Länder")), *State.choices], required=False
    )
    kind = forms.ChoiceField(label=_("Art"), choices=[("", _("Alle Arten")), *Kind.choices], required=False)
    status = forms.ChoiceField(
        label=_("Teilnahmestatus"),
        choices=[("", _("Alle Status")), *ParticipationStatus.choices],
        required=False,
    )
    sort = forms.ChoiceField(
        label=_("Sortierung"), choices=[(key, label) for key, (_f, label) in SORTS.items()], required=False
    )

    def apply(self, queryset):
        filters = self.filters()
        if q := filters.get("q"):
            queryset = queryset.filter(Q(name__icontains=q) | Q(ags__startswith=q))
        if state := filters.get("state"):
            queryset = queryset.filter(state=state)
        if kind := filters.get("kind"):
            queryset = queryset.filter(kind=kind)
        if status := filters.get("status"):
            queryset = queryset.filter(participation_status=status)
        order = SORTS[filters.get("sort", "name")][0]
        return queryset.order_by(order, "name")
