"""The calendar file of a network meeting, written with the portal's calendar writer (portal/calendar.py)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from network.models.meetings import Meeting
from portal.calendar import MIMETYPE, calendar, event, host
from portal.downloads import file_slug
from portal.links import absolute_url

PRODID = "-//ABH-Portal//Netzwerke//DE"


def uid(meeting: Meeting) -> str:
    # Stable for as long as the meeting exists, so a calendar updates the event instead of adding one.
    return f"network-meeting-{meeting.pk}@{host()}"


def _description(meeting: Meeting, url: str) -> str:
    lines = [
        _("%(kind)s des Netzwerks %(network)s")
        % {"kind": meeting.get_kind_display(), "network": meeting.network.name}
    ]
    if meeting.agenda.strip():
        lines.append(_("Tagesordnung:") + "\n" + meeting.agenda.strip())
    if meeting.online_link:
        lines.append(_("Online-Zugang: %(link)s") % {"link": meeting.online_link})
    lines.append(_("Details im ABH-Portal: %(url)s") % {"url": url})
    return "\n\n".join(lines)


def meeting_calendar(meeting: Meeting, *, now=None) -> str:
    url = absolute_url(meeting.get_absolute_url())
    meeting_event = event(
        uid=uid(meeting),
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=meeting.title,
        description=_description(meeting, url),
        url=url,
        status="CONFIRMED",
        location=", ".join(part for part in [meeting.location, meeting.online_link] if part),
        now=now or timezone.now(),
    )
    return calendar([meeting_event], name=meeting.title, prodid=PRODID)


def filename(meeting: Meeting) -> str:
    return f"treffen-{file_slug(meeting.title) or meeting.pk}.ics"


def attachment(meeting: Meeting) -> tuple[str, str, str]:
    """The meeting's calendar as a mail attachment `(filename, content, mimetype)`."""
    return filename(meeting), meeting_calendar(meeting), MIMETYPE
