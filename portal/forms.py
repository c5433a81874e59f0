"""The one way forms are rendered: every form mixes in KernFormMixin and is shown with {% crispy form %}."""

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from crispy_forms.utils import render_crispy_form
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # portal.accounts imports this module: no import at run time
    from portal.accounts.models import User

# Dates far outside the project's time (year 1, year 9999) are typing errors; at the edges they also
# overflowed when converted between time zones (a server error, found by tests/test_fuzz_forms.py).
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)


def within_the_portal_years(value):
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            _("Bitte geben Sie ein Datum zwischen %(first)s und %(last)s an."),
            code="date_range",
            params={"first": EARLIEST_DATE.year, "last": LATEST_DATE.year},
        )


class KernFormMixin:
    submit_label = _("Speichern")
    form_method = "post"
    form_action = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField | forms.DateTimeField):
                field.validators.append(within_the_portal_years)

    @cached_property
    def helper(self) -> FormHelper:
        helper = FormHelper(self)
        helper.form_method = self.form_method
        if self.form_action:
            helper.form_action = self.form_action
        helper.add_input(Submit("submit", self.submit_label))
        return helper

    def rendered(self, request: HttpRequest) -> SafeString:
        """The form as `{% crispy form %}` shows it on `request`'s page. An empty (unbound) form's HTML
        is kept per process (issue 18: the thread page's two forms were an eighth of its time), under
        everything it is made of: the language, the form's class, the page's address, action and
        button, and each field's label, hint, initial value and choices; the CSRF token is put in
        afterwards, so nothing of one person reaches another. Only for forms whose helper is
        KernFormMixin's (a helper that changes with anything else would need that in the key); a
        filled-in form (with its errors) and a ModelChoiceField (whose choices are a query) are
        rendered every time."""
        form = cast(forms.BaseForm, self)
        if form.is_bound or type(self).helper is not KernFormMixin.helper:
            return render_crispy_form(self, context={"request": request, "csrf_token": get_token(request)})
        if any(isinstance(field, forms.ModelChoiceField) for field in form.fields.values()):
            return render_crispy_form(self, context={"request": request, "csrf_token": get_token(request)})
        key = (
            get_language(),
            type(self),
            request.get_full_path(),
            form.prefix,
            form.auto_id,
            self.form_action,
            str(self.submit_label),
            tuple(
                (
                    name,
                    type(field.widget),
                    repr(field.widget.attrs),
                    field.required,
                    str(field.label),
                    str(field.help_text),
                    repr(form.get_initial_for_field(field, name)),
                    tuple((value, str(label)) for value, label in cast(_Choices, field.choices))
                    if isinstance(field, forms.ChoiceField)
                    else None,
                )
                for name, field in form.fields.items()
            ),
        )
        html = _RENDERED_FILTERS.get(key)
        if html is None:
            html = render_crispy_form(self, context={"request": request, "csrf_token": _CSRF_PLACEHOLDER})
            _keep_rendered(key, html)
        return mark_safe(html.replace(_CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308 – a token


class HintedRadioSelect(forms.RadioSelect):
    """Radios with a hint under each option (the kern pack links it by aria-describedby):
    `hint_of(value)` gives the text, e.g. `lambda value: value.instance.description` for a
    ModelChoiceField, whose values carry their instance."""

    def __init__(self, *args, hint_of, **kwargs):
        super().__init__(*args, **kwargs)
        self.hint_of = hint_of

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        option["hint"] = self.hint_of(value) if value not in (None, "") else ""
        return option


class ChoicesByNumber(forms.ModelMultipleChoiceField):
    """A choice of several rows by their numbers (every multiple choice of rows in the portal): a number
    beyond 64 bits is no choice and rejected as one; SQLite raised OverflowError on it in the IN lookup
    (Django guards `exact`, not `in`), a server error."""

    def clean(self, value):
        for pk in value if isinstance(value, list | tuple) else []:
            try:
                number = int(str(pk))
            except ValueError:
                continue
            if not -(2**63) <= number < 2**63:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super().clean(value)


class KernForm(KernFormMixin, forms.Form):
    pass


class KernModelForm(KernFormMixin, forms.ModelForm):
    pass


@contextmanager
def form_errors(form: forms.BaseForm, *, field: str | None = None) -> Iterator[None]:
    """A service's ValidationError, shown on the form: errors that name a field land next to it,
    the others at the top (or on `field`). The rest of the block is skipped and the view goes on
    after it, typically to show the form again::

        if request.method == "POST" and form.is_valid():
            with form_errors(form):
                course = services.course_update(course=course, by=request.user, **form.cleaned_data)
                messages.success(request, _("Die Schulung wurde gespeichert."))
                return redirect(course)
        return render(request, "training/form.html", {"form": form})

    A block rather than a wrapper around the call: several services return None on success, so a
    wrapper's None could not say "refused"; and the success path stays plain code in the block.
    """
    try:
        yield
    except ValidationError as error:
        form.add_error(None if hasattr(error, "error_dict") else field, error)


@contextmanager
def message_errors(request: HttpRequest) -> Iterator[None]:
    """A service's ValidationError as an error message on the next page, for the buttons that post
    without a form of their own (publish, confirm, delete): the rest of the block is skipped."""
    try:
        yield
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))


LABEL_FIELDS = ("first_name", "last_name", "email", "erased_at", "authority__name")


def participant_label(first_name, last_name, email, erased_at, authority_name) -> str:
    """ "Name (Behörde)", as `str(user)` and `str(user.authority)` write them."""
    name = gettext("gelöschte Person") if erased_at is not None else f"{first_name} {last_name}".strip()
    return f"{name or email} ({authority_name})"


class ParticipantChoices(forms.models.ModelChoiceIterator):
    """The options from one query of the label's values, not a person and an authority object each:
    hundreds of people are offered on a participant list (issue 18: two fifths of its time)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, *values in self.queryset.values_list("pk", *LABEL_FIELDS):
            yield (pk, participant_label(*values))


class ParticipantChoiceField(forms.ModelChoiceField):
    iterator = ParticipantChoices


class ColleagueForm(KernForm):
    """Enrol or register someone else (a course, a meeting): one person among `participants`, each
    labelled "Name (Behörde)". Courses and meetings had a form each, which had drifted apart (labels,
    who was offered). The apps decide who may use it and whom to offer (`colleagues_for` in
    portal/accounts/selectors.py, minus who is in already); `chosen_colleague` reads the choice."""

    submit_label = _("Kollegin oder Kollegen anmelden")

    def __init__(self, *args, participants, action="", label=None, submit_label=None, **kwargs):
        self.form_action = action
        if submit_label:
            self.submit_label = submit_label
        super().__init__(*args, **kwargs)
        self.fields["participant"] = ParticipantChoiceField(
            label=label or _("Kollegin oder Kollege"),
            queryset=participants,
            empty_label=_("Bitte wählen"),
        )


def chosen_colleague(request: HttpRequest, participants) -> "User | None":
    """The person the posted ColleagueForm chose among `participants`; None, with the German error
    message for the next page, when the choice is missing or not among them (tampered or gone)."""
    form = ColleagueForm(request.POST, participants=participants)
    if form.is_valid():
        return form.cleaned_data["participant"]
    messages.error(request, _("Bitte wählen Sie eine Person aus der Liste aus."))
    return None


class ParticipantMessageForm(KernForm):
    """A message to everyone taking part in a course or a meeting (`participants_message` in
    portal/notifications/services.py). The hidden token, new with every empty form, names the message:
    posted twice, it goes out once."""

    submit_label = _("Nachricht senden")

    subject = forms.CharField(label=_("Betreff"), max_length=150)
    text = forms.CharField(
        label=_("Nachricht"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=5000,
        help_text=_("Die E-Mail beginnt mit der Anrede; Antworten gehen an Ihre E-Mail-Adresse."),
    )
    token = forms.RegexField(
        regex=r"^[0-9a-f]{32}$",
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("Das Formular ist nicht mehr gültig. Bitte laden Sie die Seite neu."),
            "required": _("Das Formular ist nicht mehr gültig. Bitte laden Sie die Seite neu."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].initial = uuid.uuid4().hex

    @staticmethod
    def sent(queued: int) -> str:
        """What the page says after sending: how many mails were queued."""
        if not queued:
            return gettext(
                "Diese Nachricht wurde bereits verschickt; es wurde keine weitere E-Mail versandt."
            )
        return ngettext(
            "Die Nachricht wurde als %(count)d E-Mail in den Versand gegeben.",
            "Die Nachricht wurde als %(count)d E-Mails in den Versand gegeben.",
            queued,
        ) % {"count": queued}


class FilterForm(KernForm):
    """A GET form above a list; invalid values are ignored rather than shown as errors."""

    form_method = "get"
    submit_label = _("Anwenden")

    def __init__(self, data=None, **kwargs):
        super().__init__(data if data else None, **kwargs)

    @cached_property
    def helper(self) -> FormHelper:
        helper = super().helper
        helper.disable_csrf = True
        helper.form_show_errors = False
        helper.form_class = "portal-filter"
        return helper

    def filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()  # fills cleaned_data with the valid values; invalid ones are dropped
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "", [])}

    def rendered(self, request: HttpRequest) -> SafeString:
        """The form as `{% crispy form %}` shows it on `request`'s page, kept per process (issue 18: the
        catalogue's filters were a sixth of its time). The HTML depends on the language, the page's
        address (the form's action), the values typed in, the fields and their choices: all of them
        are the key, so a new topic or the next month is a new key at once, in every process, and
        nothing is the same for two people unless they asked for the same. A ModelChoiceField would
        read its choices again for the key: forms with one are rendered every time."""
        if any(isinstance(field, forms.ModelChoiceField) for field in self.fields.values()):
            return render_crispy_form(self, context={"request": request})
        key = (
            get_language(),
            type(self),
            request.get_full_path(),
            tuple(
                (name, tuple(self.data.getlist(name)) if hasattr(self.data, "getlist") else repr(value))
                for name, value in sorted(self.data.items())
            )
            if self.is_bound
            else None,
            tuple(
                (name, tuple((value, str(label)) for value, label in cast(_Choices, field.choices)))
                if isinstance(field, forms.ChoiceField)
                else name
                for name, field in self.fields.items()
            ),
        )
        html = _RENDERED_FILTERS.get(key)
        if html is None:
            html = render_crispy_form(self, context={"request": request})
            _keep_rendered(key, html)
        return html


_Choices = Iterable[tuple[Any, Any]]  # a ChoiceField's choices, once set (a list)
# FilterForm.rendered's HTML per language, address, values and choices (a bounded number per process:
# every filter combination asked for is one entry).
_RENDERED_FILTERS: dict[tuple, SafeString] = {}
_MAX_RENDERED_FILTERS = 1000
# Where KernFormMixin.rendered's HTML holds the CSRF token (letters and digits: nothing escapes them).
_CSRF_PLACEHOLDER = "csrfplaceholder" + uuid.uuid4().hex


def _keep_rendered(key: tuple, html: SafeString) -> None:
    """Keep a rendered form (`FilterForm.rendered`, `KernFormMixin.rendered`): a bounded number per
    process, every combination asked for one entry."""
    if not settings.DEBUG:  # templates may change while the development server runs
        if len(_RENDERED_FILTERS) >= _MAX_RENDERED_FILTERS:
            _RENDERED_FILTERS.clear()
        _RENDERED_FILTERS[key] = html


class AttendanceForm(KernForm):
    """Who was there: one checkbox per person, for a course date or a network meeting.

    `rows` are `(pk, person, present)`; the cleaned `present` holds the pks ticked."""

    submit_label = _("Anwesenheit speichern")

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"] = forms.TypedMultipleChoiceField(
            label=_("Anwesende ankreuzen"),
            choices=[
                (pk, f"{person.get_full_name() or person.email} ({person.authority})")
                for pk, person, _present in rows
            ],
            initial=[pk for pk, _person, present in rows if present],
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )


class CorrectionForm(KernForm):
    """Project staff cancel an enrollment or a meeting registration after the start: a correction of
    figures the funders read, so the reason is required and kept with the cancellation."""

    submit_label = _("Anmeldung stornieren")

    reason = forms.CharField(
        label=_("Grund der Korrektur"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Wird bei der stornierten Anmeldung gespeichert."),
        error_messages={"required": _("Bitte geben Sie den Grund der Korrektur an.")},
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


SEARCH_MAX_LENGTH = 200


class SearchField(forms.CharField):
    """The search box of a list: at most SEARCH_MAX_LENGTH characters (the browser stops there).

    A longer search sent by hand is cut to that length rather than refused: a filter form shows no
    errors, and SQLite answers a LIKE pattern over 50,000 bytes with an error (a 500 before)."""

    def __init__(self, **kwargs):
        super().__init__(max_length=SEARCH_MAX_LENGTH, required=False, **kwargs)

    def to_python(self, value):
        return super().to_python(value)[:SEARCH_MAX_LENGTH]
