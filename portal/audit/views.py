"""The audit trail's page and its CSV export, for sysadmins and supervisors."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.accounts.permissions import Action, can
from portal.audit import selectors
from portal.audit.forms import AuditFilterForm
from portal.audit.models import AuditEntry
from portal.audit.selectors import AuditFilter

PAGE_SIZE = 50
CSV_COLUMNS = ["sequence", "created", "actor_username", "actor_kind", "address", "door",
               "action", "target_type", "target_id", "target_label", "before", "after",
               "previous_hash", "scheme", "key_id", "hash"]


def _refused(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/staff/forbidden.html", {
        "message": _("Only system administrators and the supervising department may read the "
                     "audit trail.")}, status=403)


@login_required
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.VIEW_AUDIT):
        return _refused(request)
    form = AuditFilterForm(request.GET or None)
    query = form.to_filter() if form.is_bound else AuditFilter()
    page = Paginator(selectors.entries(query), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {
        "form": form, "page": page, "actions": selectors.actions(),
        "export_query": request.GET.urlencode() if form.is_valid() else "",
    })


class _Echo:
    """A file-like object for csv.writer that hands back each line instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def _csv_rows(entries: Iterator[AuditEntry]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(CSV_COLUMNS)  # the BOM lets spreadsheets read UTF-8
    for entry in entries:
        yield writer.writerow(_csv_values(entry))


def _cell(value: Any) -> str:
    """A CSV cell; text a spreadsheet would run as a formula is prefixed with a quote."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_values(entry: AuditEntry) -> list[str]:
    values = entry.content() | {"scheme": entry.scheme, "key_id": entry.key_id,
                                "hash": entry.hash}
    return [_cell(values[column]) for column in CSV_COLUMNS]


@login_required
@require_GET
def audit_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    if not can(request.user, Action.VIEW_AUDIT):
        return _refused(request)
    form = AuditFilterForm(request.GET or None)
    query = form.to_filter() if form.is_bound else AuditFilter()
    entries = selectors.entries(query).iterator(chunk_size=2000)
    response = StreamingHttpResponse(_csv_rows(entries), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
