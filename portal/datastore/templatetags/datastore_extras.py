"""Formatting for the data section: profile labels and bars, types, encodings."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from portal.datastore import display
from portal.datastore.charts import quote_item
from portal.datastore.encodings import DISPLAY_NAMES
from portal.datastore.profile import Bar, ColumnProfile

register = template.Library()


@register.filter
def type_label(kind: str) -> str:
    return display.type_label(kind)


@register.filter
def bound(value: Any) -> str:
    return display.bound(value)


@register.filter
def number(value: int | None) -> str:
    """A count, grouped in thousands the reader's way."""
    return "" if value is None else display.count(value)


@register.filter
def bar_label(bar: Bar, column: ColumnProfile) -> str:
    return display.bar_label(bar, column)


@register.filter
def bar_width(bar: Bar, column: ColumnProfile) -> int:
    """The bar's length in the SVG's 100 units."""
    return display.share(bar.count, column.largest)


@register.filter
def encoding_name(code: str) -> str:
    return DISPLAY_NAMES.get(code, code)


@register.filter
def column_title(column: ColumnProfile, titles: dict[str, str]) -> str:
    return titles.get(column.name) or column.name


@register.simple_tag
def iframe_code(url: str, title: str, height: int = 480) -> str:
    """The HTML another site pastes to embed `url`: attribute values escaped. Shown in a
    textarea, the template escapes it once more (force_escape), so it reads as typed."""
    return str(format_html('<iframe src="{}" title="{}" width="100%" height="{}" '
                           'loading="lazy"></iframe>', url, title, height))


@register.filter
def get_sample(samples: dict[str, list[str]], code: str) -> list[str]:
    return samples.get(code, [])




@register.filter
def api_list(names: list[str]) -> str:
    """Names as one of the data API's comma-separated lists (`fields`, `group_by`)."""
    return ",".join(quote_item(name) for name in names)
