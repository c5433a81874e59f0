from django import template

from network.selectors import discussions as selectors

register = template.Library()

LATEST_THREADS = 5


@register.simple_tag
def latest_threads(network, user, limit=LATEST_THREADS):
    """The newest threads of a network with the user's unread counts, for the network page: one query
    (without the list's author and post count of each thread, which the network page does not show)."""
    return selectors.latest_threads(network=network, user=user, limit=limit)
