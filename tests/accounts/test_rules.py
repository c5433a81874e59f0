"""portal.accounts.rules over the standing cast (tests/conftest.py), plus a coordinator without an
authority: the database refuses one, but the rules must not count on that (`None == None`)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from portal.accounts import services
from portal.accounts.models import Role, User
from portal.accounts.rules import (
    is_own_coordinator,
    is_staff_or_own_coordinator,
    may_act_for,
    may_invite,
    may_manage_accounts,
)
from tests.factories import UserFactory


@pytest.fixture
def coordinator_without_authority(db):
    return UserFactory.build(coordinator=True, authority=None)


def test_a_coordinator_coordinates_only_their_own_authority(coordinator, member, mainz, hannover):
    assert is_own_coordinator(coordinator, mainz.pk)
    assert not is_own_coordinator(coordinator, hannover.pk)
    assert not is_own_coordinator(member, mainz.pk)


def test_a_coordinator_without_an_authority_coordinates_nothing(coordinator_without_authority, funder):
    assert not is_own_coordinator(coordinator_without_authority, None)
    assert not is_staff_or_own_coordinator(coordinator_without_authority, funder.authority_id)


def test_project_staff_count_for_every_authority_and_none(project_staff, mainz, funder, coordinator):
    assert is_staff_or_own_coordinator(project_staff, mainz.pk)
    assert is_staff_or_own_coordinator(project_staff, None)
    assert is_staff_or_own_coordinator(coordinator, mainz.pk)
    assert not is_staff_or_own_coordinator(funder, mainz.pk)


def test_who_may_act_for_whom(project_staff, coordinator, member, outsider, funder):
    assert may_act_for(member, member)
    assert may_act_for(coordinator, member)
    assert may_act_for(project_staff, outsider)
    assert not may_act_for(member, coordinator)  # colleagues, but not a coordinator
    assert not may_act_for(outsider, member)  # a coordinator of another authority
    assert not may_act_for(funder, funder)  # only authority staff take part
    assert not may_act_for(coordinator, project_staff)


def test_a_coordinator_without_an_authority_acts_for_nobody_without_one(
    coordinator_without_authority, project_staff
):
    assert not may_act_for(coordinator_without_authority, project_staff)


def test_accounts_are_managed_by_project_staff_and_coordinators(project_staff, coordinator, member, funder):
    assert [may_manage_accounts(user) for user in (project_staff, coordinator, member, funder)] == [
        True,
        True,
        False,
        False,
    ]


def test_who_may_invite_whom(project_staff, coordinator, member, mainz, hannover):
    assert may_invite(project_staff, role=Role.FUNDER, authority=None)
    assert may_invite(coordinator, role=Role.AUTHORITY_STAFF, authority=mainz)
    assert not may_invite(coordinator, role=Role.AUTHORITY_STAFF, authority=hannover)
    assert not may_invite(coordinator, role=Role.FUNDER, authority=None)
    assert not may_invite(member, role=Role.AUTHORITY_STAFF, authority=mainz)


def test_a_coordinator_without_an_authority_may_not_invite_people_without_one(coordinator_without_authority):
    # Before the rules module the invitation compared `authority == by.authority`: None == None.
    with pytest.raises(PermissionDenied):
        services.user_invite(
            by=coordinator_without_authority,
            email="neu@example.org",
            first_name="Neu",
            last_name="Person",
            role=Role.AUTHORITY_STAFF,
            authority=None,
        )


def test_the_accounts_pages_and_their_navigation_follow_the_rule(client_for, coordinator, member):
    assert client_for(coordinator).get(reverse("accounts:user_list")).status_code == 200
    response = client_for(member).get(reverse("accounts:user_list"))
    assert response.status_code == 403

    navigation = [item["label"] for item in client_for(coordinator).get("/").context["main_navigation"]]
    assert "Konten" in navigation
    navigation = [item["label"] for item in client_for(member).get("/").context["main_navigation"]]
    assert "Konten" not in navigation


def test_a_coordinator_without_an_authority_sees_no_other_account(
    coordinator_without_authority, project_staff, funder, member
):
    # filter(authority_id=None) would have listed every account without an authority: project
    # staff and funders.
    assert not User.objects.visible_to(coordinator_without_authority).exists()
    assert set(User.objects.visible_to(member)) == {member}
