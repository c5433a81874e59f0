"""portal.formats: dates and times in sentences built in Python, as the templates write them."""

import datetime as dt

from django.utils import timezone, translation
from django.utils.formats import date_format

from portal.formats import date_time, weekday_date

# 07:00 UTC on a summer day is 09:00 in Mainz and Hannover.
SUMMER_MORNING = dt.datetime(2026, 7, 14, 7, 0, tzinfo=dt.UTC)


def test_a_time_reads_uhr_on_german_pages_in_local_time():
    with translation.override("de"):
        assert date_time(SUMMER_MORNING) == "14.07.2026, 09:00 Uhr"


def test_the_english_page_writes_the_english_way_without_uhr():
    with translation.override("en"):
        assert date_time(SUMMER_MORNING) == "14/07/2026, 09:00"


def test_winter_time_is_one_hour_closer_to_utc():
    with translation.override("de"):
        assert date_time(dt.datetime(2026, 1, 5, 23, 30, tzinfo=dt.UTC)) == "06.01.2026, 00:30 Uhr"


def test_dates_read_as_djangos_date_format_writes_them():
    # A year in steps of 7 hours 13 minutes (every hour of the day, both changes of summer time), an
    # instant of each minute of one day, and the turn of a year.
    start = dt.datetime(2026, 1, 1, 0, 0, tzinfo=dt.UTC)
    instants = [start + dt.timedelta(minutes=433 * n) for n in range(1220)]
    instants += [start + dt.timedelta(days=200, minutes=n) for n in range(1440)]
    instants += [
        dt.datetime(2026, 12, 31, 22, 59, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 31, 23, 0, tzinfo=dt.UTC),
    ]
    for language in ("de", "en"):
        with translation.override(language):
            for instant in instants:
                local = timezone.localtime(instant)
                assert date_time(instant) == date_format(local, "DATETIME_FORMAT")
                for day in (local, local.date()):
                    expected = f"{date_format(day, 'l')}, {date_format(day, 'SHORT_DATE_FORMAT')}"
                    assert weekday_date(day) == expected


def test_amounts_are_written_the_german_way_in_both_languages():
    from decimal import Decimal

    from django.utils import translation

    from portal.formats import euro, percent

    for language in ("de", "en"):
        with translation.override(language):
            assert euro(Decimal("1234.56")) == "1.234,56\u00a0€"
            assert euro(Decimal("-1234567.5")) == "−1.234.567,50\u00a0€"
            assert euro(Decimal("0.005")) == "0,01\u00a0€"  # commercial rounding, half up
            assert euro(Decimal("999.994")) == "999,99\u00a0€"
            assert percent(Decimal("12.35")) == "12,4\u00a0%"
            assert percent(None) == "–"
