"""Project staff's global search (`/suche/`) and the search of the account list."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from network.models import Document, Thread
from portal.fulltext import SearchDocument, document, prefix_query
from portal.pages.selectors.search import COURSE_DOCUMENT
from tests.factories import (
    ContactPersonFactory,
    CourseFactory,
    MeetingFactory,
    NetworkFactory,
    UserFactory,
)
from tests.helpers import page_queries
from training.models import Course

SEARCH = reverse("pages:search")


def _groups(response):
    return {group.key: [hit.title for hit in group.hits] for group in response.context["groups"]}


@pytest.fixture
def findable(db, mainz, project_staff):
    network = NetworkFactory(members=[mainz], name="Netzwerk Rheinhessen")
    return {
        "course": CourseFactory(title="Interkulturelle Kommunikation im Wartebereich"),
        "meeting": MeetingFactory(network=network, title="Fachtag Interkulturelle Öffnung"),
        "thread": Thread.objects.create(network=network, title="Interkulturelle Schulungen – Erfahrungen?"),
        "document": Document.objects.create(
            title="Leitfaden interkulturelle Beratung",
            category="guide",
            file="library/leitfaden.pdf",
            original_name="leitfaden.pdf",
            content_type="application/pdf",
            size=1000,
        ),
        "person": UserFactory(authority=mainz, first_name="Ingrid", last_name="Interkulturell"),
    }


def test_project_staff_find_every_kind_grouped_with_links(client_for, project_staff, findable):
    response = client_for(project_staff).get(SEARCH, {"q": "interkulturell"})

    groups = _groups(response)
    assert groups["schulungen"] == ["Interkulturelle Kommunikation im Wartebereich"]
    assert groups["treffen"] == ["Fachtag Interkulturelle Öffnung"]
    assert groups["diskussionen"] == ["Interkulturelle Schulungen – Erfahrungen?"]
    assert groups["bibliothek"] == ["Leitfaden interkulturelle Beratung"]
    assert groups["personen"] == ["Ingrid Interkulturell"]
    text = response.text
    for obj in ("course", "meeting", "thread", "document"):
        assert f'href="{findable[obj].get_absolute_url()}"' in text
    assert "Treffer für „interkulturell“ in 5 Bereichen" in text


def test_search_finds_authorities_and_contact_persons_by_the_beginning_of_a_word(
    client_for, project_staff, mainz, hannover
):
    ContactPersonFactory(authority=hannover, name="Hannelore Beispiel")

    response = client_for(project_staff).get(SEARCH, {"q": "Hann"})

    groups = _groups(response)
    assert groups["behoerden"] == ["Region Hannover"]
    assert groups["ansprechpersonen"] == ["Hannelore Beispiel"]
    assert f'href="{hannover.get_absolute_url()}"' in response.text


def test_every_word_must_be_found(client_for, project_staff, findable):
    groups = _groups(client_for(project_staff).get(SEARCH, {"q": "interkulturell Wartebereich"}))

    assert groups == {"schulungen": ["Interkulturelle Kommunikation im Wartebereich"]}


@pytest.mark.parametrize("text", ["", "   ", "!!! ???", "x" * 5000, "a:* | b & !c"])
def test_odd_input_is_answered_calmly(client_for, project_staff, findable, text):
    response = client_for(project_staff).get(SEARCH, {"q": text})

    assert response.status_code == 200


def test_the_search_field_shows_what_was_searched_each_time(client_for, project_staff):
    # The form is kept rendered per process (FilterForm.rendered): each text is a form of its own.
    client = client_for(project_staff)
    for text in ["Mainz", "Hannover", "Mainz", "<b>Trier</b>"]:
        page = client.get(SEARCH, {"q": text}).text
        field = re.search(r'<input [^>]*id="id_q">', page)[0]
        assert f'value="{html.escape(text)}"' in field


def test_nobody_else_may_search(client_for, member, coordinator, funder):
    for user in (member, coordinator, funder):
        assert client_for(user).get(SEARCH, {"q": "Mainz"}).status_code == 403


def test_the_header_has_a_search_field_for_project_staff_only(client_for, project_staff, coordinator):
    field = f'action="{SEARCH}"'
    assert field in client_for(project_staff).get(reverse("pages:home")).text
    assert field not in client_for(coordinator).get(reverse("pages:home")).text


def test_search_runs_the_same_queries_for_more_data(
    client_for, project_staff, findable, django_assert_num_queries
):
    client = client_for(project_staff)
    with_few = page_queries(client, SEARCH, {"q": "interkulturell"})
    network = findable["meeting"].network
    for n in range(15):
        CourseFactory(title=f"Interkulturell {n}")
        UserFactory(last_name=f"Interkulturell{n}")
        ContactPersonFactory(name=f"Interkulturell {n}")
        MeetingFactory(network=network, title=f"Interkulturell {n}")
        Thread.objects.create(network=network, title=f"Interkulturell {n}")
        Document.objects.create(
            title=f"Interkulturell {n}",
            category="guide",
            file=f"library/{n}.pdf",
            original_name=f"{n}.pdf",
            content_type="application/pdf",
            size=1000,
        )

    with django_assert_num_queries(with_few):
        response = client.get(SEARCH, {"q": "interkulturell"})
    assert len(response.context["groups"]) == 6 and with_few <= 9  # session, user and one per kind


@pytest.mark.postgres
def test_postgres_ranks_titles_above_descriptions_and_finds_inflected_forms(client_for, project_staff):
    if connection.vendor != "postgresql":
        pytest.skip("full-text search with the german configuration needs PostgreSQL")
    CourseFactory(title="Grundlagen des Aufenthaltsrechts", description="Auch zu Schulungen im Team.")
    CourseFactory(title="Schulung für neue Mitarbeitende", description="Ein Einstieg.")

    groups = _groups(client_for(project_staff).get(SEARCH, {"q": "Schulungen"}))

    # "Schulungen" finds "Schulung" (German stemming); the title outweighs the description.
    assert groups["schulungen"] == ["Schulung für neue Mitarbeitende", "Grundlagen des Aufenthaltsrechts"]


@pytest.mark.postgres
def test_postgres_ranks_titles_first_then_older_rows_and_shows_twenty(client_for, project_staff):
    if connection.vendor != "postgresql":
        pytest.skip("full-text search with the german configuration needs PostgreSQL")
    described = [
        CourseFactory(title=f"Kurs {n}", description="Mit einer Übung zum Brandschutz.") for n in range(19)
    ]
    titled = [CourseFactory(title=f"Brandschutz im Amt {n}") for n in range(3)]
    CourseFactory(title="Ohne das Wort")

    groups = _groups(client_for(project_staff).get(SEARCH, {"q": "Brandschutz"}))

    # Title (weight A) before description (B); equal ranks in the order the rows were made; 20 at most.
    expected = [course.title for course in titled + described][:20]
    assert groups["schulungen"] == expected


def test_a_new_or_changed_row_is_found_at_once(client_for, project_staff, mainz):
    client = client_for(project_staff)
    course = CourseFactory(title="Willkommenskultur am Schalter")
    person = UserFactory(authority=mainz, first_name="Frieda", last_name="Fundstück")

    assert _groups(client.get(SEARCH, {"q": "Schalter"}))["schulungen"] == ["Willkommenskultur am Schalter"]
    assert _groups(client.get(SEARCH, {"q": "Fundstück"}))["personen"] == ["Frieda Fundstück"]

    course.title = "Willkommenskultur im Wartebereich"
    course.save()
    person.last_name = "Neuname"
    person.save()

    assert "schulungen" not in _groups(client.get(SEARCH, {"q": "Schalter"}))
    assert _groups(client.get(SEARCH, {"q": "Wartebereich"}))["schulungen"] == [
        "Willkommenskultur im Wartebereich"
    ]
    assert _groups(client.get(SEARCH, {"q": "Neuname"}))["personen"] == ["Frieda Neuname"]


SEARCH_INDEXES = {
    "authorities_authority": "authority_search",
    "accounts_user": "user_search",
    "authorities_contactperson": "contactperson_search",
    "training_course": "course_search",
    "network_meeting": "meeting_search",
    "network_thread": "thread_search",
    "network_document": "document_search",
}


@pytest.mark.postgres
def test_postgres_finds_the_rows_of_every_kind_through_its_index(client_for, project_staff, findable):
    """The search's expressions are the migrations' indexes: without it every search would compute
    the document of every row of seven tables (36 ms at ten times the demo data)."""
    if connection.vendor != "postgresql":
        pytest.skip("the GIN indexes exist on PostgreSQL only")
    client = client_for(project_staff)
    client.get(SEARCH, {"q": "interkulturell"})
    with CaptureQueriesContext(connection) as searched:
        client.get(SEARCH, {"q": "interkulturell"})

    used = {}
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the test tables are small enough to scan
        for query in searched.captured_queries:
            if " @@ " not in query["sql"]:
                continue
            table = re.search(r'COALESCE\("(\w+)"\.', query["sql"]).group(1)  # the searched fields' table
            cursor.execute("EXPLAIN " + query["sql"])
            used[table] = "\n".join(row[0] for row in cursor.fetchall())
    assert set(used) == set(SEARCH_INDEXES)
    for table, index in SEARCH_INDEXES.items():
        assert f"Bitmap Index Scan on {index}" in used[table], used[table]


@pytest.mark.postgres
def test_the_document_compiled_once_is_the_document_the_index_holds(db, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the search documents are PostgreSQL's")
    monkeypatch.setattr(SearchDocument, "_compiled", {})

    def sql(vector):
        return str(Course.objects.alias(search=vector).filter(search=prefix_query(["Mainz"])).query)

    first, again = sql(SearchDocument(COURSE_DOCUMENT)), sql(SearchDocument(COURSE_DOCUMENT))
    assert first == again == sql(document(COURSE_DOCUMENT))


# --- the account list -------------------------------------------------------------------------------


def test_project_staff_search_accounts_by_name_email_and_authority(
    client_for, project_staff, mainz, hannover
):
    UserFactory(authority=mainz, first_name="Maria", last_name="Mainzer", email="m.mainzer@example.org")
    UserFactory(authority=hannover, first_name="Hans", last_name="Hannes", email="hh@example.org")
    client = client_for(project_staff)
    users = reverse("accounts:user_list")

    def names(q):
        return [person.last_name for person in client.get(users, {"q": q}).context["page"]]

    assert names("Mainzer") == ["Mainzer"]
    assert names("hh@example") == ["Hannes"]
    assert names("Region Hannover") == ["Hannes"]
    assert "Kein Konto passt zur Suche." in client.get(users, {"q": "niemand"}).text


def test_coordinator_searches_only_their_own_authority(client_for, coordinator, mainz, hannover):
    UserFactory(authority=hannover, last_name="Hannes")

    page = client_for(coordinator).get(reverse("accounts:user_list"), {"q": "Hannes"}).context["page"]

    assert list(page) == []
