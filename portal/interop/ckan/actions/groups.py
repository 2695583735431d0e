"""Organizations (agencies) and groups (sectors), with the datasets the caller may see counted."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from portal.agencies.models import Agency, Sector
from portal.catalog.models import Dataset
from portal.catalog.selectors import with_related
from portal.follows.selectors import follower_count, follower_counts
from portal.interop.ckan.context import Context
from portal.interop.ckan.dictize import dataset_dicts, group_dict, organization_dict
from portal.interop.ckan.errors import CkanValidationError, NotFoundError
from portal.interop.ckan.ids import agency_pks, sector_pks
from portal.interop.ckan.params import Params
from portal.interop.ckan.search import listed
from portal.lib.text import fold

if TYPE_CHECKING:
    from portal.accounts.permissions import Actor

# organization_show and group_show with include_datasets: the most recently changed, as CKAN.
SHOWN_DATASETS = 10
GROUP_SORTS = {"name": "name", "title": "title", "package_count": "count", "packages": "count"}

Record = TypeVar("Record", Agency, Sector)


@dataclass(frozen=True)
class Entry(Generic[Record]):
    record: Record
    name: str
    title: str
    text: str  # folded name, title and description, for `q`
    count: int


def _group_sort(sort: str) -> tuple[str, bool]:
    """(attribute of Entry, descending) for CKAN's group sort: one field, name by default."""
    parts = sort.split(",")
    words = parts[0].split()
    if len(parts) > 1 or not words or len(words) > 2 or words[0] not in GROUP_SORTS:
        raise CkanValidationError({"sort": [_("Cannot sort by field `%(field)s`")
                                         % {"field": sort.strip()}]})
    field = GROUP_SORTS[words[0]]
    direction = words[1].lower() if len(words) > 1 else ("desc" if field == "count" else "asc")
    if direction not in ("asc", "desc"):
        raise CkanValidationError({"sort": [_("Invalid sort direction `%(direction)s`")
                                         % {"direction": direction}]})
    return field, direction == "desc"


def _list(entries: list[Entry[Record]], data: Mapping[str, Any], names_key: str,
          full: Callable[[Record, int | None], dict[str, Any]]) -> list[Any]:
    params = Params(data)
    all_fields = params.boolean("all_fields", False)
    sort = params.text("sort").strip() or "title asc"
    limit = params.natural("limit", maximum=settings.API_MAX_ROWS) or settings.API_MAX_ROWS
    offset = params.natural("offset", 0) or 0
    wanted = set(params.names(names_key))
    words = fold(params.text("q")).split()
    with_count = params.boolean("include_dataset_count", True)
    params.check()
    field, descending = _group_sort(sort)
    entries = [entry for entry in entries if (not wanted or entry.name in wanted)
               and all(word in entry.text for word in words)]
    entries.sort(key=lambda entry: entry.name)
    entries.sort(key=lambda entry: fold(entry.title) if field == "title"
                 else getattr(entry, field), reverse=descending)
    page = entries[offset:offset + limit]
    if not all_fields:
        return [entry.name for entry in page]
    return [full(entry.record, entry.count if with_count else None) for entry in page]


def _agency_counts(user: Actor) -> dict[int, int]:
    rows = listed(user).order_by().values("agency_id").annotate(count=Count("pk"))
    return {row["agency_id"]: row["count"] for row in rows}


def _sector_counts(user: Actor) -> dict[int, int]:
    rows = listed(user).order_by().values("sectors").annotate(count=Count("pk"))
    return {row["sectors"]: row["count"] for row in rows if row["sectors"] is not None}


def organization_list(context: Context, data: Mapping[str, Any]) -> list[Any]:
    """Return the agencies' names, or their dictionaries with `all_fields`.

    :param all_fields: dictionaries instead of names (optional, default: false)
    :param sort: "title asc" (default), "name", "package_count desc"...
    :param limit: at most this many (optional; default and upper limit: API_MAX_ROWS)
    :param offset: skip this many first (optional)
    :param organizations: only these names, a list (optional)
    :param q: only those whose name, title or description contain these words (optional)
    :param include_dataset_count: with `all_fields`, add package_count (default: true)
    """
    counts = _agency_counts(context.user)
    entries = [Entry(agency, agency.slug, agency.name,
                     fold(f"{agency.slug} {agency.name} {agency.description}"),
                     counts.get(agency.pk, 0))
               for agency in Agency.objects.select_related("parent", "replaced_by")]
    followers = follower_counts("agency", [entry.record.pk for entry in entries])
    return _list(entries, data, "organizations", lambda agency, count: organization_dict(
        agency, context, count, followers.get(agency.pk, 0)))


def group_list(context: Context, data: Mapping[str, Any]) -> list[Any]:
    """Return the sectors' codes, or their dictionaries with `all_fields`.

    :param all_fields: dictionaries instead of codes (optional, default: false)
    :param sort: "title asc" (default), "name", "package_count desc"...
    :param limit: at most this many (optional; default and upper limit: API_MAX_ROWS)
    :param offset: skip this many first (optional)
    :param groups: only these codes, a list (optional)
    :param q: only those whose code, title or description contain these words (optional)
    :param include_dataset_count: with `all_fields`, add package_count (default: true)
    """
    counts = _sector_counts(context.user)
    entries = [Entry(sector, sector.code, sector.name_vi,
                     fold(f"{sector.code} {sector.name_vi} {sector.name_en} {sector.description}"),
                     counts.get(sector.pk, 0))
               for sector in Sector.objects.all()]
    followers = follower_counts("sector", [entry.record.pk for entry in entries])
    return _list(entries, data, "groups", lambda sector, count: group_dict(
        sector, count, followers.get(sector.pk, 0)))


@dataclass(frozen=True)
class ShowRequest:
    name_or_id: str
    include_datasets: bool
    include_count: bool


def _show_request(data: Mapping[str, Any]) -> ShowRequest:
    params = Params(data)
    request = ShowRequest(params.required("id"), params.boolean("include_datasets", False),
                          params.boolean("include_dataset_count", True))
    params.check()
    return request


def _add_datasets(result: dict[str, Any], datasets: QuerySet[Dataset], request: ShowRequest,
                  context: Context) -> dict[str, Any]:
    if request.include_count or request.include_datasets:
        result["package_count"] = datasets.count()
    if request.include_datasets:
        recent = with_related(datasets.order_by("-modified", "slug"))[:SHOWN_DATASETS]
        result["packages"] = dataset_dicts(recent, context)
    return result


def organization_show(context: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Return an agency, with the number of its published datasets the caller may see.

    :param id: the agency's name (slug) or id
    :param include_datasets: add `packages`, its 10 most recently changed datasets
        (optional, default: false)
    :param include_dataset_count: add package_count (optional, default: true)
    """
    request = _show_request(data)
    agency = (Agency.objects.select_related("parent", "replaced_by")
              .filter(pk__in=agency_pks(request.name_or_id)).first())
    if agency is None:
        raise NotFoundError()
    result = organization_dict(agency, context, None, follower_count(agency))
    return _add_datasets(result, listed(context.user).filter(agency=agency), request, context)


def group_show(context: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Return a sector, with the number of its published datasets the caller may see.

    :param id: the sector's code or id
    :param include_datasets: add `packages`, its 10 most recently changed datasets
        (optional, default: false)
    :param include_dataset_count: add package_count (optional, default: true)
    """
    request = _show_request(data)
    sector = Sector.objects.filter(pk__in=sector_pks(request.name_or_id)).first()
    if sector is None:
        raise NotFoundError()
    in_sector = Dataset.objects.filter(sectors=sector).values("pk")
    result = group_dict(sector, None, follower_count(sector))
    return _add_datasets(result, listed(context.user).filter(pk__in=in_sector), request, context)
