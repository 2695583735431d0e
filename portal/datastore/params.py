"""The data API's query string read into the query layer's terms.

Filters are PostgREST-like: `?<column>=<op>.<value>`, e.g. `?dan_so=gte.1000`,
`?ma_xa=in.(00001,00002)`, `?ghi_chu=is_null.true`; a value without a known operator in front
means equality (`?tinh=Ninh Bình`). A column named like one of the API's own parameters
(RESERVED) is filtered as `filter[<column>]=<op>.<value>`. Repeating a column ANDs its filters.

Lists (`fields`, `sort`, `group_by`, `metrics`, the values of `in`) are comma-separated; an item
holding a comma or starting with "-" is written in double quotes, a quote inside doubled:
`fields="Diện tích, ha",ten`, `sort=-"Dân số"`.
"""

from __future__ import annotations

import re

from django.http import QueryDict
from django.utils.translation import gettext as _

from portal.datastore.query import OPERATORS, Filter, Metric, QueryError

RESERVED = frozenset({
    "q", "fields", "sort", "limit", "offset", "cursor", "include_total", "sheet", "version",
    "group_by", "metrics", "bom", "delimiter",
})
FILTER_KEY = re.compile(r"^filter\[(?P<column>.+)\]$", re.DOTALL)
# PostgREST's operators that the portal does not have, with the one to use instead.
OTHER_OPERATORS = {
    "neq": "ne", "like": "contains", "ilike": "contains", "is": "is_null", "not": "",
    "match": "contains", "imatch": "contains", "cs": "", "cd": "", "ov": "", "sl": "", "sr": "",
    "nxl": "", "nxr": "", "adj": "", "fts": "", "plfts": "", "phfts": "", "wfts": "",
    "isdistinct": "",
}


def filters(params: QueryDict) -> list[Filter]:
    """Every filter of the query string, in its order."""
    found: list[Filter] = []
    for key, values in params.lists():
        match = FILTER_KEY.match(key)
        if match is None and key in RESERVED:
            continue
        column = match["column"] if match else key
        found.extend(parse_filter(column, value) for value in values)
    return found


def parse_filter(column: str, text: str) -> Filter:
    op, dot, value = text.partition(".")
    if not dot or (op not in OPERATORS and op not in OTHER_OPERATORS):
        return Filter(column, "eq", text)
    if op in OTHER_OPERATORS:
        instead = OTHER_OPERATORS[op]
        hint = (_(" Use “%(op)s” instead.") % {"op": instead}) if instead else ""
        raise QueryError(
            _("“%(op)s” is not a filter operator here. The operators are: %(ops)s. To compare "
              "with a value that starts with “%(op)s.”, write eq.%(text)s.")
            % {"op": op, "ops": ", ".join(OPERATORS), "text": text} + hint,
            {column: [_("Unknown operator “%(op)s”.") % {"op": op}]})
    if op == "in":
        inner = value[1:-1] if value.startswith("(") and value.endswith(")") else value
        return Filter(column, "in", [unquote(item) for item in split_list(inner)])
    if op == "is_null" and value.lower() not in ("", "true", "false"):
        raise QueryError(_("is_null takes true or false, as in is_null.true."),
                         {column: [_("Write is_null.true or is_null.false.")]})
    return Filter(column, op, value)


def split_list(text: str) -> list[str]:
    """Comma-separated items, commas inside double quotes kept; empty items dropped."""
    items: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == "," and not quoted:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    if quoted:
        raise QueryError(_("A double quote is not closed in “%(text)s”.") % {"text": text[:200]})
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


def unquote(item: str) -> str:
    if len(item) >= 2 and item[0] == item[-1] == '"':
        return item[1:-1].replace('""', '"')
    return item


def names(text: str) -> list[str]:
    return [unquote(item) for item in split_list(text)]


def sort(text: str) -> list[tuple[str, bool]]:
    """`a,-b` → [("a", False), ("b", True)]: "-" in front sorts descending."""
    order = []
    for item in split_list(text):
        descending = item.startswith("-")
        order.append((unquote(item[1:].strip() if descending else item), descending))
    return order


def metrics(text: str) -> list[Metric]:
    """`count,sum:x,count_distinct:"a, b"` → Metric("count"), Metric("sum", "x")..."""
    found = []
    for item in split_list(text):
        function, _colon, column = item.partition(":")
        found.append(Metric(function.strip(), unquote(column.strip())))
    return found
