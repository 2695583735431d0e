"""A labelled corpus for measuring the guard: tables and texts with planted personal data of
fictional people (people.py) and look-alikes that are not personal data, each labelled with
what a data protection officer would want found.

A label is (document, column, category): the column is "" for a text and for a finding about
several columns (re-identification). `evaluate` runs the detector over the whole corpus and
counts, per category, what it found that was labelled (true positives), what it found that
was not (false positives) and what it missed (false negatives).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from portal.privacy import detect
from portal.privacy.rules import Rules
from portal.privacy.tests import lookalikes, texts
from portal.privacy.tests.people import People, Person

SEED = 2026
Label = tuple[str, str, str]  # (document, column, category)
Cell = Callable[[Person], str]

NAMES = {
    "name": ["Họ và tên", "Họ tên", "ho_ten", "HoTen", "HỌ VÀ TÊN", "Full name", "ho va ten"],
    "birth": ["Ngày sinh", "ngay_sinh", "NgaySinh", "Ngày tháng năm sinh", "Date of birth",
              "NGÀY SINH"],
    "birth_year": ["Năm sinh", "nam_sinh", "NămSinh"],
    "sex": ["Giới tính", "gioi_tinh", "Giới", "Sex", "GioiTinh"],
    "commune": ["Xã", "Xã/Phường", "xa_phuong", "Phường, xã", "Nơi thường trú", "Commune"],
    "phone": ["Số điện thoại", "so_dien_thoai", "SĐT", "SDT", "Điện thoại liên hệ", "Di động",
              "Phone", "DienThoai"],
    "citizen_id": ["Số CCCD", "CCCD", "so_cccd", "Căn cước công dân", "Số định danh cá nhân",
                   "so_dinh_danh", "Citizen ID"],
    "identity_card": ["Số CMND", "CMND", "so_cmnd", "Chứng minh nhân dân", "Số CMT"],
    "email": ["Email", "E-mail", "Thư điện tử", "thu_dien_tu", "dia_chi_email"],
    "tax_code": ["Mã số thuế cá nhân", "MST cá nhân", "ma_so_thue", "MST", "Mã số thuế"],
    "social_insurance": ["Mã số BHXH", "Số sổ BHXH", "ma_so_bhxh", "Mã số bảo hiểm xã hội"],
    "health_insurance": ["Số thẻ BHYT", "Mã thẻ BHYT", "so_the_bhyt", "Thẻ bảo hiểm y tế"],
    "vehicle_plate": ["Biển số", "Biển kiểm soát", "bien_so_xe", "BKS", "Biển số xe"],
    "bank_account": ["Số tài khoản", "STK", "so_tai_khoan", "Tài khoản ngân hàng", "Số TK"],
    "health": ["Chẩn đoán", "Tình trạng sức khỏe", "chan_doan", "Tiền sử bệnh", "Dạng tật"],
    "religion": ["Tôn giáo", "ton_giao", "Tôn giáo/tín ngưỡng"],
    "ethnicity": ["Dân tộc", "dan_toc", "DanToc"],
    "political_views": ["Đảng viên", "Ngày vào Đảng", "dang_vien"],
    "criminal_record": ["Tiền án, tiền sự", "tien_an", "Tội danh", "Lý lịch tư pháp"],
    "sex_life": ["Xu hướng tính dục", "xu_huong_tinh_duc"],
    "biometrics": ["Mã mẫu vân tay", "van_tay", "Dữ liệu sinh trắc"],
    "neutral": ["Thông tin", "Cột 5", "col_7", "Trường 3", "Giá trị"],
}
DIAGNOSES = ["Tăng huyết áp", "Đái tháo đường type 2", "Viêm phổi", "Sốt xuất huyết",
             "Gãy xương cẳng tay", "Viêm gan B"]
RELIGIONS = ["Không", "Phật giáo", "Công giáo", "Tin lành", "Cao Đài"]
ETHNICITIES = ["Kinh", "Mường", "Tày", "Dao", "Thái"]
OFFENCES = ["Không", "Trộm cắp tài sản (2015)", "Đánh bạc", "Không", "Cố ý gây thương tích"]


@dataclass
class Table:
    name: str
    columns: dict[str, list[str]]
    labels: set[Label] = field(default_factory=set)

    def sample(self) -> list[detect.Column]:
        return [detect.Column(name, values) for name, values in self.columns.items()]

    def group_sizes(self, columns: list[str], k: int) -> detect.GroupSizes:
        counts = Counter(zip(*(self.columns[name] for name in columns), strict=True))
        small = [size for size in counts.values() if size < k]
        return detect.GroupSizes(rows=sum(counts.values()), groups=len(counts),
                                 small_groups=len(small), rows_in_small_groups=sum(small),
                                 smallest=min(counts.values(), default=0))


@dataclass
class Text:
    name: str
    text: str
    labels: set[Label] = field(default_factory=set)


class Builder:
    """Makes tables of fictional people: each column a category, named one of its ways."""

    def __init__(self, seed: int) -> None:
        self.people = People(seed)
        self.rng = random.Random(seed + 1)
        self.count = 0

    def column_name(self, kind: str) -> str:
        return self.rng.choice(NAMES[kind])

    def table(self, title: str,
              columns: list[tuple[str, str, Cell, str | Callable[[], str] | None]],
              rows: int = 40, sparse: float = 0.0) -> Table:
        """`columns`: (kind for the name, fixed name or "", cell maker, the categories labelled
        on it, comma-separated, or a function that says them once the cells are made, or
        None); `sparse`: the share of empty cells in labelled columns."""
        self.count += 1
        people = [self.people.person() for _ in range(rows)]
        table = Table(f"{self.count:03d} {title}", {})
        for kind, fixed, cell, category in columns:
            name = fixed or self.column_name(kind)
            while name in table.columns:
                name += " (2)"
            table.columns[name] = [
                "" if category and self.rng.random() < sparse else cell(person)
                for person in people]
            if callable(category):
                category = category()
            for one in (category or "").split(","):
                if one:
                    table.labels.add((table.name, "" if one == "reidentification" else name,
                                      one))
        return table


def build_tables(seed: int = SEED) -> list[Table]:
    """Tables with planted personal data, then look-alike tables (lookalikes.py)."""
    builder = Builder(seed)
    tables: list[Table] = []
    for _round in range(4):
        tables.extend(_planted(builder))
    tables.extend(lookalikes.tables(random.Random(seed + 2), Table))
    return tables


def _planted(b: Builder) -> list[Table]:
    p, rng = b.people, b.rng
    planted: set[str] = set()  # what the complaints really hold
    stt: Cell = lambda person: str(rng.randrange(1, 999))  # noqa: E731
    return [
        b.table("households", [
            ("", "STT", stt, None),
            ("name", "", p.name, "name_with_birth_date"),
            ("birth", "", p.birth, None),
            ("sex", "", p.sex, None),
            ("commune", "", p.commune, "reidentification"),
            ("phone", "", lambda _: p.phone(), "phone"),
            ("citizen_id", "", p.citizen_id, "citizen_id"),
        ], sparse=0.1),
        b.table("patients", [
            ("", "Mã BN", lambda _: f"BN{rng.randrange(10000, 99999)}", None),
            ("name", "", p.name, "name_with_birth_date"),
            ("birth_year", "", lambda person: p.birth(person, year_only=True), None),
            ("health", "", lambda _: rng.choice(DIAGNOSES), "health"),
            ("health_insurance", "", lambda _: p.health_card(), "health_insurance"),
            ("phone", "", lambda _: p.phone(), "phone"),
        ]),
        b.table("staff", [
            ("name", "", p.name, None),
            ("email", "", p.email, "email"),
            ("phone", "", lambda _: p.phone_as_number(), "phone"),
            ("tax_code", "", lambda _: p.tax_code(), "tax_code"),
            ("bank_account", "", lambda _: p.bank_account(), "bank_account"),
            ("", "Ngân hàng", lambda _: rng.choice(["Vietcombank", "BIDV", "Agribank"]), None),
        ]),
        b.table("insured", [
            ("name", "", p.name, "name_with_birth_date"),
            ("birth", "", p.birth, None),
            ("social_insurance", "", lambda _: p.social_insurance(), "social_insurance"),
            ("ethnicity", "", lambda _: rng.choice(ETHNICITIES), "ethnicity"),
            ("religion", "", lambda _: rng.choice(RELIGIONS), "religion"),
        ]),
        b.table("traffic offences", [
            ("vehicle_plate", "", lambda _: p.plate(), "vehicle_plate"),
            ("", "Chủ phương tiện", p.name, None),
            ("identity_card", "", lambda _: p.identity_card(), "identity_card"),
            ("", "Lỗi vi phạm", lambda _: rng.choice(["Vượt đèn đỏ", "Quá tốc độ"]), None),
            ("", "Ngày vi phạm", lambda _: f"{rng.randrange(1, 28)}/0{rng.randrange(1, 9)}/2025",
             None),
        ]),
        b.table("values only", [
            ("neutral", "", lambda person: p.citizen_id(person), "citizen_id"),
            ("", "Liên lạc", p.email, "email"),
            ("", "Ghi chú", lambda _: rng.choice(["", "Đã xác minh"]), None),
            ("", "Phương tiện", lambda _: p.plate(), "vehicle_plate"),
            ("", "Số thẻ", lambda _: p.health_card(), "health_insurance"),
        ]),
        b.table("free text", [
            ("", "Nội dung phản ánh", lambda person: texts.complaint(p, person, rng, planted),
             lambda: ",".join(sorted(planted))),
            ("", "Ngày nhận", lambda _: f"{rng.randrange(1, 28):02d}/10/2025", None),
        ]),
        b.table("suspects", [
            ("name", "", p.name, "name_with_birth_date"),
            ("birth", "", p.birth, None),
            ("criminal_record", "", lambda _: rng.choice(OFFENCES), "criminal_record"),
            ("political_views", "", lambda _: rng.choice(["Có", "Không"]), "political_views"),
            ("biometrics", "", lambda _: f"VT-{rng.randrange(10**7, 10**8)}", "biometrics"),
            ("sex_life", "", lambda _: rng.choice(["Dị tính", "Đồng tính"]), "sex_life"),
        ]),
        b.table("split names", [
            ("", "Họ và tên đệm", lambda person: f"{person.family} {person.middle}",
             "name_with_birth_date"),
            ("", "Tên", lambda person: person.given, None),
            ("birth", "", p.birth, None),
            ("", "Ghi chú", lambda _: rng.choice(["", "Hộ nghèo", "Hộ cận nghèo"]), None),
        ]),
        b.table("mixed contacts", [
            ("name", "", p.name, None),
            ("", "Thông tin liên hệ", lambda person: rng.choice(
                [p.phone(), p.phone(), p.email(person), p.email(person), "Thôn 3"]),
             "phone,email"),
        ]),
        b.table("old and new identity numbers", [
            ("", rng.choice(["Số CMND/CCCD", "CMND/CCCD", "cmnd_cccd"]),
             lambda person: rng.choice([p.identity_card(), p.citizen_id(person)]),
             "identity_card,citizen_id"),
            ("name", "", p.name, None),
            ("", "Điện thoại", lambda _: p.old_phone(), "phone"),
        ]),
        b.table("abbreviated and obfuscated", [
            ("name", "", p.name, "name_with_birth_date"),
            ("", "NS", lambda person: p.birth(person, year_only=True), None),
            ("", "Góp ý", lambda person: texts.obfuscated(p, person, rng), "email"),
        ]),
        b.table("survey without names", [
            ("birth", "", p.birth, None),
            ("commune", "", p.commune, "reidentification"),
            ("sex", "", p.sex, None),
            ("", "Số con", lambda _: str(rng.randrange(0, 4)), None),
        ], rows=60),
    ]


def build_texts(seed: int = SEED) -> list[Text]:
    return texts.documents(People(seed + 3), random.Random(seed + 4), Text)


# Measuring ----------------------------------------------------------------------------------


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    missed: list[Label] = field(default_factory=list)
    wrong: list[Label] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0


def evaluate(rules: Rules, *, min_group_size: int = 5, seed: int = SEED) -> dict[str, Score]:
    """Scores per category over the whole corpus; "all" sums them."""
    labels: set[Label] = set()
    found: set[Label] = set()
    for table in build_tables(seed):
        labels |= table.labels
        for finding in detect.scan_table(table.sample(), rules, group_sizes=table.group_sizes,
                                         min_group_size=min_group_size):
            found.add((table.name, finding.column, finding.category))
    for text in build_texts(seed):
        labels |= text.labels
        found |= {(text.name, "", finding.category)
                  for finding in detect.scan_text(text.text, rules)}
    return _scores(labels, found, [category.code for category in rules.categories])


def _scores(labels: set[Label], found: set[Label], categories: list[str]) -> dict[str, Score]:
    scores = {code: Score() for code in [*categories, "all"]}
    for label in sorted(labels | found):
        score, total = scores[label[2]], scores["all"]
        if label in labels and label in found:
            score.true_positives += 1
            total.true_positives += 1
        elif label in found:
            score.false_positives += 1
            total.false_positives += 1
            score.wrong.append(label)
        else:
            score.false_negatives += 1
            total.false_negatives += 1
            score.missed.append(label)
    return scores
