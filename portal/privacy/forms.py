from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.forms import DateInput, FilterForm, KernForm
from portal.privacy.models import EventKind


class EraseConfirmForm(KernForm):
    submit_label = _("Personenbezogene Daten endgültig löschen")

    confirm = forms.BooleanField(
        label=_("Ich habe die Folgen gelesen und möchte die Daten dieser Person endgültig löschen."),
        error_messages={
            "required": _("Bitte bestätigen Sie die Löschung, indem Sie das Kästchen ankreuzen.")
        },
    )


class SecurityLogFilterForm(FilterForm):
    kind = forms.ChoiceField(
        label=_("Ereignis"), choices=[("", _("Alle Ereignisse")), *EventKind.choices], required=False
    )
    date_from = forms.DateField(label=_("Von"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Bis"), required=False, widget=DateInput())
    search = forms.CharField(label=_("E-Mail-Adresse oder Konto-Nr."), required=False, max_length=254)

    def apply(self, queryset):
        filters = self.filters()
        if kind := filters.get("kind"):
            queryset = queryset.filter(kind=kind)
        if date_from := filters.get("date_from"):
            queryset = queryset.filter(at__date__gte=date_from)
        if date_to := filters.get("date_to"):
            queryset = queryset.filter(at__date__lte=date_to)
        if search := filters.get("search", "").strip():
            condition = Q(email__icontains=search) | Q(user__email__icontains=search)
            if search.isdigit():
                condition |= Q(user_ref=int(search))
            queryset = queryset.filter(condition)
        return queryset
