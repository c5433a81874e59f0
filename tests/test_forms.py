"""portal.forms.form_errors / message_errors: a service's refusal shown where the person looks."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from portal.forms import KernForm, form_errors, message_errors


class MeetingForm(KernForm):
    title = forms.CharField()
    capacity = forms.IntegerField()


def _valid_form():
    form = MeetingForm({"title": "Fachtag", "capacity": "5"})
    assert form.is_valid()
    return form


def _refuse(error):
    raise error


def test_a_refusal_that_names_a_field_is_shown_next_to_it_and_the_rest_of_the_block_is_skipped():
    form = _valid_form()
    reached = []

    with form_errors(form):
        _refuse(ValidationError({"capacity": "Es sind bereits 7 Personen angemeldet."}))
        reached.append("after the service")

    assert reached == []
    assert not form.is_valid()
    assert form.errors == {"capacity": ["Es sind bereits 7 Personen angemeldet."]}


def test_a_refusal_without_a_field_is_shown_above_the_form():
    form = _valid_form()

    with form_errors(form):
        _refuse(ValidationError("Die Schulung hat schon begonnen."))

    assert form.non_field_errors() == ["Die Schulung hat schon begonnen."]


def test_a_refusal_without_a_field_can_be_put_on_a_chosen_field():
    form = _valid_form()

    with form_errors(form, field="title"):
        _refuse(ValidationError(["Zu lang.", "Schon vergeben."]))

    assert form.errors == {"title": ["Zu lang.", "Schon vergeben."]}


def test_without_a_refusal_the_block_runs_to_its_end_and_the_form_stays_valid():
    form = _valid_form()
    reached = []

    with form_errors(form):
        reached.append("saved")

    assert reached == ["saved"]
    assert form.is_valid()


def test_other_errors_are_not_swallowed():
    with pytest.raises(PermissionError), form_errors(_valid_form()):
        raise PermissionError


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_refused_button_becomes_an_error_message_with_every_reason():
    request = _request()
    reached = []

    with message_errors(request):
        _refuse(ValidationError(["Das Protokoll ist leer.", "Das Treffen hat noch nicht stattgefunden."]))
        reached.append("success message")

    assert reached == []
    assert [(m.level_tag, m.message) for m in get_messages(request)] == [
        ("error", "Das Protokoll ist leer. Das Treffen hat noch nicht stattgefunden.")
    ]


def test_a_button_that_succeeds_leaves_no_error_message():
    request = _request()

    with message_errors(request):
        pass

    assert list(get_messages(request)) == []
