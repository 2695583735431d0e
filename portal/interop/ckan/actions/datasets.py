"""Actions on datasets and resources."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from portal.catalog.models import Dataset
from portal.catalog.selectors import get_dataset, get_resource, visible_datasets, with_related
from portal.interop.ckan.context import Context
from portal.interop.ckan.dictize import dataset_dicts, resource_dict
from portal.interop.ckan.errors import NotFoundError
from portal.interop.ckan.params import Params
from portal.interop.ckan.search import (
    Scope,
    SearchResult,
    read_search_request,
    run_search,
    scoped,
)
from portal.lib.errors import NotFound


def find_dataset(context: Context, name_or_id: str) -> Dataset:
    try:
        return get_dataset(context.user, name_or_id)
    except NotFound:
        raise NotFoundError() from None


def package_list(context: Context, data: Mapping[str, Any]) -> list[str]:
    """Return the names of the published public datasets, in alphabetical order.

    :param limit: at most this many names (optional, upper limit: API_MAX_ROWS; without it,
        every name, as CKAN gives them: `ckanapi dump datasets --all` asks once for all)
    :param offset: skip this many names first (optional)
    :param include_private: the portal's: also the non-public datasets the caller may see
        (optional, default: false)
    """
    params = Params(data)
    limit = params.natural("limit", maximum=settings.API_MAX_ROWS)
    offset = params.natural("offset", 0) or 0
    scope = Scope(include_private=params.boolean("include_private", False))
    params.check()
    names = scoped(visible_datasets(context.user), scope).order_by("slug")
    names_only = names.values_list("slug", flat=True)  # cheap: one column of an index
    return list(names_only[offset:] if limit is None else names_only[offset:offset + limit])


def current_package_list_with_resources(context: Context, data: Mapping[str, Any]
                                        ) -> list[dict[str, Any]]:
    """Return the published public datasets with their resources, most recently changed first.

    :param limit: at most this many datasets (optional; default: 10, upper limit: API_MAX_ROWS)
    :param offset: skip this many datasets first (optional)
    :param page: which page of `limit` datasets, from 1 (deprecated: use offset)
    :param include_private: the portal's: also the non-public datasets the caller may see
        (optional, default: false)
    """
    params = Params(data)
    most = settings.API_MAX_ROWS
    limit = params.natural("limit", min(10, most), maximum=most) or min(10, most)
    offset = params.natural("offset", 0) or 0
    page = params.positive("page")
    scope = Scope(include_private=params.boolean("include_private", False))
    params.check()
    if page and "offset" not in data:
        offset = (page - 1) * limit
    datasets = scoped(visible_datasets(context.user), scope).order_by("-modified", "slug")
    return dataset_dicts(with_related(datasets)[offset:offset + limit], context)


def package_show(context: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Return a dataset with its resources, if the caller may see it.

    :param id: the dataset's name or id
    :param include_tracking: accepted and ignored
    """
    params = Params(data)
    name_or_id = params.required("id", "name_or_id")
    params.check()
    return dataset_dicts([find_dataset(context, name_or_id)], context)[0]


def _search_facets(result: SearchResult) -> dict[str, Any]:
    return {
        field: {"title": field, "items": [
            {"name": name, "display_name": label or name, "count": count}
            for name, label, count in items]}
        for field, items in result.facets.items()
    }


def package_search(context: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Search the datasets the caller may see (published and public unless asked otherwise).

    :param q: words to find, and conditions in CKAN's syntax (optional)
    :param fq: conditions: organization, groups, tags, res_format, license_id, frequency,
        owner_org, name, id, capacity, access_level, metadata_modified and metadata_created
        ranges; several are all required, `OR` joins two, `-` negates (optional)
    :param fq_list: more conditions, a list of strings (optional)
    :param sort: e.g. "metadata_modified desc", "title_string asc", "name desc",
        "views_recent desc"; relevance ("score desc", the default) is the last change
    :param rows: at most this many datasets (default: 10, upper limit: API_MAX_ROWS)
    :param start: skip this many datasets first
    :param facet.field: the fields to count values of, a JSON list
    :param facet.limit: at most this many values per field (default 50; negative: all)
    :param facet.mincount: only values with at least this many datasets (default 1)
    :param fl: only these keys of each dataset, a list
    :param include_private: also non-public datasets the caller may see (default: false)
    :param include_drafts: also drafts the caller may see (default: false)
    :param include_deleted: also withdrawn datasets the caller may see (default: false)
    """
    request = read_search_request(data)
    result = run_search(context.user, request)
    results = dataset_dicts(result.datasets, context)
    if request.fields:
        results = [{key: item.get(key) for key in request.fields} for item in results]
    return {
        "count": result.count,
        "facets": {field: {name: count for name, _label, count in items}
                   for field, items in result.facets.items()},
        "results": results,
        "sort": request.sort,
        "search_facets": _search_facets(result),
    }


def resource_show(context: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Return a resource, if the caller may see its dataset.

    :param id: the resource's id
    """
    params = Params(data)
    resource_id = params.required("id")
    params.check()
    try:
        resource = get_resource(context.user, resource_id)
    except NotFound:
        raise NotFoundError(_("Resource was not found.")) from None
    return resource_dict(resource, resource.dataset, context)
