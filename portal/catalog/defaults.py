"""The default licences, loaded by a migration (and again by tests that empty the database)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

LICENCES = Path(__file__).resolve().parent / "defaults" / "licences.json"


def load_default_licences(licence_model: Any) -> None:
    """Create the default licences that are missing; `licence_model` may be a historical model."""
    rows = json.loads(LICENCES.read_text(encoding="utf-8"))["licences"]
    for position, row in enumerate(rows):
        licence_model.objects.get_or_create(code=row["code"],
                                            defaults={**row, "position": position})
