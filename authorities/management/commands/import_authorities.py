from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from authorities.services.registry import MalformedImportFile, authorities_import

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "authorities_rlp_nds.csv"


class Command(BaseCommand):
    help = "Importiert die Ausländerbehörden aus einer CSV-Datei (aktualisiert nach AGS)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_FILE), help="CSV-Datei (UTF-8)")

    def handle(self, *args, path, **options):
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Die Datei {path} kann nicht gelesen werden: {error}") from error
        try:
            result = authorities_import(text=text)
        except MalformedImportFile as error:
            lines = "\n".join(f"  - {line}" for line in error.errors)
            raise CommandError(
                f"Die Datei wurde nicht importiert, nichts wurde geändert:\n{lines}"
            ) from error
        if options["verbosity"] == 0:
            return
        if options["verbosity"] > 1:
            for name in result.created:
                self.stdout.write(f"angelegt: {name}")
        for name in result.updated:
            self.stdout.write(f"aktualisiert: {name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(result.created)} angelegt, {len(result.updated)} aktualisiert, "
                f"{len(result.unchanged)} unverändert übersprungen."
            )
        )
