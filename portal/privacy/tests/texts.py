"""Free texts for the corpus: notices and complaints with planted personal data of fictional
people, and administrative prose full of numbers that are not personal data."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from portal.privacy.tests.people import People, Person


def complaint(p: People, person: Person, rng: random.Random, planted: set[str]) -> str:
    """A citizen's complaint, as a table's free-text column holds it; some give a way to reach
    the citizen (added to `planted`)."""
    name = p.name(person)
    text, category = rng.choice([
        (f"Tôi là {name}, phản ánh đường liên thôn bị sụt lún. Liên hệ: {p.phone()}.", "phone"),
        (f"Đề nghị kiểm tra việc xả thải ra kênh. Email: {p.email(person)}", "email"),
        (f"Công dân {name}, CCCD {p.citizen_id(person)}, đề nghị cấp lại giấy chứng nhận.",
         "citizen_id"),
        (f"Gia đình tôi ở thôn {rng.randrange(1, 12)} chưa được nhận hỗ trợ, SĐT {p.phone()}",
         "phone"),
        ("Đèn chiếu sáng tại ngõ 12 không sáng từ ngày 12/10.", ""),
        ("Rác thải chưa được thu gom đúng giờ, đề nghị xử lý.", ""),
        (f"Cống thoát nước tại tổ {rng.randrange(1, 20)} bị tắc, cần nạo vét trước mùa mưa.",
         ""),
    ])
    if category:
        planted.add(category)
    return text


def obfuscated(p: People, person: Person, rng: random.Random) -> str:
    """Feedback whose author hid an e-mail address from robots, or left none."""
    local, domain = p.email(person).split("@")
    return rng.choice([f"Xin gửi kết quả về {local}[at]{domain}", f"Email: {local} (a) {domain}",
                       f"Liên hệ qua {local}@{domain} giúp tôi", "Không có ý kiến"])


def documents(p: People, rng: random.Random, make: Callable[..., Any]) -> list[Any]:
    """Texts with planted personal data (labelled), then look-alikes (no label)."""
    found = []
    for index in range(18):
        lines, categories = _notice(p, rng, index)
        name = f"text {index:02d}"
        found.append(make(name, "\n".join(lines), {(name, "", one) for one in categories}))
    for index, text in enumerate(_lookalike_texts(rng)):
        found.append(make(f"plain {index:02d}", text, set()))
    return found


def _notice(p: People, rng: random.Random, index: int) -> tuple[list[str], set[str]]:
    kind = index % 6
    people = [p.person() for _ in range(rng.randrange(2, 5))]
    head = ["ỦY BAN NHÂN DÂN XÃ GIA VIỄN", "THÔNG BÁO", "Căn cứ Quyết định số 1049/QĐ-UBND "
            "ngày 12/3/2021 của UBND tỉnh Ninh Bình;"]
    if kind == 0:
        return head + [f"{i}. Ông/bà {p.name(x)}, sinh ngày {p.birth(x)}, thường trú tại "
                       f"{x.commune}, CCCD số {p.citizen_id(x)}." for i, x in enumerate(people, 1)
                       ], {"name_with_birth_date", "citizen_id"}
    if kind == 1:
        x = people[0]
        return [*head, "Mọi thắc mắc xin liên hệ cán bộ phụ trách:",
                f"bà {p.name(x)}, điện thoại {p.phone()}, thư điện tử {p.email(x)}."
                ], {"phone", "email"}
    if kind == 2:
        return head + [f"Xử phạt ông {p.name(x)} (SN {x.born.year}), CMND số {p.identity_card()},"
                       f" điều khiển xe mô tô biển số {p.plate()} vượt đèn đỏ."
                       for x in people], {"name_with_birth_date", "identity_card", "vehicle_plate"}
    if kind == 3:
        return head + [f"- {p.name(x)}: mã số BHXH {p.social_insurance()}, thẻ BHYT "
                       f"{p.health_card()}" for x in people], {"social_insurance",
                                                                "health_insurance"}
    if kind == 4:
        return head + [f"Hộ kinh doanh {p.name(x)}, mã số thuế {p.tax_code()}, nộp thuế khoán "
                       f"{rng.randrange(1, 9)}.500.000 đồng/tháng." for x in people], {"tax_code"}
    return head + [f"Người nhận: {p.name(x)} - ĐT: {p.phone()} - Email: {p.email(x)}"
                   for x in people], {"phone", "email"}


LOOKALIKE_LINES = [
    "Căn cứ Quyết định số 1049/QĐ-UBND ngày 12/03/2021 của Ủy ban nhân dân tỉnh Ninh Bình;",
    "Căn cứ Thông tư số 07/2016/TT-BCA ngày 01/02/2016 của Bộ Công an;",
    "Năm 2024, dân số toàn tỉnh đạt 1.010.700 người, tăng 1,2% so với năm 2023.",
    "Tổng kinh phí thực hiện là 125.000.000.000 đồng, trong đó năm 2023 là 84.912.345.678 đồng.",
    "Đường dây nóng: 0229 3871 234; tổng đài hỗ trợ 1900 1234; khẩn cấp gọi 113.",
    "Số liệu theo Biểu số 02A/TKQG và biểu 001.N/BCC-XHMT, kỳ báo cáo quý III/2025.",
    "Mã đơn vị hành chính xã Gia Viễn là 14464, phường Hoa Lư là 14470.",
    "Mã hồ sơ H37.25-250101-0001 đã được tiếp nhận ngày 15/01/2025.",
    "Trường Tiểu học Nguyễn Văn Trỗi có số học sinh 2024 là 512 em.",
    "Ngày sinh hoạt chi bộ định kỳ: 05/03/2025, lúc 14 giờ.",
    "Diện tích tự nhiên 1.386,79 km2; tọa độ trung tâm 20.2506, 105.9745.",
    "Mã số doanh nghiệp 2700123456 (Công ty TNHH Du lịch Tràng An) đã nộp báo cáo.",
    "Tài khoản thu ngân sách số 3741.0.1053412 tại Kho bạc Nhà nước Ninh Bình.",
    "Số vụ tai nạn giao thông là 123, giảm 15 vụ; số phương tiện đăng ký mới 12.345 xe.",
    "Ông Đinh Văn Hùng, Giám đốc Sở Khoa học và Công nghệ, chủ trì hội nghị.",
    "Chỉ tiêu 0101 đạt 98,5%; chỉ tiêu 0203 đạt 1234567890 lượt truy cập.",
    "Quốc lộ 1A, km 262+500 đến km 270+300; đường tỉnh 477B.",
    "Giờ làm việc: 7h30 - 11h30 và 13h30 - 17h00 các ngày từ thứ Hai đến thứ Sáu.",
]


def _lookalike_texts(rng: random.Random) -> list[str]:
    texts = []
    for _index in range(12):
        texts.append("\n".join(rng.sample(LOOKALIKE_LINES, 6)))
    return texts
