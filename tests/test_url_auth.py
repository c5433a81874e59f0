"""Closed by default: every URL in the resolver sends an anonymous visitor to a login page,
except an explicit list of public pages (as 18F/tock's test_url_auth does)."""

from urllib.parse import urlsplit

import pytest
from django.urls import resolve, reverse

from tests.factories import ContactPersonFactory, UserFactory
from tests.url_walk import ALL_PATTERNS, CONVERTER, REGEX_ROUTES

PUBLIC = {
    "pages:home",
    "pages:imprint",
    "pages:privacy",
    "pages:accessibility",
    "pages:barrier_report",
    "pages:easy_language",
    "pages:health",
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:invitation_accept",
    "set_language",
    # Calendar programs cannot log in; the secret token in the URL is the key (404 without it).
    "training:calendar_feed",
    # The customers' survey: anonymous by design (an unknown key is 404).
    "survey:answer_de",
    "survey:answer",
    "survey:thanks",
    # A colleague's one-time link of the staff survey: the token is the key (410 without a valid one).
    "survey:staff_answer",
}
# The login's second step is open to visitors, but without a first step it goes back to the login.
LOGIN_STEPS = {"accounts:login_code"}

LOGIN_PAGES = {reverse("accounts:login"), reverse("admin:login")}


def _concrete_path(route: str, values: dict) -> str:
    for regex, stand_in in REGEX_ROUTES.items():
        if regex in route:
            return "/" + route[: route.index(regex)] + stand_in

    def fill(match):
        converter, name = match["converter"] or "str", match["name"]
        if name in values:
            return str(values[name])
        return "1" if converter in {"int", "id", "path"} else "abc"

    return "/" + CONVERTER.sub(fill, route)


@pytest.fixture
def path_values(mainz, member):
    contact = ContactPersonFactory(authority=mainz)
    invited = UserFactory(authority=mainz, password=None)
    return {
        "pk": mainz.pk,
        "contact_pk": contact.pk,
        "object_id": mainz.pk,
        "id": invited.pk,
        "uidb64": "MQ",
        "token": "abc-def",
        "comment_pk": "00000000-0000-4000-8000-000000000000",
    }


def _route_id(entry):
    return f"{entry[1]} /{entry[0]}"


@pytest.mark.parametrize("route,name,pattern", ALL_PATTERNS, ids=[_route_id(e) for e in ALL_PATTERNS])
def test_anonymous_is_sent_to_a_login_page_unless_the_page_is_public(
    client, path_values, route, name, pattern
):
    path = _concrete_path(route, path_values)
    # The stand-in values must reach the pattern under test, not a neighbour.
    assert resolve(path).func == pattern.callback, path

    response = client.get(path)

    redirect = urlsplit(response.get("Location", "")).path if response.status_code == 302 else None
    if name in PUBLIC:
        assert redirect not in LOGIN_PAGES
        assert response.status_code < 500
    elif name in LOGIN_STEPS:
        assert redirect == reverse("accounts:login")
    elif name.startswith("admin:"):
        # The admin's own views send visitors to its login, which hands over to the portal's login (with
        # its second step); its model pages sit behind LoginRequiredMiddleware and go there directly.
        assert response.status_code == 302
        assert redirect in LOGIN_PAGES
    else:
        assert response.status_code == 302
        assert redirect == reverse("accounts:login")
        assert f"next={path}" in response["Location"].replace("%2F", "/")


def test_every_public_name_is_a_real_url():
    names = {name for _route, name, _pattern in ALL_PATTERNS}
    assert names >= PUBLIC | LOGIN_STEPS


@pytest.mark.parametrize(
    "name",
    [
        "pages:home",
        "pages:imprint",
        "pages:privacy",
        "pages:accessibility",
        "pages:barrier_report",
        "pages:easy_language",
        "accounts:login",
        "accounts:password_reset",
        "accounts:password_reset_done",
    ],
)
def test_anonymous_reads_the_public_pages(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert 'lang="de"' in response.text


def test_logged_in_member_is_sent_away_from_the_admin(client_for, member):
    response = client_for(member).get("/verwaltung/")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("admin:login")
