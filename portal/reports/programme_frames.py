"""The funding frames as data: the programme indicators of both AMIF periods, the proposed mapping of
the portal's indicators to them and the real project this portal serves. Used by the data migration
and by the tests; editing happens in the database (admin, indicator form), not here.

Wordings are German/English renderings of the regulations' annexes. They could not be checked against
the Official Journal when this was written, so every entry ships marked "zu prüfen" and carries no
official code (the codes of the regulations are added once checked at the source)."""

from datetime import date

AMIF_2014 = "amif-2014-2020"
AMIF_2021 = "amif-2021-2027"

SOURCE_2014 = (
    "Verordnung (EU) Nr. 516/2014, Anhang IV, spezifisches Ziel 2 (Integration/legale Migration); "
    "Delegierte Verordnung (EU) 2017/207"
)
SOURCE_2021 = "Verordnung (EU) 2021/1147, Anhang VIII, spezifisches Ziel 2 (legale Migration und Integration)"

# key, programme, kind, wording_de, wording_en, source
PROGRAMME_INDICATORS = [
    ("2014-pre-departure", AMIF_2014, "output",
     "Zahl der Personen der Zielgruppe, die an vom Fonds unterstützten Maßnahmen vor der Ausreise "
     "teilgenommen haben",
     "Number of target group persons who participated in pre-departure measures supported by the Fund",
     SOURCE_2014),
    ("2014-integration-assisted", AMIF_2014, "output",
     "Zahl der Personen der Zielgruppe, die vom Fonds durch Integrationsmaßnahmen im Rahmen "
     "nationaler, lokaler und regionaler Strategien unterstützt wurden",
     "Number of target group persons assisted by the Fund through integration measures in the framework of "
     "national, local and regional strategies",
     SOURCE_2014),
    ("2014-policy-frameworks", AMIF_2014, "result",
     "Zahl der lokalen, regionalen und nationalen Strategierahmen, Maßnahmen und Instrumente für die "
     "Integration von Drittstaatsangehörigen, die infolge der vom Fonds unterstützten Maßnahmen bestehen",
     "Number of local, regional and national policy frameworks/measures/tools in place for the "
     "integration of third-country nationals as a result of the measures supported by the Fund",
     SOURCE_2014),
    ("2014-cooperation-projects", AMIF_2014, "output",
     "Zahl der vom Fonds unterstützten Kooperationsprojekte mit anderen Mitgliedstaaten zur Integration von "
     "Drittstaatsangehörigen",
     "Number of cooperation projects with other Member States on the integration of third-country nationals "
     "supported by the Fund",
     SOURCE_2014),
    ("2014-integration-policies", AMIF_2014, "output",
     "Zahl der vom Fonds unterstützten Projekte zur Entwicklung, Überwachung und Bewertung der "
     "Integrationspolitik",
     "Number of projects supported by the Fund to develop, monitor and evaluate integration policies",
     SOURCE_2014),
    ("2021-authorities-supported", AMIF_2021, "output",
     "Zahl der lokalen und regionalen Behörden, die bei der Umsetzung von Integrationsmaßnahmen "
     "unterstützt wurden",
     "Number of local and regional authorities supported to implement integration measures",
     SOURCE_2021),
    ("2021-participants-supported", AMIF_2021, "output",
     "Zahl der unterstützten Teilnehmenden",
     "Number of participants supported",
     SOURCE_2021),
    ("2021-authority-projects", AMIF_2021, "output",
     "Zahl der Integrationsprojekte, bei denen lokale und regionale Behörden Begünstigte sind",
     "Number of integration projects where the beneficiaries are local and regional authorities",
     SOURCE_2021),
    ("2021-participants-helpful", AMIF_2021, "result",
     "Zahl der Teilnehmenden, die angeben, dass die Maßnahme für ihre Integration hilfreich war",
     "Number of participants who report that the activity was helpful for their integration",
     SOURCE_2021),
]  # fmt: skip

# Proposals: portal indicator code -> programme indicator keys (all "zu prüfen").
MAPPINGS = {
    "ABH-1": ["2014-integration-policies", "2021-authorities-supported"],
    "ABH-2": ["2014-policy-frameworks", "2021-authorities-supported"],
    "ABH-7": ["2021-participants-supported"],
    "ABH-14": ["2014-policy-frameworks"],
}

REAL_TITLE = "Ausländerbehörden"
REAL_START = date(2015, 7, 1)

REAL_PROJECT = {
    # The exact title used by ism could not be found in the reference corpora; "Ausländerbehörden" as named
    # in the issue, to be checked against the grant decision.
    "title": REAL_TITLE,
    "programme": AMIF_2014,
    "regulation": (
        "Verordnung (EU) Nr. 516/2014; Begleitung und Bewertung nach Delegierter Verordnung (EU) 2017/207"
    ),
    "project_number": "",
    "beneficiary": "Institut für Sozialpädagogische Forschung Mainz gGmbH (ism)",
    "starts_on": REAL_START,
    "ends_on": date(2017, 6, 30),
    "is_current": False,
    "notes": (
        "Projekt in Rheinland-Pfalz und Niedersachsen. Titel, Projektnummer und zuständige Behörde zu prüfen."
    ),
}

# name, role, state, starts_on, ends_on
REAL_PARTNERS = [
    ("Bundesamt für Migration und Flüchtlinge (zu prüfen)", "managing", "", None, None),
    ("Ministerium für Integration, Familie, Kinder, Jugend und Frauen Rheinland-Pfalz",
     "cofinancing", "RP", None, None),
    ("Niedersächsisches Ministerium für Soziales, Gesundheit und Gleichstellung",
     "cofinancing", "NI", None, None),
    ("Schneider Organisationsberatung", "cooperation", "", None, date(2015, 12, 31)),
]  # fmt: skip

# title, kind, starts_on, ends_on, due_on
REAL_PERIODS = [
    ("Zwischenbericht 2015", "interim", date(2015, 7, 1), date(2015, 12, 31), date(2016, 3, 31)),
    ("Zwischenbericht 2016", "interim", date(2016, 1, 1), date(2016, 12, 31), date(2017, 3, 31)),
    ("Schlussbericht 2015–2017", "final", date(2015, 7, 1), date(2017, 6, 30), date(2017, 9, 30)),
]  # fmt: skip


def frames_load(*, ProgrammeIndicator, Indicator, IndicatorMapping) -> None:
    """Create the programme indicators and the proposed mappings (models passed in, for migrations)."""
    by_key = {}
    for position, (key, programme, kind, de, en, source) in enumerate(PROGRAMME_INDICATORS, 1):
        by_key[key] = ProgrammeIndicator.objects.create(
            programme=programme, kind=kind, wording_de=de, wording_en=en, source=source, position=position
        )
    for indicator in Indicator.objects.filter(code__in=MAPPINGS):
        for key in MAPPINGS[indicator.code]:
            IndicatorMapping.objects.get_or_create(indicator=indicator, programme_indicator=by_key[key])


def real_project_load(*, FundingProject, FundingPartner):
    """Create ism's project with its partners (the migration); returns the project."""
    project = FundingProject.objects.create(**REAL_PROJECT)
    for position, (name, role, state, starts_on, ends_on) in enumerate(REAL_PARTNERS, 1):
        FundingPartner.objects.create(
            project=project,
            name=name,
            role=role,
            state=state,
            starts_on=starts_on,
            ends_on=ends_on,
            position=position,
        )
    return project


def real_periods_load(*, ReportingPeriod, project) -> None:
    """Its reporting periods, by title (idempotent). Loaded by `seed_demo` and the tests, not by the
    migration: a fresh database starts without reporting periods, and the lead decides whether a live
    database gets the 2015–2017 periods."""
    for title, kind, starts_on, ends_on, due_on in REAL_PERIODS:
        ReportingPeriod.objects.get_or_create(
            project=project,
            title=title,
            defaults={"kind": kind, "starts_on": starts_on, "ends_on": ends_on, "due_on": due_on},
        )
