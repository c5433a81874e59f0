"""Writes of networks: creating one and changing its members and moderators (project staff only)."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from authorities.models.registry import Authority
from network import rules
from network.models.networks import Network
from portal.accounts.models import User
from portal.services import model_update

NETWORK_FIELDS = ["name", "description", "scope"]


def _check_moderators(members: list[Authority], moderators: list[User]) -> None:
    member_ids = {authority.pk for authority in members}
    for person in moderators:
        if person.is_project_staff:
            continue
        if not person.is_authority_staff or person.authority_id not in member_ids:
            raise ValidationError(
                {
                    "moderators": _(
                        "%(name)s kann das Netzwerk nicht moderieren: Moderieren können das Projektteam "
                        "und Mitarbeitende der Mitgliedsbehörden."
                    )
                    % {"name": person}
                }
            )


# --- networks ------------------------------------------------------------------------------------


@transaction.atomic
def network_create(
    *, by: User, members: Iterable[Authority], moderators: Iterable[User], **values: Any
) -> Network:
    if not rules.may_manage_networks(by):
        raise PermissionDenied
    authorities, people = list(members), list(moderators)
    _check_moderators(authorities, people)
    network = Network(**values)
    network.full_clean()
    network.save()
    network.members.set(authorities)
    network.moderators.set(people)
    return network


@transaction.atomic
def network_update(
    *, network: Network, by: User, members: Iterable[Authority], moderators: Iterable[User], **values: Any
) -> Network:
    if not rules.may_manage_networks(by):
        raise PermissionDenied
    authorities, people = list(members), list(moderators)
    _check_moderators(authorities, people)
    # Afresh and locked: the form has written its input into the instance it was given.
    network = Network.objects.select_for_update().get(pk=network.pk)
    model_update(instance=network, fields=NETWORK_FIELDS, data=values)
    network.members.set(authorities)
    network.moderators.set(people)
    return network
