"""Forms of the online discussions: a new thread, a reply or an edit, following."""

from django import forms
from django.utils.translation import gettext_lazy as _

from network.markdown import MARKDOWN_HELP
from network.models.discussions import SubscriptionMode
from portal.forms import KernForm

BODY_MAX_LENGTH = 10_000


def _body_field(label):
    return forms.CharField(
        label=label,
        max_length=BODY_MAX_LENGTH,
        help_text=MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ThreadForm(KernForm):
    submit_label = _("Diskussion beginnen")

    title = forms.CharField(label=_("Thema"), max_length=200)
    body = _body_field(_("Erster Beitrag"))


class PostForm(KernForm):
    submit_label = _("Antworten")

    body = _body_field(_("Ihre Antwort"))

    def __init__(self, *args, action="", submit_label=None, label=None, **kwargs):
        self.form_action = action
        if submit_label:
            self.submit_label = submit_label
        super().__init__(*args, **kwargs)
        if label:
            self.fields["body"].label = label


class SubscriptionForm(KernForm):
    submit_label = _("Folgen")

    mode = forms.ChoiceField(
        label=_("Benachrichtigung"),
        choices=SubscriptionMode.choices,
        initial=SubscriptionMode.DIGEST,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, action="", submit_label=None, **kwargs):
        self.form_action = action
        if submit_label:
            self.submit_label = submit_label
        super().__init__(*args, **kwargs)
