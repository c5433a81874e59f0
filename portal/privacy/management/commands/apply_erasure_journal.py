import json

from django.core.management.base import BaseCommand

from portal.privacy.erasure import journal_apply
from portal.privacy.journal import journal_path


class Command(BaseCommand):
    help = (
        "Erase again every account the erasure journal (ERASURE_JOURNAL) lists and the database still "
        "holds unerased; `make restore` runs it after every restore."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the account numbers as JSON")

    def handle(self, *args, **options):
        done = journal_apply()
        if options["json"]:
            self.stdout.write(json.dumps(done))
        else:
            self.stdout.write(f"{journal_path()}: {len(done)} account(s) erased again {done}")
