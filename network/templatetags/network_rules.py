"""The rules of network/rules.py for the checks a template makes per object (a flag from the view
serves where the page has one object)."""

from django import template

from network import rules
from network.models.networks import Network
from portal.accounts.models import User

register = template.Library()


@register.filter
def may_publish_to(user: User, network: Network) -> bool:
    """`{% if user|may_publish_to:network %}`: the upload link for a network's documents."""
    return rules.may_publish_to(user, network)
