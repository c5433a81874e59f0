"""The library of concepts and instruments: upload checks, downloads, access, search, the report figure."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from network import uploads
from network.demo import library as library_demo
from network.models import Document, DocumentCategory, DocumentDownload, Network, Scope, Visibility
from network.services import library
from tests.factories import UserFactory
from tests.helpers import PDF_BYTES, sample_docx, sample_odt, sample_xlsx, upload_of, zip_of

ALLOWED = {
    "leitfaden.pdf": (lambda: PDF_BYTES, uploads.PDF),
    "bild.png": (lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, uploads.PNG),
    "foto.jpg": (lambda: b"\xff\xd8\xff\xe0" + b"\x00" * 32, uploads.JPEG),
    "checkliste.docx": (sample_docx, uploads.DOCX),
    "tabelle.xlsx": (sample_xlsx, uploads.XLSX),
    "vorlage.odt": (sample_odt, uploads.ODT),
}


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


def _form_data(**values):
    data = {
        "title": "Mein Leitfaden",
        "description": "Eine Beschreibung, die bleiben soll.",
        "category": DocumentCategory.CHECKLIST,
        "tags": "Beratung, Termine",
        "version": "2.1",
        "visibility": Visibility.ALL,
        "network": "",
    }
    data.update(values)
    return data


# --- the upload check ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ALLOWED)
def test_upload_check_tells_allowed_types_by_content(name):
    make, content_type = ALLOWED[name]
    content = make()
    # The extension plays no part: the same content under a wrong name is recognised all the same,
    # and keeps its name with the ending of what it is.
    stem = name.rsplit(".", 1)[0]
    for filename, kept_as in (
        (name, name),
        ("umbenannt.txt", f"umbenannt{uploads.EXTENSIONS[content_type]}"),
    ):
        checked = uploads.check_upload(upload_of(filename, content))
        assert checked.content_type == content_type
        assert checked.size == len(content)
        assert checked.name == kept_as
    assert uploads.check_upload(upload_of(stem, content)).name == f"{stem}{uploads.EXTENSIONS[content_type]}"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "ausführbares Programm"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "Webseite"),
        (b"\xef\xbb\xbf  <html><body>Hallo</body></html>", "Webseite"),
        (b"Nur ein bisschen Text", "keinem erlaubten Dateityp"),
        (zip_of({"readme.txt": "Hallo"}), "kein Word-, Excel- oder OpenDocument"),
        (
            zip_of({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}),
            "ZIP-Archiv",
        ),
        (
            zip_of({"[Content_Types].xml": "<T/>", "word/document.xml": "<w/>", "word/vbaProject.bin": "x"}),
            "Makros",
        ),
        (zip_of({"[Content_Types].xml": "<T/>", "word/document.xml": b"\x00" * (2 * 1024 * 1024)}), "große"),
        (b"PK\x03\x04 kaputt", "beschädigt"),
    ],
)
def test_upload_check_rejects_content_that_is_not_allowed(content, reason):
    with pytest.raises(ValidationError) as rejected:
        uploads.check_upload(upload_of("harmlos.pdf", content))
    message = " ".join(rejected.value.messages)
    assert reason in message
    assert "Bitte wählen Sie die Datei erneut aus." in message


def test_upload_check_rejects_an_encrypted_archive():
    content = bytearray(sample_docx())
    # Set the "encrypted" flag in every local and central header, as a password-protected ZIP has it.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := content.find(signature, start)) != -1:
            content[start + offset] |= 0x1
            start += 4
    with pytest.raises(ValidationError, match="verschlüsselt"):
        uploads.check_upload(upload_of("geheim.docx", bytes(content)))


def test_upload_check_rejects_an_oversize_file(settings):
    settings.LIBRARY_MAX_UPLOAD_MB = 1
    uploads.check_upload(upload_of("genau.pdf", PDF_BYTES + b"\x00" * (1024 * 1024 - len(PDF_BYTES))))
    with pytest.raises(ValidationError, match="höchstens 1 MB"):
        uploads.check_upload(upload_of("gross.pdf", PDF_BYTES + b"\x00" * (1024 * 1024)))


# --- uploading ------------------------------------------------------------------------------------


def test_upload_form_renders_a_file_input_in_a_multipart_form(client_for, project_staff):
    response = client_for(project_staff).get(reverse("network:document_create"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file"' in html
    assert 'class="kern-form-input__input"' in html
    assert "höchstens 20 MB" in html


def test_project_staff_upload_is_stored_under_a_random_name(client_for, project_staff, settings):
    response = client_for(project_staff).post(
        reverse("network:document_create"),
        {
            **_form_data(tags="Beratung,  Termine, beratung"),
            "file": upload_of("Checkliste Beratung.docx", sample_docx()),
        },
    )
    document = Document.objects.get()
    assert response.status_code == 302
    assert response.url == document.get_absolute_url()
    assert document.original_name == "Checkliste Beratung.docx"
    assert document.content_type == uploads.DOCX
    assert document.size == len(sample_docx())
    assert document.uploaded_by == project_staff
    assert document.tags == "Beratung, Termine"
    assert document.file.name.startswith("bibliothek/")
    assert "Checkliste" not in document.file.name
    assert (settings.MEDIA_ROOT / document.file.name).read_bytes() == sample_docx()


@pytest.mark.parametrize(
    ("filename", "content", "reason"),
    [
        ("programm.pdf", b"MZ\x90\x00" + b"\x00" * 64, "ausführbares Programm"),
        ("seite.pdf", b"<html><body><script>alert(1)</script></body></html>", "Webseite"),
        ("gross.pdf", PDF_BYTES + b"\x00" * (1024 * 1024), "zu groß"),
    ],
)
def test_rejected_upload_explains_why_next_to_the_file_and_keeps_the_other_fields(
    client_for, project_staff, settings, filename, content, reason
):
    settings.LIBRARY_MAX_UPLOAD_MB = 1
    response = client_for(project_staff).post(
        reverse("network:document_create"), {**_form_data(), "file": upload_of(filename, content)}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert Document.objects.count() == 0
    errors = response.context["form"].errors
    assert list(errors) == ["file"]
    assert reason in errors["file"][0]
    assert "Bitte wählen Sie die Datei erneut aus." in errors["file"][0]
    assert 'id="id_file-error"' in html
    assert 'value="Mein Leitfaden"' in html
    assert "Eine Beschreibung, die bleiben soll." in html
    assert 'value="Beratung, Termine"' in html
    assert 'value="2.1"' in html
    assert '<option value="checklist" selected>' in html


def test_a_good_file_must_be_chosen_again_when_another_field_is_wrong(client_for, project_staff):
    response = client_for(project_staff).post(
        reverse("network:document_create"),
        {**_form_data(title=""), "file": upload_of("leitfaden.pdf", PDF_BYTES)},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "file"}
    assert "erneut aus" in response.context["form"].errors["file"][0]


def test_network_visibility_needs_a_network(client_for, project_staff, rp_network):
    client = client_for(project_staff)
    url = reverse("network:document_create")
    response = client.post(
        url, {**_form_data(visibility=Visibility.NETWORK), "file": upload_of("a.pdf", PDF_BYTES)}
    )
    assert "network" in response.context["form"].errors
    client.post(
        url,
        {
            **_form_data(visibility=Visibility.ALL, network=rp_network.pk),
            "file": upload_of("a.pdf", PDF_BYTES),
        },
    )
    # Another visibility drops the network rather than keep a contradiction.
    assert Document.objects.get().network is None


def test_moderator_uploads_for_the_network_they_moderate_only(client_for, moderator, rp_network, ni_network):
    client = client_for(moderator)
    url = reverse("network:document_create")
    form = client.get(url).context["form"]
    assert [value for value, _label in form.fields["visibility"].choices] == [Visibility.NETWORK]
    assert list(form.fields["network"].queryset) == [rp_network]

    for wider in (
        _form_data(visibility=Visibility.ALL),
        _form_data(visibility=Visibility.STAFF),
        _form_data(visibility=Visibility.NETWORK, network=ni_network.pk),
        _form_data(visibility=Visibility.NETWORK, network=""),
    ):
        response = client.post(url, {**wider, "file": upload_of("a.pdf", PDF_BYTES)})
        assert response.status_code == 200
        assert Document.objects.count() == 0

    response = client.post(
        url,
        {
            **_form_data(visibility=Visibility.NETWORK, network=rp_network.pk),
            "file": upload_of("a.pdf", PDF_BYTES),
        },
    )
    document = Document.objects.get()
    assert response.status_code == 302
    assert document.network == rp_network
    assert document.uploaded_by == moderator


def test_service_refuses_a_moderator_anything_wider_than_their_network(moderator, rp_network, ni_network):
    for visibility, network in ((Visibility.ALL, None), (Visibility.NETWORK, ni_network)):
        with pytest.raises(PermissionDenied):
            library.document_create(
                by=moderator,
                title="Zu weit",
                category=DocumentCategory.GUIDE,
                upload=upload_of("a.pdf", PDF_BYTES),
                visibility=visibility,
                network=network,
            )
    assert Document.objects.count() == 0


@pytest.mark.parametrize("who", ["member", "coordinator", "outsider", "funder"])
def test_people_who_do_not_moderate_may_not_upload(request, client_for, rp_network, who):
    client = client_for(request.getfixturevalue(who))
    url = reverse("network:document_create")
    assert client.get(url).status_code == 403
    response = client.post(url, {**_form_data(), "file": upload_of("a.pdf", PDF_BYTES)})
    assert response.status_code == 403
    assert Document.objects.count() == 0


def test_edit_keeps_the_file_unless_a_new_one_is_chosen(
    client_for, project_staff, make_document, settings, django_capture_on_commit_callbacks
):
    document = make_document("Alt", version="1.0")
    old_path = settings.MEDIA_ROOT / document.file.name
    client = client_for(project_staff)
    url = reverse("network:document_edit", args=[document.pk])
    form = client.get(url).context["form"]
    assert form.fields["file"].required is False

    client.post(url, _form_data(title="Neu", version="1.1"))
    document.refresh_from_db()
    assert (document.title, document.version, document.original_name) == ("Neu", "1.1", "leitfaden.pdf")
    assert old_path.exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url, {**_form_data(title="Neu", version="2.0"), "file": upload_of("tabelle.xlsx", sample_xlsx())}
        )
    document.refresh_from_db()
    assert (document.original_name, document.content_type) == ("tabelle.xlsx", uploads.XLSX)
    assert not old_path.exists()
    assert (settings.MEDIA_ROOT / document.file.name).exists()


def test_moderator_edits_their_network_documents_but_not_others(client_for, moderator, assorted, rp_network):
    client = client_for(moderator)
    assert client.get(reverse("network:document_edit", args=[assorted["rp"].pk])).status_code == 200
    assert client.get(reverse("network:document_edit", args=[assorted["all"].pk])).status_code == 403
    assert client.post(reverse("network:document_delete", args=[assorted["all"].pk])).status_code == 403
    # Documents they cannot see stay invisible: 404, not 403.
    assert client.get(reverse("network:document_edit", args=[assorted["ni"].pk])).status_code == 404
    assert client.get(reverse("network:document_edit", args=[assorted["staff"].pk])).status_code == 404


def test_project_staff_delete_a_document_and_its_file(
    client_for, project_staff, make_document, settings, django_capture_on_commit_callbacks
):
    document = make_document()
    path = settings.MEDIA_ROOT / document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(project_staff).post(reverse("network:document_delete", args=[document.pk]))
    assert response.url == reverse("network:library")
    assert not Document.objects.exists()
    assert not path.exists()


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


def test_network_page_snippet_lists_the_network_documents(member, moderator, assorted, rp_network):
    html = render_to_string(
        "network/library/_network_documents.html", {"network": rp_network, "user": member}
    )
    assert "Nur Rheinland-Pfalz" in html
    assert "Für alle" not in html and "Nur Niedersachsen" not in html
    assert reverse("network:document_create") not in html
    html = render_to_string(
        "network/library/_network_documents.html", {"network": rp_network, "user": moderator}
    )
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

    figures = library.documents_published_and_downloaded
    assert figures() == library.LibraryFigures(published=3, downloads=5)
    assert figures(date_from=datetime.date(2025, 2, 1)) == library.LibraryFigures(published=2, downloads=4)
    assert figures(date_to=datetime.date(2025, 2, 1)) == library.LibraryFigures(published=2, downloads=4)
    assert figures(
        date_from=datetime.date(2025, 2, 2), date_to=datetime.date(2025, 3, 30)
    ) == library.LibraryFigures(published=0, downloads=0)


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
