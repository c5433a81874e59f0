"""portal/privacy/rules.py over the standing cast: who may erase whose data, in the rule, in the
erasure itself and in the list of accounts."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from portal.privacy.erasure import person_erase
from portal.privacy.rules import may_erase
from tests.factories import UserFactory


def test_project_staff_may_erase_everyone_but_themselves(project_staff, member, coordinator, funder):
    other_staff = UserFactory(project_staff=True)
    for person in (member, coordinator, funder, other_staff):
        assert may_erase(project_staff, person)
    assert not may_erase(project_staff, project_staff)


def test_nobody_else_may_erase_anyone(coordinator, member, outsider, funder):
    for by in (coordinator, outsider, funder, member):
        for person in (member, coordinator, outsider, funder):
            assert not may_erase(by, person)


def test_the_erasure_refuses_whom_the_rule_refuses(project_staff, coordinator, member):
    with pytest.raises(PermissionDenied):
        person_erase(user=member, by=coordinator)
    with pytest.raises(PermissionDenied):
        person_erase(user=project_staff, by=project_staff)
    member.refresh_from_db()
    assert member.erased_at is None


def test_the_list_of_accounts_offers_erasure_for_others_only(project_staff, member, client_for):
    page = client_for(project_staff).get(reverse("accounts:user_list")).content.decode()
    assert reverse("privacy:erase", args=[member.pk]) in page
    assert reverse("privacy:erase", args=[project_staff.pk]) not in page
