from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from portal.notifications.mail import mails_to_nobody

# Each module has a `seed()` that is idempotent and returns a line for the report.
# Later features add their own module here, after the ones they build on.
DEMO_MODULES = [
    "authorities.demo.registry",
    "portal.accounts.demo",
    "authorities.demo.process",
    "authorities.demo.survey",
    "training.demo",
    "network.demo.networks",
    "network.demo.discussions",
    "network.demo.library",
    "portal.reports.demo",
    "portal.reports.finance.demo",
]


class Command(BaseCommand):
    help = "Legt die Demodaten an (mehrfach ausführbar; ein zweiter Lauf ändert nichts)."

    def handle(self, *args, **options):
        # The demo's mails (enrollment confirmations and the like) go to nobody.
        with transaction.atomic(), mails_to_nobody():
            lines = [import_module(name).seed() for name in DEMO_MODULES]
        if options["verbosity"]:
            for line in lines:
                self.stdout.write(self.style.SUCCESS(f"Demodaten: {line}"))
