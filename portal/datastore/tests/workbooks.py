"""Spreadsheets written by hand, as a hostile or careless program would write them: a sheet's XML
with any `<dimension>` (or none), cells without positions, sizes the ZIP declares falsely, and a
sheet of millions of cells that weighs a few megabytes (one compressed block, repeated)."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/></Types>')
PACKAGE_RELS = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
                f'<Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" '
                'Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" '
            f'xmlns:r="{DOC_RELS}"><sheets><sheet name="Trang 1" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>")
WORKBOOK_RELS = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
                 f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" '
                 'Target="worksheets/sheet1.xml"/></Relationships>')


def column(index: int) -> str:
    """A column's letters, from 0: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_head(dimension: str | None) -> bytes:
    claim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{claim}'
            "<sheetData>").encode()


SHEET_TAIL = b"</sheetData></worksheet>"


def rows_xml(rows: Iterable[Iterable[object]], *, first: int = 1) -> bytes:
    """Rows of numbers and inline strings, each cell with its position."""
    parts = []
    for number, row in enumerate(rows, start=first):
        cells = []
        for index, value in enumerate(row):
            ref = f"{column(index)}{number}"
            if value is None:
                continue
            if isinstance(value, str):
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
            else:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        parts.append(f'<row r="{number}">{"".join(cells)}</row>')
    return "".join(parts).encode()


def xlsx(sheet: bytes, *, declared: dict[str, int] | None = None) -> bytes:
    """A workbook of one sheet whose XML is `sheet`; `declared` gives false sizes by member."""
    members = [("[Content_Types].xml", CONTENT_TYPES.encode()),
               ("_rels/.rels", PACKAGE_RELS.encode()),
               ("xl/workbook.xml", WORKBOOK.encode()),
               ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.encode()),
               ("xl/worksheets/sheet1.xml", sheet)]
    entries = []
    for name, data in members:
        packed = zlib.compressobj(6, zlib.DEFLATED, -15)
        compressed = packed.compress(data) + packed.flush()
        size = (declared or {}).get(name, len(data))
        entries.append((name, compressed, zlib.crc32(data), size))
    return zipped(entries)


def repeated_xlsx(block: bytes, times: int, *, dimension: str | None = None) -> bytes:
    """A workbook of one sheet holding `block` (rows) `times` over, deflated once: a sheet of
    58 million cells weighs some 6 MB, as the attacker's file did."""
    head, tail = sheet_head(dimension), SHEET_TAIL
    parts = [_deflated(head, zlib.Z_FULL_FLUSH), _deflated(block, zlib.Z_FULL_FLUSH) * times,
             _deflated(tail, zlib.Z_FINISH)]
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    small = [(name, _deflated(data.encode(), zlib.Z_FINISH), zlib.crc32(data.encode()),
              len(data.encode()))
             for name, data in (("[Content_Types].xml", CONTENT_TYPES),
                                ("_rels/.rels", PACKAGE_RELS), ("xl/workbook.xml", WORKBOOK),
                                ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS))]
    size = len(head) + len(block) * times + len(tail)
    return zipped([*small, ("xl/worksheets/sheet1.xml", b"".join(parts), crc, size)])


def _deflated(data: bytes, flush: int) -> bytes:
    """Raw deflate of `data` from a fresh state; ended by a full flush, the bytes may be
    repeated, each copy decoding to `data` again."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(flush)


def zipped(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A ZIP of deflated members (name, compressed bytes, CRC-32, declared size)."""
    out, directory = bytearray(), bytearray()
    for name, data, crc, size in entries:
        encoded, offset = name.encode(), len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size,
                           len(encoded), 0) + encoded + data
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc,
                                 len(data), size, len(encoded), 0, 0, 0, 0, 0,
                                 offset) + encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory),
                      len(out), 0)
    return bytes(out + directory + end)
