"""The default categories and column roles (defaults/categories.json), loaded by a migration
and again by tests that empty the database. Existing rows are left as the admin keeps them."""

from __future__ import annotations

from typing import Any

from portal.privacy.rules import default_document


def load_default_categories(category_model: Any, role_model: Any) -> None:
    """Create the missing categories and roles; the models may be historical models."""
    document = default_document()
    thresholds = {name: document["defaults"][name] for name in ("min_share", "min_matches")}
    for position, row in enumerate(document["categories"]):
        category_model.objects.get_or_create(code=row["code"], defaults={
            "name_vi": row["name_vi"], "name_en": row["name_en"], "kind": row["kind"],
            "citation": row["citation"], "rules": thresholds | row["rules"],
            "position": position})
    for position, row in enumerate(document["roles"]):
        role_model.objects.get_or_create(code=row["code"], defaults={
            "name_vi": row["name_vi"], "name_en": row["name_en"], "rules": row["rules"],
            "position": position})
