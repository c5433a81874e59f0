"""Inputs an attacker can make huge answer 404 or a normal page, never a server error: ids beyond
64 bits in any path (one converter, `<id:…>`, portal/converters.py) and 50,000-character searches
(portal.forms.SearchField)."""

import pytest
from django.urls import reverse

from portal.converters import ID_MAX
from portal.forms import SEARCH_MAX_LENGTH
from tests.factories import AuthorityFactory
from tests.url_walk import ALL_PATTERNS, CONVERTER

ID_ROUTES = [(route, name) for route, name, _pattern in ALL_PATTERNS if "<id:" in route]
HUGE = "a" * 50_000


def _path(route: str, value: str) -> str:
    return "/" + CONVERTER.sub(lambda m: value if m["converter"] == "id" else "abc", route)


def test_every_route_with_a_database_id_takes_it_through_the_id_converter():
    # The admin's routes are Django's and django-otp's own (and reached only by project staff).
    portal_routes = [(route, name) for route, name, _pattern in ALL_PATTERNS if not name.startswith("admin:")]
    assert not [route for route, _name in portal_routes if "<int:" in route]
    assert len(ID_ROUTES) > 50


@pytest.mark.parametrize("value", ["99999999999999999999", str(ID_MAX + 1), "0"])
def test_project_staff_get_404_for_an_id_out_of_range_on_every_route(client_for, project_staff, value):
    client = client_for(project_staff)
    answers = {}
    for route, name in ID_ROUTES:
        path = _path(route, value)
        answers[name] = (client.get(path).status_code, client.post(path).status_code)

    assert {name: answer for name, answer in answers.items() if answer != (404, 404)} == {}


def test_project_staff_never_get_a_server_error_for_the_largest_id(client_for, project_staff):
    client = client_for(project_staff)
    errors = {}
    for route, name in ID_ROUTES:
        status = client.get(_path(route, str(ID_MAX))).status_code
        if status >= 500:
            errors[name] = status

    assert errors == {}


@pytest.mark.parametrize(
    "url,parameter",
    [
        (reverse("authorities:list"), "q"),
        (reverse("authorities:export"), "q"),
        (reverse("network:library"), "q"),
        (reverse("training:catalogue"), "q"),
        (reverse("privacy:security_log"), "search"),
    ],
)
def test_project_staff_search_with_50000_characters_gets_an_answer(
    client_for, project_staff, mainz, url, parameter
):
    response = client_for(project_staff).get(url, {parameter: HUGE})

    assert response.status_code == 200


def test_a_search_is_cut_to_its_maximum_length_and_still_filters(client_for, project_staff, db):
    long_name = ("Stadt " + "Mainz" * 40)[:SEARCH_MAX_LENGTH]  # as long as a name may be
    AuthorityFactory(name=long_name)
    AuthorityFactory(name="Stadt Trier")
    client = client_for(project_staff)

    response = client.get(reverse("authorities:list"), {"q": long_name + HUGE})

    assert response.context["form"].cleaned_data["q"] == long_name
    assert [a.name for a in response.context["page"]] == [long_name]
    assert f'maxlength="{SEARCH_MAX_LENGTH}"' in response.text
