"""What the network test modules share besides the fixtures of conftest.py (a test module imports
from here, never from another test module)."""

from django.urls import reverse


def url(name: str, meeting, *extra) -> str:
    """The URL of a meeting's page `network:<name>`, e.g. `url("minutes_publish", meeting)`."""
    return reverse(f"network:{name}", args=[meeting.network_id, meeting.pk, *extra])


def messages_of(response) -> list[str]:
    """The flash messages the page shows (after `follow=True`)."""
    return [str(m) for m in response.context["messages"]] if response.context else []


def thread_url(thread, name: str = "network:thread", *extra) -> str:
    return reverse(name, args=[thread.network_id, thread.pk, *extra])


def post_url(post, name: str) -> str:
    return reverse(name, args=[post.thread.network_id, post.thread_id, post.pk])
