"""Dates and times in texts built in Python (messages, sentences of a service), written as the
templates write them: `d.m.Y, H:i` in the portal's time zone and "Uhr" through the translation
("h" in English). A `strftime("… Uhr")` in Python code left "10:00 Uhr" on the English pages."""

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def date_time(value: datetime) -> str:
    """ "14.07.2026, 09:00 Uhr" (English "14.07.2026, 09:00 h") for an instant, in local time."""
    local = timezone.localtime(value)
    return _("%(date)s, %(time)s Uhr") % {
        "date": date_format(local, "d.m.Y"),
        "time": date_format(local, "H:i"),
    }
