"""docs/api-ckan.md documents every action and every field the portal adds to CKAN's."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from portal.interop.ckan.actions import ACTIONS
from portal.interop.ckan.search import FACETS, FIELDS, SORTS

DOC = (Path(settings.BASE_DIR) / "docs" / "api-ckan.md").read_text(encoding="utf-8")
PORTAL_FIELDS = ["frequency", "access_level", "temporal_start", "temporal_end", "spatial",
                 "source_system", "contact_point", "period", "encoding", "liveness", "next_due",
                 "periods", "data_delivered"]


def test_every_action_is_documented() -> None:
    missing = [name for name in ACTIONS if f"| `{name}` |" not in DOC]
    assert not missing


def test_every_search_field_sort_and_facet_is_documented() -> None:
    missing = [name for name in sorted(FIELDS | set(SORTS) | set(FACETS))
               if f"`{name}`" not in DOC]
    assert not missing


def test_every_portal_field_is_documented() -> None:
    missing = [name for name in PORTAL_FIELDS if f"`{name}`" not in DOC]
    assert not missing
