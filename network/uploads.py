"""What the library accepts: the file's content decides its type, never its name.

Allowed are PDF, DOCX, XLSX, ODT, PNG and JPEG. The Office formats are ZIP archives, told apart by
the entries inside; the archive is only read, never extracted: its directory, and a few small entries
(ODF's `mimetype`, OOXML's `[Content_Types].xml` and relationship parts) read in chunks up to a byte
limit. Entries must be stored or deflated: zipfile decompresses bzip2 and LZMA in one piece, without
a limit, so a few hundred bytes could grow into gigabytes in memory before any check could stop them.
"""

import lzma
import re
import struct
import zipfile
import zlib
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
# Endings that already name the detected type: the uploader's choice among them stays.
SAME_TYPE_ENDINGS = {**{t: {e} for t, e in EXTENSIONS.items()}, JPEG: {".jpg", ".jpeg", ".jpe"}}

# Bounds for the archive: real Office files stay far below them; anything above is a zip bomb or junk.
ZIP_MAX_ENTRIES = 5_000
ZIP_MAX_UNCOMPRESSED = 500 * 1024 * 1024
ZIP_MAX_RATIO = 200
ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
MIMETYPE_MAX_BYTES = 100
PART_MAX_BYTES = 1024 * 1024  # one [Content_Types].xml or .rels part
PARTS_MAX_BYTES = 8 * 1024 * 1024  # all of them together
CHUNK = 64 * 1024
HEAD = 16

# Everything a broken or hostile archive makes zipfile and its decompressors raise.
ARCHIVE_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,  # bz2 raises it (and EOFError) for invalid data
    ValueError,  # also UnicodeDecodeError of a bad entry name
    NotImplementedError,
    RuntimeError,
    KeyError,
    struct.error,
)

# In [Content_Types].xml or a relationship part, whatever the part is called: a VBA project, a
# macro-enabled main document (docm/xlsm/dotm/…) or an Excel 4.0 macro sheet.
MACRO_MARKERS = ("vbaproject", "macroenabled", "macrosheet")
CHARACTER_REFERENCE = re.compile(r"&#(x[0-9a-f]+|[0-9]+);", re.IGNORECASE)
ODF_SCRIPT_FOLDERS = ("basic/", "scripts/")


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


def name_for_type(name: str, content_type: str) -> str:
    """The uploader's name with the ending of the detected type: `%PDF-` content offered as
    `Leitfaden.html` or `.bat` is saved as `Leitfaden.pdf`; `Bericht v1.2` becomes `Bericht v1.2.pdf`."""
    path = PurePosixPath(name.strip().lstrip(".") or "datei")
    suffix = path.suffix.lower()
    if suffix in SAME_TYPE_ENDINGS.get(content_type, ()):
        return path.name
    ending = EXTENSIONS.get(content_type, "")
    # An ending with a letter is replaced; a number after a dot ("v1.2") is part of the name.
    base = (path.stem if re.fullmatch(r"\.[a-z0-9]*[a-z][a-z0-9]*", suffix) else path.name).rstrip(" .")
    return f"{(base or 'datei')[: 255 - len(ending)]}{ending}"


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
    return CheckedFile(name=name_for_type(name, content_type), content_type=content_type, size=upload.size)


def _content_type(upload, head: bytes) -> str:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        try:
            return _office_type(upload)
        except ARCHIVE_ERRORS:
            raise _reject(_("Die Datei ist ein beschädigtes ZIP-Archiv.")) from None
    if head.startswith(b"MZ") or head.startswith(b"\x7fELF"):
        raise _reject(_("Die Datei ist ein ausführbares Programm, auch wenn ihr Name anders endet."))
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise _reject(_("Die Datei ist eine Webseite oder XML-Datei (HTML/XML)."))
    raise _reject(_("Der Inhalt der Datei entspricht keinem erlaubten Dateityp."))


def _office_type(upload) -> str:
    with zipfile.ZipFile(upload) as archive:
        entries = archive.infolist()
        _check_entries(entries)
        names = {entry.filename for entry in entries}
        lower = {name.lower() for name in names}
        if "word/document.xml" in names and "[content_types].xml" in lower:
            _refuse_macros(archive, entries)
            return DOCX
        if "xl/workbook.xml" in names and "[content_types].xml" in lower:
            _refuse_macros(archive, entries)
            return XLSX
        if "mimetype" in names and "content.xml" in names:
            mimetype = archive.getinfo("mimetype")
            if mimetype.compress_type != zipfile.ZIP_STORED:
                # The ODF specification wants it stored; compressed, it is no OpenDocument file.
                raise _reject(_("Im OpenDocument-Dokument ist der Eintrag „mimetype“ komprimiert."))
            if _read_limited(archive, mimetype, MIMETYPE_MAX_BYTES).strip() == ODT.encode():
                if any(name.startswith(ODF_SCRIPT_FOLDERS) for name in lower):
                    raise _reject(_("Die Datei enthält Makros."))
                return ODT
    raise _reject(_("Die Datei ist ein ZIP-Archiv, aber kein Word-, Excel- oder OpenDocument-Text-Dokument."))


def _check_entries(entries) -> None:
    """What the directory alone tells: too many or too large entries, encryption, methods."""
    if len(entries) > ZIP_MAX_ENTRIES:
        raise _reject(_("Das Archiv enthält ungewöhnlich viele Dateien."))
    total = 0
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise _reject(_("Die Datei ist verschlüsselt oder mit einem Passwort geschützt."))
        if entry.compress_type not in ZIP_METHODS:
            raise _reject(_("Das Archiv ist mit einem nicht erlaubten Verfahren komprimiert."))
        # The sizes in the directory are the sender's word: a first filter, not the limit itself.
        total += entry.file_size
        if total > ZIP_MAX_UNCOMPRESSED or entry.file_size > ZIP_MAX_RATIO * max(entry.compress_size, 1024):
            raise _reject(_("Das Archiv enthält ungewöhnlich große Einträge."))
    if any(PurePosixPath(entry.filename).name.lower() == "vbaproject.bin" for entry in entries):
        raise _reject(_("Die Datei enthält Makros."))


def _read_limited(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limit: int) -> bytes:
    """The entry's content, decompressed in chunks and never beyond `limit` bytes (+1 to notice);
    the CRC is checked once the end is reached."""
    chunks, size = [], 0
    with archive.open(entry) as member:
        while chunk := member.read(min(CHUNK, limit + 1 - size)):
            size += len(chunk)
            if size > limit:
                raise _reject(_("Das Archiv enthält ungewöhnlich große Einträge."))
            chunks.append(chunk)
    return b"".join(chunks)


def _package_text(content: bytes) -> str:
    encoding = "utf-16" if content.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8"
    # `vba&#80;roject` is `vbaProject` to Office, so character references are resolved first.
    return CHARACTER_REFERENCE.sub(_character, content.decode(encoding, errors="replace")).lower()


def _character(reference: re.Match) -> str:
    code = reference[1]
    value = int(code[1:], 16) if code[0] in "xX" else int(code)
    return chr(value) if 0 < value <= 0x10FFFF else ""


def _refuse_macros(archive: zipfile.ZipFile, entries) -> None:
    """OOXML: a VBA project, macro-enabled content or a macro sheet, named by content type or by a
    relationship, whatever the part holding it is called."""
    budget = PARTS_MAX_BYTES
    for entry in entries:
        name = entry.filename.lower()
        if name != "[content_types].xml" and not name.endswith(".rels"):
            continue
        content = _read_limited(archive, entry, min(PART_MAX_BYTES, budget))
        budget -= len(content)
        text = _package_text(content)
        if "<!doctype" in text:  # a DTD could define any name as an entity; OPC forbids them
            raise _reject(_("Die Datei ist kein gültiges Office-Dokument."))
        if any(marker in text for marker in MACRO_MARKERS):
            raise _reject(_("Die Datei enthält Makros."))
