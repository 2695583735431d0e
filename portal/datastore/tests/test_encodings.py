"""The legacy Vietnamese codecs, encoding detection and the streaming conversion to UTF-8."""

from __future__ import annotations

import codecs
import random
import tracemalloc
import unicodedata
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest
from django.utils import translation

from portal.datastore import encodings
from portal.datastore.encodings import (
    ENCODING_CHOICES,
    Detection,
    EncodingError,
    UnknownEncoding,
    detect,
    transcode_to_utf8,
)
from portal.lib.errors import ApplicationError, render_kept

# The 67 letters of the Vietnamese alphabet beyond ASCII, written out rather than computed.
LOWER = ("áàảãạ ăắằẳẵặ âấầẩẫậ éèẻẽẹ êếềểễệ íìỉĩị óòỏõọ ôốồổỗộ ơớờởỡợ úùủũụ ưứừửữự ýỳỷỹỵ đ"
         .replace(" ", ""))
UPPER = LOWER.upper()
TCVN3_CAPITALS = "ĂÂÊÔƠƯĐ"  # the only capitals TCVN3 has: no tone marks

TABLE = (
    "STT,Tên đơn vị,Địa chỉ,Số cán bộ,Kinh phí (đồng)\n"
    "1,Sở Tài nguyên và Môi trường,Số 2 đường Trần Hưng Đạo,125,\"1.234.567,8\"\n"
    "2,Ủy ban nhân dân xã Gia Sinh,huyện Gia Viễn,32,\"987.000\"\n"
    "3,Trường trung học phổ thông Hoa Lư,phường Đông Thành,87,\"15.300.000\"\n"
    "4,Bệnh viện đa khoa tỉnh Ninh Bình,đường Tuệ Tĩnh,640,\"2.500.000.000\"\n"
)


def typed_in_tcvn3(text: str) -> str:
    """What an ABC user's file holds: a capital with a tone mark was typed in an all-capital
    font, so the file has the small letter's code."""
    return "".join(char.lower() if char in UPPER and char not in TCVN3_CAPITALS else char
                   for char in text)


def expected_text(text: str, encoding: str) -> str:
    return typed_in_tcvn3(text) if encoding == "tcvn3" else text


# The codecs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "canonical"), [
    ("tcvn3", "tcvn3"), ("TCVN3", "tcvn3"), ("tcvn-3", "tcvn3"), ("VN3", "tcvn3"),
    ("vni", "vni"), ("VNI-Windows", "vni"), ("vni_win", "vni"),
])
def test_the_legacy_codecs_are_known_to_python(name: str, canonical: str) -> None:
    encodings.register()
    encodings.register()
    assert codecs.lookup(name).name == canonical


@pytest.mark.parametrize(("encoding", "data", "text"), [
    ("tcvn3", b"U\xfb ban nh\xa9n d\xa9n t\xd8nh Ninh B\xd7nh", "Uỷ ban nhân dân tỉnh Ninh Bình"),
    ("tcvn3", b"S\xeb T\xb5i nguy\xaan v\xb5 M\xabi tr\xad\xeang", "Sở Tài nguyên và Môi trường"),
    ("tcvn3", b"\xa7\xabng Th\xb5nh, \x93ph\xad\xeang\x94", "Đông Thành, “phường”"),
    ("vni", "UÛy ban nhaân daân tænh Ninh Bình".encode("cp1252"), "Ủy ban nhân dân tỉnh Ninh Bình"),
    ("vni", "Sôû Taøi nguyeân vaø Moâi tröôøng".encode("cp1252"), "Sở Tài nguyên và Môi trường"),
    ("vni", "Ñoàng Nai, ÑAÉK LAÉK, Quaûng Trò".encode("cp1252"), "Đồng Nai, ĐẮK LẮK, Quảng Trị"),
])
def test_text_as_the_legacy_fonts_showed_it_decodes(encoding: str, data: bytes,
                                                    text: str) -> None:
    assert data.decode(encoding) == text
    assert text.encode(encoding) == data


@pytest.mark.parametrize("encoding", ["vni", "cp1258", "utf-8", "utf-16"])
def test_every_letter_of_the_alphabet_survives_a_round_trip(encoding: str) -> None:
    alphabet = LOWER + UPPER
    assert len(alphabet) == 134
    for letter in alphabet:
        assert encodings.decode(encodings.encode(letter, encoding), encoding) == letter
    assert encodings.decode(encodings.encode(alphabet, encoding), encoding) == alphabet


def test_tcvn3_round_trips_small_letters_and_capitals_without_tone_marks() -> None:
    for letter in LOWER + TCVN3_CAPITALS:
        assert len(letter.encode("tcvn3")) == 1
        assert letter.encode("tcvn3").decode("tcvn3") == letter


def test_tcvn3_refuses_capitals_with_tone_marks_it_has_no_code_for() -> None:
    with pytest.raises(UnicodeEncodeError):
        "Ủy ban".encode("tcvn3")
    assert "Ủy ban".encode("tcvn3", "replace") == b"?y ban"
    assert len([letter for letter in UPPER if letter not in TCVN3_CAPITALS]) == 60


def test_windows_1258_is_decoded_to_composed_letters() -> None:
    data = b"Ti\xea\xecng Vi\xea\xf2t"  # ê + combining acute, ê + combining dot below
    assert data.decode("cp1258") != "Tiếng Việt"
    assert encodings.decode(data, "cp1258") == "Tiếng Việt"
    assert encodings.encode("Tiếng Việt", "cp1258") == data


def test_decoded_text_has_no_byte_order_mark() -> None:
    assert encodings.decode(codecs.BOM_UTF8 + "Hà Nội".encode(), "utf-8") == "Hà Nội"
    assert encodings.decode(codecs.BOM_UTF8 + "Hà Nội".encode(), "utf-8-sig") == "Hà Nội"
    assert encodings.decode("Hà Nội".encode("utf-16"), "utf-16") == "Hà Nội"


@pytest.mark.parametrize(("encoding", "byte"), [
    ("tcvn3", 0x81), ("tcvn3", 0xE0), ("tcvn3", 0xC1), ("vni", 0x81), ("vni", 0xDF),
])
def test_bytes_the_encoding_leaves_free_as_letters_are_errors(encoding: str, byte: int) -> None:
    with pytest.raises(UnicodeDecodeError):
        bytes([0x61, byte]).decode(encoding)
    assert bytes([0x61, byte]).decode(encoding, "replace") == "a\ufffd"


def test_free_bytes_that_are_symbols_read_as_in_windows_1252() -> None:
    assert b"25\xb0C \xb1 1".decode("tcvn3") == "25°C ± 1"
    assert b"3 \xd7 4".decode("vni") == "3 × 4"


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_decoded_text_is_composed(encoding: str) -> None:
    text = bytes(range(0x20, 0x100)).decode(encoding, "replace")
    assert unicodedata.is_normalized("NFC", text)


def test_vni_decodes_the_same_whatever_the_chunks() -> None:
    data = "Ủy ban nhân dân xã Gia Sinh, ĐẮK LẮK, Quảng Trị, tổng kết".encode("vni")
    whole = data.decode("vni")
    for cut in range(len(data) + 1):
        decoder = codecs.getincrementaldecoder("vni")()
        assert decoder.decode(data[:cut]) + decoder.decode(data[cut:], final=True) == whole
    decoder = codecs.getincrementaldecoder("vni")()
    pieces = [decoder.decode(data[index:index + 1]) for index in range(len(data))]
    assert "".join(pieces) + decoder.decode(b"", final=True) == whole


def test_open_reads_a_vni_file(tmp_path: Path) -> None:
    path = tmp_path / "vni.csv"
    path.write_bytes(TABLE.encode("vni") * 500)
    with path.open(encoding="vni", newline="") as handle:
        assert handle.read() == TABLE * 500


# Detection -----------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "cp1258", "tcvn3", "vni"])
def test_a_table_is_recognised_in_each_encoding(encoding: str) -> None:
    found = detect(encodings.encode(expected_text(TABLE, encoding), encoding))
    assert found.encoding == encoding
    assert found.confident
    assert found.candidates[0] == (encoding, 1.0)


@pytest.mark.parametrize("encoding", ["cp1258", "tcvn3", "vni"])
def test_the_runner_up_is_far_behind(encoding: str) -> None:
    candidates = detect(encodings.encode(expected_text(TABLE, encoding), encoding)).candidates
    assert candidates[0][0] == encoding
    assert all(score <= 0.5 for _, score in candidates[1:])
    assert [score for _, score in candidates] == sorted((s for _, s in candidates), reverse=True)


@pytest.mark.parametrize(("data", "encoding"), [
    (codecs.BOM_UTF8 + TABLE.encode(), "utf-8-sig"),
    (codecs.BOM_UTF16_LE + TABLE.encode("utf-16-le"), "utf-16"),
    (codecs.BOM_UTF16_BE + TABLE.encode("utf-16-be"), "utf-16"),
    (TABLE.encode("utf-16-le"), "utf-16-le"),
    (TABLE.encode("utf-16-be"), "utf-16-be"),
])
def test_unicode_is_recognised_by_its_byte_order_or_its_zero_bytes(data: bytes,
                                                                  encoding: str) -> None:
    assert detect(data) == Detection(encoding, True, [(encoding, 1.0)])
    assert detect(data[:-1]).encoding == encoding  # cut inside a character


def test_a_utf8_sample_may_end_inside_a_character() -> None:
    data = "Phường Đông Thành, Ninh Bình, Việt".encode()  # "ệ" is three bytes
    assert detect(data[:-2]) == Detection("utf-8", True, [("utf-8", 1.0)])


def test_ascii_is_utf8() -> None:
    data = b"STT,Ten don vi,So can bo\n1,UBND xa Gia Sinh,32\n"
    assert detect(data) == Detection("utf-8", True, [("utf-8", 1.0)])
    assert detect(b"") == Detection("utf-8", True, [("utf-8", 1.0)])


@pytest.mark.parametrize("encoding", ["cp1258", "tcvn3", "vni"])
def test_a_short_sample_gets_a_guess_but_no_confidence(encoding: str) -> None:
    found = detect(encodings.encode("1,Hà Nội", encoding))
    assert found.encoding == encoding
    assert not found.confident


def test_binary_garbage_is_never_confident() -> None:
    garbage = random.Random(4).randbytes(4096)
    assert not detect(garbage).confident
    assert not detect(b"\x00\x01\x02\x03PK\x03\x04" * 100).confident
    assert max(score for _, score in detect(garbage).candidates) < 0.5


def test_broken_utf8_is_not_trusted_but_offered_first() -> None:
    data = TABLE.encode() + b"5,S\xff Y t\xe1\xba\xbf,\n"
    found = detect(data)
    assert not found.confident
    assert found.encoding == "utf-8"


def test_a_western_file_is_not_mistaken_for_vietnamese() -> None:
    found = detect("Café,Zürich,Ærøskøbing,Señor García\n".encode("cp1252"))
    assert not found.confident
    assert {name for name, _ in found.candidates} >= {"cp1252", "cp1258", "tcvn3", "vni"}


def test_a_detection_cannot_be_changed() -> None:
    found = detect(b"a,b\n")
    with pytest.raises(FrozenInstanceError):
        found.encoding = "vni"  # type: ignore[misc]


def test_every_choice_is_an_encoding_python_knows() -> None:
    codes = [code for code, _ in ENCODING_CHOICES]
    for code in codes:
        codecs.lookup(code)
    with translation.override("en"):
        assert all(str(label) for _, label in ENCODING_CHOICES)
    assert {"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1258", "tcvn3",
            "vni"} <= set(codes)


# Conversion ----------------------------------------------------------------------------------


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 5, 1 << 20])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1258",
                                      "tcvn3", "vni"])
def test_transcoding_gives_composed_utf8_without_a_byte_order_mark(
        tmp_path: Path, encoding: str, chunk_size: int) -> None:
    text = expected_text(TABLE, encoding)
    source = tmp_path / "source.csv"
    source.write_bytes(encodings.encode(text, encoding))
    target = tmp_path / "target.csv"
    transcode_to_utf8(source, target, encoding, chunk_size=chunk_size)
    assert target.read_bytes() == text.encode()


def test_transcoding_composes_utf8_written_with_combining_marks(tmp_path: Path) -> None:
    source = tmp_path / "source.csv"
    source.write_bytes(unicodedata.normalize("NFD", TABLE).encode())
    transcode_to_utf8(source, tmp_path / "target.csv", "utf-8", chunk_size=7)
    assert (tmp_path / "target.csv").read_text() == TABLE


@pytest.mark.parametrize("chunk_size", [1, 2, 4, 16, 1 << 20])
@pytest.mark.parametrize(("encoding", "bad"), [
    ("utf-8", b"\xe1\xba"), ("utf-8", b"\xff"), ("cp1258", b"\x81"), ("tcvn3", b"\xe0"),
    ("vni", b"\x90"), ("utf-16-le", b"\x00\xdc"),
])
def test_invalid_bytes_are_reported_with_their_offset_and_line(
        tmp_path: Path, encoding: str, bad: bytes, chunk_size: int) -> None:
    head = encodings.encode(expected_text(TABLE, encoding), encoding)
    tail = encodings.encode(",x\n", encoding)
    source = tmp_path / "source.csv"
    source.write_bytes(head + bad + tail)
    target = tmp_path / "target.csv"
    with pytest.raises(EncodingError) as raised:
        transcode_to_utf8(source, target, encoding, chunk_size=chunk_size)
    assert raised.value.byte_offset == len(head)
    assert raised.value.line == TABLE.count("\n") + 1
    assert not target.exists()


def test_a_file_cut_inside_a_character_is_reported_at_its_end(tmp_path: Path) -> None:
    source = tmp_path / "source.csv"
    source.write_bytes(TABLE.encode() + "ệ".encode()[:2])
    with pytest.raises(EncodingError) as raised:
        transcode_to_utf8(source, tmp_path / "target.csv", "utf-8", chunk_size=4)
    assert raised.value.byte_offset == len(TABLE.encode())


def test_the_error_tells_the_agency_what_to_do(tmp_path: Path) -> None:
    source = tmp_path / "source.csv"
    source.write_bytes(b"a,b\n1,\xff\n")
    with pytest.raises(EncodingError) as raised:
        transcode_to_utf8(source, tmp_path / "target.csv", "utf-8")
    error = raised.value
    assert isinstance(error, ApplicationError)
    assert error.stored()["params"] == {"encoding": "UTF-8", "line": 2, "offset": 6}
    assert str(error) == error.message
    with translation.override("en"):  # kept, and shown in the reader's language
        shown = render_kept(error.stored())
    assert "line 2 (byte 6 of the file)" in shown
    assert "save the file as UTF-8" in shown


def test_the_error_names_the_encoding_however_it_was_spelt(tmp_path: Path) -> None:
    source = tmp_path / "source.csv"
    source.write_bytes(b"a,b\n1,\x81\n")
    with pytest.raises(EncodingError) as raised:
        transcode_to_utf8(source, tmp_path / "target.csv", "Windows-1258")
    assert raised.value.stored()["params"]["encoding"] == "Windows-1258"
    with pytest.raises(EncodingError) as raised:
        transcode_to_utf8(source, tmp_path / "target.csv", "TCVN3")
    assert raised.value.stored()["params"]["encoding"] == "TCVN3 (ABC)"


def test_an_unknown_encoding_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "source.csv"
    source.write_bytes(b"a\n")
    with pytest.raises(UnknownEncoding):
        transcode_to_utf8(source, tmp_path / "target.csv", "klingon")


def test_transcoding_streams_instead_of_holding_the_file(tmp_path: Path) -> None:
    source = tmp_path / "big.csv"
    block = encodings.encode(typed_in_tcvn3(TABLE), "tcvn3") * 2000
    with source.open("wb") as handle:
        for _ in range(20):
            handle.write(block)
    size = source.stat().st_size
    assert size > 10_000_000
    tracemalloc.start()
    try:
        transcode_to_utf8(source, tmp_path / "big-utf8.csv", "tcvn3", chunk_size=1 << 18)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4_000_000
    assert (tmp_path / "big-utf8.csv").stat().st_size > size
