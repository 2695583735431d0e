"""Fictional people and their personal data, written the many ways Vietnamese tables write them.

Every value is made up from a seeded random generator: names from common family, middle and
given names, numbers of the right shape (a citizen ID's province code, sex and century digit
and birth year are consistent with the person), each formatted one of several ways.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from vietnam_provinces import ProvinceCode, Ward

from portal.lib.text import fold

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Đinh",
          "Trịnh", "Mai", "Đào", "Lương", "Tạ", "Quách", "Lại"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Hoàng", "Ngọc", "Quang", "Thanh", "Hữu", "Xuân",
          "Kim", "Bảo", "Thế"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Hương",
         "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Ngân", "Phúc", "Quân", "Sơn", "Tâm",
         "Thảo", "Trang", "Tú", "Tuấn", "Vy", "Yến"]
CCCD_PROVINCES = ["37", "35", "36", "01", "79", "38", "27", "26", "34"]  # some pre-2025 codes
PLATE_CODES = ["35", "29", "30", "51", "18", "17", "90", "36"]
PLATE_SERIES = ["A", "B", "C", "D", "E", "F", "G", "H", "K", "L", "LD"]
MOTORBIKE_SERIES = ["B1", "X1", "F1", "AA", "H1", "N1"]
CARD_PREFIXES = ["DN", "HC", "HT", "TE", "HS", "SV", "GD", "CN", "NO", "CB", "XB"]
MOBILE_PREFIXES = ["32", "33", "34", "35", "36", "37", "38", "39", "56", "58", "70", "76", "77",
                   "78", "79", "81", "82", "83", "84", "85", "86", "88", "89", "90", "91", "94",
                   "96", "97", "98"]
DOMAINS = ["gmail.com", "yahoo.com.vn", "outlook.com", "ninhbinh.gov.vn", "hotmail.com"]


def wards(province: int = 37) -> list[str]:
    return [ward.name for ward in Ward.iter_by_province(ProvinceCode(province))]


@dataclass
class Person:
    family: str
    middle: str
    given: str
    born: date
    female: bool
    commune: str


class People:
    """A seeded source of fictional people and their numbers, each in a varied form."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.communes = wards(37)

    def person(self) -> Person:
        rng = self.rng
        female = rng.random() < 0.5
        middle = "Thị" if female and rng.random() < 0.6 else rng.choice(MIDDLE)
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 70 * 365))
        return Person(rng.choice(FAMILY), middle, rng.choice(GIVEN), born, female,
                      rng.choice(self.communes))

    def digits(self, count: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(count))

    # Names, dates, sexes, communes ----------------------------------------------------------

    def name(self, person: Person) -> str:
        full = f"{person.family} {person.middle} {person.given}"
        if self.rng.random() < 0.15:
            full = f"{person.family} {person.middle} {self.rng.choice(MIDDLE)} {person.given}"
        return full.upper() if self.rng.random() < 0.25 else full

    def birth(self, person: Person, *, year_only: bool = False) -> str:
        day = person.born
        if year_only:
            return str(day.year)
        return self.rng.choice([f"{day:%d/%m/%Y}", f"{day.day}/{day.month}/{day.year}",
                                day.isoformat(), f"{day:%d-%m-%Y}", f"{day:%d.%m.%Y}"])

    def sex(self, person: Person) -> str:
        return "Nữ" if person.female else "Nam"

    def commune(self, person: Person) -> str:
        return person.commune if self.rng.random() < 0.6 else person.commune.split(" ", 1)[1]

    # Numbers ------------------------------------------------------------------------------

    def phone(self) -> str:
        number = self.rng.choice(MOBILE_PREFIXES) + self.digits(7)
        return self.rng.choice([
            f"0{number}", f"0{number[:3]} {number[3:6]} {number[6:]}",
            f"0{number[:3]}.{number[3:6]}.{number[6:]}",
            f"+84 {number[:2]} {number[2:5]} {number[5:]}",
            f"+84{number}", f"84{number}", f"(+84) {number[:3]} {number[3:6]} {number[6:]}",
            f"0{number[:2]}-{number[2:5]}-{number[5:]}"])

    def old_phone(self) -> str:
        """An 11-digit mobile number of before the 2018 renumbering, still in old lists."""
        number = self.rng.choice(["162", "163", "168", "169", "123", "125", "127", "188", "199"])
        number += self.digits(7)
        return self.rng.choice([f"0{number}", f"0{number[:3]} {number[3:6]} {number[6:]}"])

    def phone_as_number(self) -> str:
        """A mobile number a spreadsheet stored as a number: its leading zero is gone."""
        return self.rng.choice(MOBILE_PREFIXES) + self.digits(7)

    def citizen_id(self, person: Person) -> str:
        century = (person.born.year - 1900) // 100 * 2 + (1 if person.female else 0)
        number = (f"0{self.rng.choice(CCCD_PROVINCES)}{century}{person.born.year % 100:02d}"
                  f"{self.digits(6)}")
        return self.rng.choice([number, number, f"{number[:3]} {number[3:6]} {number[6:9]} "
                                f"{number[9:]}", f"{number[:3]}.{number[3:6]}.{number[6:]}"])

    def identity_card(self) -> str:
        number = self.rng.choice(["16", "17", "01", "03", "12"]) + self.digits(7)
        return self.rng.choice([number, number, f"{number[:3]} {number[3:6]} {number[6:]}"])

    def email(self, person: Person) -> str:
        local = fold(f"{person.given}{person.family}").replace(" ", "")
        local = self.rng.choice([local, f"{local}{person.born.year % 100:02d}",
                                 fold(f"{person.given}.{person.family}").replace(" ", ""),
                                 f"{local}{self.rng.randrange(1, 999)}"])
        return f"{local}@{self.rng.choice(DOMAINS)}"

    def tax_code(self) -> str:
        number = "8" + self.digits(9)
        return number if self.rng.random() < 0.8 else f"{number}-00{self.rng.randrange(1, 9)}"

    def social_insurance(self) -> str:
        return self.rng.choice(["37", "36", "35", "01"]) + self.digits(8)

    def health_card(self) -> str:
        card = (f"{self.rng.choice(CARD_PREFIXES)}{self.rng.randrange(1, 6)}"
                f"{self.rng.choice(['37', '36', '01'])}{self.social_insurance()}")
        return card if self.rng.random() < 0.7 else f"{card[:2]} {card[2]} {card[3:5]} {card[5:]}"

    def plate(self) -> str:
        code, rng = self.rng.choice(PLATE_CODES), self.rng
        digits = self.digits(5)
        if rng.random() < 0.4:  # a motorbike
            return f"{code}{rng.choice(MOTORBIKE_SERIES)}-{digits[:3]}.{digits[3:]}"
        series = rng.choice(PLATE_SERIES)
        return rng.choice([f"{code}{series}-{digits[:3]}.{digits[3:]}", f"{code}{series}-{digits}",
                           f"{code}{series}{digits}", f"{code}{series} {digits[:3]}.{digits[3:]}"])

    def bank_account(self) -> str:
        number = self.digits(self.rng.choice([9, 10, 12, 13, 14]))
        if self.rng.random() < 0.3:
            return " ".join(number[i:i + 4] for i in range(0, len(number), 4))
        return number
