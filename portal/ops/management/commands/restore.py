from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.ops import backup


class Command(BaseCommand):
    help = (
        "Eine Sicherung in die leere Datenbank von DATABASE_URL und nach MEDIA_ROOT zurückspielen, "
        "wie `make restore FILE=…` und `python -m portal.ops.backup restore FILE`."
    )
    # As `python -m portal.ops.backup`: no system checks stand between the operator and the data.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="die tar-Datei einer Sicherung")

    def handle(self, *args, **options):
        try:
            manifest = backup.restore(options["file"])
        except backup.BackupError as error:
            raise CommandError(error) from error
        self.stdout.write(backup.restored_text(manifest))
