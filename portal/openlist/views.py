"""Public pages of the lists: the version in force with its coverage, earlier versions, an item
and the datasets fulfilling it, the decision's PDF, exports and the import template.

The same pages serve both lists; the URL's first part names the list (`urls.ListKindConverter`).
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portal.accounts.permissions import Action, can
from portal.lib.errors import NotFound
from portal.openlist import selectors, sheets
from portal.openlist.models import Coverage, ListKind, ListVersion

PER_PAGE = 50
MAX_QUERY_LENGTH = 100


def _version(request: HttpRequest, kind: str, version_id: int) -> ListVersion:
    try:
        return selectors.get_version(request.user, version_id, kind)
    except NotFound:
        raise Http404(_("This version of the list does not exist.")) from None


def _filters(request: HttpRequest) -> selectors.ItemFilters:
    get = request.GET.get
    return selectors.ItemFilters(agency=get("agency", "")[:100], sector=get("sector", "")[:50],
                                 coverage=get("coverage", "")[:20],
                                 q=get("q", "")[:MAX_QUERY_LENGTH].strip())


def _list_context(request: HttpRequest, kind: str) -> dict[str, Any]:
    user = request.user
    return {
        "kind": kind, "kind_label": ListKind(kind).label,
        "can_manage": can(user, Action.MANAGE_OPENLIST),
        "draft": selectors.draft_version(kind) if can(user, Action.VIEW_LIST_DRAFTS) else None,
        "can_propose": bool(getattr(user, "agency", None))
        and can(user, Action.PROPOSE_AMENDMENT, user.agency),  # type: ignore[union-attr]
    }


def _version_page(request: HttpRequest, kind: str, version: ListVersion | None) -> HttpResponse:
    context = _list_context(request, kind) | {"version": version}
    if version is not None:
        filters = _filters(request)
        items = selectors.filter_items(selectors.items_with_coverage(version), filters)
        context |= {
            "filters": filters, "coverages": Coverage.choices,
            "page": Paginator(items, PER_PAGE).get_page(request.GET.get("page")),
            "by_agency": selectors.coverage_by_agency(version),
            "by_sector": selectors.coverage_by_sector(version),
            "total": selectors.coverage_total(version),
        }
    return render(request, "openlist/version.html", context)


@require_safe
def current(request: HttpRequest, kind: str) -> HttpResponse:
    return _version_page(request, kind, selectors.current_version(kind))


@require_safe
def version_detail(request: HttpRequest, kind: str, version_id: int) -> HttpResponse:
    return _version_page(request, kind, _version(request, kind, version_id))


@require_safe
def version_list(request: HttpRequest, kind: str) -> HttpResponse:
    versions = selectors.visible_versions(request.user, kind)
    return render(request, "openlist/versions.html",
                  _list_context(request, kind) | {"versions": versions})


@require_safe
def item_detail(request: HttpRequest, kind: str, version_id: int, code: str) -> HttpResponse:
    version = _version(request, kind, version_id)
    try:
        item = selectors.get_item(version, code)
    except NotFound:
        raise Http404(_("This list has no such item.")) from None
    user = request.user
    datasets = selectors.linked_datasets(user, kind, [item.code])[item.code]
    linked = {dataset.pk for dataset in datasets}
    linkable = [dataset for dataset in selectors.linkable_datasets(user, item)
                if dataset.pk not in linked]
    return render(request, "openlist/item.html", _list_context(request, kind) | {
        "version": version, "item": item,
        "datasets": [(d, can(user, Action.LINK_LIST_ITEM, (item, d))) for d in datasets],
        "linkable": linkable})


def _download_name(version: ListVersion, extension: str) -> str:
    prefix = "danh-muc-du-lieu-mo" if version.kind == ListKind.OPEN_DATA else "danh-muc-csdl"
    return f"{prefix}-v{version.number}.{extension}"


@require_safe
def export_xlsx(request: HttpRequest, kind: str, version_id: int) -> HttpResponse:
    version = _version(request, kind, version_id)
    body = sheets.export_xlsx(selectors.items_with_coverage(version))
    response = HttpResponse(body, content_type=sheets.XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, _download_name(version, "xlsx"))
    return response


@require_safe
def export_csv(request: HttpRequest, kind: str, version_id: int) -> StreamingHttpResponse:
    version = _version(request, kind, version_id)
    response = StreamingHttpResponse(
        sheets.export_csv(selectors.items_with_coverage(version).iterator()),
        content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, _download_name(version, "csv"))
    return response


@require_safe
def decision_pdf(request: HttpRequest, kind: str, version_id: int) -> FileResponse:
    version = _version(request, kind, version_id)
    if not version.decision_file:
        raise Http404(_("No decision file was attached to this version."))
    number = version.decision_number.replace("/", "-") or str(version.number)
    return FileResponse(version.decision_file.open("rb"), content_type="application/pdf",
                        filename=f"quyet-dinh-{number}.pdf")


@require_safe
def template(request: HttpRequest, kind: str) -> HttpResponse:
    response = HttpResponse(sheets.template_xlsx(), content_type=sheets.XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, "mau-danh-muc.xlsx")
    return response
