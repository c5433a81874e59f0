"""KernFormMixin.rendered (issue 18): an empty form's HTML kept per process is what `{% crispy form %}`
writes, with each request's own CSRF token; whatever changes the form changes the HTML at once."""

import re

import pytest
from django import forms
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from network.forms.discussions import PostForm, SubscriptionForm
from portal.forms import KernForm

CRISPY = Template("{% load crispy_forms_tags %}{% crispy form %}")


class ChoiceForm(KernForm):
    colour = forms.ChoiceField(choices=[("r", "Rot"), ("g", "Grün")], widget=forms.RadioSelect)


def _request(path="/netzwerke/1/diskussionen/2/"):
    request = RequestFactory().get(path)
    get_token(request)  # as the page's own token (the layout's header) is made first
    return request


def _crispy(form, request) -> str:
    return CRISPY.render(Context({"form": form, "request": request, "csrf_token": get_token(request)}))


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]


def _secret(html: str) -> str:
    """The secret behind the form's (masked) token: what CsrfViewMiddleware compares with the cookie."""
    return _unmask_cipher_token(_token(html))


@pytest.mark.parametrize(
    "make",
    [
        lambda: PostForm(action="/antworten/"),
        lambda: SubscriptionForm(initial={"mode": "immediate"}, action="/folgen/", submit_label="Speichern"),
        lambda: ChoiceForm(),  # no action: the page's address
    ],
)
def test_kept_html_is_crispys_with_each_requests_own_token(make):
    first, second = _request(), _request()

    kept = [make().rendered(request) for request in (first, second, first)]

    assert _secret(kept[0]) != _secret(kept[1])
    for html, request in zip(kept, (first, second, first), strict=True):
        expected = _crispy(make(), request)
        assert _secret(html) == _secret(expected) == request.META["CSRF_COOKIE"]
        assert html == expected.replace(_token(expected), _token(html))
        assert "csrfplaceholder" not in html


def test_what_changes_the_form_changes_the_html_at_once():
    request = _request()
    plain = PostForm(action="/a/").rendered(request)

    assert "Ihre Neue Antwort" in PostForm(action="/a/", label="Ihre Neue Antwort").rendered(request)
    assert 'action="/b/"' in PostForm(action="/b/").rendered(request)
    assert ">Senden<" in PostForm(action="/a/", submit_label="Senden").rendered(request)
    assert "checked" in SubscriptionForm(initial={"mode": "digest"}, action="/f/").rendered(request)
    assert 'value="immediate" id="id_mode_0" checked' in SubscriptionForm(
        initial={"mode": "immediate"}, action="/f/"
    ).rendered(request)
    with translation.override("en"):
        english = PostForm(action="/a/").rendered(request)
    assert english != plain and "Your reply" in english
    assert 'action="/elsewhere/"' in ChoiceForm().rendered(_request("/elsewhere/"))


def test_a_filled_in_form_shows_its_errors_and_values_every_time():
    request = _request()
    empty = PostForm({"body": ""}, action="/a/")
    typed = PostForm({"body": "Mein Text"}, action="/a/")
    assert not empty.is_valid()

    assert "kern-error" in empty.rendered(request) or 'aria-invalid="true"' in empty.rendered(request)
    assert "Mein Text" in typed.rendered(request)
    assert "Mein Text" not in PostForm(action="/a/").rendered(request)
