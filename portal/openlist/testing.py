"""Factories for tests and the demo: lists made through the real services (as the operating
unit at the command line, `actor=None`)."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from portal.agencies.models import Agency, Sector
from portal.catalog.models import Dataset
from portal.openlist import services
from portal.openlist.models import ItemDataset, ListItem, ListKind, ListVersion

_counter = itertools.count(1)


def item_fields(*, agency: Agency, sector: Sector | None = None,
                **overrides: Any) -> services.ItemFields:
    number = next(_counter)
    values: dict[str, Any] = {
        "code": f"DM-{number:03d}", "name": f"Danh mục thử nghiệm {number}",
        "agency": agency, "sector": sector or agency.sectors.first(),
    } | overrides
    return services.ItemFields(**values)


def make_version(*, items: list[services.ItemFields], kind: str = ListKind.OPEN_DATA,
                 issue: bool = True, decision_number: str = "1049/QĐ-UBND",
                 signed_on: date = date(2021, 9, 22)) -> ListVersion:
    """A new version of the list with these items, issued unless `issue` is False."""
    draft = services.draft_create(actor=None, kind=kind)
    services.items_replace(actor=None, version=draft, rows=items)
    if not issue:
        return draft
    decision = services.Decision(number=decision_number, signed_on=signed_on,
                                 signer="Phạm Quang Ngọc")
    return services.version_issue(actor=None, version=draft, decision=decision)


def link(item: ListItem, dataset: Dataset) -> ItemDataset:
    return services.link_create(actor=None, item=item, dataset=dataset)
