"""Panels: how a higher app adds a block to a lower app's page without the lower app importing it.

A page of a lower app (the catalogue's dataset page, an agency's page, the staff navigation)
names its slots in the template: `{% panels "dataset.aside" dataset %}`. A higher app (the
schedules, feedback) registers a provider for a slot in its AppConfig.ready:

    panels.register("dataset.aside", liveness_panel, order=10)

A provider takes the request and the page's object and returns HTML (already rendered and
escaped, usually with render_to_string) or "" to show nothing. Providers must not make a
page's query count grow with the number of rows on it: a provider of a list page reads what it
needs for the whole page at once.

Slots in use: "dataset.main" and "dataset.aside" (the public dataset page, object: Dataset),
"resource.main" (the public resource page, under its information; object: Resource, its
`dataset` loaded), "resource.checks" (the resource page, above its data: what the checks of its
content found, for its agency; object: Resource), "agency.aside" (an agency's page, object:
Agency), "sector.aside" (a sector's page, object: Sector), "staff.nav" (the staff menu,
object: None).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

Provider = Callable[[HttpRequest, Any], str]


@dataclass(frozen=True)
class _Entry:
    order: int
    name: str
    provider: Provider


_slots: dict[str, list[_Entry]] = {}


def register(slot: str, provider: Provider, *, order: int = 50) -> None:
    """Add a provider to a slot; registering the same function again replaces it."""
    name = f"{provider.__module__}.{provider.__qualname__}"
    entries = [entry for entry in _slots.get(slot, []) if entry.name != name]
    entries.append(_Entry(order, name, provider))
    _slots[slot] = sorted(entries, key=lambda entry: (entry.order, entry.name))


def render(slot: str, request: HttpRequest, obj: Any = None) -> SafeString:
    """Every provider's HTML for the slot, in order."""
    parts = [entry.provider(request, obj) for entry in _slots.get(slot, [])]
    return mark_safe("".join(part for part in parts if part))  # noqa: S308 - providers render templates
