"""The networks most network tests play in: Mainz's network, which Mainz's coordinator moderates, and
Hannover's, which nobody from Mainz may see; a meeting and a thread in each; a colleague of the member.
The library tests have a shelf of their own: a network per state and documents for each audience."""

import pytest

from network.models import DocumentCategory, Network, Scope, Visibility
from network.services import discussions, library
from tests.factories import MeetingFactory, NetworkFactory, UserFactory
from tests.helpers import PDF_BYTES, upload_of


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


# --- discussions -----------------------------------------------------------------------------------


@pytest.fixture
def thread(network, member):
    return discussions.thread_create(
        network=network, title="Terminvergabe", body="Wie machen Sie das?", by=member
    )


@pytest.fixture
def post(thread):
    return thread.posts.get()


@pytest.fixture
def other_thread(other_network, outsider):
    return discussions.thread_create(
        network=other_network, title="Nur für Hannover", body="Interna aus Hannover", by=outsider
    )


# --- library ---------------------------------------------------------------------------------------


@pytest.fixture
def rp_network(mainz, db):
    network = Network.objects.create(name="Netzwerk Rheinland-Pfalz", scope=Scope.STATE_RP)
    network.members.add(mainz)
    return network


@pytest.fixture
def ni_network(hannover, db):
    network = Network.objects.create(name="Netzwerk Niedersachsen", scope=Scope.STATE_NI)
    network.members.add(hannover)
    return network


@pytest.fixture
def moderator(mainz, rp_network):
    user = UserFactory(authority=mainz, email="moderation@mainz.example.org")
    rp_network.moderators.add(user)
    return user


@pytest.fixture
def make_document(project_staff):
    def make(title="Leitfaden Beratung", *, visibility=Visibility.ALL, network=None, **values):
        values.setdefault("category", DocumentCategory.GUIDE)
        upload = values.pop("upload", None) or upload_of("leitfaden.pdf", PDF_BYTES)
        return library.document_create(
            by=project_staff, title=title, upload=upload, visibility=visibility, network=network, **values
        )

    return make


@pytest.fixture
def assorted(make_document, rp_network, ni_network):
    """One document per visibility: all, network RP (Mainz), network NI (Hannover), project staff."""
    return {
        "all": make_document("Für alle", visibility=Visibility.ALL),
        "rp": make_document("Nur Rheinland-Pfalz", visibility=Visibility.NETWORK, network=rp_network),
        "ni": make_document("Nur Niedersachsen", visibility=Visibility.NETWORK, network=ni_network),
        "staff": make_document("Nur Projektteam", visibility=Visibility.STAFF),
    }
