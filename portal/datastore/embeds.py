"""Pages other sites put in an iframe: a resource's preview table, a chart, its map.

Only a public resource with a ready table can be embedded (404 otherwise, whoever asks: it is
looked up as an anonymous visitor sees it). These pages alone may be framed by any site: they
send no X-Frame-Options, and `frame-ancestors *` in their Content-Security-Policy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from csp.decorators import csp_replace
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from portal.catalog import selectors as catalog
from portal.catalog.models import Resource
from portal.datastore import charts, preview, selectors
from portal.datastore.models import DataTable
from portal.datastore.profile import map_columns
from portal.datastore.query import Table
from portal.datastore.views import (
    absolute,
    api_path,
    map_settings,
    render_preview,
    sheet_asked,
    sheet_titles,
    with_sheet,
)
from portal.lib.errors import NotFound
from portal.lib.htmx import is_fragment

View = Callable[..., HttpResponse]


def embeddable(view: View) -> View:
    framed = csp_replace({"frame-ancestors": ["*"]})(require_safe(view))
    return cast(View, xframe_options_exempt(framed))


def _public(request: HttpRequest, resource_id: str) -> tuple[Resource, Table, DataTable | None]:
    try:
        resource = catalog.get_resource(AnonymousUser(), resource_id)
        table, sheet = selectors.queryable_sheet(resource, sheet_asked(request))
    except NotFound:
        raise Http404(_("Only public data can be embedded.")) from None
    return resource, sheet, table


def _page(request: HttpRequest, template: str, resource: Resource,
          context: dict[str, Any]) -> HttpResponse:
    source = reverse("catalog:resource_detail", args=[resource.dataset.slug, resource.pk])
    return render(request, f"datastore/embed/{template}", {
        "resource": resource, "dataset": resource.dataset,
        "source_url": absolute(request, source), **context})


@embeddable
def table(request: HttpRequest, resource_id: str) -> HttpResponse:
    resource, sheet, data = _public(request, resource_id)
    if is_fragment(request):
        return render_preview(request, resource, sheet, data)
    return _page(request, "table.html", resource,
                 {"preview": preview.show(sheet, request.GET, sheet_titles(data, sheet))})


@embeddable
def chart(request: HttpRequest, resource_id: str) -> HttpResponse:
    resource, sheet, data = _public(request, resource_id)
    return _page(request, "chart.html", resource, {
        "chart": charts.chart(sheet.fields, request.GET, sheet_titles(data, sheet)),
        "aggregate_url": with_sheet(api_path(resource.pk, "aggregate"), sheet.sheet_param)})


@embeddable
def map_view(request: HttpRequest, resource_id: str) -> HttpResponse:
    resource, sheet, _data = _public(request, resource_id)
    columns = map_columns(sheet)
    if columns is None:
        raise Http404(_("This table has no columns to put on a map."))
    return _page(request, "map.html", resource, {
        "map": columns,
        "records_url": with_sheet(api_path(resource.pk, "records"), sheet.sheet_param),
        "map_settings": map_settings()})
