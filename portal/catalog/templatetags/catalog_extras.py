"""Formatting for catalogue pages: sanitised Markdown, file sizes, reporting periods, places."""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import urlsplit

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page
from django.db.models import Model
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from portal.catalog.models import Dataset, DatasetChange, Resource, ResourceKind
from portal.lib.periods import Period, PeriodError, Unit
from portal.lib.places import unit_name
from portal.lib.text import render_markdown

register = template.Library()

SAFE_SCHEMES = {"http", "https", "ftp"}
RESOURCE_ACTIONS = {
    DatasetChange.Action.RESOURCE_ADDED,
    DatasetChange.Action.RESOURCE_UPDATED,
    DatasetChange.Action.RESOURCE_DELETED,
}


HEADING = re.compile(r"<(/?)h([1-6])\b")


@register.filter
def markdown(source: str | None, top_level: int = 2) -> SafeString:
    """Markdown written by an agency, rendered and sanitised (safe to output as is).

    Its headings are moved so that the highest is `top_level`, to fit under the page's own.
    """
    html = render_markdown(source or "")
    levels = [int(level) for _slash, level in HEADING.findall(html)]
    shift = int(top_level) - min(levels) if levels else 0
    if shift:
        html = HEADING.sub(lambda m: f"<{m[1]}h{max(min(int(m[2]) + shift, 6), 2)}", html)
    return mark_safe(html)  # noqa: S308 - sanitised by nh3


@register.filter
def filesize(size: int | None) -> str:
    """A byte count for people ("1.2 MB"); empty when unknown."""
    if size is None:
        return ""
    return str(filesizeformat(size))


@register.filter
def period(value: str | None) -> str:
    """A reporting period (2026-03-05, 2026-W10, 2026-03, 2026-Q1, 2026-H1, 2026) in words;
    other text unchanged."""
    try:
        found = Period.parse(value or "")
    except PeriodError:
        return value or ""
    return period_words(found)


def period_words(found: Period) -> str:
    start, text = found.start, str(found)
    parts = {"year": text[:4], "month": f"{start.month:02d}", "day": f"{start.day:02d}",
             "number": text[6:]}
    if found.unit == Unit.DAY:
        return _("day %(day)s/%(month)s/%(year)s") % parts
    if found.unit == Unit.WEEK:
        return _("week %(number)s/%(year)s") % parts
    if found.unit == Unit.MONTH:
        return _("month %(month)s/%(year)s") % parts
    if found.unit == Unit.QUARTER:
        return _("quarter %(quarter)s/%(year)s") % (parts | {"quarter": text[6:]})
    if found.unit == Unit.HALF:
        return (_("first half of %(year)s") if text.endswith("1")
                else _("second half of %(year)s")) % parts
    return _("year %(year)s") % parts


@register.filter
def periods(values: list[str] | None) -> str:
    """Several periods in words, separated by commas."""
    return ", ".join(period(value) for value in values or [])


@register.filter
def unit_names(codes: list[str] | None) -> list[str]:
    """Names of administrative units from their codes."""
    return [unit_name(str(code)) for code in codes or []]


def _label(model: type[Model], name: str) -> str:
    try:
        return str(capfirst(model._meta.get_field(name).verbose_name))  # type: ignore[union-attr]
    except FieldDoesNotExist:
        return name


@register.filter
def change_fields(change: DatasetChange) -> list[str]:
    """The names, for people, of the fields a history entry changed."""
    model: type[Model] = Resource if change.action in RESOURCE_ACTIONS else Dataset
    return [_label(model, str(name)) for name in change.fields or []]


@register.filter
def resource_formats(dataset: Dataset) -> list[str]:
    """The distinct formats of a dataset's resources (prefetched by the selectors)."""
    return sorted({resource.format for resource in dataset.resources.all() if resource.format},
                  key=str.casefold)


@register.filter
def safe_url(url: str | None) -> str:
    """The URL if it is a web or FTP address; never `javascript:` or the like in a link."""
    return url or "" if urlsplit(url or "").scheme.lower() in SAFE_SCHEMES else ""


@register.simple_tag
def download_url(dataset: Dataset, resource: Resource) -> str:
    """Where a resource is fetched: the portal's download address, or the external URL."""
    if resource.kind != ResourceKind.FILE:
        return safe_url(resource.url)
    if not resource.file:
        return ""
    return reverse("catalog:resource_download", args=[dataset.slug, resource.pk,
                                                      resource.file_name])


@register.filter
def page_numbers(page: Page[Any]) -> list[int | None]:
    """Page numbers around the current one and at the ends; None where some are left out."""
    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return [number if isinstance(number, int) else None for number in numbers]


@register.filter
def dom_id(value: object) -> str:
    """A stable, unique HTML id for any value (htmx restores focus by id after a swap)."""
    return "v" + hashlib.sha256(str(value).encode()).hexdigest()[:12]


@register.filter
def thousands(number: int | None) -> str:
    """A whole number with the language's thousands separator (Django's Vietnamese format has
    no grouping, so intcomma would print 1234567)."""
    separator = str(get_format("THOUSAND_SEPARATOR"))
    return f"{number or 0:,}".replace(",", separator)
