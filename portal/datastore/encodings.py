"""Character encodings of the text files agencies upload: which one a file uses, and its
conversion to UTF-8 (NFC) before DuckDB reads it.

Besides UTF-8 and UTF-16, Vietnamese files come in Windows-1258 (which writes tone marks as
separate combining characters) and in the legacy TCVN3 (ABC) and VNI encodings, registered
here as the Python codecs "tcvn3" and "vni". Pure Python: no DuckDB here.
"""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, gettext_noop

from portal.datastore.charsets import legacy
from portal.datastore.charsets.tables import TONES
from portal.datastore.charsets.vietnamese import evidence
from portal.datastore.errors import IngestError

ENCODING_CHOICES: list[tuple[str, Promise]] = [
    ("utf-8", gettext_lazy("UTF-8 (Unicode)")),
    ("utf-8-sig", gettext_lazy("UTF-8 with a byte order mark (Excel's “CSV UTF-8”)")),
    ("utf-16", gettext_lazy("UTF-16 with a byte order mark (Excel's “Unicode text”)")),
    ("utf-16-le", gettext_lazy("UTF-16 little-endian, without a byte order mark")),
    ("utf-16-be", gettext_lazy("UTF-16 big-endian, without a byte order mark")),
    ("cp1258", gettext_lazy("Windows-1258 (Vietnamese Windows)")),
    ("tcvn3", gettext_lazy("TCVN3 (ABC), for .Vn fonts such as .VnTime")),
    ("vni", gettext_lazy("VNI Windows, for VNI fonts such as VNI-Times")),
    ("cp1252", gettext_lazy("Windows-1252 (Western European, without Vietnamese letters)")),
]
# Names shown inside messages, the same in every language.
DISPLAY_NAMES = {
    "utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-16-le": "UTF-16LE",
    "utf-16-be": "UTF-16BE", "cp1258": "Windows-1258", "tcvn3": "TCVN3 (ABC)", "vni": "VNI",
    "cp1252": "Windows-1252", "ascii": "ASCII", "iso8859-1": "Latin-1",
}

_registered = False


def register() -> None:
    """Makes "tcvn3" and "vni" known to Python's codecs (once, however often it is called)."""
    global _registered
    if not _registered:
        codecs.register(legacy.search)
        _registered = True


register()


class EncodingError(IngestError):
    """The bytes at `byte_offset` (from 0; on `line`, from 1) are not valid in `encoding`."""

    def __init__(self, encoding: str, byte_offset: int, line: int) -> None:
        super().__init__(
            gettext_noop("The file cannot be read as %(encoding)s: line %(line)s (byte "
                         "%(offset)s of the file) has bytes that are not valid in that encoding. "
                         "Choose another encoding, or save the file as UTF-8 and upload it "
                         "again."),
            encoding=_display_name(encoding), line=line, offset=byte_offset)
        self.encoding, self.byte_offset, self.line = encoding, byte_offset, line


def _display_name(encoding: str) -> str:
    name = codecs.lookup(encoding).name
    return DISPLAY_NAMES.get(name, name)


class UnknownEncoding(IngestError):
    def __init__(self, encoding: str) -> None:
        super().__init__(gettext_noop("The portal does not know the character encoding "
                                      "“%(encoding)s”. Choose one from the list."),
                         encoding=encoding)


def decode(data: bytes, encoding: str, errors: str = "strict") -> str:
    """`data` as text in NFC, whatever form the encoding gives (Windows-1258 gives marks),
    without a byte order mark."""
    text = _decoder(encoding, errors).decode(data, final=True)
    return unicodedata.normalize("NFC", text.removeprefix("\ufeff"))


def _decoder(encoding: str, errors: str = "strict") -> codecs.IncrementalDecoder:
    name = codecs.lookup(encoding).name
    # We drop a byte order mark in any case, and utf-8-sig would count the offsets of errors
    # from after the mark, not from the start of the file.
    return codecs.getincrementaldecoder("utf-8" if name == "utf-8-sig" else name)(errors)


def encode(text: str, encoding: str, errors: str = "strict") -> bytes:
    """`text` in `encoding`; for Windows-1258 in the form Windows writes it, letter plus tone
    mark where the toned letter has no code of its own. Meant for fixtures."""
    if codecs.lookup(encoding).name == "cp1258":
        text = "".join(_windows_1258_form(char) for char in unicodedata.normalize("NFC", text))
    return text.encode(encoding, errors)


def _windows_1258_form(char: str) -> str:
    try:
        char.encode("cp1258")
    except UnicodeEncodeError:
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(mark for mark in decomposed if mark in TONES)
        rest = "".join(mark for mark in decomposed if mark not in TONES)
        return unicodedata.normalize("NFC", rest) + tones
    return char


# Detection -----------------------------------------------------------------------------------

# Legacy encodings we tell apart by how Vietnamese the text they give looks; Windows-1252 (a
# Western file) counts a little less, since the portal serves Vietnamese agencies.
_GUESSES = {"cp1258": 1.0, "tcvn3": 1.0, "vni": 1.0, "cp1252": 0.9, "utf-8": 1.0}
MIN_SCORE = 0.8  # the share of Vietnamese-looking words of a confident guess
MIN_LEAD = 0.2  # how far ahead of the runner-up it must be
MIN_WORDS = 3  # fewer words with Vietnamese letters than this prove nothing
SCORED_CHARACTERS = 1 << 16  # the start of the sample that is scored (all of it is checked)
_TEXT_CONTROLS = b"\t\n\r\x0c\x1a"


@dataclass(frozen=True)
class Detection:
    encoding: str
    confident: bool
    candidates: list[tuple[str, float]]  # best first; scores from 0 to 1


def detect(sample: bytes) -> Detection:
    """The encoding of a file from its first bytes (the sample may end inside a character)."""
    found = _by_byte_order_mark(sample) or _utf16_without_mark(sample)
    if found:
        return found
    binary = looks_binary(sample)
    if sample.isascii():
        return Detection("utf-8", not binary, [("utf-8", 0.0 if binary else 1.0)])
    if _valid(sample, "utf-8") is not None:
        return Detection("utf-8", not binary, [("utf-8", 1.0)])
    return _guess(sample, binary)


def _by_byte_order_mark(sample: bytes) -> Detection | None:
    for mark, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                           (codecs.BOM_UTF16_BE, "utf-16")):
        if sample.startswith(mark):
            text = _valid(sample, encoding)
            if text is not None and "\x00" not in text:
                return Detection(encoding, True, [(encoding, 1.0)])
    return None


def _utf16_without_mark(sample: bytes) -> Detection | None:
    """UTF-16 shows as zero bytes on one side of each pair (ASCII and most Vietnamese letters
    have a high byte of 0x00 or 0x1E), and almost none on the other."""
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even, odd = sample[0:pairs * 2:2].count(0) / pairs, sample[1:pairs * 2:2].count(0) / pairs
    encoding = ("utf-16-le" if odd > 0.3 and even < 0.05 else
                "utf-16-be" if even > 0.3 and odd < 0.05 else None)
    if encoding is None:
        return None
    text = _valid(sample, encoding)
    if text is None or "\x00" in text:
        return None
    return Detection(encoding, True, [(encoding, 1.0)])


def _valid(sample: bytes, encoding: str) -> str | None:
    """The sample as text if it is valid in `encoding`, but for a character cut at its end."""
    try:
        return codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except UnicodeDecodeError:
        return None


def looks_binary(sample: bytes) -> bool:
    controls = len(sample.translate(None, bytes(range(0x20, 256)) + _TEXT_CONTROLS))
    return b"\x00" in sample or controls > len(sample) / 100


def _guess(sample: bytes, binary: bool) -> Detection:
    scored: list[tuple[str, float, bool, int]] = []
    for encoding, weight in _GUESSES.items():
        text = _decoder(encoding, "replace").decode(sample)
        seen = evidence(unicodedata.normalize("NFC", text[:SCORED_CHARACTERS]))
        scored.append((encoding, round(seen.score * weight, 3), "\ufffd" not in text, seen.total))
    scored.sort(key=lambda item: item[1], reverse=True)
    (best, score, clean, words), runner_up = scored[0], scored[1][1]
    confident = (not binary and clean and words >= MIN_WORDS and score >= MIN_SCORE
                 and score - runner_up >= MIN_LEAD)
    return Detection(best, confident, [(encoding, score) for encoding, score, *_ in scored])


# Conversion ----------------------------------------------------------------------------------

_Reader = Callable[[int], bytes]
_Writer = Callable[[bytes], int]


class _InvalidAt(Exception):
    def __init__(self, offset: int) -> None:
        self.offset = offset


def transcode_to_utf8(src: Path, dst: Path, encoding: str, *, chunk_size: int = 1 << 20) -> None:
    """Writes `src`, read in `encoding`, to `dst` as UTF-8 without a byte order mark, in NFC,
    a chunk at a time. Raises EncodingError (with the byte offset and line) on bytes that are
    not valid in `encoding`; `dst` is then removed."""
    try:
        decoder = _decoder(encoding)
    except LookupError:
        raise UnknownEncoding(encoding) from None
    try:
        with src.open("rb") as source, dst.open("wb") as target:
            _transcode(source.read, target.write, decoder, encoding, chunk_size)
    except _InvalidAt as invalid:
        dst.unlink(missing_ok=True)
        line = _line_at(src, encoding, invalid.offset, chunk_size)
        raise EncodingError(encoding, invalid.offset, line) from None
    except BaseException:
        dst.unlink(missing_ok=True)
        raise


def _transcode(read: _Reader, write: _Writer, decoder: codecs.IncrementalDecoder,
               encoding: str, chunk_size: int) -> None:
    # TCVN3 and VNI decode to NFC already; the other decoders may leave marks apart.
    normaliser = _NfcStream() if codecs.lookup(encoding).name not in ("tcvn3", "vni") else None
    offset = 0
    started = False
    while True:
        chunk = read(chunk_size)
        buffered = decoder.getstate()[0]  # bytes of earlier chunks the error would count in
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            raise _InvalidAt(offset - len(buffered) + error.start) from None
        offset += len(chunk)
        if not started and text:
            text, started = text.removeprefix("\ufeff"), True
        if normaliser is not None:
            text = normaliser.feed(text) + (normaliser.flush() if not chunk else "")
        write(text.encode("utf-8"))
        if not chunk:
            return


def _line_at(src: Path, encoding: str, offset: int, chunk_size: int) -> int:
    """The line of the byte at `offset`, counting the line ends of the valid text before it
    (read again: only a failed conversion pays for it)."""
    decoder, lines = _decoder(encoding), 1
    with src.open("rb") as source:
        while offset > 0:
            chunk = source.read(min(chunk_size, offset))
            offset -= len(chunk)
            lines += decoder.decode(chunk, final=offset <= 0 or not chunk).count("\n")
            if not chunk:
                break
    return lines


class _NfcStream:
    """NFC over a text that arrives in pieces. A combining mark at the start of a piece belongs
    to the letter at the end of the one before, so each piece is held back from its last
    ASCII character (which nothing before it can combine with) until the next arrives."""

    def __init__(self) -> None:
        self.pending = ""

    def feed(self, text: str) -> str:
        text = self.pending + text
        cut = _last_safe_cut(text)
        self.pending = text[cut:]
        return unicodedata.normalize("NFC", text[:cut])

    def flush(self) -> str:
        text, self.pending = self.pending, ""
        return unicodedata.normalize("NFC", text)


def _last_safe_cut(text: str, look_back: int = 4096) -> int:
    for index in range(len(text) - 1, max(-1, len(text) - look_back - 1), -1):
        if text[index] < "\x80":
            return index
    # No ASCII nearby: a text of other scripts. Cut before the last character that is not a
    # combining mark, unless the piece is still small enough to wait for more.
    if len(text) < 1 << 16:
        return 0
    for index in range(len(text) - 1, -1, -1):
        if not unicodedata.combining(text[index]):
            return index
    return len(text)
