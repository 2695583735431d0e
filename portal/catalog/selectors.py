"""Reads from the catalogue. Every read that a person or client can reach filters by permission."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum

from portal.accounts.permissions import visible_datasets_q
from portal.catalog.models import Dataset, DatasetChange, Licence, Resource
from portal.lib.errors import NotFound
from portal.lib.text import fold

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from portal.accounts.permissions import Actor

SORTS = {
    "modified": "-modified",
    "created": "-created",
    "title": "title",
    "name": "slug",
    "views": "-view_count",
}


def visible_datasets(user: Actor) -> QuerySet[Dataset]:
    return Dataset.objects.filter(visible_datasets_q(user))


def with_related(datasets: QuerySet[Dataset]) -> QuerySet[Dataset]:
    """Everything a list or a page shows, in a fixed number of queries."""
    return datasets.select_related("agency", "licence").prefetch_related(
        "sectors", "keywords", Prefetch("resources", queryset=Resource.objects.select_related(
            "datatable").order_by("position", "created")),
    )


def get_dataset(user: Actor, name_or_id: str) -> Dataset:
    """A dataset by URL name or id, or NotFound, also when the user may not see it."""
    lookup = Q(slug=name_or_id)
    with contextlib.suppress(ValueError):
        lookup |= Q(pk=uuid.UUID(name_or_id))
    dataset = with_related(visible_datasets(user)).filter(lookup).first()
    if dataset is None:
        raise NotFound("Dataset not found")
    return dataset


def get_resource(user: Actor, resource_id: str, dataset: Dataset | None = None) -> Resource:
    try:
        pk = uuid.UUID(resource_id)
    except ValueError:
        raise NotFound("Resource not found") from None
    resources = Resource.objects.select_related("dataset").filter(
        pk=pk, dataset__in=visible_datasets(user))
    if dataset is not None:
        resources = resources.filter(dataset=dataset)
    resource = resources.first()
    if resource is None:
        raise NotFound("Resource not found")
    return resource


@dataclass
class DatasetQuery:
    """A search of the catalogue, as the list page and CKAN's package_search express it."""

    q: str = ""
    sectors: list[str] = field(default_factory=list)  # sector codes
    agencies: list[str] = field(default_factory=list)  # agency slugs
    keywords: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    licences: list[str] = field(default_factory=list)  # licence codes
    frequencies: list[str] = field(default_factory=list)
    sort: str = "modified"
    # Filters contributed by higher apps (see `register_filter`): name → chosen values.
    extra: dict[str, list[str]] = field(default_factory=dict)


# Filters and facets contributed by higher apps -------------------------------------------------
# A higher app (the schedules' liveness) adds a filter to every search of the catalogue — the
# list page, CKAN's package_search, /api/v1 — without the catalogue importing it: it registers
# an ExtraFilter in its AppConfig.ready.


@dataclass(frozen=True)
class ExtraFilter:
    """A filter and facet on datasets owned by a higher app.

    `apply(datasets, values)` narrows a queryset to the chosen values (unknown values match
    nothing); `facet(datasets, limit)` counts the datasets per value, in a fixed number of
    queries, as (value, label, count)."""

    name: str  # the query parameter (page and CKAN's fq field), e.g. "liveness"
    title: str | Promise
    apply: Callable[[QuerySet[Dataset], list[str]], QuerySet[Dataset]]
    facet: Callable[[QuerySet[Dataset], int], list[tuple[str, str, int]]]


_extra_filters: dict[str, ExtraFilter] = {}


def register_filter(extra: ExtraFilter) -> None:
    """Add (or replace) a filter of every dataset search."""
    _extra_filters[extra.name] = extra


def extra_filters() -> list[ExtraFilter]:
    return list(_extra_filters.values())


def extra_filter(name: str) -> ExtraFilter | None:
    return _extra_filters.get(name)


def search_datasets(user: Actor, query: DatasetQuery) -> QuerySet[Dataset]:
    datasets = visible_datasets(user)
    for name, values in query.extra.items():
        extra = _extra_filters.get(name)
        if extra is not None and values:
            datasets = extra.apply(datasets, values)
    for word in fold(query.q).split():
        datasets = datasets.filter(search_text__contains=word)
    if query.sectors:
        datasets = datasets.filter(sectors__code__in=query.sectors)
    if query.agencies:
        datasets = datasets.filter(agency__slug__in=query.agencies)
    for keyword in query.keywords:
        datasets = datasets.filter(keywords__name=keyword)
    if query.formats:
        formats = Q()
        for name in query.formats:
            formats |= Q(format__iexact=name)
        datasets = datasets.filter(pk__in=Resource.objects.filter(formats).values("dataset_id"))
    if query.licences:
        datasets = datasets.filter(licence__code__in=query.licences)
    if query.frequencies:
        datasets = datasets.filter(frequency__in=query.frequencies)
    # Joins on to-many relations can repeat a dataset; filter by id to count each once.
    if query.sectors or query.keywords:
        datasets = Dataset.objects.filter(pk__in=datasets.values("pk"))
    return datasets.order_by(SORTS.get(query.sort, "-modified"), "slug")


FACETS = {
    "sectors": ("sectors__code", "sectors__name_vi"),
    "agencies": ("agency__slug", "agency__name"),
    "keywords": ("keywords__name", "keywords__name"),
    "formats": ("resources__format", "resources__format"),
    "licences": ("licence__code", "licence__title_vi"),
    "frequencies": ("frequency", "frequency"),
}


def facet_counts(datasets: QuerySet[Dataset], facet: str,
                 limit: int = 50) -> list[tuple[str, str, int]]:
    """(value, label, number of datasets) for one facet over a search's results, most first."""
    value, label = FACETS[facet]
    rows = (
        Dataset.objects.filter(pk__in=datasets.values("pk"))
        .exclude(**{f"{value}__isnull": True}).exclude(**{value: ""})
        .values(value, label).annotate(count=Count("pk", distinct=True))
        .order_by("-count", value)[:limit]
    )
    return [(row[value], row[label], row["count"]) for row in rows]


# Public pages ------------------------------------------------------------------------------
# The public catalogue (home, list, sector and agency pages) lists published datasets only, as
# CKAN's search does: drafts and withdrawn datasets stay reachable by URL for those who may see
# them, and on the staff dashboard.

# Labels in English for the facets whose values have an English name.
FACETS.update({
    "sectors_en": ("sectors__code", "sectors__name_en"),
    "licences_en": ("licence__code", "licence__title_en"),
})


def listed_datasets(user: Actor) -> QuerySet[Dataset]:
    """Published datasets the user may see: what the public pages list and count."""
    return visible_datasets(user).filter(status="published")


@dataclass(frozen=True)
class CatalogueTotals:
    datasets: int
    agencies: int
    resources: int
    views: int


def catalogue_totals(user: Actor) -> CatalogueTotals:
    """Headline numbers over the datasets the user may see, in two queries."""
    listed = listed_datasets(user)
    summary = listed.aggregate(datasets=Count("pk"), agencies=Count("agency", distinct=True),
                               views=Sum("view_count"))
    resources = Resource.objects.filter(dataset__in=listed.values("pk")).count()
    return CatalogueTotals(datasets=summary["datasets"], agencies=summary["agencies"],
                           resources=resources, views=summary["views"] or 0)


def newest_datasets(user: Actor, limit: int = 6) -> list[Dataset]:
    return list(with_related(listed_datasets(user)).order_by(
        F("published").desc(nulls_last=True), "-created", "slug")[:limit])


def most_viewed_datasets(user: Actor, limit: int = 6) -> list[Dataset]:
    return list(with_related(listed_datasets(user)).order_by(
        "-view_count", "-modified", "slug")[:limit])


def dataset_history(dataset: Dataset, limit: int = 100) -> list[DatasetChange]:
    """The latest changes of a dataset, newest first, with who made them."""
    return list(DatasetChange.objects.filter(dataset=dataset).select_related("user")[:limit])


def licences() -> list[Licence]:
    return list(Licence.objects.all())


def search_listed_datasets(user: Actor, query: DatasetQuery) -> QuerySet[Dataset]:
    """`search_datasets` restricted to what the public list shows (published datasets)."""
    return search_datasets(user, query).filter(status="published")
