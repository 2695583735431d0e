"""The byte tables of TCVN3 and VNI, as published (TCVN 5712:1993 part 3; VNI-Windows), checked
against the tables of Unikey's converter (vnconv) and of the .VnTime fonts.

Both encodings keep ASCII. Windows programs saved them next to Windows-1252 punctuation
(curly quotes, dashes) in 0x80-0x9F, so those bytes read as in Windows-1252, as Unikey does.
A byte the encoding leaves free reads as in Windows-1252 when that is a symbol (°, ±, ×);
when it would be a letter (À, Ý, ß...) it is an error: any reading would be a guess.
"""

from __future__ import annotations

import unicodedata

UNDEFINED = "\ufffe"  # what codecs.charmap_decode takes for "no character here"

# TCVN3 = VN3: every lowercase letter, and uppercase letters only without tone marks
# (ABC users wrote capitals with tone marks by switching to an all-capital font, .VnTimeH,
# which draws the lowercase codes as capitals).
TCVN3_LETTERS: dict[str, int] = {
    "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7,
    "ă": 0xA8, "â": 0xA9, "ê": 0xAA, "ô": 0xAB, "ơ": 0xAC, "ư": 0xAD, "đ": 0xAE,
    "à": 0xB5, "ả": 0xB6, "ã": 0xB7, "á": 0xB8, "ạ": 0xB9,
    "ằ": 0xBB, "ẳ": 0xBC, "ẵ": 0xBD, "ắ": 0xBE, "ặ": 0xC6,
    "ầ": 0xC7, "ẩ": 0xC8, "ẫ": 0xC9, "ấ": 0xCA, "ậ": 0xCB,
    "è": 0xCC, "ẻ": 0xCE, "ẽ": 0xCF, "é": 0xD0, "ẹ": 0xD1,
    "ề": 0xD2, "ể": 0xD3, "ễ": 0xD4, "ế": 0xD5, "ệ": 0xD6,
    "ì": 0xD7, "ỉ": 0xD8, "ĩ": 0xDC, "í": 0xDD, "ị": 0xDE,
    "ò": 0xDF, "ỏ": 0xE1, "õ": 0xE2, "ó": 0xE3, "ọ": 0xE4,
    "ồ": 0xE5, "ổ": 0xE6, "ỗ": 0xE7, "ố": 0xE8, "ộ": 0xE9,
    "ờ": 0xEA, "ở": 0xEB, "ỡ": 0xEC, "ớ": 0xED, "ợ": 0xEE,
    "ù": 0xEF, "ủ": 0xF1, "ũ": 0xF2, "ú": 0xF3, "ụ": 0xF4,
    "ừ": 0xF5, "ử": 0xF6, "ữ": 0xF7, "ứ": 0xF8, "ự": 0xF9,
    "ỳ": 0xFA, "ỷ": 0xFB, "ỹ": 0xFC, "ý": 0xFD, "ỵ": 0xFE,
}

# VNI writes most letters as a base letter followed by a byte that the VNI fonts draw as a
# diacritic. Seen through Windows-1252, "nhân" is "nhaân" and "trường" is "tröôøng".
# These letters have one byte of their own:
VNI_LETTERS: dict[str, int] = {
    "Đ": 0xD1, "đ": 0xF1, "Ơ": 0xD4, "ơ": 0xF4, "Ư": 0xD6, "ư": 0xF6,
    "Í": 0xCD, "í": 0xED, "Ì": 0xCC, "ì": 0xEC, "Ỉ": 0xC6, "ỉ": 0xE6,
    "Ĩ": 0xD3, "ĩ": 0xF3, "Ị": 0xD2, "ị": 0xF2, "Ỵ": 0xCE, "ỵ": 0xEE,
}

ACUTE, GRAVE, HOOK, TILDE, DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
CIRCUMFLEX, BREVE, HORN = "\u0302", "\u0306", "\u031b"
TONES = (ACUTE, GRAVE, HOOK, TILDE, DOT)

# The diacritic bytes, as combining marks: (byte after a capital, byte after a small letter).
# Circumflex or breve with a tone is one byte.
VNI_MARKS: dict[str, tuple[int, int]] = {
    ACUTE: (0xD9, 0xF9), GRAVE: (0xD8, 0xF8), HOOK: (0xDB, 0xFB), TILDE: (0xD5, 0xF5),
    DOT: (0xCF, 0xEF), CIRCUMFLEX: (0xC2, 0xE2), BREVE: (0xCA, 0xEA),
    CIRCUMFLEX + ACUTE: (0xC1, 0xE1), CIRCUMFLEX + GRAVE: (0xC0, 0xE0),
    CIRCUMFLEX + HOOK: (0xC5, 0xE5), CIRCUMFLEX + TILDE: (0xC3, 0xE3),
    CIRCUMFLEX + DOT: (0xC4, 0xE4),
    BREVE + ACUTE: (0xC9, 0xE9), BREVE + GRAVE: (0xC8, 0xE8), BREVE + HOOK: (0xDA, 0xFA),
    BREVE + TILDE: (0xDC, 0xFC), BREVE + DOT: (0xCB, 0xEB),
}


def _windows_1252(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return UNDEFINED


def _free_byte(byte: int) -> str:
    """What a byte the encoding leaves free reads as (see the module's docstring)."""
    char = _windows_1252(byte)
    return UNDEFINED if unicodedata.category(char) in ("Lu", "Ll") else char


def _decoding_table(assigned: dict[int, str]) -> str:
    """256 characters for codecs.charmap_decode."""
    return "".join(chr(byte) if byte < 0x80 else _windows_1252(byte) if byte < 0xA0
                   else assigned.get(byte, _free_byte(byte)) for byte in range(256))


TCVN3_DECODING = _decoding_table({byte: char for char, byte in TCVN3_LETTERS.items()}
                                 | {0xA0: "\u00a0"})

# In the VNI table a diacritic byte decodes to its combining mark(s); NFC then joins it to the
# letter before it. Charmap tables give one character per byte, so a byte with two marks
# decodes first to a private-use stand-in, replaced right after.
VNI_PAIRS: dict[str, str] = {
    chr(0xE000 + index): marks
    for index, marks in enumerate(marks for marks in VNI_MARKS if len(marks) == 2)
}
_STAND_IN = {marks: stand_in for stand_in, marks in VNI_PAIRS.items()}
VNI_MARK_BYTES = bytes(sorted(byte for pair in VNI_MARKS.values() for byte in pair))
VNI_DECODING = _decoding_table(
    {byte: char for char, byte in VNI_LETTERS.items()}
    | {byte: _STAND_IN.get(marks, marks) for marks, pair in VNI_MARKS.items() for byte in pair}
)
