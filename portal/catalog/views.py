"""Public pages of the catalogue: the dataset list, a dataset, a resource and its download.

URLs and query parameters are CKAN's, so that links to a portal migrated from CKAN keep working.
"""

from __future__ import annotations

import html
import json
import logging
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from portal.accounts.permissions import Action, can
from portal.catalog import services
from portal.catalog.models import Dataset, Frequency, Resource, ResourceKind
from portal.catalog.selectors import (
    FACETS,
    DatasetQuery,
    ExtraFilter,
    dataset_history,
    extra_filters,
    facet_counts,
    get_dataset,
    get_resource,
    search_listed_datasets,
    with_related,
)
from portal.catalog.templatetags.catalog_extras import download_url, safe_url
from portal.datastore import views as data_views
from portal.lib.errors import NotFound
from portal.lib.htmx import is_fragment
from portal.lib.net import absolute_url
from portal.lib.places import unit_name
from portal.lib.text import render_markdown

logger = logging.getLogger(__name__)

PER_PAGE = 20
FACET_LIMIT = 10
MAX_QUERY_LENGTH = 200
MAX_FILTER_VALUES = 20

# DatasetQuery attribute -> CKAN's query parameter, in the order the facets are shown.
FILTER_PARAMS = {
    "sectors": "groups",
    "agencies": "organization",
    "formats": "res_format",
    "licences": "license_id",
    "frequencies": "frequency",
    "keywords": "tags",
}
FACET_TITLES = {
    "sectors": gettext_lazy("Sectors"),
    "agencies": gettext_lazy("Agencies"),
    "formats": gettext_lazy("Formats"),
    "licences": gettext_lazy("Licences"),
    "frequencies": gettext_lazy("Update frequency"),
    "keywords": gettext_lazy("Keywords"),
}
# CKAN's sort expressions, mapped to ours.
CKAN_SORTS = {
    "score desc, metadata_modified desc": "modified",
    "metadata_modified desc": "modified",
    "metadata_created desc": "created",
    "title_string asc": "title",
    "name asc": "title",
    "views_recent desc": "views",
    "views_total desc": "views",
}
SORT_CHOICES = [
    ("modified", gettext_lazy("Last updated")),
    ("created", gettext_lazy("Newest")),
    ("title", gettext_lazy("Title (A–Z)")),
    ("views", gettext_lazy("Most viewed")),
]


@dataclass
class FacetItem:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class FacetGroup:
    param: str
    title: str
    items: list[FacetItem]


def _clean(value: str, limit: int = 100) -> str:
    # PostgreSQL refuses NUL characters in text: drop them instead of failing.
    return value.replace("\x00", "").strip()[:limit]


def _values(raw: list[str]) -> list[str]:
    cleaned = [_clean(value) for value in raw[:MAX_FILTER_VALUES]]
    return list(dict.fromkeys(value for value in cleaned if value))


def read_query(request: HttpRequest) -> DatasetQuery:
    """The search a request asks for; unknown or malformed values are ignored, never an error."""
    params = request.GET
    sort = _clean(params.get("sort", ""))
    sort = CKAN_SORTS.get(sort, sort)
    filters = {attr: _values(params.getlist(name)) for attr, name in FILTER_PARAMS.items()}
    extra = {item.name: _values(params.getlist(item.name)) for item in extra_filters()}
    return DatasetQuery(q=_clean(params.get("q", ""), MAX_QUERY_LENGTH),
                        sort=sort if sort in dict(SORT_CHOICES) else "modified",
                        extra={name: values for name, values in extra.items() if values},
                        **filters)


def _facet_items(results: QuerySet[Dataset], attr: str, selected: list[str]) -> list[FacetItem]:
    key = f"{attr}_en" if translation.get_language() == "en" and f"{attr}_en" in FACETS else attr
    chosen = {value.casefold() for value in selected}
    items = []
    for value, label, count in facet_counts(results, key, limit=FACET_LIMIT):
        if attr == "frequencies":
            label = str(dict(Frequency.choices).get(value, value))
        items.append(FacetItem(value, str(label or value), count, value.casefold() in chosen))
    # A chosen value with no result still shows, so that it can be unchosen.
    shown = {item.value.casefold() for item in items}
    items += [FacetItem(value, value, 0, True) for value in selected
              if value.casefold() not in shown]
    return items


def _facets(results: QuerySet[Dataset], query: DatasetQuery) -> list[FacetGroup]:
    groups = [
        FacetGroup(param, str(FACET_TITLES[attr]),
                   _facet_items(results, attr, getattr(query, attr)))
        for attr, param in FILTER_PARAMS.items()
    ]
    return groups + [_extra_group(results, extra, query.extra.get(extra.name, []))
                     for extra in extra_filters()]


def _extra_group(results: QuerySet[Dataset], extra: ExtraFilter,
                 selected: list[str]) -> FacetGroup:
    """A facet contributed by a higher app (catalog.selectors.register_filter)."""
    chosen = set(selected)
    items = [FacetItem(value, label, count, value in chosen)
             for value, label, count in extra.facet(results, FACET_LIMIT)]
    shown = {item.value for item in items}
    items += [FacetItem(value, value, 0, True) for value in selected if value not in shown]
    return FacetGroup(extra.name, str(extra.title), items)


@require_safe
def dataset_list(request: HttpRequest) -> HttpResponse:
    query = read_query(request)
    results = search_listed_datasets(request.user, query)
    page = Paginator(with_related(results), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "query": query,
        "page": page,
        "facets": _facets(results, query),
        "sort_choices": SORT_CHOICES,
        "filtered": bool(query.q) or bool(query.extra)
        or any(getattr(query, attr) for attr in FILTER_PARAMS),
    }
    template = "_results.html" if is_fragment(request) else "dataset_list.html"
    response = render(request, f"catalog/public/{template}", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _dataset_or_404(request: HttpRequest, name: str) -> Dataset:
    try:
        return get_dataset(request.user, _clean(name, 200))
    except NotFound:
        raise Http404(_("There is no dataset at this address, or you may not see it.")) from None


def _resource_or_404(request: HttpRequest, dataset: Dataset, resource_id: str) -> Resource:
    try:
        return get_resource(request.user, resource_id, dataset)
    except NotFound:
        raise Http404(_("This dataset has no such resource.")) from None


def _distribution(request: HttpRequest, dataset: Dataset, resource: Resource) -> dict[str, Any]:
    url = absolute_url(request, download_url(dataset, resource))
    item: dict[str, Any] = {"@type": "DataDownload", "name": resource.name, "contentUrl": url}
    if resource.media_type or resource.format:
        item["encodingFormat"] = resource.media_type or resource.format
    if resource.size is not None:
        item["contentSize"] = str(resource.size)
    if resource.period:
        item["temporalCoverage"] = resource.period
    return item


def _publisher(request: HttpRequest, dataset: Dataset) -> dict[str, Any]:
    agency = dataset.agency
    publisher: dict[str, Any] = {
        "@type": "GovernmentOrganization", "name": agency.name,
        "url": absolute_url(request, reverse("agencies:agency_detail", args=[agency.slug])),
    }
    if dataset.contact_name or dataset.contact_email or agency.focal_email:
        publisher["contactPoint"] = {
            "@type": "ContactPoint", "contactType": "customer support",
            "name": dataset.contact_name or agency.focal_name,
            "email": dataset.contact_email or agency.focal_email,
        }
    return publisher


def plain_text(markdown_source: str) -> str:
    return html.unescape(strip_tags(render_markdown(markdown_source))).strip()


def dataset_jsonld(request: HttpRequest, dataset: Dataset) -> SafeString:
    """schema.org `Dataset` as JSON, escaped so that it cannot close its <script> element."""
    url = absolute_url(request, reverse("catalog:dataset_detail", args=[dataset.slug]))
    licence = safe_url(dataset.licence.url) or absolute_url(request, reverse("pages:terms"))
    data: dict[str, Any] = {
        "@context": "https://schema.org/", "@type": "Dataset", "@id": url, "url": url,
        "identifier": str(dataset.pk), "name": dataset.title,
        "description": plain_text(dataset.description) or dataset.title,
        "keywords": [keyword.name for keyword in dataset.keywords.all()]
        + [sector.name for sector in dataset.sectors.all()],
        "license": licence, "isAccessibleForFree": True, "inLanguage": "vi",
        "dateCreated": dataset.created.isoformat(), "dateModified": dataset.modified.isoformat(),
        "publisher": _publisher(request, dataset), "creator": _publisher(request, dataset),
        "distribution": [_distribution(request, dataset, resource)
                         for resource in dataset.resources.all()
                         if download_url(dataset, resource)],
    }
    if dataset.published:
        data["datePublished"] = dataset.published.isoformat()
    if dataset.temporal_start or dataset.temporal_end:
        start, end = dataset.temporal_start, dataset.temporal_end
        data["temporalCoverage"] = (f"{start.isoformat() if start else '..'}/"
                                    f"{end.isoformat() if end else '..'}")
    if dataset.spatial_codes:
        data["spatialCoverage"] = [{"@type": "Place", "name": unit_name(str(code))}
                                   for code in dataset.spatial_codes]
    text = json.dumps(data, ensure_ascii=False, indent=1)
    escaped = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return mark_safe(escaped)  # noqa: S308 - JSON with <, > and & escaped


@require_safe
def dataset_detail(request: HttpRequest, name: str) -> HttpResponse:
    dataset = _dataset_or_404(request, name)
    if request.method == "GET":
        services.dataset_count_view(dataset=dataset)
    return render(request, "catalog/public/dataset_detail.html", {
        "dataset": dataset,
        "resources": list(dataset.resources.all()),
        "history": dataset_history(dataset),
        "can_edit": can(request.user, Action.EDIT_DATASET, dataset),
        "can_publish": can(request.user, Action.PUBLISH_DATASET, dataset),
        "summary": plain_text(dataset.description)[:300],
        "jsonld": dataset_jsonld(request, dataset),
        "canonical_url": absolute_url(request, reverse("catalog:dataset_detail",
                                                    args=[dataset.slug])),
    })


@require_safe
def resource_detail(request: HttpRequest, name: str, resource_id: str) -> HttpResponse:
    """The resource, and its data (datastore/views.py): the preview table's pages, sorts and
    filters are this page's parameters; htmx asks this same address for the table alone."""
    dataset = _dataset_or_404(request, name)
    resource = _resource_or_404(request, dataset, resource_id)
    if is_fragment(request):
        return data_views.preview_fragment(request, resource)
    response = render(request, "catalog/public/resource_detail.html", {
        "dataset": dataset,
        "resource": resource,
        "can_edit": can(request.user, Action.EDIT_DATASET, dataset),
        "data": data_views.data_section(request, dataset, resource),
    })
    patch_vary_headers(response, ["HX-Request"])
    return response


def _content_type(resource: Resource) -> str:
    media_type = resource.media_type or "application/octet-stream"
    if media_type.startswith("text/") and resource.encoding in ("utf-8", "utf-8-sig"):
        return f"{media_type}; charset=utf-8"
    return media_type


@require_safe
def resource_download(request: HttpRequest, name: str, resource_id: str,
                      filename: str) -> HttpResponseBase:
    """The stored file, found from the resource: the URL's file name is only compared, never
    used as a path."""
    dataset = _dataset_or_404(request, name)
    resource = _resource_or_404(request, dataset, resource_id)
    if resource.kind != ResourceKind.FILE:
        url = download_url(dataset, resource)
        if not url:
            raise Http404(_("This resource has no web address."))
        return HttpResponseRedirect(url)
    if not resource.file or filename != resource.file_name:
        raise Http404(_("This resource has no file of that name."))
    try:
        handle = resource.file.open("rb")
    except OSError:
        logger.error("Stored file of resource %s is missing: %s", resource.pk, resource.file.name)
        raise Http404(_("The file of this resource is missing. Please tell the publishing "
                        "agency.")) from None
    return FileResponse(handle, as_attachment=True, filename=resource.file_name,
                        content_type=_content_type(resource))
