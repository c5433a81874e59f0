"""The networks most network tests play in: Mainz's network, which Mainz's coordinator moderates, and
Hannover's, which nobody from Mainz may see; a meeting in each; and a colleague of the member."""

import pytest

from network.models import Scope
from tests.factories import MeetingFactory, NetworkFactory, UserFactory


@pytest.fixture
def network(mainz, coordinator):
    return NetworkFactory(
        name="Netzwerk Rheinhessen", scope=Scope.REGION, members=[mainz], moderators=[coordinator]
    )


@pytest.fixture
def other_network(hannover):
    return NetworkFactory(name="Netzwerk Region Hannover", scope=Scope.REGION, members=[hannover])


@pytest.fixture
def colleague(mainz):
    """A second member of Mainz's staff (no coordinator)."""
    return UserFactory(authority=mainz, email="colleague@mainz.example.org")


@pytest.fixture
def meeting(network):
    """Upcoming, two places."""
    return MeetingFactory(network=network, title="Netzwerktreffen Frühjahr", capacity=2)


@pytest.fixture
def other_meeting(other_network):
    return MeetingFactory(network=other_network, title="Treffen in Hannover")
