"""The demo looks like a real project's data: courses and Fachtage on working days, venues inside
Rhineland-Palatinate and Lower Saxony, and a history that grew over months in office hours instead of
every entry at the minute of the demo run."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from authorities.models import Authority, HistoryEntry
from authorities.models.process import PhaseTransition
from network.models import Meeting
from training.models import Course, CourseDate


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())


def _local(instant):
    return timezone.localtime(instant)


def test_no_course_date_and_no_meeting_falls_on_a_weekend(demo):
    starts = [*CourseDate.objects.values_list("starts_at", flat=True)]
    starts += [*Meeting.objects.values_list("starts_at", flat=True)]

    assert len(starts) > 20
    weekend = [_local(at).strftime("%a %d.%m.%Y") for at in starts if _local(at).weekday() >= 5]
    assert weekend == []


def test_every_venue_is_a_town_of_the_two_states(demo):
    towns = set(Authority.objects.values_list("seat", flat=True))
    venues = [*Course.objects.exclude(location="").values_list("location", flat=True)]
    venues += [*Meeting.objects.exclude(location="").values_list("location", flat=True)]

    assert venues and "Kassel, Tagungshaus" not in venues
    assert {venue.split(",")[0] for venue in venues} <= towns


def test_the_history_is_spread_over_working_days_in_office_hours(demo):
    moments = [_local(at) for at in HistoryEntry.objects.values_list("at", flat=True)]
    moments += [_local(at) for at in PhaseTransition.objects.values_list("at", flat=True)]
    now = timezone.localtime()

    assert len(moments) > 100
    assert all(moment.weekday() < 5 and 8 <= moment.hour < 18 for moment in moments)
    assert all(moment < now for moment in moments)
    # Not one minute for everything: almost every entry has a minute of its own.
    minutes = {moment.replace(second=0, microsecond=0) for moment in moments}
    assert len(minutes) > 0.9 * len(moments)
    assert len({moment.date() for moment in moments}) > 50
