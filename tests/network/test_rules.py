"""network/rules.py over the standing cast (tests/conftest.py) and the networks of conftest.py: Mainz's
network, moderated by Mainz's coordinator, and Hannover's."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from network import rules
from network.models import Visibility
from network.services import library
from tests.factories import MeetingRegistrationFactory, UserFactory
from tests.helpers import PDF_BYTES, upload_of

# --- networks --------------------------------------------------------------------------------------


def test_project_and_authority_staff_see_networks_funders_none(project_staff, member, coordinator, funder):
    assert [rules.may_see_networks(who) for who in (project_staff, member, coordinator, funder)] == [
        True,
        True,
        True,
        False,
    ]


def test_only_project_staff_manage_networks(project_staff, member, coordinator, funder):
    assert rules.may_manage_networks(project_staff)
    assert not any(rules.may_manage_networks(who) for who in (member, coordinator, funder))


def test_members_are_staff_of_member_authorities_moderators_are_named_or_project_staff(
    network, project_staff, member, coordinator, outsider, funder
):
    assert rules.is_member(member, network) and rules.is_member(coordinator, network)
    assert not any(rules.is_member(who, network) for who in (project_staff, outsider, funder))
    assert rules.is_moderator(coordinator, network) and rules.is_moderator(project_staff, network)
    assert not any(rules.is_moderator(who, network) for who in (member, outsider, funder))


def test_scope_helpers_answer_404_outside_and_403_for_members_without_the_right(
    network, meeting, member, outsider, coordinator
):
    with pytest.raises(Http404):
        rules.network_for(outsider, network.pk)
    with pytest.raises(Http404):
        rules.meeting_for(outsider, network.pk, meeting.pk)
    with pytest.raises(PermissionDenied):
        rules.moderated_meeting_for(member, network.pk, meeting.pk)
    with pytest.raises(PermissionDenied):
        rules.managed_network_for(coordinator, network.pk)
    assert rules.moderated_meeting_for(coordinator, network.pk, meeting.pk) == meeting


def test_a_meeting_under_another_networks_id_is_404(network, other_meeting, project_staff):
    with pytest.raises(Http404):
        rules.meeting_for(project_staff, network.pk, other_meeting.pk)


# --- registrations ---------------------------------------------------------------------------------


def test_who_registers_whom(project_staff, member, coordinator, colleague, outsider, funder):
    assert rules.may_register(member, member)
    assert rules.may_register(coordinator, member)
    assert rules.may_register(project_staff, member)
    assert not rules.may_register(member, colleague)
    assert not rules.may_register(coordinator, outsider)
    assert not rules.may_register(funder, funder)
    # Only authority staff take part, whoever registers them.
    assert not rules.may_register(project_staff, project_staff)


def test_a_coordinator_without_an_authority_registers_nobody_without_one(db):
    """`None == None` made such a coordinator the coordinator of every person without an authority;
    the database rules both out today, the rule does not count on it."""
    coordinator = UserFactory.build(coordinator=True, authority=None)
    participant = UserFactory.build(authority=None)
    assert not rules.may_register(coordinator, participant)


def test_who_unregisters_whom(meeting, project_staff, member, coordinator, colleague, outsider):
    registration = MeetingRegistrationFactory(meeting=meeting, participant=member)
    assert rules.may_unregister(member, registration)
    assert rules.may_unregister(coordinator, registration)
    assert rules.may_unregister(project_staff, registration)
    assert not rules.may_unregister(colleague, registration)
    assert not rules.may_unregister(outsider, registration)


def test_only_coordinators_register_others_only_project_staff_correct(project_staff, member, coordinator):
    assert rules.may_register_others(coordinator)
    assert not rules.may_register_others(member) and not rules.may_register_others(project_staff)
    assert rules.may_correct_registrations(project_staff)
    assert not rules.may_correct_registrations(coordinator)


# --- the library -----------------------------------------------------------------------------------


def test_a_moderator_publishes_for_their_network_only(network, other_network, coordinator, member, funder):
    assert rules.may_publish(coordinator) and rules.may_publish_to(coordinator, network)
    assert not rules.may_publish_to(coordinator, other_network)
    assert not rules.may_publish(member) and not rules.may_publish_to(member, network)
    assert not rules.may_publish(funder)


def test_a_moderator_whose_authority_left_the_network_no_longer_publishes_there(
    client_for, network, coordinator, mainz
):
    """The upload link on the network page had its own copy of the rule (named moderator, authority
    staff) and missed that the moderator's authority must still be a member: the link stayed where
    the service refuses the upload. The page now asks the rule, with the moderators it lists, for a
    network it shows only to members."""
    network.members.remove(mainz)  # the coordinator stays among the network's named moderators

    assert client_for(coordinator).get(network.get_absolute_url()).status_code == 404
    assert not rules.may_publish_to(coordinator, network)
    with pytest.raises(PermissionDenied):
        library.document_create(
            by=coordinator,
            title="Leitfaden",
            category="guide",
            upload=upload_of("leitfaden.pdf", PDF_BYTES),
            visibility=Visibility.NETWORK,
            network=network,
        )


def test_the_upload_link_shows_for_moderators_and_project_staff(
    client_for, network, coordinator, project_staff, member
):
    def link_for(user):
        html = client_for(user).get(network.get_absolute_url()).text
        return f"{reverse('network:document_create')}?netzwerk={network.pk}" in html

    assert link_for(coordinator) and link_for(project_staff)
    assert not link_for(member)
    # The page reads the moderator from the list it shows: named now, the link appears at once.
    network.moderators.add(member)
    assert link_for(member)


def test_funders_see_no_uploader_and_only_authority_staff_downloads_count(
    project_staff, member, coordinator, funder
):
    assert rules.may_see_uploader(member) and rules.may_see_uploader(project_staff)
    assert not rules.may_see_uploader(funder)
    assert rules.counts_downloads(member) and rules.counts_downloads(coordinator)
    assert not rules.counts_downloads(project_staff) and not rules.counts_downloads(funder)
