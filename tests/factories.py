import factory

from authorities.models import Authority, ContactFunction, ContactPerson, Kind, State
from portal.accounts.models import Role, User


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority
        django_get_or_create = ["ags"]

    name = factory.Sequence(lambda n: f"Landkreis Beispiel {n}")
    kind = Kind.LANDKREIS
    state = State.RP
    ags = factory.Sequence(lambda n: f"{7_900_000 + n:08d}")
    seat = factory.Sequence(lambda n: f"Beispielstadt {n}")
    population = 100_000


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    authority = factory.SubFactory(AuthorityFactory)
    name = factory.Sequence(lambda n: f"Ansprechperson {n}")
    function = ContactFunction.CONTACT
    email = factory.Sequence(lambda n: f"kontakt{n}@behoerde.example.org")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Erika"
    last_name = factory.Sequence(lambda n: f"Muster{n}")
    role = Role.AUTHORITY_STAFF
    authority = factory.SubFactory(AuthorityFactory)
    password = factory.django.Password("ein-sicheres-Passwort-123")

    class Params:
        project_staff = factory.Trait(role=Role.PROJECT_STAFF, authority=None)
        funder = factory.Trait(role=Role.FUNDER, authority=None)
        coordinator = factory.Trait(is_coordinator=True)
