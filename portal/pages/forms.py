from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import FilterForm, KernForm, SearchField


class BarrierReportForm(KernForm):
    submit_label = _("Meldung absenden")

    page = forms.CharField(
        label=_("Seite"), max_length=500, help_text=_("Auf welcher Seite ist Ihnen die Barriere begegnet?")
    )
    description = forms.CharField(
        label=_("Beschreibung der Barriere"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("Was hat nicht funktioniert? Welche Hilfsmittel nutzen Sie, z. B. einen Screenreader?"),
    )
    name = forms.CharField(label=_("Ihr Name"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"), required=False, help_text=_("Wenn Sie eine Antwort wünschen.")
    )


class SearchForm(FilterForm):
    """The global search of project staff: one field, sent by GET."""

    submit_label = _("Suchen")

    q = SearchField(
        label=_("Suchbegriff"),
        help_text=_(
            "Behörden, Personen, Schulungen, Treffen, Diskussionen und Dokumente der Bibliothek; "
            "Wortanfänge genügen."
        ),
    )
