"""The portal's own address for every link that leaves a page: mails, .ics files, the calendar feed,
invitations and password links, PDFs. One setting (`PORTAL_BASE_URL`) answers for all of them, so that
a portal started on another port or host never sends links to the default one."""

from urllib.parse import urlparse

from django.conf import settings


def absolute_url(path: str = "") -> str:
    """`path` (as from `reverse()` or `get_absolute_url()`) under the portal's own address."""
    return settings.PORTAL_BASE_URL + path


def portal_host() -> str:
    """The host name of the portal's address (e.g. for calendar UIDs that stay unique per installation)."""
    return urlparse(settings.PORTAL_BASE_URL).hostname or "localhost"
