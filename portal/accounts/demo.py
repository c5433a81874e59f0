"""The four demo accounts; each gets PORTAL_DEMO_PASSWORD when it is created, never again."""

from django.conf import settings

from authorities.models.registry import Authority
from portal.accounts.models import Role, User

ACCOUNTS = [
    # e-mail, first name, last name, role, AGS of the authority, coordinator
    ("projekt@example.org", "Paula", "Projektteam", Role.PROJECT_STAFF, None, False),
    ("mainz@example.org", "Maria", "Mainzer", Role.AUTHORITY_STAFF, "07315000", True),
    ("hannover@example.org", "Hannes", "Hannoveraner", Role.AUTHORITY_STAFF, "03241000", False),
    ("foerderung@example.org", "Fiona", "Förderer", Role.FUNDER, None, False),
]


def seed() -> str:
    created = 0
    for email, first, last, role, ags, coordinator in ACCOUNTS:
        if User.objects.filter(email=email).exists():
            continue
        user = User(
            email=email,
            first_name=first,
            last_name=last,
            role=role,
            authority=Authority.objects.get(ags=ags) if ags else None,
            is_coordinator=coordinator,
            # The project team also gets Django's admin under /verwaltung/.
            is_staff=role == Role.PROJECT_STAFF,
            is_superuser=role == Role.PROJECT_STAFF,
        )
        user.set_password(settings.PORTAL_DEMO_PASSWORD)
        user.save()
        created += 1
    return f"{created} neue Demokonten (Passwort aus PORTAL_DEMO_PASSWORD)"
