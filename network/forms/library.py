"""Forms of the library: the filter above the list and the upload form."""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from network import rules, uploads
from network.models.library import Document, DocumentCategory, Visibility
from network.models.networks import Network
from portal.forms import FilterForm, KernModelForm, SearchField


class LibraryFilterForm(FilterForm):
    q = SearchField(label=_("Suche"), help_text=_("Titel, Beschreibung oder Schlagwort"))
    category = forms.ChoiceField(
        label=_("Kategorie"), choices=[("", _("Alle Kategorien")), *DocumentCategory.choices], required=False
    )
    network = forms.ModelChoiceField(
        label=_("Netzwerk"), queryset=Network.objects.none(), required=False, empty_label=_("Alle Netzwerke")
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        # Only networks whose documents the user may see; a tampered id is simply ignored.
        self.fields["network"].queryset = Network.objects.visible_to(user)
        if not rules.may_see_networks(user):
            del self.fields["network"]

    def apply(self, documents):
        filters = self.filters()
        if query := filters.get("q"):
            for word in query.split():
                documents = documents.filter(
                    Q(title__icontains=word) | Q(description__icontains=word) | Q(tags__icontains=word)
                )
        if category := filters.get("category"):
            documents = documents.filter(category=category)
        if network := filters.get("network"):
            documents = documents.filter(network=network)
        return documents


class DocumentForm(KernModelForm):
    # A plain file input: the clearable one would print the storage path of the current file.
    file = forms.FileField(label=_("Datei"), widget=forms.FileInput)

    class Meta:
        model = Document
        fields = ["title", "description", "category", "tags", "version", "visibility", "network"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.submit_label = _("Hochladen und veröffentlichen")
        self.fields["network"].error_messages["required"] = _(
            "Bitte wählen Sie das Netzwerk, das das Dokument sehen soll."
        )
        file_field = self.fields["file"]
        file_field.help_text = _(
            "PDF, Word (DOCX), Excel (XLSX), OpenDocument-Text (ODT), PNG oder JPEG, höchstens %(limit)d MB."
        ) % {"limit": uploads.max_upload_mb()}
        if self.instance.pk:
            file_field.required = False
            file_field.help_text = _("Nur auswählen, um die Datei „%(name)s“ zu ersetzen. %(types)s") % {
                "name": self.instance.original_name,
                "types": file_field.help_text,
            }
        networks = rules.publishable_networks(user)
        self.fields["network"].queryset = networks
        self.fields["network"].help_text = _(
            "Nur bei „Ein Netzwerk“: die Mitgliedsbehörden dieses Netzwerks sehen das Dokument."
        )
        if not user.is_project_staff:
            # Moderators from an authority publish for the networks they moderate, nothing wider.
            self.fields["visibility"].choices = [(Visibility.NETWORK, Visibility.NETWORK.label)]
            self.fields["visibility"].initial = Visibility.NETWORK
            self.fields["network"].required = True
            self.fields["network"].help_text = _("Die Mitgliedsbehörden dieses Netzwerks sehen das Dokument.")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            uploads.check_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        visibility = cleaned.get("visibility")
        if visibility == Visibility.NETWORK and not cleaned.get("network") and "network" not in self.errors:
            self.add_error("network", _("Bitte wählen Sie das Netzwerk, das das Dokument sehen soll."))
        elif visibility and visibility != Visibility.NETWORK:
            cleaned["network"] = None
        if self.errors and "file" not in self.errors and cleaned.get("file"):
            # The file itself was fine, but the browser will not send it again with the corrected form.
            self.add_error("file", _("Bitte wählen Sie die Datei erneut aus."))
        return cleaned

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
