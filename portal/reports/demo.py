"""A demo project of the current programme (AMIF 2021–2027) around today, two reporting periods of the
demo year inside it and a started narrative, so that project staff can generate a report PDF at once.
Idempotent: project and periods are found by title. ism's real project of 2015–2017 comes with the
migrations (`programme_frames`); it is not the current one."""

import datetime as dt

from django.utils import timezone

from portal.accounts.models import User
from portal.reports import programme_frames
from portal.reports.models import FundingProject, PeriodKind, Programme, ProgressReport, ReportingPeriod

SUMMARY = """Im ersten Halbjahr haben 20 Ausländerbehörden in Rheinland-Pfalz und Niedersachsen ihren Veränderungsprozess begonnen oder fortgesetzt.

- Die Qualifizierungsreihe „Interkulturelle Kompetenz“ ist vollständig angelaufen.
- Beide Landesnetzwerke haben sich zweimal getroffen."""


DEMO_PROJECT_TITLE = "Ausländerbehörden – Demo (AMIF 2021–2027)"


def demo_project(year: int) -> FundingProject:
    """The demo project, current unless another project already is."""
    project, _new = FundingProject.objects.get_or_create(
        title=DEMO_PROJECT_TITLE,
        defaults={
            "programme": Programme.AMIF_2021_2027,
            "regulation": "Verordnung (EU) 2021/1147",
            "beneficiary": "Institut für Sozialpädagogische Forschung Mainz gGmbH (ism)",
            "starts_on": dt.date(year - 1, 1, 1),
            "ends_on": dt.date(year + 1, 12, 31),
            "is_current": not FundingProject.objects.filter(is_current=True).exists(),
            "notes": "Demodaten: Laufzeit um das heutige Datum.",
        },
    )
    return project


def seed() -> str:
    year = timezone.localdate().year
    real = FundingProject.objects.filter(
        title=programme_frames.REAL_TITLE, starts_on=programme_frames.REAL_START
    ).first()
    if real:
        programme_frames.real_periods_load(ReportingPeriod=ReportingPeriod, project=real)
    project = demo_project(year)
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
        period, new = ReportingPeriod.objects.get_or_create(
            title=title,
            defaults={
                "project": project,
                "kind": PeriodKind.INTERIM,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "due_on": due_on,
            },
        )
        created += new
        if period.project_id is None:
            period.project = project
            period.save(update_fields=["project"])
    first = ReportingPeriod.objects.get(title=periods[0][0])
    ProgressReport.objects.get_or_create(
        period=first,
        defaults={"summary": SUMMARY, "updated_by": User.objects.filter(email="projekt@example.org").first()},
    )
    return f"Förderprojekt „{project.title}“, {len(periods)} Berichtszeiträume ({created} neu) mit einem begonnenen Sachbericht"
