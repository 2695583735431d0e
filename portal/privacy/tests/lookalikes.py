"""Tables that look like personal data and are not: counts, codes of administrative units,
years, dates alone, money, statistical table codes, enterprise tax codes, landlines, counts per
religion or ethnic group, a survey whose groups are all large enough. No label: whatever the
guard finds here is a false positive."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from vietnam_provinces import ProvinceCode, Ward

STREETS = ["Lê Lợi", "Trần Hưng Đạo", "Nguyễn Huệ", "Lê Hồng Phong", "Đinh Tiên Hoàng",
           "Lý Thái Tổ", "Phạm Văn Nghị", "Trương Hán Siêu"]
TABLE_CODES = ["01/TKQG", "02A-TCTK", "B05-H", "001.N/BCC-XHMT", "03B/BCH", "012.T/BCC-KHĐT"]


def tables(rng: random.Random, make: Callable[..., Any]) -> list[Any]:
    units = list(Ward.iter_by_province(ProvinceCode(37)))
    rows = range(40)

    def column(cell: Callable[[int], str]) -> list[str]:
        return [cell(i) for i in rows]

    def number(low: int, high: int) -> Callable[[int], str]:
        return lambda _i: str(rng.randrange(low, high))

    def money(_i: int) -> str:
        return f"{rng.randrange(10**8, 10**12):,}".replace(",", ".")

    def day(_i: int) -> str:
        return f"{rng.randrange(1, 29):02d}/{rng.randrange(1, 13):02d}/{rng.randrange(2015, 2026)}"

    def landline(_i: int) -> str:
        return f"0229 {rng.randrange(3000, 3999)} {rng.randrange(100, 999)}"

    found = [
        ("population by commune", {
            "Mã xã": column(lambda i: f"{int(units[i].code):05d}"),
            "Tên xã, phường": column(lambda i: units[i].name),
            "Dân số": column(number(3000, 60000)),
            "Diện tích (km2)": column(lambda _i: f"{rng.randrange(5, 90)},{rng.randrange(10, 99)}"
                                      ),
            "Năm": column(number(2015, 2026))}),
        ("budget", {
            "Mã chương": column(number(400, 999)),
            "Nội dung chi": column(lambda _i: rng.choice(["Giáo dục", "Y tế", "Giao thông"])),
            "Số tiền (đồng)": column(money),
            "Số tiền (nghìn đồng)": column(number(10**7, 10**11)),
            "Năm ngân sách": column(number(2019, 2026))}),
        ("enterprises", {
            "Mã số thuế": column(lambda _i: rng.choice(["27", "01", "03", "07"])
                                 + str(rng.randrange(10**7, 10**8))),
            "Tên doanh nghiệp": column(lambda i: f"Công ty TNHH Thương mại {i + 1}"),
            "Địa chỉ": column(lambda i: f"Số {i + 3}, {units[i].name}, Ninh Bình"),
            "Điện thoại": column(landline),
            "Ngày cấp phép": column(day)}),
        ("statistical tables", {
            "Mã biểu": column(lambda _i: rng.choice(TABLE_CODES)),
            "Tên biểu": column(lambda _i: "Dân số và lao động"),
            "Kỳ báo cáo": column(lambda _i: rng.choice(["Quý I/2025", "Năm 2024", "Tháng 6/2025"])),
            "Ngày ban hành": column(day)}),
        ("believers per religion", {
            "Tôn giáo": column(lambda _i: rng.choice(["Phật giáo", "Công giáo", "Tin lành"])),
            "Số tín đồ": column(number(100, 90000)),
            "Số cơ sở thờ tự": column(number(1, 300))}),
        ("people per ethnic group", {
            "Dân tộc": column(lambda _i: rng.choice(["Kinh", "Mường", "Tày", "Dao"])),
            "Số người": column(number(100, 900000)),
            "Tỷ lệ (%)": column(lambda _i: f"{rng.randrange(0, 99)},{rng.randrange(0, 9)}")}),
        ("hospitals", {
            "Tên bệnh viện": column(lambda i: f"Bệnh viện đa khoa số {i + 1}"),
            "Số giường bệnh": column(number(50, 900)),
            "Điện thoại": column(landline),
            "Xã, phường": column(lambda i: units[i].name)}),
        ("events", {
            "Ngày": column(day),
            "Sự kiện": column(lambda _i: rng.choice(["Hội nghị", "Lễ hội Tràng An", "Tập huấn"])),
            "Số người tham dự": column(number(20, 5000))}),
        ("traffic statistics", {
            "Tháng": column(lambda i: f"{i % 12 + 1}/2025"),
            "Số vụ tai nạn": column(number(0, 50)),
            "Số phương tiện đăng ký mới": column(number(100, 20000)),
            "Loại xe": column(lambda _i: rng.choice(["Ô tô con", "Mô tô", "Xe tải"]))}),
        ("indicators", {
            "Mã chỉ tiêu": column(lambda _i: rng.choice(["0101", "0203", "0305", "1201"])),
            "Chỉ tiêu": column(lambda _i: "Lượt truy cập cổng thông tin"),
            "Giá trị": column(number(10**9, 10**10)),
            "Năm": column(number(2015, 2026))}),
        ("documents", {
            "Số hiệu": column(lambda _i: f"{rng.randrange(1, 3000)}/QĐ-UBND"),
            "Ngày ban hành": column(day),
            "Trích yếu": column(lambda _i: "Về việc phê duyệt kế hoạch"),
            "Cơ quan ban hành": column(lambda _i: "UBND tỉnh Ninh Bình")}),
        ("training of officials", {
            "Trình độ lý luận chính trị": column(lambda _i: rng.choice(["Cao cấp", "Sơ cấp"])),
            "Số cán bộ": column(number(1, 400)),
            "Số đảng viên": column(number(1, 400))}),
        ("streets", {
            "Tên đường": column(lambda _i: rng.choice(STREETS)),
            "Chiều dài (m)": column(number(200, 5000)),
            "Ngày đặt tên": column(day),
            "Phường": column(lambda i: units[i].name)}),
        ("accounts of the ledger", {
            "Tài khoản": column(lambda _i: rng.choice(["111", "112", "3311", "4612"])),
            "Tên tài khoản": column(lambda _i: "Tiền gửi kho bạc"),
            "Số dư cuối kỳ": column(money)}),
        ("dossiers", {
            "Mã hồ sơ": column(lambda i: f"H37.25-2501{i % 28 + 1:02d}-{i:04d}"),
            "Thủ tục": column(lambda _i: "Cấp giấy phép xây dựng"),
            "Ngày tiếp nhận": column(day),
            "Trạng thái": column(lambda _i: rng.choice(["Đã trả kết quả", "Đang xử lý"]))}),
        ("schools", {
            "Tên trường": column(lambda i: f"Trường PT Dân tộc nội trú số {i + 1}"),
            "Số học sinh": column(number(100, 1500)),
            "Số giáo viên": column(number(10, 90))}),
        ("hotlines", {
            "Đơn vị": column(lambda i: f"Phòng {i + 1}"),
            "Điện thoại đường dây nóng": column(
                lambda _i: rng.choice(["1900 1234", "1022", "0229 3871 234"])),
            "Giờ tiếp nhận": column(lambda _i: "7h30 - 17h00")}),
        ("accounts of agencies", {
            "Tên đơn vị": column(lambda i: f"Ủy ban nhân dân {units[i].name}"),
            "Số tài khoản": column(lambda _i: f"{rng.randrange(10**12, 10**13)}"),
            "Mở tại": column(lambda _i: "Kho bạc Nhà nước Ninh Bình")}),
        ("employers", {
            "Tên đơn vị": column(lambda i: f"Công ty Cổ phần May {i + 1}"),
            "Mã đơn vị BHXH": column(lambda _i: f"TA{rng.randrange(1000, 9999)}A"),
            "Số lao động tham gia BHXH": column(number(10, 3000))}),
        ("local products", {
            "Tên sản phẩm OCOP": column(lambda i: f"Sản phẩm {i + 1}"),
            "Mã vạch": column(lambda _i: f"893{rng.randrange(10**9, 10**10)}"),
            "Giá bán (đồng)": column(money)}),
    ]
    survey = _large_groups(rng)
    return [make(f"lookalike {title}", columns) for title, columns in found] + [survey(make)]


def _large_groups(rng: random.Random) -> Callable[[Callable[..., Any]], Any]:
    """A survey by year of birth, commune and sex where every combination has many rows: no
    re-identification risk to report."""
    rows = [(str(rng.choice([1970, 1980, 1990])), rng.choice(["Gia Viễn", "Gia Hưng"]),
             rng.choice(["Nam", "Nữ"])) for _ in range(600)]
    columns = {"Năm sinh": [row[0] for row in rows], "Xã": [row[1] for row in rows],
               "Giới tính": [row[2] for row in rows],
               "Số con": [str(rng.randrange(0, 4)) for _ in rows]}
    return lambda make: make("lookalike survey in large groups", columns)
