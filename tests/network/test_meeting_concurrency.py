"""No amount of simultaneous clicking overbooks a meeting: 50 attempts on a pool of threads, each with
its own database connection, register at once on PostgreSQL (SQLite serialises all writers anyway)."""

import pytest
from django.db import connection

from network.models import MeetingRegistration, RegistrationStatus
from network.services import meetings as services
from tests.factories import AuthorityFactory, MeetingFactory, NetworkFactory, UserFactory
from tests.helpers import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
    pytest.mark.django_db(transaction=True),
]

ATTEMPTS = 50


def register(meeting, person):
    return lambda: services.meeting_register(meeting=meeting, participant=person, by=person)


def test_fifty_simultaneous_registrations_fill_twenty_places_and_refuse_the_rest():
    offices = AuthorityFactory.create_batch(5)
    meeting = MeetingFactory(network=NetworkFactory(members=offices), capacity=20)
    people = [UserFactory(authority=offices[i % 5]) for i in range(ATTEMPTS)]

    outcomes = run_together([register(meeting, person) for person in people])

    errors = [
        o for o in outcomes if isinstance(o, Exception) and not isinstance(o, services.RegistrationRefused)
    ]
    refused = [o for o in outcomes if isinstance(o, services.RegistrationRefused)]
    registered = [o for o in outcomes if isinstance(o, MeetingRegistration)]
    assert errors == []
    assert (len(registered), len(refused)) == (20, 30)
    assert {" ".join(r.messages) for r in refused} == {
        "Alle Plätze sind vergeben; eine Anmeldung ist nicht mehr möglich."
    }
    assert (
        MeetingRegistration.objects.filter(meeting=meeting, status=RegistrationStatus.REGISTERED).count()
        == 20
    )


def test_twenty_simultaneous_attempts_of_one_person_give_one_registration():
    office = AuthorityFactory()
    meeting = MeetingFactory(network=NetworkFactory(members=[office]), capacity=20)
    person = UserFactory(authority=office)

    outcomes = run_together([register(meeting, person)] * 20)

    registered = [o for o in outcomes if isinstance(o, MeetingRegistration)]
    refused = [o for o in outcomes if isinstance(o, services.RegistrationRefused)]
    assert (len(registered), len(refused)) == (1, 19), [o for o in outcomes if isinstance(o, Exception)]
