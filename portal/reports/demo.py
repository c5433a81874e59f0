"""Two reporting periods of the demo year and a started narrative, so that project staff can
generate a report PDF at once. Idempotent: periods are found by title."""

import datetime as dt

from django.utils import timezone

from portal.accounts.models import User
from portal.reports.models import PeriodKind, ProgressReport, ReportingPeriod

SUMMARY = """Im ersten Halbjahr haben 20 Ausländerbehörden in Rheinland-Pfalz und Niedersachsen ihren Veränderungsprozess begonnen oder fortgesetzt.

- Die Qualifizierungsreihe „Interkulturelle Kompetenz“ ist vollständig angelaufen.
- Beide Landesnetzwerke haben sich zweimal getroffen."""


def seed() -> str:
    year = timezone.localdate().year
    periods = [
        (
            f"Zwischenbericht 1. Halbjahr {year}",
            dt.date(year, 1, 1),
            dt.date(year, 6, 30),
            dt.date(year, 9, 30),
        ),
        (
            f"Zwischenbericht 2. Halbjahr {year}",
            dt.date(year, 7, 1),
            dt.date(year, 12, 31),
            dt.date(year + 1, 3, 31),
        ),
    ]
    created = 0
    for title, starts_on, ends_on, due_on in periods:
        _period, new = ReportingPeriod.objects.get_or_create(
            title=title,
            defaults={
                "kind": PeriodKind.INTERIM,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "due_on": due_on,
            },
        )
        created += new
    first = ReportingPeriod.objects.get(title=periods[0][0])
    ProgressReport.objects.get_or_create(
        period=first,
        defaults={"summary": SUMMARY, "updated_by": User.objects.filter(email="projekt@example.org").first()},
    )
    return f"{len(periods)} Berichtszeiträume ({created} neu) mit einem begonnenen Sachbericht"
