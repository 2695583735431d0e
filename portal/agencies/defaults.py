"""The default sector list, loaded by a migration (and again by tests that empty the database)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SECTORS = Path(__file__).resolve().parent / "defaults" / "sectors.json"


def load_default_sectors(sector_model: Any) -> None:
    """Create the default sectors that are missing; `sector_model` may be a historical model."""
    rows = json.loads(SECTORS.read_text(encoding="utf-8"))["sectors"]
    for position, row in enumerate(rows):
        sector_model.objects.get_or_create(code=row["code"], defaults={**row, "position": position})
