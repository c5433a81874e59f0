"""python manage.py amif_report --start 2026-01-01 --end 2026-06-30 --out bericht.pdf [--state RP|NI]

Writes the same PDF the worker makes for a version. The narrative comes from the reporting period
with exactly these days, if there is one; otherwise the narrative sections say that no text exists.
"""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from authorities.models import State
from portal.reports.documents import period_for, render_report_pdf


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Kein gültiges Datum (JJJJ-MM-TT): {value}") from error


class Command(BaseCommand):
    help = "Schreibt den AMIF-Fortschrittsbericht für einen Zeitraum als PDF."

    def add_arguments(self, parser):
        parser.add_argument("--start", required=True, help="erster Tag, JJJJ-MM-TT")
        parser.add_argument("--end", required=True, help="letzter Tag, JJJJ-MM-TT")
        parser.add_argument("--out", required=True, help="Zieldatei, z. B. bericht.pdf")
        parser.add_argument("--state", choices=State.values, help="nur ein Land (RP oder NI)")

    def handle(self, *args, start, end, out, state=None, **options):
        date_from, date_to = _day(start), _day(end)
        if date_to < date_from:
            raise CommandError("Das Ende liegt vor dem Beginn des Zeitraums.")
        target = Path(out)
        if not target.parent.exists():
            raise CommandError(f"Das Verzeichnis {target.parent} gibt es nicht.")
        content = render_report_pdf(
            date_from=date_from, date_to=date_to, state=state, period=period_for(date_from, date_to)
        )
        target.write_bytes(content)
        self.stdout.write(f"{target}: {len(content)} Byte")
