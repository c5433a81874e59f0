"""Hostile library uploads: decompression bombs, broken archives, macros, misleading file names.

Each file is offered through the library page as project staff, as an attacker with an account would;
the refusal must stand next to the file field, in German, with nothing saved and memory flat.
"""

import io
import struct
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from network import uploads
from network.models import Document, DocumentCategory, Visibility
from tests.helpers import PDF_BYTES, sample_docx, sample_xlsx, zip_of

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="{main}"/>'
    "{extra}</Types>"
)
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{}</Relationships>'
)
MB = 1024 * 1024


def _post(client, name: str, content: bytes):
    return client.post(
        reverse("network:document_create"),
        {
            "title": "Leitfaden Beratung",
            "description": "",
            "category": DocumentCategory.GUIDE,
            "tags": "",
            "version": "",
            "visibility": Visibility.ALL,
            "network": "",
            "file": SimpleUploadedFile(name, content, content_type="application/octet-stream"),
        },
    )


def _refusal(response) -> str:
    """The German message next to the file field; nothing was saved."""
    assert response.status_code == 200
    assert Document.objects.count() == 0
    errors = response.context["form"].errors
    assert list(errors) == ["file"]
    assert 'id="id_file-error"' in response.content.decode()
    assert "Bitte wählen Sie die Datei erneut aus." in errors["file"][0]
    return errors["file"][0]


def _lie_about(content: bytes, name: str, *, data: bytes, size: int | None = None) -> bytes:
    """Make the local and central headers of entry `name` claim `data` (CRC, and size unless given),
    whatever the entry really holds, as a hand-made archive can."""
    content = bytearray(content)
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as archive:
        info = archive.getinfo(name)
    crc, size = zlib.crc32(data), len(data) if size is None else size
    struct.pack_into("<I", content, info.header_offset + 14, crc)
    struct.pack_into("<I", content, info.header_offset + 22, size)
    central = content.find(b"PK\x01\x02")
    while central != -1:
        (name_length,) = struct.unpack_from("<H", content, central + 28)
        if bytes(content[central + 46 : central + 46 + name_length]) == name.encode():
            struct.pack_into("<I", content, central + 16, crc)
            struct.pack_into("<I", content, central + 24, size)
            break
        central = content.find(b"PK\x01\x02", central + 4)
    return bytes(content)


def _bomb(name: str, *, method: int, megabytes: int, start: bytes, others: dict, size=None) -> bytes:
    """An archive whose entry `name` holds `start` followed by `megabytes` MB of zeros, compressed
    with `method` while streaming (never in memory at once), and whose headers claim just `start`
    (or `size` bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        info = zipfile.ZipInfo(name)
        info.compress_type = method
        with archive.open(info, "w") as entry:
            entry.write(start)
            zeros = bytes(MB)
            for _ in range(megabytes):
                entry.write(zeros)
        for other, text in others.items():
            archive.writestr(other, text, compress_type=zipfile.ZIP_DEFLATED)
    return _lie_about(out.getvalue(), name, data=start, size=size)


def _peak_bytes(call) -> tuple[object, int]:
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# --- decompression bombs -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bzip2_bomb() -> bytes:
    # 300 MB of zeros behind a correct ODF mimetype, bzip2-compressed: about 500 bytes (2 s to make).
    return _bomb(
        "mimetype",
        method=zipfile.ZIP_BZIP2,
        megabytes=300,
        start=ODT_MIMETYPE,
        others={"content.xml": "<office:document-content/>"},
    )


def test_project_staff_upload_of_a_bzip2_bomb_is_refused_and_memory_stays_flat(
    client_for, project_staff, bzip2_bomb
):
    assert len(bzip2_bomb) < 1000
    client = client_for(project_staff)
    # A first refusal loads what every later request reuses (templates, translations): not measured.
    _refusal(_post(client, "vorlage.odt", b"kein Dokument"))
    response, peak = _peak_bytes(lambda: _post(client, "vorlage.odt", bzip2_bomb))
    assert "nicht erlaubten Verfahren komprimiert" in _refusal(response)
    assert peak < 4 * MB, f"{peak / MB:.1f} MB"
    # The check alone, without the page around it, stays far below a megabyte.
    upload = SimpleUploadedFile("vorlage.odt", bzip2_bomb)
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError):
            uploads.check_upload(upload)
        assert tracemalloc.get_traced_memory()[1] < MB
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_any_entry_neither_stored_nor_deflated_is_refused(client_for, project_staff, method):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=DOCX_MAIN, extra=""))
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/bild.bin", b"\x00" * 1000, compress_type=method)
    response = _post(client_for(project_staff), "checkliste.docx", out.getvalue())
    assert "nicht erlaubten Verfahren komprimiert" in _refusal(response)


def test_odf_mimetype_must_be_stored_uncompressed(client_for, project_staff):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", ODT_MIMETYPE)
        archive.writestr("content.xml", "<office:document-content/>")
    response = _post(client_for(project_staff), "vorlage.odt", out.getvalue())
    assert "„mimetype“ komprimiert" in _refusal(response)


def test_a_deflate_bomb_in_a_part_that_is_read_stops_at_the_byte_limit(client_for, project_staff):
    # 60 MB of zeros in [Content_Types].xml (60 KB compressed); the headers claim 10 MB, a ratio the
    # directory check lets pass: only the byte limit of the reading stops it.
    bomb = _bomb(
        "[Content_Types].xml",
        method=zipfile.ZIP_DEFLATED,
        megabytes=60,
        start=CONTENT_TYPES.format(main=DOCX_MAIN, extra="").encode(),
        others={"word/document.xml": "<w:document/>"},
        size=10 * MB,
    )
    assert len(bomb) < 100_000
    upload = SimpleUploadedFile("checkliste.docx", bomb)
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError, match="ungewöhnlich große"):
            uploads.check_upload(upload)
        assert tracemalloc.get_traced_memory()[1] < 4 * MB
    finally:
        tracemalloc.stop()
    assert "ungewöhnlich große" in _refusal(_post(client_for(project_staff), "checkliste.docx", bomb))


# --- broken archives -----------------------------------------------------------------------------


def _odt() -> bytes:
    return zip_of({"mimetype": ODT_MIMETYPE, "content.xml": "<office:document-content/>"})


def _flip_byte_in(content: bytes, needle: bytes) -> bytes:
    at = content.index(needle)
    return content[:at] + bytes([content[at] ^ 0x20]) + content[at + 1 :]


def _docx_stored() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=DOCX_MAIN, extra=""))
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def _garbled_deflate() -> bytes:
    content = sample_docx()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        info = archive.getinfo("[Content_Types].xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    return content[:start] + b"\xff" * 8 + content[start + 8 :]


BROKEN = {
    # The end of the file with the central directory is missing.
    "truncated central directory": lambda: sample_docx()[:-30],
    "cut inside the central directory": lambda: (lambda c: c[: c.rindex(b"PK\x01\x02") + 10])(sample_docx()),
    # One byte of the entry the check reads is changed: its CRC no longer matches.
    "bad CRC of the ODF mimetype": lambda: _flip_byte_in(_odt(), b"opendocument"),
    "bad CRC of [Content_Types].xml": lambda: _flip_byte_in(_docx_stored(), b"package/2006"),
    "invalid deflate data": _garbled_deflate,
}


@pytest.mark.parametrize("broken", BROKEN)
def test_a_corrupted_archive_is_refused_with_a_german_message(client_for, project_staff, broken):
    response = _post(client_for(project_staff), "datei.docx", BROKEN[broken]())
    assert "beschädigtes ZIP-Archiv" in _refusal(response)


# --- macros --------------------------------------------------------------------------------------

VBA_TYPE = "application/vnd.ms-office.vbaProject"
VBA_RELATIONSHIP = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"


def _ooxml(*, main=DOCX_MAIN, extra="", rels="", parts=None) -> bytes:
    entries = {
        "[Content_Types].xml": CONTENT_TYPES.format(main=main, extra=extra),
        "word/document.xml": "<w:document/>",
        "word/_rels/document.xml.rels": RELS.format(rels),
    }
    return zip_of({**entries, **(parts or {})})


MACROS = {
    "VBA part by content type, harmless name": lambda: _ooxml(
        extra=f'<Override PartName="/word/harmlos.dat" ContentType="{VBA_TYPE}"/>',
        parts={"word/harmlos.dat": b"\xd0\xcf\x11\xe0"},
    ),
    "VBA by default extension": lambda: _ooxml(extra=f'<Default Extension="dat" ContentType="{VBA_TYPE}"/>'),
    "VBA type hidden behind a character reference": lambda: _ooxml(
        extra='<Override PartName="/word/x.dat" ContentType="application/vnd.ms-office.vba&#x50;roject"/>'
    ),
    "macro-enabled main document (docm)": lambda: _ooxml(
        main="application/vnd.ms-word.document.macroEnabled.main+xml"
    ),
    "VBA by relationship, harmless name": lambda: _ooxml(
        rels=f'<Relationship Id="rId9" Type="{VBA_RELATIONSHIP}" Target="harmlos.dat"/>',
        parts={"word/harmlos.dat": b"\xd0\xcf\x11\xe0"},
    ),
    "VBA part named vbaProject.bin": lambda: _ooxml(parts={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}),
    "Excel 4.0 macro sheet": lambda: zip_of(
        {
            "[Content_Types].xml": CONTENT_TYPES.format(
                main="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                extra='<Override PartName="/xl/macrosheets/a.xml" '
                'ContentType="application/vnd.ms-excel.macrosheet+xml"/>',
            ),
            "xl/workbook.xml": "<workbook/>",
        }
    ),
    "ODF with Basic": lambda: zip_of(
        {"mimetype": ODT_MIMETYPE, "content.xml": "<x/>", "Basic/Standard/Module1.xml": "<script/>"}
    ),
    "ODF with Scripts": lambda: zip_of(
        {"mimetype": ODT_MIMETYPE, "content.xml": "<x/>", "Scripts/python/macro.py": "import os"}
    ),
}


@pytest.mark.parametrize("macro", MACROS)
def test_documents_with_macros_are_refused_whatever_the_part_is_called(client_for, project_staff, macro):
    response = _post(client_for(project_staff), "checkliste.docx", MACROS[macro]())
    assert "enthält Makros" in _refusal(response)


def test_office_documents_without_macros_still_pass():
    for content, expected in (
        (_ooxml(rels='<Relationship Id="rId1" Type="http://x/styles" Target="styles.xml"/>'), uploads.DOCX),
        (sample_xlsx(), uploads.XLSX),
        (_odt(), uploads.ODT),
    ):
        assert uploads.check_upload(SimpleUploadedFile("datei", content)).content_type == expected


def test_a_package_part_with_a_dtd_is_refused():
    entries = {
        "[Content_Types].xml": '<!DOCTYPE Types [<!ENTITY v "vbaProject">]>'
        + CONTENT_TYPES.format(main=DOCX_MAIN, extra=""),
        "word/document.xml": "<w:document/>",
    }
    with pytest.raises(ValidationError, match="kein gültiges Office-Dokument"):
        uploads.check_upload(SimpleUploadedFile("x.docx", zip_of(entries)))


# --- the name the file is offered under ------------------------------------------------------------


@pytest.mark.parametrize(
    ("offered", "kept"),
    [
        ("Leitfaden.html", "Leitfaden.pdf"),
        ("Leitfaden.bat", "Leitfaden.pdf"),
        ("Leitfaden.pdf.exe", "Leitfaden.pdf.pdf"),
        ("Leitfaden", "Leitfaden.pdf"),
        ("Bericht v1.2", "Bericht v1.2.pdf"),
        (".html", "html.pdf"),
        ("Leitfaden.PDF", "Leitfaden.PDF"),
    ],
)
def test_upload_keeps_the_base_name_with_the_ending_of_its_type(
    client_for, project_staff, member, offered, kept
):
    assert _post(client_for(project_staff), offered, PDF_BYTES).status_code == 302
    document = Document.objects.get()
    assert document.original_name == kept
    response = client_for(member).get(reverse("network:document_download", args=[document.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="{kept}"'
    assert response["Content-Type"] == "application/pdf"


def test_name_for_type_knows_every_allowed_type():
    assert uploads.name_for_type("Foto.jpeg", uploads.JPEG) == "Foto.jpeg"
    assert uploads.name_for_type("Foto.png", uploads.JPEG) == "Foto.jpg"
    assert uploads.name_for_type("Tabelle.xls", uploads.XLSX) == "Tabelle.xlsx"
    assert uploads.name_for_type("Vorlage.doc", uploads.DOCX) == "Vorlage.docx"
    assert uploads.name_for_type("Merkblatt.txt", uploads.ODT) == "Merkblatt.odt"
    assert len(uploads.name_for_type("a" * 255 + ".html", uploads.PDF)) <= 255
    assert uploads.name_for_type("Leitfaden. ", uploads.PDF) == "Leitfaden.pdf"
    assert uploads.name_for_type(".", uploads.PDF) == "datei.pdf"


def test_a_document_stored_before_the_rule_is_offered_with_its_type_ending(client_for, member, project_staff):
    stored = Document.file.field.storage.save("bibliothek/alt", ContentFile(PDF_BYTES))
    document = Document.objects.create(
        title="Alt",
        category=DocumentCategory.GUIDE,
        file=stored,
        original_name="Leitfaden.html",
        content_type=uploads.PDF,
        size=len(PDF_BYTES),
        uploaded_by=project_staff,
    )
    response = client_for(member).get(reverse("network:document_download", args=[document.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="Leitfaden.pdf"'
