"""The data section of a resource page, and the fragments htmx fetches for it.

Everyone who may see the resource sees its ready data: the preview table, the column profile,
the chart builder, the map and the versions. Those who may edit the dataset also see where the
reading of the file stands (polled while it runs), why it failed, the encoding choice when
detection was unsure, and the data dictionary editor. Nothing of that reaches the public.
"""

from __future__ import annotations

import codecs
import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portal.accounts.permissions import Action, can
from portal.catalog import selectors as catalog
from portal.catalog.models import Dataset, Resource, ResourceKind
from portal.datastore import charts, errors, formats, geo, preview, selectors
from portal.datastore.encodings import decode
from portal.datastore.forms import ColumnForm, EncodingForm, column_forms
from portal.datastore.models import DataTable, State, TableVersion
from portal.datastore.profile import map_columns, profile
from portal.datastore.query import Table, table_of
from portal.datastore.reading import ReadingPanel, reading_panel
from portal.lib.errors import ApplicationError, NotFound
from portal.lib.htmx import is_fragment

logger = logging.getLogger(__name__)

ACTIVE = (State.PENDING, State.RUNNING)
SAMPLE_BYTES = 4096
SAMPLE_LINES = 3


def api_path(resource_id: Any, tail: str) -> str:
    """An address of the data API (/api/v1, portal/datastore/api.py) for this resource."""
    return f"/api/v1/resources/{resource_id}/{tail}"


def sheet_asked(request: HttpRequest) -> str:
    """The sheet a page shows (`?sheet=`, a sheet's name), "" for the first."""
    return request.GET.get("sheet", "").replace("\x00", "")[:200]


def with_sheet(path: str, sheet: str) -> str:
    """`path` asking for `sheet` (no parameter for the first sheet, whose name is "")."""
    return f"{path}?{urlencode({'sheet': sheet})}" if sheet else path


def absolute(request: HttpRequest, path: str) -> str:
    return f"{settings.SITE_URL}{path}" if settings.SITE_URL else request.build_absolute_uri(path)


def titles_of(table: DataTable | None) -> dict[str, str]:
    """Column titles of the data dictionary (shown at once, before the next reading)."""
    entries = (table.dictionary or {}).get("fields", {}) if table else {}
    return {name: entry["title"] for name, entry in entries.items() if entry.get("title")}


def sheet_titles(table: DataTable | None, sheet: Table) -> dict[str, str]:
    """The dictionary's titles, for the first sheet (the one the dictionary describes)."""
    return titles_of(table) if sheet.first else {}


@dataclass
class StatePanel:
    """Where the reading of the file stands, for those who may edit the dataset."""

    table: DataTable | None
    state: str
    percent: int
    message: str
    polling: bool
    state_url: str
    read_url: str
    encoding_form: EncodingForm | None = None
    samples: dict[str, list[str]] = field(default_factory=dict)
    reading: ReadingPanel | None = None  # how the table shown was found in the file


@dataclass
class VersionLink:
    """One version of the sheet shown, as the versions list offers it for download."""

    version: TableVersion
    rows: int
    url: str


@dataclass
class SheetLink:
    name: str
    url: str
    current: bool


@dataclass
class DataSection:
    resource: Resource
    table: DataTable | None
    version: TableVersion | None
    sheet: Table | None
    state: StatePanel | None  # None for those who may not edit
    sheets: list[SheetLink] = field(default_factory=list)  # when the file has several
    preview: preview.Shown | None = None
    chart: charts.Chart | None = None
    map: geo.MapColumns | None = None
    versions: list[VersionLink] = field(default_factory=list)
    dictionary_forms: list[ColumnForm] = field(default_factory=list)
    embeddable: bool = False
    urls: dict[str, str] = field(default_factory=dict)
    map_settings: dict[str, Any] = field(default_factory=dict)


def data_section(request: HttpRequest, dataset: Dataset, resource: Resource,
                 ) -> DataSection | None:
    """The resource page's data section, None when there is nothing to show this person."""
    table = selectors.data_table(resource)
    may_edit = can(request.user, Action.EDIT_DATASET, dataset)
    version = table.current if table is not None else None
    if version is None and not (may_edit and formats.table_kind(resource) is not None):
        return None
    sheets = version.sheets if version is not None else []
    index = (selectors.sheet_index(version, sheet_asked(request)) or 0) if version else 0
    sheet = table_of(sheets[index], index) if sheets else None
    section = DataSection(resource, table, version, sheet,
                          state_panel(dataset, resource, table, index) if may_edit else None)
    if sheet is None or table is None:
        return section
    if len(sheets) > 1:  # other sheets have other columns: their own preview, chart and map
        section.sheets = [SheetLink(described["name"] or _("Sheet %(number)s") % {
            "number": i + 1}, with_sheet(request.path, described["name"] if i else "") + "#data",
            current=i == index) for i, described in enumerate(sheets)]
    titles = sheet_titles(table, sheet)
    section.preview = preview.show(sheet, request.GET, titles)
    section.chart = charts.chart(sheet.fields, request.GET, titles)
    section.map = map_columns(sheet)
    section.map_settings = map_settings()
    section.versions = _versions(resource, table, sheet)
    section.embeddable = can(AnonymousUser(), Action.VIEW_DATASET, dataset)
    if may_edit and sheet.first:
        section.dictionary_forms = column_forms(sheet.fields, table.dictionary)
    section.urls = _urls(request, dataset, resource, sheet.sheet_param)
    return section


def _versions(resource: Resource, table: DataTable, sheet: Table) -> list[VersionLink]:
    """Every version that has the sheet shown (the first sheet, or one of that name)."""
    links = []
    for version in table.versions.all():
        index = selectors.sheet_index(version, sheet.sheet_param)
        if index is not None:
            url = api_path(resource.pk, f"versions/{version.number}.parquet")
            links.append(VersionLink(version, int(version.sheets[index]["rows"]),
                                     with_sheet(url, sheet.sheet_param)))
    return links


def map_settings() -> dict[str, Any]:
    """What the map script needs: how many rows to draw at most (one page of the records API),
    and the operator's tile server, if any."""
    return {"max_features": min(geo.MAX_FEATURES, settings.DATASTORE_MAX_ROWS),
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION}


def _urls(request: HttpRequest, dataset: Dataset, resource: Resource,
          sheet: str) -> dict[str, str]:
    args = [dataset.slug, resource.pk]
    urls = {
        "profile": reverse("datastore:profile", args=args),
        "aggregate": api_path(resource.pk, "aggregate"),
        "records": api_path(resource.pk, "records"),
        "geojson": api_path(resource.pk, "export.geojson"),
        "embed_table": absolute(request, reverse("datastore:embed_table", args=[resource.pk])),
        "embed_chart": absolute(request, reverse("datastore:embed_chart", args=[resource.pk])),
        "embed_map": absolute(request, reverse("datastore:embed_map", args=[resource.pk])),
    }
    return {"dictionary": reverse("datastore:dictionary", args=args),
            **{name: with_sheet(url, sheet) for name, url in urls.items()}}


def state_panel(dataset: Dataset, resource: Resource, table: DataTable | None,
                sheet_index: int = 0) -> StatePanel:
    args = [dataset.slug, resource.pk]
    state = table.state if table is not None else ""
    panel = StatePanel(
        table=table, state=state,
        percent=round(100 * table.progress) if table is not None else 0,
        message=errors.render(table.message) if table is not None else "",
        polling=state in ACTIVE,
        state_url=reverse("datastore:state", args=args),
        read_url=reverse("datastore:read", args=args))
    if table is not None and state == State.NEEDS_ENCODING:
        codes = [str(candidate[0]) for candidate in table.encoding_candidates]
        panel.encoding_form = EncodingForm(candidates=codes,
                                           initial={"encoding": next(iter(codes), "")})
        panel.samples = _samples(resource, codes)
    elif not panel.polling and state != State.UNSUPPORTED:
        panel.reading = reading_panel(resource, table, sheet_index)
    return panel


def _samples(resource: Resource, codes: list[str]) -> dict[str, list[str]]:
    """The first lines of the file as each likely encoding reads them, to choose by eye."""
    if resource.kind != ResourceKind.FILE or not resource.file:
        return {}
    try:
        with resource.file.open("rb") as handle:
            head = handle.read(SAMPLE_BYTES)
    except OSError:
        logger.warning("file of resource %s is missing", resource.pk)
        return {}
    samples = {}
    for code in codes:
        try:
            text = decode(head, code, "replace")
        except LookupError:
            continue
        samples[code] = [line[:160] for line in text.lstrip(codecs.BOM_UTF8.decode()).splitlines()
                         [:SAMPLE_LINES]]
    return samples


# Fragments -------------------------------------------------------------------------------------


def _visible(request: HttpRequest, name: str, resource_id: str) -> tuple[Dataset, Resource]:
    try:
        dataset = catalog.get_dataset(request.user, name)
        return dataset, catalog.get_resource(request.user, resource_id, dataset)
    except NotFound:
        raise Http404(_("This dataset has no such resource.")) from None


def preview_fragment(request: HttpRequest, resource: Resource) -> HttpResponse:
    """The preview table alone (htmx), for the resource page and the embedded table."""
    try:
        table, sheet = selectors.queryable_sheet(resource, sheet_asked(request))
    except NotFound:
        raise Http404(_("This resource has no table to show yet.")) from None
    return render_preview(request, resource, sheet, table)


def render_preview(request: HttpRequest, resource: Resource, sheet: Table,
                   table: DataTable | None) -> HttpResponse:
    shown = preview.show(sheet, request.GET, sheet_titles(table, sheet))
    response = render(request, "datastore/_preview.html", {"resource": resource, "preview": shown})
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
def state(request: HttpRequest, name: str, resource_id: str) -> HttpResponse:
    """The state panel, polled every two seconds while the file is read; once it is done, the
    page reloads to show the new data."""
    dataset, resource = _visible(request, name, resource_id)
    if not can(request.user, Action.EDIT_DATASET, dataset):
        raise Http404(_("This dataset has no such resource."))
    panel = state_panel(dataset, resource, selectors.data_table(resource))
    response = render(request, "datastore/_state.html", {"panel": panel})
    if not panel.polling and request.GET.get("polled"):
        response["HX-Refresh"] = "true"
    return response


@require_safe
def profile_panel(request: HttpRequest, name: str, resource_id: str) -> HttpResponse:
    dataset, resource = _visible(request, name, resource_id)
    try:
        table, sheet = selectors.queryable_sheet(resource, sheet_asked(request))
    except NotFound:
        raise Http404(_("This resource has no table to show yet.")) from None
    context: dict[str, Any] = {"dataset": dataset, "resource": resource,
                               "titles": sheet_titles(table, sheet)}
    try:
        context["profile"] = profile(sheet)
    except ApplicationError as error:
        context["error"] = error.message
    template = "_profile.html" if is_fragment(request) else "profile_page.html"
    response = render(request, f"datastore/{template}", context)
    patch_vary_headers(response, ["HX-Request"])
    return response
