"""Demo data of the registry: the 90 real authorities, 20 of them taking part, with contact persons."""

from datetime import date, datetime, time, timedelta

from django.core.management import call_command
from django.utils import timezone

from authorities.models.registry import (
    Authority,
    ContactFunction,
    ContactPerson,
    HistoryAction,
    HistoryEntry,
    ParticipationStatus,
)
from authorities.services import registry as services

# AGS of the authorities that take part in the demo project (10 in RP, 10 in NI), with the day they joined.
PARTICIPATING = {
    "07315000": date(2024, 3, 1),  # Stadt Mainz
    "07111000": date(2024, 3, 1),  # Stadt Koblenz
    "07211000": date(2024, 5, 15),  # Stadt Trier
    "07314000": date(2024, 5, 15),  # Stadt Ludwigshafen am Rhein
    "07312000": date(2024, 9, 1),  # Stadt Kaiserslautern
    "07339000": date(2024, 9, 1),  # Landkreis Mainz-Bingen
    "07131000": date(2025, 1, 15),  # Landkreis Ahrweiler
    "07235000": date(2025, 1, 15),  # Landkreis Trier-Saarburg
    "07338000": date(2025, 4, 1),  # Rhein-Pfalz-Kreis
    "07137000": date(2025, 4, 1),  # Landkreis Mayen-Koblenz
    "03241000": date(2024, 3, 1),  # Region Hannover
    "03101000": date(2024, 3, 1),  # Stadt Braunschweig
    "03403000": date(2024, 5, 15),  # Stadt Oldenburg (Oldenburg)
    "03404000": date(2024, 5, 15),  # Stadt Osnabrück
    "03159016": date(2024, 9, 1),  # Stadt Göttingen
    "03103000": date(2024, 9, 1),  # Stadt Wolfsburg
    "03355000": date(2025, 1, 15),  # Landkreis Lüneburg
    "03454000": date(2025, 1, 15),  # Landkreis Emsland
    "03254000": date(2025, 4, 1),  # Landkreis Hildesheim
    "03151000": date(2025, 4, 1),  # Landkreis Gifhorn
}

# One head and one contact person per participating authority (invented names).
HEADS = [
    "Andrea Becker", "Thomas Wagner", "Sabine Hoffmann", "Michael Schulz", "Claudia Richter",
    "Stefan Klein", "Petra Wolf", "Jens Neumann", "Birgit Schwarz", "Frank Zimmermann",
    "Monika Krüger", "Uwe Hartmann", "Karin Lange", "Ralf Schmitt", "Heike Werner",
    "Dirk Krause", "Susanne Meier", "Holger Lehmann", "Anja Schmid", "Bernd Schulze",
]  # fmt: skip

# Two weeks before the first authority joined.
IMPORTED_ON = min(PARTICIPATING.values()) - timedelta(days=14)

CONTACTS = [
    "Murat Yılmaz", "Elena Popescu", "Jonas Fischer", "Aylin Demir", "Lena Weber",
    "Tomasz Nowak", "Sara Haddad", "Felix Braun", "Nina Koch", "Daniel Kaya",
    "Julia Schröder", "Ahmad Rahimi", "Katharina Vogel", "Mehmet Öztürk", "Laura Jung",
    "Olena Kovalenko", "Tim Hahn", "Fatma Arslan", "Marie Keller", "David Berger",
]  # fmt: skip


def seed() -> str:
    call_command("import_authorities", verbosity=0)
    # The registry was imported when the project began, not at the minute of the demo run.
    created = HistoryEntry.objects.filter(action=HistoryAction.CREATED).order_by("pk")
    HistoryEntry.objects.bulk_update(
        [
            HistoryEntry(pk=pk, at=office_time(IMPORTED_ON, number))
            for number, pk in enumerate(created.values_list("pk", flat=True))
        ],
        ["at"],
    )
    authorities = Authority.objects.in_bulk(list(PARTICIPATING), field_name="ags")
    for index, (ags, joined) in enumerate(PARTICIPATING.items()):
        authority = authorities[ags]
        if authority.joined_on is None:
            services.authority_change_status(
                authority=authority, status=ParticipationStatus.PARTICIPATING, changed_on=joined, by=None
            )
        for name, function in [
            (HEADS[index], ContactFunction.HEAD),
            (CONTACTS[index], ContactFunction.CONTACT),
        ]:
            if not ContactPerson.objects.filter(authority=authority, name=name).exists():
                local = name.lower().replace(" ", ".").encode("ascii", "ignore").decode()
                services.contact_create(
                    authority=authority,
                    by=None,
                    name=name,
                    function=function,
                    email=f"{local}@abh-{ags}.example.org",
                )
    return f"{len(PARTICIPATING)} teilnehmende Behörden mit Ansprechpersonen"


# --- dates a real project would have: shared by every demo module ---------------------------------


def working_day(day: date) -> date:
    """The day itself from Monday to Friday, else the Monday after: nothing of the demo falls on a
    weekend."""
    return day + timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day


def days_in_one_week(first: date, count: int) -> list[date]:
    """`count` consecutive working days from `first` (or the next Monday when they would run into a
    weekend): a two-day course is held Tuesday and Wednesday, not Friday and Monday."""
    start = working_day(first)
    if start.weekday() + count > 5:
        start += timedelta(days=7 - start.weekday())
    return [start + timedelta(days=offset) for offset in range(count)]


def office_time(day: date, number: int) -> datetime:
    """A moment in office hours (8:00–16:44) on a working day; `number` varies the minute."""
    minutes = 8 * 60 + (number * 137) % (8 * 60 + 45)
    return timezone.make_aware(datetime.combine(working_day(day), time(minutes // 60, minutes % 60)))
