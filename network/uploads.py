"""What the library accepts: the file's content decides its type, never its name.

Allowed are PDF, DOCX, XLSX, ODT, PNG and JPEG. The Office formats are ZIP archives, told apart by
the entries inside; the archive is only read (central directory and one tiny entry), never extracted.
"""

import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"

LABELS = {
    PDF: "PDF",
    DOCX: "Word (DOCX)",
    XLSX: "Excel (XLSX)",
    ODT: "OpenDocument-Text (ODT)",
    PNG: "PNG",
    JPEG: "JPEG",
}
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", XLSX: ".xlsx", ODT: ".odt", PNG: ".png", JPEG: ".jpg"}

# Bounds for the archive: real Office files stay far below them; anything above is a zip bomb or junk.
ZIP_MAX_ENTRIES = 5_000
ZIP_MAX_UNCOMPRESSED = 500 * 1024 * 1024
ZIP_MAX_RATIO = 200
HEAD = 16


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int


def max_upload_mb() -> int:
    return int(getattr(settings, "LIBRARY_MAX_UPLOAD_MB", 20))


def _allowed() -> str:
    return _("Erlaubt sind PDF, Word (DOCX), Excel (XLSX), OpenDocument-Text (ODT), PNG und JPEG.")


def _reject(reason: str) -> ValidationError:
    # A browser cannot put the file back into the field: say so, next to the reason.
    return ValidationError(
        f"{reason} {_allowed()} {_('Bitte wählen Sie die Datei erneut aus.')}", code="upload_rejected"
    )


def check_upload(upload) -> CheckedFile:
    """Size and type of an uploaded file, or a ValidationError with the reason in German."""
    name = PurePosixPath(str(upload.name or "").replace("\\", "/")).name[:255] or "datei"
    limit = max_upload_mb()
    if upload.size > limit * 1024 * 1024:
        raise _reject(_("Die Datei ist zu groß: höchstens %(limit)d MB sind möglich.") % {"limit": limit})
    if upload.size == 0:
        raise _reject(_("Die Datei ist leer."))
    upload.seek(0)
    head = upload.read(HEAD)
    upload.seek(0)
    try:
        content_type = _content_type(upload, head)
    finally:
        upload.seek(0)
    return CheckedFile(name=name, content_type=content_type, size=upload.size)


def _content_type(upload, head: bytes) -> str:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _office_type(upload)
    if head.startswith(b"MZ") or head.startswith(b"\x7fELF"):
        raise _reject(_("Die Datei ist ein ausführbares Programm, auch wenn ihr Name anders endet."))
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise _reject(_("Die Datei ist eine Webseite oder XML-Datei (HTML/XML)."))
    raise _reject(_("Der Inhalt der Datei entspricht keinem erlaubten Dateityp."))


def _office_type(upload) -> str:
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _reject(_("Die Datei ist ein beschädigtes ZIP-Archiv.")) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > ZIP_MAX_ENTRIES:
            raise _reject(_("Das Archiv enthält ungewöhnlich viele Dateien."))
        total = 0
        for entry in entries:
            if entry.flag_bits & 0x1:
                raise _reject(_("Die Datei ist verschlüsselt oder mit einem Passwort geschützt."))
            total += entry.file_size
            if total > ZIP_MAX_UNCOMPRESSED or entry.file_size > ZIP_MAX_RATIO * max(
                entry.compress_size, 1024
            ):
                raise _reject(_("Das Archiv enthält ungewöhnlich große Einträge."))
        names = {entry.filename for entry in entries}
        if any(PurePosixPath(name).name.lower() == "vbaproject.bin" for name in names):
            raise _reject(_("Die Datei enthält Makros."))
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return DOCX
        if "xl/workbook.xml" in names and "[Content_Types].xml" in names:
            return XLSX
        if "mimetype" in names and "content.xml" in names:
            mimetype = archive.getinfo("mimetype")
            if mimetype.file_size <= 100 and archive.read(mimetype).strip() == ODT.encode():
                return ODT
    raise _reject(_("Die Datei ist ein ZIP-Archiv, aber kein Word-, Excel- oder OpenDocument-Text-Dokument."))
