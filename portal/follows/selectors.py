"""Reads of follows: who hears of a dataset's news, and how many follow what (confirmed only)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q

from portal.agencies.models import Agency, Sector
from portal.catalog.models import Dataset
from portal.follows.models import Follow

Target = Dataset | Agency | Sector


def _audience_q(dataset: Dataset) -> Q:
    sectors = Dataset.sectors.through.objects.filter(dataset_id=dataset.pk).values("sector_id")
    return Q(dataset=dataset) | Q(agency_id=dataset.agency_id) | Q(sector_id__in=sectors)


def has_audience(dataset: Dataset) -> bool:
    return Follow.objects.confirmed().filter(_audience_q(dataset)).exists()


def followers_of(dataset: Dataset) -> list[Follow]:
    """One confirmed follow per address among those of the dataset, its agency and its
    sectors (the dataset's own first: its unsubscribe link is the one that address gets)."""
    chosen: dict[str, Follow] = {}
    follows = Follow.objects.confirmed().filter(_audience_q(dataset)).select_related(
        "dataset", "agency", "sector").order_by("pk")
    for follow in sorted(follows, key=lambda f: (f.dataset_id is None, f.agency_id is None)):
        chosen.setdefault(follow.email, follow)
    return list(chosen.values())


def follower_count(target: Target) -> int:
    field = {Dataset: "dataset", Agency: "agency", Sector: "sector"}[type(target)]
    return Follow.objects.confirmed().filter(**{field: target}).count()


def follower_counts(field: str, pks: Iterable[object]) -> dict[object, int]:
    """Confirmed followers of each of the `field` ("dataset", "agency", "sector") records in
    `pks`, in one query: a list of records costs one query, not one per record."""
    rows = (Follow.objects.confirmed().filter(**{f"{field}_id__in": list(pks)})
            .values(f"{field}_id").annotate(number=Count("pk")).order_by())
    return {row[f"{field}_id"]: row["number"] for row in rows}


def followers_list(dataset: Dataset) -> list[Follow]:
    """Who follows a dataset (for sysadmins: addresses are personal data)."""
    return list(Follow.objects.confirmed().filter(dataset=dataset).order_by("confirmed", "pk"))
