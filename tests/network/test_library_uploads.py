"""Publishing in the library: which files pass the upload check, who uploads for which audience,
editing and deleting documents."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from network import uploads
from network.models import Document, DocumentCategory, Visibility
from network.services import library
from tests.helpers import PDF_BYTES, sample_docx, sample_odt, sample_xlsx, upload_of, zip_of

ALLOWED = {
    "leitfaden.pdf": (lambda: PDF_BYTES, uploads.PDF),
    "bild.png": (lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, uploads.PNG),
    "foto.jpg": (lambda: b"\xff\xd8\xff\xe0" + b"\x00" * 32, uploads.JPEG),
    "checkliste.docx": (sample_docx, uploads.DOCX),
    "tabelle.xlsx": (sample_xlsx, uploads.XLSX),
    "vorlage.odt": (sample_odt, uploads.ODT),
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
