"""A deterministic CSV of Vietnamese open data, the benchmark's input.

Each chunk of rows has its own seed, so two processes write the chunks in parallel and the file
is the same byte for byte whatever the number of processes. Plain Python: the product's
environment has no numpy, and the generator must not depend on what the datastore installs.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import random
from pathlib import Path

# Bump when the content changes, so a cached file of the old shape is not reused.
VERSION = 1
CHUNK_ROWS = 50_000
HEADER = "id,ten_xa,huyen,linh_vuc,so_luong,kinh_phi,ngay,nam,hoan_thanh,ghi_chu"

# The columns the queries use (the same in every system).
FILTER_COLUMN = "ngay"  # ISO dates: text and date comparisons agree
FILTER_VALUE = "2024-07-01"
GROUP_COLUMN = "huyen"
SUM_COLUMN = "kinh_phi"  # millions of dong, two decimals

DISTRICTS = (
    "Thành phố Hoa Lư", "Thành phố Tam Điệp", "Huyện Gia Viễn", "Huyện Nho Quan",
    "Huyện Yên Khánh", "Huyện Yên Mô", "Huyện Kim Sơn", "Thành phố Phủ Lý", "Thị xã Duy Tiên",
    "Thị xã Kim Bảng", "Huyện Thanh Liêm", "Huyện Bình Lục", "Huyện Lý Nhân",
    "Thành phố Nam Định", "Huyện Ý Yên", "Huyện Vụ Bản", "Huyện Mỹ Lộc", "Huyện Nam Trực",
    "Huyện Trực Ninh", "Huyện Xuân Trường", "Huyện Giao Thủy", "Huyện Hải Hậu",
    "Huyện Nghĩa Hưng",
)
SYLLABLES = (
    "Gia", "Vân", "Hoa", "Lư", "Ninh", "Hải", "Yên", "Khánh", "Trường", "Sơn", "Phú", "Lộc",
    "Thạch", "Bình", "An", "Đông", "Tây", "Nam", "Bắc", "Thượng", "Hạ", "Trung", "Tân", "Mỹ",
    "Hưng", "Thịnh", "Phong", "Lạc", "Thành", "Quang", "Liêm", "Thủy", "Đức", "Hòa", "Nghĩa",
    "Xuân", "Cúc", "Phương", "Điền", "Mạc", "Lâm", "Tiến", "Thắng", "Lợi", "Hồng", "Văn",
)
UNIT_KINDS = ("Xã", "Xã", "Xã", "Phường", "Thị trấn")
CATEGORIES = (
    "Nông nghiệp", "Y tế", "Giáo dục", "Giao thông", "Đất đai", "Môi trường", "Du lịch",
    "Lao động - Việc làm", "Tài chính", "Xây dựng", "Văn hóa", "Bảo trợ xã hội",
)
ACTIONS = (
    "Hỗ trợ hộ nghèo", "Cấp giấy chứng nhận quyền sử dụng đất", "Tiêm chủng mở rộng",
    "Sửa chữa đường giao thông nông thôn", "Thu gom rác thải sinh hoạt",
    "Đào tạo nghề cho lao động nông thôn", "Kiểm tra an toàn thực phẩm",
    'Chương trình "Mỗi xã một sản phẩm"', "Nạo vét kênh mương nội đồng",
    "Trồng cây phân tán", "Cải tạo nhà văn hóa thôn", "Chi trả trợ cấp xã hội",
)
DETAILS = (
    "theo kế hoạch năm", "đợt 1", "đợt 2, bổ sung", "hoàn thành trước hạn",
    "chậm do thời tiết", "đã nghiệm thu", "chờ phê duyệt kinh phí", "phối hợp với Sở",
    "theo Quyết định của UBND tỉnh", "ưu tiên thôn vùng sâu, vùng xa",
)
BOOLEANS = ("Có", "Không")
FIRST_DAY = dt.date(2019, 1, 1)
DAYS = (dt.date(2025, 12, 31) - FIRST_DAY).days + 1


def _communes() -> list[tuple[str, str]]:
    """About 900 (commune, district) pairs, each commune in one district."""
    rnd = random.Random(4)  # fixed: the place names are the same whatever the seed
    pairs: list[tuple[str, str]] = []
    seen: set[str] = set()
    while len(pairs) < 900:
        name = f"{rnd.choice(UNIT_KINDS)} {rnd.choice(SYLLABLES)} {rnd.choice(SYLLABLES)}"
        if name not in seen:
            seen.add(name)
            pairs.append((name, rnd.choice(DISTRICTS)))
    return pairs


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


COMMUNE_PREFIXES = [f"{name},{district}," for name, district in _communes()]
COMMUNE_NAMES = [prefix.split(",", 1)[0] for prefix in COMMUNE_PREFIXES]
DATES = [(FIRST_DAY + dt.timedelta(days=day)).isoformat() for day in range(DAYS)]
DATE_YEARS = [f"{date},{date[:4]}," for date in DATES]
QUOTED_ACTIONS = [_quoted(action).removesuffix('"') for action in ACTIONS]


def chunk(seed: int, index: int, rows: int) -> str:
    """Rows `index * CHUNK_ROWS + 1` to `+ rows`, as CSV text (no header)."""
    rnd = random.Random(seed * 1_000_003 + index)
    rand = rnd.random
    first = index * CHUNK_ROWS + 1
    communes = rnd.choices(COMMUNE_PREFIXES, k=rows)
    categories = rnd.choices(CATEGORIES, k=rows)
    actions = rnd.choices(QUOTED_ACTIONS, k=rows)
    details = rnd.choices(DETAILS, k=rows)
    n_communes = len(COMMUNE_PREFIXES)
    lines = []
    for i in range(rows):
        count = "" if rand() < 0.01 else str(int(rand() * 5000))
        cents = int(rand() * 10_000_000)
        done = BOOLEANS[rand() < 0.3]
        if rand() < 0.05:
            note = ""
        else:
            place = COMMUNE_NAMES[int(rand() * n_communes)]
            note = f'{actions[i]} tại {place}, {details[i]} (hồ sơ số {int(rand() * 10**6)})"'
        lines.append(
            f"{first + i},{communes[i]}{categories[i]},{count},{cents // 100}.{cents % 100:02d},"
            f"{DATE_YEARS[int(rand() * DAYS)]}{done},{note}\n"
        )
    return "".join(lines)


def _chunk_job(args: tuple[int, int, int]) -> str:
    return chunk(*args)


def generate(path: Path, rows: int, seed: int) -> Path:
    """Write the CSV to `path` (atomically), unless it is already there."""
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    jobs = [(seed, index, min(CHUNK_ROWS, rows - index * CHUNK_ROWS))
            for index in range((rows + CHUNK_ROWS - 1) // CHUNK_ROWS)]
    with partial.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER + "\n")
        with multiprocessing.Pool(min(2, os.cpu_count() or 1)) as pool:
            for text in pool.imap(_chunk_job, jobs):
                out.write(text)
    partial.rename(path)
    return path


def csv_path(data_dir: Path, rows: int, seed: int) -> Path:
    return data_dir / f"vn-open-data-{rows}-seed{seed}-v{VERSION}.csv"
