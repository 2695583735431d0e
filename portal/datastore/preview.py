"""The preview table of a resource: the page's query parameters read into a `RecordsQuery`
for `query.records` (the API's own query layer), and the rows it returns made ready to show.

Parameters (in the page's URL, so that a preview can be shared and works without JavaScript):
`page`; `sort` (a column, `-column` for descending); `q` (words searched in the text columns);
one filter row `column`, `op` (an operator of query.OPERATORS), `value`. Malformed values are
ignored, as on the dataset list; a value that does not fit its column is explained.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.datastore import display, query
from portal.datastore.query import Filter, RecordsQuery, Table
from portal.lib.errors import ApplicationError

PAGE_SIZE = 25
MAX_TEXT = 200
MAX_PAGE = 10**9
PARAMS = ("page", "sort", "q", "column", "op", "value")
NUMERIC = ("integer", "number")
OPERATOR_LABELS = [
    ("eq", _("is")),
    ("ne", _("is not")),
    ("contains", _("contains")),
    ("starts_with", _("starts with")),
    ("lt", _("is less than")),
    ("lte", _("is at most")),
    ("gt", _("is greater than")),
    ("gte", _("is at least")),
    ("in", _("is one of (separate values with commas)")),
    ("is_null", _("is empty")),
]


@dataclass(frozen=True)
class Wanted:
    """What the URL asks the preview for."""

    page: int = 1
    sort: str = ""
    descending: bool = False
    q: str = ""
    column: str = ""
    op: str = "eq"
    value: str = ""

    def records_query(self, page: int | None = None) -> RecordsQuery:
        filters = []
        if self.column and (self.value or self.op == "is_null"):
            filters.append(Filter(self.column, self.op,
                                  "true" if self.op == "is_null" else self.value))
        return RecordsQuery(filters=filters, q=self.q,
                            sort=[(self.sort, self.descending)] if self.sort else [],
                            limit=PAGE_SIZE, offset=((page or self.page) - 1) * PAGE_SIZE)

    @property
    def filtered(self) -> bool:
        return bool(self.q or (self.column and (self.value or self.op == "is_null")))


@dataclass(frozen=True)
class Header:
    name: str
    title: str
    numeric: bool
    sort_param: str  # the `sort` value of the header's link (it toggles the direction)
    aria_sort: str  # "ascending", "descending" or "" for the column the rows are sorted by


@dataclass
class Shown:
    wanted: Wanted
    headers: list[Header]
    rows: list[list[tuple[str, bool]]]  # (text, numeric) per cell; the first is the row number
    page: Page[int] | None
    total: int | None
    estimated: bool
    error: str = ""
    carried: list[tuple[str, str]] = field(default_factory=list)  # other parameters of the URL
    columns: list[tuple[str, str]] = field(default_factory=list)  # (name, title) to filter by
    operators: list[tuple[str, Any]] = field(default_factory=lambda: OPERATOR_LABELS)


def _text(params: QueryDict, name: str) -> str:
    # PostgreSQL is not involved, but the same cleaning as the dataset list keeps URLs sane.
    return params.get(name, "").replace("\x00", "").strip()[:MAX_TEXT]


def read(params: QueryDict, table: Table) -> Wanted:
    names = {described["name"] for described in table.fields}
    try:
        page = min(max(int(params.get("page", "1")), 1), MAX_PAGE)
    except ValueError:
        page = 1
    sort, descending = _text(params, "sort"), False
    if sort not in names and sort.startswith("-") and sort[1:] in names:
        sort, descending = sort[1:], True
    column, op = _text(params, "column"), _text(params, "op")
    return Wanted(page=page, sort=sort if sort in names else "", descending=descending,
                  q=_text(params, "q"), column=column if column in names else "",
                  op=op if op in query.OPERATORS else "eq", value=_text(params, "value"))


def show(table: Table, params: QueryDict, titles: dict[str, str] | None = None) -> Shown:
    """The page of rows the URL asks for, or why there is none."""
    wanted = read(params, table)
    titles = titles or {}
    fields = table.fields
    shown = Shown(wanted, _headers(fields, wanted, titles), [], None, None, False,
                  carried=[(key, value) for key, values in params.lists() if key not in PARAMS
                           for value in values[:5]][:20],
                  columns=[(f["name"], titles.get(f["name"]) or f.get("title") or f["name"])
                           for f in fields if f["name"] != "_id"])
    try:
        found = query.records(table, wanted.records_query())
        if not found.rows and wanted.page > 1 and found.total:  # past the last page
            last = (found.total - 1) // PAGE_SIZE + 1
            found = query.records(table, wanted.records_query(page=last))
    except ApplicationError as error:
        shown.error = error.message
        return shown
    numeric = [described["type"] in NUMERIC for described in found.fields]
    shown.rows = [[(display.cell(value), is_number) for value, is_number
                   in zip(row, numeric, strict=True)] for row in found.rows]
    shown.total, shown.estimated = found.total, found.total_is_estimate
    shown.page = Paginator(range(found.total or 0), PAGE_SIZE).get_page(wanted.page)
    return shown


def _headers(fields: list[dict[str, Any]], wanted: Wanted, titles: dict[str, str],
             ) -> list[Header]:
    headers = []
    for described in fields:
        name = described["name"]
        current = name == (wanted.sort or "_id")
        descending = wanted.descending if wanted.sort else False
        toggled = f"-{name}" if current and not descending else name
        title = gettext("Row") if name == "_id" else (
            titles.get(name) or described.get("title") or name)
        headers.append(Header(
            name=name, title=title,
            numeric=described["type"] in NUMERIC, sort_param=toggled,
            aria_sort=("descending" if descending else "ascending") if current else ""))
    return headers
