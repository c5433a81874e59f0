"""The registry of scans. A scan is a function `(now) -> int` that finds in the database what is due
and calls `notify` for it (which claims before sending, so running a scan twice sends nothing new).

Apps register their scans in their `scans.py` with `@scan("name")`; beat runs `run_all_scans` every
hour, `python manage.py send_reminders` runs them once in the foreground."""

from collections.abc import Callable
from datetime import datetime, time, timedelta
from importlib import import_module
from zoneinfo import ZoneInfo

from django.apps import apps
from django.utils import timezone

from portal.notifications.services import notification_batch

SCANS: dict[str, Callable] = {}

BERLIN = ZoneInfo("Europe/Berlin")
WEEKLY_FROM = time(7, 0)  # weekly mails are due from Monday 07:00 German time


def weekly_occasion(now) -> tuple[str, datetime] | None:
    """The ISO week ("2026-W48") whose weekly mail is due at `now`, and the moment it became due
    (Monday 07:00 German time); None on Monday before 07:00, when last week's is done and this
    week's not yet due. As the claim's occasion, it makes each weekly mail go out once."""
    local = now.astimezone(BERLIN)
    year, week, weekday = local.isocalendar()
    start = datetime.combine(local.date() - timedelta(days=weekday - 1), WEEKLY_FROM, tzinfo=BERLIN)
    if local < start:
        return None
    return f"{year}-W{week:02d}", start


def scan(name: str):
    def register(function):
        SCANS[name] = function
        return function

    return register


def load_scans() -> dict[str, Callable]:
    for config in apps.get_app_configs():
        try:
            import_module(f"{config.name}.scans")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.scans":
                raise
    return SCANS


def run_all_scans(now=None) -> dict[str, int]:
    """Every scan once, each as one batch (`notification_batch`): its mails commit together and go to
    the broker together."""
    now = now or timezone.now()
    sent = {}
    for name, function in sorted(load_scans().items()):
        with notification_batch():
            sent[name] = function(now)
    return sent
