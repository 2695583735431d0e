"""The default deadline policies (article 4.7), loaded by a migration (and again by tests that
empty the database)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DEADLINES = Path(__file__).resolve().parent / "defaults" / "deadlines.json"


def load_default_deadlines(policy_model: Any) -> None:
    """Create the policies that are missing; `policy_model` may be a historical model. A policy
    the supervisor changed is left as it is."""
    rows = json.loads(DEADLINES.read_text(encoding="utf-8"))["policies"]
    for row in rows:
        policy_model.objects.get_or_create(frequency=row["frequency"], defaults=row)
