"""Values of a table as people read them on a page, in the reader's language.

Numbers and dates follow the active locale (Vietnamese: 1.234,5 and 15/03/2026); long text
and geometries are cut, since a preview is for looking, not for reading whole cells.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.datastore.inference import TYPE_CHOICES
from portal.datastore.profile import Bar, ColumnProfile

CELL_LENGTH = 120
TYPE_LABELS: dict[str, Any] = dict(TYPE_CHOICES) | {
    "geojson": gettext_lazy("Geometry (GeoJSON)"),
    "object": gettext_lazy("Structured value (JSON)"),
    "time": gettext_lazy("Time of day"),
}


def type_label(kind: str) -> str:
    return str(TYPE_LABELS.get(kind, kind))


def number(value: float | int, decimals: int | None = None, *, grouped: bool = False) -> str:
    """A number in the reader's locale. Values of the table are not grouped in thousands (a
    year, a commune code: 2026, 14464); counts are (grouped=True: 1.234.567)."""
    if isinstance(value, int):
        return formats.number_format(value, use_l10n=True, force_grouping=grouped)
    if not math.isfinite(value):
        return str(value)
    if decimals is None:
        decimals = 0 if value.is_integer() else min(6, _decimals_of(value))
    return formats.number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True,
                                 force_grouping=grouped)


def count(value: int) -> str:
    return number(value, grouped=True)


def _decimals_of(value: float) -> int:
    text = repr(value)
    return len(text.split(".", 1)[1]) if "." in text and "e" not in text else 2


def cell(value: Any) -> str:
    """One cell of the preview table."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    text = str(value)
    return text if len(text) <= CELL_LENGTH else text[:CELL_LENGTH - 1] + "…"


def bound(value: Any) -> str:
    """A minimum or maximum in the profile."""
    return "—" if value is None else cell(value)


def bar_label(bar: Bar, column: ColumnProfile) -> str:
    """What one bar of a column's histogram stands for."""
    if column.histogram_kind == "bins":
        if bar.low == bar.high:
            return number(bar.low)
        decimals = None if column.type == "integer" else _bin_decimals(bar)
        return f"{number(bar.low, decimals)} – {number(bar.high, decimals)}"
    if column.histogram_kind == "months":
        return formats.date_format(bar.low, "m/Y")
    if column.histogram_kind == "years":
        return str(bar.low.year)
    if column.type == "boolean":
        return _("yes") if bar.low == "true" else _("no")
    return cell(bar.low)


def _bin_decimals(bar: Bar) -> int:
    """Enough decimals to tell a bin's ends apart (0 for wide bins)."""
    width = abs(float(bar.high) - float(bar.low))
    if width == 0 or width >= 10:
        return 0
    return min(6, max(0, 1 - math.floor(math.log10(width))))


def share(count: int, largest: int) -> int:
    """A bar's length, 0 to 100, for the SVG bars of the profile (at least 1 when not empty)."""
    if largest <= 0 or count <= 0:
        return 0
    return max(1, round(100 * count / largest))
