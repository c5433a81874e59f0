"""Demo data: the 90 authorities, about 20 of them taking part, contact persons and the demo accounts.

Idempotent: a second run finds everything in place and changes nothing. Later features add
their own demo data through functions registered in DEMO_STEPS.
"""

from datetime import date

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from authorities.models import Authority, ContactFunction, ContactPerson, ParticipationStatus
from portal.accounts.models import Role, User

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
    "03403000": date(2024, 5, 15),  # Stadt Oldenburg
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
CONTACTS = [
    "Murat Yılmaz", "Elena Popescu", "Jonas Fischer", "Aylin Demir", "Lena Weber",
    "Tomasz Nowak", "Sara Haddad", "Felix Braun", "Nina Koch", "Daniel Kaya",
    "Julia Schröder", "Ahmad Rahimi", "Katharina Vogel", "Mehmet Öztürk", "Laura Jung",
    "Olena Kovalenko", "Tim Hahn", "Fatma Arslan", "Marie Keller", "David Berger",
]  # fmt: skip

ACCOUNTS = [
    # e-mail, first name, last name, role, AGS of the authority, coordinator
    ("projekt@example.org", "Paula", "Projektteam", Role.PROJECT_STAFF, None, False),
    ("mainz@example.org", "Maria", "Mainzer", Role.AUTHORITY_STAFF, "07315000", True),
    ("hannover@example.org", "Hannes", "Hannoveraner", Role.AUTHORITY_STAFF, "03241000", False),
    ("foerderung@example.org", "Fiona", "Förderer", Role.FUNDER, None, False),
]


class Command(BaseCommand):
    help = "Legt die Demodaten an (mehrfach ausführbar, ändert beim zweiten Lauf nichts)."

    def handle(self, *args, **options):
        call_command("import_authorities", verbosity=0)
        with transaction.atomic():
            authorities = self.participation()
            self.contacts(authorities)
            created = self.accounts(authorities)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demodaten bereit: {len(PARTICIPATING)} teilnehmende Behörden, "
                f"{created} neue Demokonten (Passwort aus PORTAL_DEMO_PASSWORD)."
            )
        )

    def participation(self):
        authorities = Authority.objects.in_bulk(list(PARTICIPATING), field_name="ags")
        for ags, joined in PARTICIPATING.items():
            Authority.objects.filter(ags=ags, joined_on__isnull=True).update(
                participation_status=ParticipationStatus.PARTICIPATING, joined_on=joined, status_changed_on=joined
            )
        return authorities

    def contacts(self, authorities):
        for index, ags in enumerate(PARTICIPATING):
            authority = authorities[ags]
            for name, function in [(HEADS[index], ContactFunction.HEAD), (CONTACTS[index], ContactFunction.CONTACT)]:
                local = name.lower().replace(" ", ".").encode("ascii", "ignore").decode()
                ContactPerson.objects.get_or_create(
                    authority=authority,
                    name=name,
                    defaults={"function": function, "email": f"{local}@abh-{ags}.example.org"},
                )

    def accounts(self, authorities) -> int:
        created = 0
        for email, first, last, role, ags, coordinator in ACCOUNTS:
            user, was_created = User.objects.get_or_create(
                email=email,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "role": role,
                    "authority": authorities[ags] if ags else None,
                    "is_coordinator": coordinator,
                    "is_staff": role == Role.PROJECT_STAFF,
                    "is_superuser": role == Role.PROJECT_STAFF,
                },
            )
            if was_created:
                # Only new accounts get the demo password: a rerun must not change anything.
                user.set_password(settings.PORTAL_DEMO_PASSWORD)
                user.save(update_fields=["password"])
                created += 1
        return created
