"""Python codecs "tcvn3" and "vni" (decoding, incremental decoding, encoding).

Decoding runs in C (codecs.charmap_decode with a 256-character table); VNI then replaces its
few two-mark stand-ins and normalises to NFC. The output is always NFC. Encoding normalises
its input to NFC first and is meant for tests and fixtures, not for speed.
"""

from __future__ import annotations

import codecs
import unicodedata
from typing import TYPE_CHECKING

from portal.datastore.charsets import tables

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# Decoding ------------------------------------------------------------------------------------


def decode_tcvn3(data: ReadableBuffer, errors: str = "strict") -> tuple[str, int]:
    return codecs.charmap_decode(data, errors, tables.TCVN3_DECODING)


def decode_vni(data: ReadableBuffer, errors: str = "strict") -> tuple[str, int]:
    text, consumed = codecs.charmap_decode(data, errors, tables.VNI_DECODING)
    for stand_in, marks in tables.VNI_PAIRS.items():
        text = text.replace(stand_in, marks)
    return _nfc(text), consumed


class TcvnIncrementalDecoder(codecs.IncrementalDecoder):
    """One byte, one character: nothing to carry from one chunk to the next."""

    def decode(self, input: ReadableBuffer, final: bool = False) -> str:
        return decode_tcvn3(input, self.errors)[0]


class VniIncrementalDecoder(codecs.IncrementalDecoder):
    """Keeps the last letter and the diacritic bytes after it until the next chunk, since
    the next chunk may start with more diacritics for that letter."""

    def __init__(self, errors: str = "strict") -> None:
        super().__init__(errors)
        self.pending = b""

    def decode(self, input: ReadableBuffer, final: bool = False) -> str:
        data = self.pending + bytes(input)
        keep = len(data) if final else _last_letter_start(data)
        self.pending = data[keep:]
        return decode_vni(data[:keep], self.errors)[0]

    def reset(self) -> None:
        self.pending = b""

    def getstate(self) -> tuple[bytes, int]:
        return self.pending, 0

    def setstate(self, state: tuple[bytes, int]) -> None:
        self.pending = state[0]


def _last_letter_start(data: bytes) -> int:
    """Where the last byte that is not a diacritic starts (a chunk of diacritics alone has no
    letter to wait for)."""
    letters = data.rstrip(tables.VNI_MARK_BYTES)
    return len(letters) - 1 if letters else len(data)


# Encoding ------------------------------------------------------------------------------------


def _single_bytes(decoding: str) -> dict[str, bytes]:
    """Each character a table decodes one byte to (a combining mark or a stand-in alone is
    not text one can encode)."""
    return {char: bytes([byte]) for byte, char in enumerate(decoding)
            if char != tables.UNDEFINED and not unicodedata.combining(char)
            and char not in tables.VNI_PAIRS}


def _vni_letters() -> dict[str, bytes]:
    """Every precomposed letter VNI writes as a base letter and a diacritic byte."""
    found: dict[str, bytes] = {}
    for base in "aeiouyơưAEIOUYƠƯ":
        base_byte = tables.VNI_LETTERS.get(base, ord(base))
        for marks, (upper, lower) in tables.VNI_MARKS.items():
            letter = _nfc(base + marks)
            if len(letter) == 1 and letter not in tables.VNI_LETTERS:
                found[letter] = bytes([base_byte, upper if base.isupper() else lower])
    return found


TCVN3_ENCODING = _single_bytes(tables.TCVN3_DECODING)
VNI_ENCODING = _single_bytes(tables.VNI_DECODING) | _vni_letters()


def _charmap_encode(name: str, table: dict[str, bytes], text: str,
                    errors: str) -> tuple[bytes, int]:
    """Encodes with `table`, handing characters it lacks to the `errors` handler."""
    source = _nfc(text)
    out = bytearray()
    position = 0
    while position < len(source):
        code = table.get(source[position])
        if code is not None:
            out += code
            position += 1
            continue
        end = position + 1
        while end < len(source) and source[end] not in table:
            end += 1
        problem = UnicodeEncodeError(name, source, position, end, "character maps to <undefined>")
        replacement, position = codecs.lookup_error(errors)(problem)
        position = position + len(source) if position < 0 else position
        out += replacement if isinstance(replacement, bytes) else _strict(name, table, replacement)
    return bytes(out), len(text)


def _strict(name: str, table: dict[str, bytes], text: str) -> bytes:
    return _charmap_encode(name, table, text, "strict")[0]


def encode_tcvn3(text: str, errors: str = "strict") -> tuple[bytes, int]:
    return _charmap_encode("tcvn3", TCVN3_ENCODING, text, errors)


def encode_vni(text: str, errors: str = "strict") -> tuple[bytes, int]:
    return _charmap_encode("vni", VNI_ENCODING, text, errors)


# The codecs ----------------------------------------------------------------------------------


class TcvnIncrementalEncoder(codecs.IncrementalEncoder):
    def encode(self, input: str, final: bool = False) -> bytes:
        return encode_tcvn3(input, self.errors)[0]


class VniIncrementalEncoder(codecs.IncrementalEncoder):
    def encode(self, input: str, final: bool = False) -> bytes:
        return encode_vni(input, self.errors)[0]


class TcvnCodec(codecs.Codec):
    def encode(self, input: str, errors: str = "strict") -> tuple[bytes, int]:
        return encode_tcvn3(input, errors)

    def decode(self, input: bytes, errors: str = "strict") -> tuple[str, int]:
        return decode_tcvn3(input, errors)


class VniCodec(codecs.Codec):
    def encode(self, input: str, errors: str = "strict") -> tuple[bytes, int]:
        return encode_vni(input, errors)

    def decode(self, input: bytes, errors: str = "strict") -> tuple[str, int]:
        return decode_vni(input, errors)


class TcvnStreamReader(TcvnCodec, codecs.StreamReader):
    pass


class TcvnStreamWriter(TcvnCodec, codecs.StreamWriter):
    pass


class VniStreamReader(VniCodec, codecs.StreamReader):
    """Each read is decoded whole; open() (TextIOWrapper, the incremental decoder) is exact
    where a diacritic byte falls at the start of the next read."""


class VniStreamWriter(VniCodec, codecs.StreamWriter):
    pass


TCVN3 = codecs.CodecInfo(
    name="tcvn3", encode=encode_tcvn3, decode=decode_tcvn3,
    incrementalencoder=TcvnIncrementalEncoder, incrementaldecoder=TcvnIncrementalDecoder,
    streamreader=TcvnStreamReader, streamwriter=TcvnStreamWriter,
)
VNI = codecs.CodecInfo(
    name="vni", encode=encode_vni, decode=decode_vni,
    incrementalencoder=VniIncrementalEncoder, incrementaldecoder=VniIncrementalDecoder,
    streamreader=VniStreamReader, streamwriter=VniStreamWriter,
)
# Python hands search functions the name in lower case, with spaces (and, since 3.9, hyphens)
# turned into underscores.
NAMES = {
    "tcvn3": TCVN3, "tcvn_3": TCVN3, "vn3": TCVN3, "tcvn5712_3": TCVN3,
    "vni": VNI, "vni_win": VNI, "vni_windows": VNI,
}


def search(name: str) -> codecs.CodecInfo | None:
    return NAMES.get(name.replace("-", "_"))
