"""What a demo dataset is made of, and how its description and files are derived from that.

The datasets themselves are tables of `DatasetSpec` in `specs_*.py`, one module per group of
agencies; `all_specs()` gathers them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from portal.demo import periods
from portal.demo.tables import (
    CATEGORIES,
    PLACES,
    SITES,
    WARDS,
    Measure,
    Table,
    column_titles,
    wards_of,
)

NOTE = ("> Dữ liệu minh hoạ do chương trình tạo tự động cho bản trình diễn của cổng dữ liệu mở; "
        "không phải số liệu chính thức.")
FREQUENCY_VI = {
    "daily": "hằng ngày", "weekly": "hằng tuần", "monthly": "hằng tháng",
    "quarterly": "hằng quý", "semiannual": "6 tháng một lần", "annual": "hằng năm",
    "irregular": "không định kỳ, khi có thay đổi", "never": "không cập nhật (dữ liệu lưu trữ)",
}
FORMAT_NAMES = {"csv": "CSV", "xlsx": "XLSX", "json": "JSON", "geojson": "GeoJSON"}


@dataclass(frozen=True)
class Link:
    """A resource that is not a file: a page elsewhere or an API endpoint."""

    name: str
    url: str
    kind: str = "link"
    format: str = "HTML"
    description: str = ""


@dataclass(frozen=True)
class DatasetSpec:
    agency: str  # slug
    slug: str
    title: str
    summary: str  # the first paragraph of the description
    keywords: tuple[str, ...]
    sectors: tuple[str, ...]  # codes, among the agency's
    frequency: str
    table: Table
    formats: tuple[str, ...] = ("csv",)  # the first one for every period, the others once
    periods: int = 1  # how many recent periods have a file
    since: int = 2021  # first year of the temporal coverage
    licence: str = "vn-open-data"
    access: str = "public"
    status: str = "published"  # or "draft", "withdrawn"
    source: str = ""  # authoritative source system (article 4.3)
    contact: str = ""  # the unit answering questions; default: the agency's focal point
    period: str = ""  # fixed period for datasets no longer updated
    links: tuple[Link, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class FilePlan:
    name: str
    file_name: str
    file_format: str
    period: str


M = Measure


def by_ward(*measures: Measure, wards: tuple[str, ...] = ()) -> Table:
    """One row per commune/ward (all of them, or those named)."""
    return Table(WARDS, measures, wards=wards)


def cats(labels: tuple[str, ...], *measures: Measure, column: str = "chi_tieu",
         title: str = "Chỉ tiêu", scales: tuple[float, ...] = (),
         wards: tuple[str, ...] = ()) -> Table:
    """One row per named item (a budget line, a station, a disease...)."""
    return Table(CATEGORIES, measures, labels=labels, label_column=column, label_title=title,
                 scales=scales, wards=wards)


def places(kinds: tuple[str, ...], *measures: Measure, per_kind: int = 0,
           wards: tuple[str, ...] = (), polygons: bool = False) -> Table:
    """Facilities named after their commune, `per_kind` of each kind (0: one in every one)."""
    return Table(PLACES, measures, labels=kinds, per_kind=per_kind, wards=wards,
                 polygons=polygons)


def sites(labels: tuple[str, ...], *measures: Measure, polygons: bool = False) -> Table:
    """Named sites ("Chùa Cổ Lễ|Xã Cổ Lễ": the commune after the bar)."""
    return Table(SITES, measures, labels=labels, polygons=polygons)


def series_periods(spec: DatasetSpec, today: date) -> list[str]:
    if spec.period:
        return [spec.period]
    return periods.latest_periods(spec.frequency, today, spec.periods)


def file_plans(spec: DatasetSpec, today: date) -> list[FilePlan]:
    """One file per recent period in the first format, then the latest in the other formats."""
    series = series_periods(spec, today)
    plans = []
    for position, file_format in enumerate(spec.formats):
        for period in series if position == 0 else series[:1]:
            plans.append(_plan(spec, file_format, period, extra=position > 0))
    return plans


def _plan(spec: DatasetSpec, file_format: str, period: str, *, extra: bool) -> FilePlan:
    when = periods.label(period)
    if file_format == "geojson":
        name = f"Bản đồ vị trí {when}".strip()
    else:
        name = f"{'Số liệu' if period else 'Danh sách'} {when}".strip()
        if extra:
            name += f" ({FORMAT_NAMES[file_format]})"
    stem = f"{spec.slug}-{period}" if period else spec.slug
    return FilePlan(name, f"{stem}.{file_format}", file_format, period)


def spatial_codes(spec: DatasetSpec, province_code: str) -> list[str]:
    return [code for code, _name in wards_of(spec.table.wards)] if spec.table.wards \
        else [province_code]


def temporal(spec: DatasetSpec, today: date) -> tuple[date, date | None]:
    """From the start of the series to the end of its newest period (open for registers)."""
    series = series_periods(spec, today)
    if not series[0]:
        return date(spec.since, 1, 1), None
    start = min(date(spec.since, 1, 1), periods.bounds(series[-1])[0])
    return start, periods.bounds(series[0])[1]


def describe(spec: DatasetSpec, columns: list[str]) -> str:
    """The Markdown description: summary, scope, frequency, source and a data dictionary."""
    if spec.table.wards:
        scope = "các xã, phường: " + ", ".join(name for _code, name in wards_of(spec.table.wards))
    else:
        scope = f"toàn tỉnh Ninh Bình ({len(wards_of())} xã, phường)"
    lines = [spec.summary, "", f"- **Phạm vi:** {scope}",
             f"- **Tần suất cập nhật:** {FREQUENCY_VI[spec.frequency]}"]
    if spec.source:
        lines.append(f"- **Hệ thống nguồn:** {spec.source}")
    lines += ["", "### Cấu trúc dữ liệu", "", "| Cột | Ý nghĩa |", "|---|---|"]
    lines += [f"| `{column}` | {title} |" for column, title in column_titles(spec.table, columns)]
    return "\n".join([*lines, "", NOTE])

