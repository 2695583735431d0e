"""How the file was read, for the agency: the delimiter, the header row and the rows left out
above and below the table shown, with the form to choose them and read the file again."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from portal.catalog.models import Resource
from portal.datastore.choices import DELIMITER_LABELS
from portal.datastore.formats import table_kind
from portal.datastore.forms import ReadingForm
from portal.datastore.layout import asked_for
from portal.datastore.models import DataTable


@dataclass
class ReadingPanel:
    form: ReadingForm
    sheet: str  # the table shown ("" for the first or only one)
    header_row: int | None = None  # as the current version found it
    delimiter: str = ""  # its label
    above: list[dict[str, Any]] = field(default_factory=list)
    below: list[dict[str, Any]] = field(default_factory=list)
    footer_kept: bool = False


def reading_panel(resource: Resource, table: DataTable | None, sheet_index: int,
                  ) -> ReadingPanel | None:
    """For a text file or a spreadsheet; `sheet_index` is the table shown."""
    kind = table_kind(resource)
    if table is None or kind not in ("csv", "spreadsheet"):
        return None
    sheets = table.current.sheets if table.current is not None else []
    described = sheets[sheet_index] if sheet_index < len(sheets) else {}
    sheet = described.get("name", "") if sheet_index else ""
    asked = asked_for(table.layout or {}, described.get("name", ""), sheet_index == 0)
    form = ReadingForm(text=kind == "csv", initial={
        "sheet": sheet, "delimiter": table.delimiter,
        "header_row": asked.get("header_row") or None,
        "keep_footer": bool(asked.get("keep_footer"))})
    found = described.get("layout") or {}
    return ReadingPanel(form, sheet, header_row=found.get("header_row"),
                        delimiter=str(DELIMITER_LABELS.get(found.get("delimiter", ""), "")),
                        above=found.get("above", []), below=found.get("below", []),
                        footer_kept=bool(found.get("footer_kept")))
