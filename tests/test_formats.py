"""portal.formats: dates and times in sentences built in Python, as the templates write them."""

import datetime as dt

from django.utils import translation

from portal.formats import date_time

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
