from django import forms
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.accounts.login_names import unknown_login_name
from portal.forms import DateInput, FilterForm, KernForm
from portal.privacy.models import EventKind


class EraseConfirmForm(KernForm):
    """The tick that confirms the erasure and, where the first name alone stays in texts, the places
    to redact as well (`remaining` from `erasure.erasure_remaining`; the person's own are ticked)."""

    submit_label = _("Personenbezogene Daten endgültig löschen")

    def __init__(self, *args, remaining=(), first_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if remaining:
            self.fields["redact"] = forms.MultipleChoiceField(
                label=_("Weitere Fundstellen von „%(name)s“ ebenfalls ersetzen") % {"name": first_name}
                if first_name
                else _("Weitere Fundstellen ebenfalls ersetzen"),
                help_text=_(
                    "Diese Stellen nennen nur den Vornamen (oder einen Nachnamen, den auch andere Personen "
                    "oder Orte tragen) und können eine andere Person meinen. Angekreuzte Stellen werden "
                    "ebenfalls durch „gelöschte Person“ ersetzt; Texte der Person selbst sind vorausgewählt."
                ),
                choices=[(place.key, _place_label(place)) for place in remaining],
                initial=[place.key for place in remaining if place.own],
                required=False,
                widget=forms.CheckboxSelectMultiple,
                error_messages={
                    "invalid_choice": _(
                        "Eine der angekreuzten Fundstellen gibt es nicht mehr. Bitte prüfen Sie die Auswahl."
                    )
                },
            )
            # The places first, the confirmation last, right above the button.
            self.order_fields(["redact", "confirm"])

    confirm = forms.BooleanField(
        label=_("Ich habe die Folgen gelesen und möchte die Daten dieser Person endgültig löschen."),
        error_messages={
            "required": _("Bitte bestätigen Sie die Löschung, indem Sie das Kästchen ankreuzen.")
        },
    )


def _place_label(place):
    more = (
        ngettext(" (%(count)d Fundstelle)", " (%(count)d Fundstellen)", place.count) % {"count": place.count}
        if place.count > 1
        else ""
    )
    return format_html(
        "<strong>{}</strong>, {}{}: „{}<mark>{}</mark>{}“",
        place.where,
        place.column,
        more,
        place.before,
        place.match,
        place.after,
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
            # Names that are no account's address are stored hashed: the same hash finds them.
            condition = (
                Q(email__icontains=search)
                | Q(user__email__icontains=search)
                | Q(email=unknown_login_name(search))
            )
            if search.isdigit():
                condition |= Q(user_ref=int(search))
            queryset = queryset.filter(condition)
        return queryset
