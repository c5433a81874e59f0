import factory

from authorities.models import Authority, ContactFunction, ContactPerson, Kind, State
from portal.accounts.models import Role, User


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority
        django_get_or_create = ["ags"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Landkreis Beispiel {n}")
    kind = Kind.LANDKREIS
    state = State.RP
    ags = factory.Sequence(lambda n: f"{7_900_000 + n:08d}")
    seat = factory.Sequence(lambda n: f"Beispielstadt {n}")
    population = 100_000

    @factory.post_generation
    def status_fact(self, create, extracted, **kwargs):
        # A status other than the default is a dated fact, as the services record it: from the day it
        # joined (or its status changed), else today.
        if create and self.participation_status != "interested" and not self.status_changes.exists():
            self.status_changes.create(
                to_status=self.participation_status,
                day=self.joined_on or self.status_changed_on or _timezone.localdate(),
            )


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


# --- training -------------------------------------------------------------------------------------

import datetime as _dt  # noqa: E402

from django.utils import timezone as _timezone  # noqa: E402

from training.models import (  # noqa: E402
    Course,
    CourseDate,
    CourseFormat,
    CourseStatus,
    Enrollment,
    EnrollmentMode,
    EnrollmentStatus,
    Topic,
)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        # The topics come with a data migration; a flushed database (transaction tests) has none.
        django_get_or_create = ["name"]

    name = "Aufenthaltsrecht"


class CourseDateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseDate

    course = factory.SubFactory("tests.factories.CourseFactory", dates=None)
    starts_at = factory.LazyFunction(
        lambda: (_timezone.now() + _dt.timedelta(days=30)).replace(hour=8, minute=0, second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + _dt.timedelta(hours=7))
    room = "Raum 1.23"


class CourseFactory(factory.django.DjangoModelFactory):
    """A published course with one date a month ahead, registration open now, direct enrollment."""

    class Meta:
        model = Course
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Aufenthaltsrecht kompakt {n}")
    description = "Grundlagen des Aufenthaltsrechts für die tägliche Arbeit."
    topic = factory.SubFactory(TopicFactory)
    target_group = "Sachbearbeitung"
    format = CourseFormat.IN_PERSON
    location = "Mainz"
    trainers = "Dr. Petra Schulz"
    capacity = 20
    status = CourseStatus.PUBLISHED
    enrollment_mode = EnrollmentMode.DIRECT
    registration_opens = factory.LazyFunction(lambda: _timezone.now() - _dt.timedelta(days=7))
    registration_closes = factory.LazyFunction(lambda: _timezone.now() + _dt.timedelta(days=21))
    # `CourseFactory(dates=None)` gives a course without dates.
    dates = factory.RelatedFactory(CourseDateFactory, factory_related_name="course")


class EnrollmentFactory(factory.django.DjangoModelFactory):
    """A confirmed seat; pass `status`/`waitlist_position` for anything else (no seat counting here)."""

    class Meta:
        model = Enrollment

    course = factory.SubFactory(CourseFactory)
    participant = factory.SubFactory(UserFactory)
    status = EnrollmentStatus.CONFIRMED
    enrolled_by = factory.SelfAttribute("participant")
    confirmed_at = factory.LazyAttribute(
        lambda o: _timezone.now() if o.status == EnrollmentStatus.CONFIRMED else None
    )


# --- change processes (process pages) ---------------------------------------------------------------

from authorities.models import (  # noqa: E402
    ChangeProcess,
    Field,
    FieldOfAction,
    Goal,
    Measure,
    Milestone,
    PhaseTransition,
)


class ChangeProcessFactory(factory.django.DjangoModelFactory):
    """A running process in its first phase, with the kick-off transition that process_start records."""

    class Meta:
        model = ChangeProcess
        skip_postgeneration_save = True

    authority = factory.SubFactory(AuthorityFactory)
    coach = factory.SubFactory(UserFactory, project_staff=True)
    started_on = factory.LazyFunction(lambda: _timezone.localdate() - _dt.timedelta(days=60))
    kick_off = factory.RelatedFactory(
        "tests.factories.PhaseTransitionFactory", factory_related_name="process", to_phase=1
    )


class PhaseTransitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PhaseTransition

    process = factory.SubFactory(ChangeProcessFactory, kick_off=None)
    from_phase = None
    to_phase = 1
    by = factory.SelfAttribute("process.coach")


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    process = factory.SubFactory(ChangeProcessFactory)
    title = factory.Sequence(lambda n: f"Wartezeiten verkürzen {n}")
    field = Field.ORGANISATION


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    process = factory.SubFactory(ChangeProcessFactory)
    title = factory.Sequence(lambda n: f"Aufrufsystem einführen {n}")
    field = Field.ORGANISATION
    field_of_action = FieldOfAction.SERVICE
    responsible = "Leitung Servicebereich"
    due_on = factory.LazyFunction(lambda: _timezone.localdate() + _dt.timedelta(days=90))


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    process = factory.SubFactory(ChangeProcessFactory)
    title = factory.Sequence(lambda n: f"Zielvereinbarung unterzeichnet {n}")
    due_on = factory.LazyFunction(lambda: _timezone.localdate() + _dt.timedelta(days=30))


# --- network: networks, meetings, registrations, minutes -----------------------------------------------

from network.models import (  # noqa: E402
    ItemKind,
    Meeting,
    MeetingRegistration,
    Minutes,
    MinutesItem,
    Network,
    RegistrationStatus,
    Scope,
)


class NetworkFactory(factory.django.DjangoModelFactory):
    """`NetworkFactory(members=[mainz], moderators=[person])`."""

    class Meta:
        model = Network
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Netzwerk Willkommenskultur {n}")
    description = "Austausch der Ausländerbehörden zu Willkommenskultur und Service."
    scope = Scope.STATE_RP

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.set(extracted)

    @factory.post_generation
    def moderators(self, create, extracted, **kwargs):
        if create and extracted:
            self.moderators.set(extracted)


class MeetingFactory(factory.django.DjangoModelFactory):
    """An upcoming meeting three weeks ahead, registration open for two more weeks, 20 places."""

    class Meta:
        model = Meeting

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Netzwerktreffen {n}")
    starts_at = factory.LazyFunction(
        lambda: (_timezone.now() + _dt.timedelta(days=21)).replace(hour=9, minute=0, second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + _dt.timedelta(hours=4))
    location = "Mainz, Rathaus"
    agenda = "1. Begrüßung\n2. Berichte aus den Behörden\n3. Verschiedenes"
    capacity = 20
    registration_deadline = factory.LazyAttribute(lambda o: o.starts_at - _dt.timedelta(days=7))


class MeetingRegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingRegistration

    meeting = factory.SubFactory(MeetingFactory)
    participant = factory.SubFactory(UserFactory)
    status = RegistrationStatus.REGISTERED


class MinutesFactory(factory.django.DjangoModelFactory):
    """Published minutes; `MinutesFactory(published_at=None)` gives a draft."""

    class Meta:
        model = Minutes

    meeting = factory.SubFactory(MeetingFactory)
    published_at = factory.LazyFunction(_timezone.now)


class MinutesItemFactory(factory.django.DjangoModelFactory):
    """An open task due in two weeks."""

    class Meta:
        model = MinutesItem

    minutes = factory.SubFactory(MinutesFactory)
    kind = ItemKind.TASK
    text = factory.Sequence(lambda n: f"Checkliste für den Empfang abstimmen {n}")
    responsible_person = "Frau Beispiel"
    due_on = factory.LazyFunction(lambda: _timezone.localdate() + _dt.timedelta(days=14))
    position = factory.Sequence(lambda n: n)
