"""The chart builder's choices and its state in the URL (`chart`, `x`, `y`).

The chart itself is drawn in the browser (portal/static/portal/datastore/chart.js, Apache
ECharts) from `/api/v1/resources/{id}/aggregate?group_by=<x>&metrics=<y>`; the page only offers
what can be drawn: `y` is `count`, or `sum:column` / `avg:column` of a numeric column, written
as the API's `metrics` parameter is (the script quotes a column name that needs it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CHART_TYPES = [("bar", gettext_lazy("Bars")), ("line", gettext_lazy("Line")),
               ("pie", gettext_lazy("Pie"))]
PARAMS = ("chart", "x", "y")
NUMERIC = ("integer", "number")
NOT_GROUPABLE = ("geojson", "object")


def quote_item(name: str) -> str:
    """A name as an item of the API's comma-separated lists (portal/datastore/params.py)."""
    if any(char in name for char in ',"') or name.startswith("-") or name != name.strip():
        return '"' + name.replace('"', '""') + '"'
    return name


@dataclass(frozen=True)
class Chart:
    kind: str
    x: str  # "" until chosen: nothing is drawn before
    y: str
    x_options: list[tuple[str, str]]
    y_options: list[tuple[str, str]]
    carried: list[tuple[str, str]]  # the page's other parameters, kept by the form
    types: list[tuple[str, Any]] = field(default_factory=lambda: CHART_TYPES)

    @property
    def x_title(self) -> str:
        return dict(self.x_options).get(self.x, self.x)

    @property
    def y_title(self) -> str:
        return dict(self.y_options).get(self.y, self.y)

    @property
    def embed_suffix(self) -> str:
        """The query string of this chart, for the embed's address ("" before one is chosen)."""
        if not self.x:
            return ""
        params = QueryDict(mutable=True)
        params.update({"chart": self.kind, "x": self.x, "y": self.y})
        return "?" + params.urlencode()

    @property
    def api_query(self) -> str:
        """The aggregate API's query string for this chart."""
        function, _colon, column = self.y.partition(":")
        params = QueryDict(mutable=True)
        params.update({"group_by": quote_item(self.x),
                       "metrics": f"{function}:{quote_item(column)}" if column else function})
        return params.urlencode()


def chart(fields: list[dict[str, Any]], params: QueryDict,
          titles: dict[str, str] | None = None) -> Chart:
    titles = titles or {}

    def title(described: dict[str, Any]) -> str:
        return str(titles.get(described["name"]) or described.get("title") or described["name"])

    x_options = [(f["name"], title(f)) for f in fields
                 if f["name"] != "_id" and f["type"] not in NOT_GROUPABLE]
    y_options = [("count", _("Number of rows"))]
    for described in fields:
        if described["type"] in NUMERIC and described["name"] != "_id":
            y_options.append((f"sum:{described['name']}",
                              _("Sum of %(column)s") % {"column": title(described)}))
            y_options.append((f"avg:{described['name']}",
                              _("Average of %(column)s") % {"column": title(described)}))
    kind = params.get("chart", "")
    x, y = params.get("x", ""), params.get("y", "")
    return Chart(kind=kind if kind in dict(CHART_TYPES) else "bar",
                 x=x if x in dict(x_options) else "",
                 y=y if y in dict(y_options) else "count",
                 x_options=x_options, y_options=y_options,
                 carried=[(key, value) for key, values in params.lists() if key not in PARAMS
                          for value in values[:5]][:20])
