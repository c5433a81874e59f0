"""Dates and times in texts built in Python (messages, sentences of a service), written as the
templates write them: the language's DATETIME_FORMAT (portal/locale_formats/) in the portal's time
zone, "14.01.2027, 10:00 Uhr" or "14/01/2027, 10:00". A `strftime("… Uhr")` in Python code left
"10:00 Uhr" on the English pages."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.utils import timezone
from django.utils.dateformat import DateFormat, re_escaped, re_formatchars
from django.utils.formats import get_format
from django.utils.translation import get_language

CENT = Decimal("0.01")


@lru_cache(maxsize=128)  # the languages' few format strings
def _pieces(format_string: str) -> tuple[tuple[bool, str], ...]:
    """A format string ("d.m.Y, H:i \\U\\h\\r") split as Django's `Formatter.format` splits it on every
    call, with Django's own expressions: (True, a format character) or (False, literal text)."""
    return tuple(
        (True, piece) if index % 2 else (False, re_escaped.sub(r"\1", piece))
        for index, piece in enumerate(re_formatchars.split(format_string))
        if piece
    )


def _formatted(value: date, format_name: str) -> str:
    """`django.utils.formats.date_format(value, format_name)`, the same text from Django's formatter,
    with the language's format string split once per process: splitting it again for each date was
    half the time of a date (issue 18: the start page writes ten)."""
    formatter = DateFormat(value)
    return "".join(
        str(getattr(formatter, piece)()) if is_character else piece
        for is_character, piece in _pieces(str(get_format(format_name)))
    )


def date_time(value: datetime) -> str:
    """ "14.07.2026, 09:00 Uhr" (English "14/07/2026, 09:00") for an instant, in local time."""
    return _formatted(timezone.localtime(value), "DATETIME_FORMAT")


def weekday_date(value: date) -> str:
    """ "Dienstag, 10.03.2026" / "Tuesday, 10/03/2026": the weekday and the language's short date (of a
    date, or of a datetime as it is given: convert an instant with `timezone.localtime` first)."""
    return _weekday_date(value.date() if isinstance(value, datetime) else value, get_language())


# A day's words in a language never change: kept per process (Django's date formatting took a third of
# the catalogue's 20 cards, issue 18). Bounded: the days a process has shown.
@lru_cache(maxsize=2048)
def _weekday_date(day: date, language: str | None) -> str:
    return f"{_formatted(day, 'l')}, {_formatted(day, 'SHORT_DATE_FORMAT')}"


def euro(value: Decimal) -> str:
    """ "1.234,56 €" — every amount the portal prints (pages, report PDF), the German way in both
    languages: the funders read German reports, and an amount must not change with the language."""
    amount = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "−" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    return f"{sign}{int(whole):,}".replace(",", ".") + f",{cents}\u00a0€"


def percent(value: Decimal | None, places: int = 1) -> str:
    """ "12,5 %" for a share (already times 100); "–" when there is none (nothing to divide by)."""
    if value is None:
        return "–"
    step = Decimal(1).scaleb(-places)
    return f"{Decimal(value).quantize(step, rounding=ROUND_HALF_UP)}".replace(".", ",") + "\u00a0%"
