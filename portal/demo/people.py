"""Plausible Vietnamese people for focal points and demo accounts: names, phones, e-mails.

All generated; any resemblance to a real official is chance. Phones use the province's area
code 0229 (landlines) or mobile prefixes; e-mails are on the province's domain.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from portal.lib.text import fold

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đinh", "Đỗ", "Bùi", "Ngô", "Dương",
          "Lương", "Mai", "Tạ", "Đặng", "Trịnh", "Phan", "Hà")
MIDDLE = {
    "male": ("Văn", "Đức", "Quang", "Minh", "Hữu", "Xuân", "Ngọc", "Thế", "Trọng"),
    "female": ("Thị", "Thu", "Thanh", "Ngọc", "Phương", "Thị Minh", "Thuỳ", "Hồng"),
}
GIVEN = {
    "male": ("An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phong",
             "Quân", "Sơn", "Thắng", "Tuấn", "Việt", "Hoàng", "Trung", "Đạt"),
    "female": ("Anh", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai",
               "Ngân", "Nhung", "Thảo", "Trang", "Yến", "Huyền", "Loan", "Vân"),
}
POSITIONS = {
    "department": ("Chánh Văn phòng", "Phó Chánh Văn phòng", "Phó Trưởng phòng Kế hoạch – Tổng hợp",
                   "Chuyên viên Văn phòng", "Trưởng phòng Chuyển đổi số và Thống kê"),
    "commune": ("Chuyên viên Văn phòng HĐND và UBND", "Phó Chánh Văn phòng HĐND và UBND",
                "Công chức Văn phòng – Thống kê"),
    "other": ("Phó Chánh Văn phòng", "Trưởng phòng Tổng hợp", "Chuyên viên phụ trách dữ liệu"),
}
DOMAIN = "ninhbinh.gov.vn"


@dataclass(frozen=True)
class Person:
    family: str
    middle: str
    given: str

    @property
    def full_name(self) -> str:
        return f"{self.family} {self.middle} {self.given}"

    @property
    def login_stem(self) -> str:
        """"Nguyễn Văn Hùng" → "hungnv", the usual pattern of government mailboxes."""
        initials = "".join(word[0] for word in [self.family, *self.middle.split()])
        return fold(self.given + initials).replace(" ", "")


def person(rng: random.Random) -> Person:
    sex = rng.choice(("male", "female"))
    return Person(rng.choice(FAMILY), rng.choice(MIDDLE[sex]), rng.choice(GIVEN[sex]))


def position(rng: random.Random, kind: str) -> str:
    return rng.choice(POSITIONS.get(kind, POSITIONS["other"]))


def phone(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"0229 3{rng.randint(800, 899)} {rng.randint(0, 999):03d}"
    prefix = rng.choice(("091", "094", "098", "097", "083", "088", "035", "036"))
    return f"{prefix}{rng.randint(0, 9)} {rng.randint(0, 999):03d} {rng.randint(0, 999):03d}"


def email(who: Person, unit_code: str) -> str:
    return f"{who.login_stem}.{unit_code}@{DOMAIN}"
