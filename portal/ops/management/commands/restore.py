from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.ops import backup


class Command(BaseCommand):
    help = (
        "Eine Sicherung in die leere Datenbank von DATABASE_URL und nach MEDIA_ROOT zurückspielen und "
        "die Löschungen des Löschprotokolls erneut anwenden, wie `make restore FILE=…` und "
        "`python -m portal.ops.backup restore FILE`."
    )
    # As `python -m portal.ops.backup`: no system checks stand between the operator and the data.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="die tar-Datei einer Sicherung (.tar oder .tar.gpg)")
        parser.add_argument(
            "--ohne-loeschprotokoll",
            dest="without_journal",
            action="store_true",
            help="nur wenn es nie eine Löschung gab: ohne Löschprotokoll (ERASURE_JOURNAL) wiederherstellen",
        )

    def handle(self, *args, **options):
        try:
            manifest = backup.restore(options["file"], without_journal=options["without_journal"])
        except backup.BackupError as error:
            raise CommandError(error) from error
        self.stdout.write(backup.restored_text(manifest, without_journal=options["without_journal"]))
