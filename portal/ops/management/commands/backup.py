from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.ops import backup


class Command(BaseCommand):
    help = (
        "Datenbank und hochgeladene Dateien (MEDIA_ROOT) in eine (verschlüsselte) tar-Datei sichern und "
        "Sicherungen nach BACKUP_RETENTION_DAYS löschen, wie `make backup` und "
        "`python -m portal.ops.backup create`."
    )
    # As `python -m portal.ops.backup`: no system checks stand between the operator and the data.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", type=Path, default=backup.default_directory(), help="Ordner der Sicherung (BACKUP_DIR)"
        )

    def handle(self, *args, **options):
        try:
            path, removed = backup.backup_and_rotate(options["dir"])
        except backup.BackupError as error:
            raise CommandError(error) from error
        self.stdout.write(backup.created_text(path, removed))
