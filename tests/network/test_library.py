"""The library of concepts and instruments: downloads, who sees which document, search and the list,
the network page fragment, the report figure, the demo."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from network import uploads
from network.demo import library as library_demo
from network.models import Document, DocumentCategory, DocumentDownload, Network, Scope, Visibility
from network.selectors.library import LibraryFigures, documents_published_and_downloaded
from tests.helpers import PDF_BYTES, upload_of

# --- downloading ----------------------------------------------------------------------------------


def test_download_sends_the_stored_file_as_attachment_and_counts_once_a_day(
    client_for, member, make_document
):
    document = make_document("Leitfaden", upload=upload_of("Leitfaden Beratung (Entwurf).pdf", PDF_BYTES))
    client = client_for(member)
    url = reverse("network:document_download", args=[document.pk])

    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Leitfaden Beratung (Entwurf).pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    client.get(url)
    assert list(DocumentDownload.objects.values_list("document", "user", "day")) == [
        (document.pk, member.pk, timezone.localdate())
    ]


def test_download_name_with_umlauts_is_encoded(client_for, member, make_document):
    document = make_document(upload=upload_of("Prüfliste Übergabe.pdf", PDF_BYTES))
    response = client_for(member).get(reverse("network:document_download", args=[document.pk]))
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''Pr%C3%BCfliste")


def test_download_of_a_missing_file_is_404(client_for, member, make_document):
    document = make_document()
    document.file.storage.delete(document.file.name)
    response = client_for(member).get(reverse("network:document_download", args=[document.pk]))
    assert response.status_code == 404
    assert not DocumentDownload.objects.exists()


def test_document_page_shows_metadata_and_download_link(client_for, member, make_document):
    document = make_document(
        "Checkliste Terminvergabe", category=DocumentCategory.CHECKLIST, tags="Termine, Online", version="2.0"
    )
    html = client_for(member).get(document.get_absolute_url()).content.decode()
    assert "Checkliste Terminvergabe" in html
    assert "Checkliste" in html and "2.0" in html and "Termine" in html
    assert reverse("network:document_download", args=[document.pk]) in html
    assert reverse("network:document_edit", args=[document.pk]) not in html


@pytest.mark.parametrize(("who", "sees_name"), [("project_staff", True), ("member", True), ("funder", False)])
def test_only_project_and_authority_staff_see_who_published_a_document(
    request, client_for, make_document, project_staff, who, sees_name
):
    document = make_document()
    html = client_for(request.getfixturevalue(who)).get(document.get_absolute_url()).content.decode()
    assert "Veröffentlicht" in html
    assert (f"von {project_staff.get_full_name()}" in html) is sees_name
    assert (project_staff.last_name in html) is sees_name


# --- who sees what --------------------------------------------------------------------------------

VISIBLE = {
    "project_staff": {"all", "rp", "ni", "staff"},
    "member": {"all", "rp"},
    "coordinator": {"all", "rp"},
    "outsider": {"all", "ni"},
    "funder": {"all"},
}


@pytest.mark.parametrize("who", VISIBLE)
def test_everyone_sees_only_the_documents_meant_for_them(request, client_for, assorted, who):
    client = client_for(request.getfixturevalue(who))
    listed = {document.pk for document in client.get(reverse("network:library")).context["page"]}
    assert listed == {assorted[key].pk for key in VISIBLE[who]}
    for key, document in assorted.items():
        expected = 200 if key in VISIBLE[who] else 404
        assert client.get(document.get_absolute_url()).status_code == expected, key
        download = client.get(reverse("network:document_download", args=[document.pk]))
        assert download.status_code == expected, key
    # Nobody's refused attempt counted as a download.
    refused = [assorted[key] for key in assorted.keys() - VISIBLE[who]]
    assert not DocumentDownload.objects.filter(document__in=refused).exists()


def test_tampered_ids_and_filters_reveal_nothing(client_for, member, assorted, ni_network):
    client = client_for(member)
    missing = max(document.pk for document in assorted.values()) + 1
    for url in (
        reverse("network:document", args=[missing]),
        reverse("network:document_download", args=[missing]),
        reverse("network:document_edit", args=[assorted["ni"].pk]),
        reverse("network:document_download", args=[assorted["ni"].pk]),
    ):
        assert client.get(url).status_code == 404, url
    # Filtering by another network's id is ignored, not an opening.
    response = client.get(reverse("network:library"), {"network": ni_network.pk, "q": "Niedersachsen"})
    assert list(response.context["page"]) == []


def test_anonymous_visitors_are_sent_to_login(client, assorted):
    for url in (
        reverse("network:library"),
        reverse("network:document_create"),
        assorted["all"].get_absolute_url(),
        reverse("network:document_download", args=[assorted["all"].pk]),
        reverse("network:document_edit", args=[assorted["all"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


# --- search and the list --------------------------------------------------------------------------


@pytest.fixture
def shelf(make_document, rp_network):
    return {
        "title": make_document("Leitfaden Fachkräfteeinwanderung", tags="Recht"),
        "description": make_document(
            "Arbeitshilfe",
            description="Wie die Online-Terminvergabe gelingt",
            category=DocumentCategory.TEMPLATE,
        ),
        "tag": make_document(
            "Checkliste", tags="Wartebereich, Beschilderung", category=DocumentCategory.CHECKLIST
        ),
        "network": make_document("Protokollvorlage", visibility=Visibility.NETWORK, network=rp_network),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["network", "tag", "description", "title"]),
        ({"q": "fachkräfte"}, ["title"]),
        ({"q": "terminvergabe"}, ["description"]),
        ({"q": "beschilderung"}, ["tag"]),
        ({"q": "leitfaden recht"}, ["title"]),
        ({"q": "leitfaden wartebereich"}, []),
        ({"category": DocumentCategory.CHECKLIST}, ["tag"]),
        ({"category": "gibt-es-nicht"}, ["network", "tag", "description", "title"]),
    ],
)
def test_search_over_title_description_and_tags_newest_first(client_for, member, shelf, params, expected):
    page = client_for(member).get(reverse("network:library"), params).context["page"]
    assert [document.pk for document in page] == [shelf[key].pk for key in expected]


def test_filter_by_network(client_for, member, shelf, rp_network):
    page = client_for(member).get(reverse("network:library"), {"network": rp_network.pk}).context["page"]
    assert [document.pk for document in page] == [shelf["network"].pk]


def test_list_is_paginated(client_for, member, make_document):
    for number in range(25):
        make_document(f"Dokument {number}")
    client = client_for(member)
    assert len(client.get(reverse("network:library")).context["page"]) == 20
    second = client.get(reverse("network:library"), {"seite": 2}).context["page"]
    assert [document.title for document in second] == [f"Dokument {n}" for n in range(4, -1, -1)]


@pytest.mark.parametrize("who", ["member", "moderator", "project_staff", "funder"])
def test_library_list_query_count_does_not_grow_with_documents(
    request, client_for, make_document, rp_network, who
):
    client = client_for(request.getfixturevalue(who))

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("network:library"), {"q": "Dokument"}).status_code == 200
        return len(queries)

    def add(count):
        for number in range(count):
            network = rp_network if number % 2 else None
            make_document(
                f"Dokument {number}",
                tags="A, B",
                visibility=Visibility.NETWORK if network else Visibility.ALL,
                network=network,
            )

    add(3)
    few = queries_for_list()
    add(27)
    assert queries_for_list() == few


# --- the network page and the report --------------------------------------------------------------


def test_network_page_lists_the_network_documents(client_for, member, moderator, assorted, rp_network):
    html = client_for(member).get(rp_network.get_absolute_url()).text
    assert "Nur Rheinland-Pfalz" in html
    assert "Für alle" not in html and "Nur Niedersachsen" not in html
    assert reverse("network:document_create") not in html
    html = client_for(moderator).get(rp_network.get_absolute_url()).text
    assert f"{reverse('network:document_create')}?netzwerk={rp_network.pk}" in html


def test_report_counts_documents_published_and_downloads_made_in_the_period(make_document, member, outsider):
    def published_on(day):
        document = make_document(f"Dokument vom {day}")
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        Document.objects.filter(pk=document.pk).update(uploaded_at=moment, legacy_download_count=100)
        return document

    january = published_on(datetime.date(2025, 1, 15))
    february = published_on(datetime.date(2025, 2, 1))
    published_on(datetime.date(2025, 3, 31))
    for day, person, document in [
        (datetime.date(2025, 1, 31), member, january),
        (datetime.date(2025, 2, 1), member, january),
        (datetime.date(2025, 2, 1), outsider, january),
        (datetime.date(2025, 2, 1), member, february),
        (datetime.date(2025, 4, 1), member, february),
    ]:
        DocumentDownload.objects.create(document=document, user=person, day=day)

    figures = documents_published_and_downloaded
    assert figures() == LibraryFigures(published=3, downloads=5)
    assert figures(date_from=datetime.date(2025, 2, 1)) == LibraryFigures(published=2, downloads=4)
    assert figures(date_to=datetime.date(2025, 2, 1)) == LibraryFigures(published=2, downloads=4)
    assert figures(date_from=datetime.date(2025, 2, 2), date_to=datetime.date(2025, 3, 30)) == LibraryFigures(
        published=0, downloads=0
    )


# --- demo data ------------------------------------------------------------------------------------


def test_demo_seed_makes_a_dozen_small_valid_documents_once(project_staff, mainz, hannover):
    for name, scope, member in (
        (library_demo.RP, Scope.STATE_RP, mainz),
        (library_demo.NI, Scope.STATE_NI, hannover),
    ):
        Network.objects.create(name=name, scope=scope).members.add(member)
    with CaptureQueriesContext(connection) as seeding:
        line = library_demo.seed()
    assert "12 Dokumente" in line
    documents = Document.objects.all()
    assert documents.count() == 12
    # An insert per document (in its savepoint) and a few reads: nothing is looked up per document.
    # (How long seeding takes is for `make bench` to measure, not for a timed test.)
    assert len(seeding) <= 4 * documents.count()
    assert {d.visibility for d in documents} == {Visibility.ALL, Visibility.NETWORK, Visibility.STAFF}
    assert {d.content_type for d in documents} >= {
        uploads.PDF,
        uploads.DOCX,
        uploads.XLSX,
        uploads.ODT,
        uploads.PNG,
    }
    for document in documents:
        with document.file.open("rb") as stored:
            content = stored.read()
        assert uploads.check_upload(ContentFile(content, name="x")).content_type == document.content_type

    assert "bereits vorhanden" in library_demo.seed()
    assert Document.objects.count() == 12


def test_demo_seed_skips_network_documents_without_the_demo_networks(project_staff):
    library_demo.seed()
    assert Document.objects.count() == 9
    assert not Document.objects.filter(visibility=Visibility.NETWORK).exists()
