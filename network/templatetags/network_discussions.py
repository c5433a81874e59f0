from django import template

from network.selectors.discussions import threads_for_list

register = template.Library()

LATEST_THREADS = 5


@register.simple_tag
def latest_threads(network, user, limit=LATEST_THREADS):
    """The newest threads of a network with the user's unread counts, for the network page: one query
    (without the list's author of each thread, which the network page does not show)."""
    return list(threads_for_list(network=network, user=user).select_related(None)[:limit])
