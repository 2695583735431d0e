"""Reporting periods of the demo's series (`2026-10`, `2026-Q3`, `2026-H1`, `2025`).

Periods are counted back from a reference day (today by default), so that a demo loaded at any
time shows recent, complete periods.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

MONTHLY_FILES = ("daily", "weekly", "monthly")  # one file per month, rows per day or week
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _month_back(year: int, month: int, steps: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) - steps
    return index // 12, index % 12 + 1


def latest_periods(frequency: str, today: date, count: int) -> list[str]:
    """The `count` most recent complete periods of a series, newest first."""
    if frequency in MONTHLY_FILES:
        months = [_month_back(today.year, today.month, step) for step in range(1, count + 1)]
        return [f"{year}-{month:02d}" for year, month in months]
    if frequency == "quarterly":
        index = today.year * 4 + (today.month - 1) // 3 - 1
        return [f"{(index - step) // 4}-Q{(index - step) % 4 + 1}" for step in range(count)]
    if frequency == "semiannual":
        index = today.year * 2 + (today.month - 1) // 6 - 1
        return [f"{(index - step) // 2}-H{(index - step) % 2 + 1}" for step in range(count)]
    if frequency == "annual":
        return [str(today.year - 1 - step) for step in range(count)]
    return [""]  # irregular and never: one snapshot without a period


def bounds(period: str) -> tuple[date, date]:
    """First and last day of a period."""
    year = int(period[:4])
    if len(period) == 4:
        return date(year, 1, 1), date(year, 12, 31)
    part = period[5:]
    if part.startswith("Q"):
        first_month, months = (int(part[1]) - 1) * 3 + 1, 3
    elif part.startswith("H"):
        first_month, months = (int(part[1]) - 1) * 6 + 1, 6
    else:
        first_month, months = int(part), 1
    last_month = first_month + months - 1
    return date(year, first_month, 1), date(year, last_month,
                                            calendar.monthrange(year, last_month)[1])


def label(period: str) -> str:
    """How the period is written in Vietnamese: "tháng 10/2026", "quý III/2026"."""
    if not period:
        return ""
    year = period[:4]
    part = period[5:]
    if not part:
        return f"năm {year}"
    if part.startswith("Q"):
        return f"quý {ROMAN[int(part[1])]}/{year}"
    if part == "H1":
        return f"6 tháng đầu năm {year}"
    if part == "H2":
        return f"6 tháng cuối năm {year}"
    return f"tháng {part}/{year}"


def _stamp(period: str) -> dict[str, Any]:
    year = int(period[:4])
    part = period[5:]
    if part.startswith("Q"):
        return {"nam": year, "quy": int(part[1])}
    if part.startswith("H"):
        return {"nam": year, "ky": int(part[1])}
    if part:
        return {"nam": year, "thang": int(part)}
    return {"nam": year}


def stamps(frequency: str, period: str) -> list[dict[str, Any]]:
    """The time columns of each block of rows in one file of a series."""
    if not period:
        return [{}]
    if frequency not in ("daily", "weekly"):
        return [_stamp(period)]
    first, last = bounds(period)
    step = 1 if frequency == "daily" else 7
    start = first + timedelta(days=(7 - first.weekday()) % 7) if step == 7 else first
    days = [start + timedelta(days=offset) for offset in range(0, (last - start).days + 1, step)]
    column = "ngay" if frequency == "daily" else "tuan_tu_ngay"
    return [{column: day.isoformat()} for day in days]
