"""What a file's content is, from its first bytes, checked before it is read as a table.

A PDF renamed `.csv` would otherwise be read as text and become a table of garbage. Each
signature is a few bytes every file of its kind starts with (a "magic number"); ZIP and OLE2
containers (Office files) are told apart by the names inside them. A small table of our own:
libmagic would add a system library for the dozen kinds agencies upload by mistake.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_noop

from portal.datastore.errors import IngestError

MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP"),
    (b"PK\x05\x06", "ZIP"),  # an empty archive
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2"),  # Office 97-2003 (XLS, DOC, PPT), encrypted
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"PAR1", "Parquet"),
    (b"\x1f\x8b", "GZIP"),
    (b"7z\xbc\xaf\x27\x1c", "7Z"),
    (b"Rar!\x1a\x07", "RAR"),
    (b"{\\rtf", "RTF"),
)
# Markup where a table of text was expected (government systems often export "XLS" as HTML).
HTML_STARTS = (b"<!doctype html", b"<html", b"<table", b"<head", b"<body", b"<meta")
XML_STARTS = (b"<?xml",)
# Inside a ZIP: the member that names the kind.
ZIP_MEMBERS = (("xl/workbook.xml", "XLSX"), ("xl/workbook.bin", "XLSB"),
               ("word/document.xml", "DOCX"), ("ppt/presentation.xml", "PPTX"))
ODF_TYPES = {"application/vnd.oasis.opendocument.spreadsheet": "ODS",
             "application/vnd.oasis.opendocument.text": "ODT",
             "application/vnd.oasis.opendocument.presentation": "ODP"}
# Inside an OLE2 file: the stream names (UTF-16) that name the kind.
OLE2_STREAMS = (("EncryptedPackage", "ENCRYPTED"), ("Workbook", "XLS"), ("Book", "XLS"),
                ("WordDocument", "DOC"), ("PowerPoint Document", "PPT"))
OLE2_SEARCH_BYTES = 1 << 20

SPREADSHEETS = {"XLSX", "XLSB", "ODS", "XLS"}
TEXT = ""  # no signature: text (or unknown bytes, which the text readers refuse themselves)
READS_AS = {"XLSX": "spreadsheet", "XLSB": "spreadsheet", "ODS": "spreadsheet",
            "XLS": "spreadsheet", "Parquet": "parquet", TEXT: "text"}
ACCEPTS = {"csv": {TEXT}, "json": {TEXT}, "geojson": {TEXT}, "parquet": {"Parquet"},
           # An Office 97-2003 file whose directory was not found is tried as XLS, a ZIP
           # without a workbook as XLSX: the reader says what is wrong with them.
           "spreadsheet": SPREADSHEETS | {"OLE2", "ZIP"}}
PASSWORD_PROTECTED = gettext_noop(
    "The file is protected by a password, so the portal cannot read it. Remove the password "
    "(in Excel: File, Info, Protect Workbook) and upload it again.")


@dataclass(frozen=True)
class Content:
    code: str  # "PDF", "XLSX", ..., TEXT

    @property
    def extension(self) -> str:
        """The file name extension the spreadsheet reader expects for this content."""
        return {"OLE2": ".xls", "ZIP": ".xlsx"}.get(self.code, "." + self.code.lower())


def identify(path: Path) -> Content:
    with path.open("rb") as handle:
        head = handle.read(4096)
    code = next((name for magic, name in MAGIC if head.startswith(magic)), None)
    if code == "ZIP":
        return Content(_zip_kind(path))
    if code == "OLE2":
        return Content(_ole2_kind(path))
    if code is not None:
        return Content(code)
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(HTML_STARTS):
        return Content("HTML")
    if start.startswith(XML_STARTS):
        return Content("XML")
    return Content(TEXT)


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if mimetype in ODF_TYPES:
                    return ODF_TYPES[mimetype]
    except (zipfile.BadZipFile, OSError, EOFError):
        return "ZIP"
    return next((kind for member, kind in ZIP_MEMBERS if member in names), "ZIP")


def _ole2_kind(path: Path) -> str:
    """The directory of an OLE2 file may be anywhere: its first and last megabyte are read."""
    with path.open("rb") as handle:
        found = handle.read(OLE2_SEARCH_BYTES)
        size = handle.seek(0, 2)
        if size > OLE2_SEARCH_BYTES:
            handle.seek(max(OLE2_SEARCH_BYTES, size - OLE2_SEARCH_BYTES))
            found += handle.read(OLE2_SEARCH_BYTES)
    return next((kind for name, kind in OLE2_STREAMS
                 if name.encode("utf-16-le") + b"\x00\x00" in found), "OLE2")


def require(content: Content, kind: str) -> None:
    """Refuse a file whose content is not what its name or format says it is."""
    if content.code in ACCEPTS[kind]:
        return
    if content.code == "ENCRYPTED":
        raise IngestError(PASSWORD_PROTECTED)
    if content.code in READS_AS:
        found = "CSV" if content.code == TEXT else content.code
        raise IngestError(gettext_noop(
            "The file's content is in the %(found)s format, but the resource says it is another "
            "format. Set the resource's format to %(found)s (or upload the file with that "
            "extension) and read it again."), found=found)
    raise IngestError(gettext_noop(
        "The file's content is in the %(found)s format, not a table. The file stays "
        "downloadable, but the portal cannot show it as a table: upload the table itself as "
        "CSV, Excel, ODS, JSON or Parquet."), found=_shown_name(content.code))


def _shown_name(code: str) -> str:
    return {"OLE2": "Office 97-2003", "GZIP": "gzip", "7Z": "7-Zip"}.get(code, code)
