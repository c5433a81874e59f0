"""Dates and times in texts built in Python (messages, sentences of a service), written as the
templates write them: the language's DATETIME_FORMAT (portal/locale_formats/) in the portal's time
zone, "14.01.2027, 10:00 Uhr" or "14/01/2027, 10:00". A `strftime("… Uhr")` in Python code left
"10:00 Uhr" on the English pages."""

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format


def date_time(value: datetime) -> str:
    """ "14.07.2026, 09:00 Uhr" (English "14/07/2026, 09:00") for an instant, in local time."""
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")
