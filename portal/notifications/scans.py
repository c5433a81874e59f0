"""The registry of scans. A scan is a function `(now) -> int` that finds in the database what is due
and calls `notify` for it (which claims before sending, so running a scan twice sends nothing new).

Apps register their scans in their `scans.py` with `@scan("name")`; beat runs `run_all_scans` every
hour, `python manage.py send_reminders` runs them once in the foreground."""

from collections.abc import Callable
from importlib import import_module

from django.apps import apps
from django.utils import timezone

SCANS: dict[str, Callable] = {}


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
    now = now or timezone.now()
    return {name: function(now) for name, function in sorted(load_scans().items())}
