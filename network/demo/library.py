"""A dozen library documents with small files made here: PDF, DOCX, XLSX, ODT and PNG.

Idempotent: documents are found by title. Every file goes through the same upload check as a real one.
Network documents go to the demo networks, looked up by name, and are left out if those are missing.
"""

import io
import struct
import zipfile
import zlib
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile

from network.models.library import Document, DocumentCategory, Visibility
from network.models.networks import Network
from network.services import library
from portal.accounts.models import Role, User

RP = "Netzwerk Willkommenskultur Rheinland-Pfalz"
NI = "Netzwerk Willkommenskultur Niedersachsen"

G, C, P, T, V = (
    DocumentCategory.GUIDE,
    DocumentCategory.CHECKLIST,
    DocumentCategory.PROCESS_ANALYSIS,
    DocumentCategory.TRAINING_MATERIAL,
    DocumentCategory.TEMPLATE,
)
ALL, NET, STAFF = Visibility.ALL, Visibility.NETWORK, Visibility.STAFF

# title, category, format, tags, version, visibility, network name, description
DOCUMENTS = [
    ("Leitfaden Willkommenskultur in der Ausländerbehörde", G, "pdf", "Willkommenskultur, Leitbild", "1.2", ALL, None, "Grundsätze und Beispiele für einen freundlichen, verständlichen Kontakt mit Kundinnen und Kunden."),
    ("Checkliste Terminvergabe online", C, "docx", "Terminvergabe, Digitalisierung", "2.0", ALL, None, "Was vor der Einführung einer Online-Terminvergabe zu klären ist."),
    ("Prozessanalyse Aufenthaltstitel – Musterablauf", P, "xlsx", "Prozessanalyse, Aufenthaltstitel", "1.0", ALL, None, "Arbeitsschritte, Zuständigkeiten und Wartezeiten eines typischen Antrags."),
    ("Schulungsunterlagen Interkulturelle Kompetenz", T, "pdf", "Schulung, Interkulturelle Kompetenz", "3.1", ALL, None, "Folien und Übungen aus dem Grundlagenmodul."),
    ("Vorlage Merkblatt in einfacher Sprache", V, "odt", "Leichte Sprache, Merkblatt", "1.0", ALL, None, "Eine Vorlage für Merkblätter, die Kundinnen und Kunden gut verstehen."),
    ("Wegweiser Wartebereich (Piktogramme)", V, "png", "Wartebereich, Beschilderung", "", ALL, None, "Piktogramme für eine mehrsprachige Beschilderung."),
    ("Checkliste Fachkräfteeinwanderung", C, "pdf", "Fachkräfteeinwanderung, beschleunigtes Verfahren", "1.1", ALL, None, "Unterlagen und Fristen im beschleunigten Fachkräfteverfahren."),
    ("Protokollvorlage Netzwerktreffen Rheinland-Pfalz", V, "docx", "Netzwerktreffen, Protokoll", "1.0", NET, RP, "Die gemeinsame Vorlage der Behörden in Rheinland-Pfalz."),
    ("Kennzahlen Wartezeiten Rheinland-Pfalz", P, "xlsx", "Kennzahlen, Wartezeiten", "2024", NET, RP, "Vergleich der Wartezeiten der Mitgliedsbehörden."),
    ("Ergebnisse Fachtag Niedersachsen", T, "pdf", "Fachtag, Ergebnisse", "", NET, NI, "Zusammenfassung der Arbeitsgruppen des Fachtags."),
    ("Arbeitsstand Evaluation (intern)", P, "docx", "Evaluation, AMIF", "0.3", STAFF, None, "Entwurf des Evaluationsberichts, nur für das Projektteam."),
    ("Planung Schulungsreihe 2026 (intern)", T, "xlsx", "Schulungsplanung", "0.1", STAFF, None, "Themen, Termine und Trainerinnen der nächsten Schulungsreihe."),
]  # fmt: skip


def _pdf(title: str) -> bytes:
    """A one-page PDF with the title, written by hand: WeasyPrint would take longer than all the rest."""
    text = (
        title.encode("latin-1", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    )
    stream = b"BT /F1 18 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _zip(entries: list[tuple[str, str]], *, stored_first: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, content) in enumerate(entries):
            # ODF wants its `mimetype` entry first and uncompressed.
            method = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=method)
    return out.getvalue()


def _docx(title: str, text: str) -> bytes:
    paragraphs = "".join(f"<w:p><w:r><w:t>{escape(line)}</w:t></w:r></w:p>" for line in (title, text))
    return _zip(
        [
            (
                "[Content_Types].xml",
                '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                "</Types>",
            ),
            (
                "_rels/.rels",
                '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                "</Relationships>",
            ),
            (
                "word/document.xml",
                '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f"<w:body>{paragraphs}</w:body></w:document>",
            ),
        ]
    )  # fmt: skip


def _xlsx(title: str, text: str) -> bytes:
    from openpyxl import Workbook  # only needed here; keeps the import of this module cheap

    workbook = Workbook()
    sheet = workbook.worksheets[0]  # the one a new workbook has
    sheet.title = "Übersicht"
    sheet.append([title])
    sheet.append([text])
    sheet.append(["Schritt", "Zuständig", "Dauer in Tagen"])
    for row in [
        ("Antrag prüfen", "Sachbearbeitung", 3),
        ("Beteiligung", "Bundesagentur", 7),
        ("Bescheid", "Sachbearbeitung", 2),
    ]:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _odt(title: str, text: str) -> bytes:
    return _zip(
        [
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            (
                "META-INF/manifest.xml",
                '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>",
            ),
            (
                "content.xml",
                '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:text>'
                f"<text:h>{escape(title)}</text:h><text:p>{escape(text)}</text:p>"
                "</office:text></office:body></office:document-content>",
            ),
        ],
        stored_first=True,
    )  # fmt: skip


def _png() -> bytes:
    """A 16×16 image: blue with a white bar, enough to show the viewer something."""
    width = height = 16
    rows = b"".join(
        b"\x00" + (b"\xff\xff\xff" if 6 <= y <= 9 else b"\x1a\x3d\xa5") * width for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _file(fmt: str, title: str, text: str) -> ContentFile:
    content = {
        "pdf": lambda: _pdf(title),
        "docx": lambda: _docx(title, text),
        "xlsx": lambda: _xlsx(title, text),
        "odt": lambda: _odt(title, text),
        "png": _png,
    }[fmt]()
    name = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")
    while "--" in name:
        name = name.replace("--", "-")
    return ContentFile(content, name=f"{name}.{fmt}")


def seed() -> str:
    staff = User.objects.filter(role=Role.PROJECT_STAFF, is_active=True).order_by("pk").first()
    if staff is None:
        return "Bibliothek: übersprungen (kein Konto im Projektteam)"
    networks = {network.name: network for network in Network.objects.filter(name__in=[RP, NI])}
    existing = set(
        Document.objects.filter(title__in=[row[0] for row in DOCUMENTS]).values_list("title", flat=True)
    )
    created = 0
    for title, category, fmt, tags, version, visibility, network_name, description in DOCUMENTS:
        if title in existing or (network_name and network_name not in networks):
            continue
        library.document_create(
            by=staff,
            title=title,
            category=category,
            upload=_file(fmt, title, description),
            description=description,
            tags=tags,
            version=version,
            visibility=visibility,
            network=networks.get(network_name) if network_name else None,
        )
        created += 1
    total = Document.objects.count()
    if created:
        return f"{total} Dokumente in der Bibliothek ({created} neu)"
    return f"{total} Dokumente in der Bibliothek (bereits vorhanden)"
