"""How the agency asks for its file to be read again: the input of
`services.ingestion_request`, with its rules, the same for the resource page and /api/v1.

Each choice left None stays as it was; an empty one ("" or 0) gives the choice back to the
portal's detection. The header row and the footer are chosen per table (a sheet's name, "" for
a file with one table)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.datastore.delimited import DELIMITERS
from portal.datastore.encodings import ENCODING_CHOICES
from portal.datastore.layout import MAX_HEADER_ROW
from portal.datastore.models import DataTable

DELIMITER_LABELS: dict[str, Promise] = {
    ",": gettext_lazy("Comma (,)"),
    ";": gettext_lazy("Semicolon (;)"),
    "\t": gettext_lazy("Tab"),
    "|": gettext_lazy("Vertical bar (|)"),
}
DELIMITER_CHOICES = [(code, DELIMITER_LABELS[code]) for code in DELIMITERS]
ENCODINGS = [code for code, _label in ENCODING_CHOICES]
MAX_SHEET_NAME = 200


@dataclass(frozen=True)
class ReadChoices:
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str = ""
    header_row: int | None = None  # from 1, as the agency sees it; 0: found by the portal
    keep_footer: bool | None = None

    def errors(self) -> dict[str, list[str]]:
        """What is wrong with these choices, by field (empty when all is well)."""
        found: dict[str, list[str]] = {}
        if self.encoding not in (None, "", *ENCODINGS):
            found["encoding"] = [_("Choose an encoding from the list.")]
        if self.delimiter not in (None, "", *DELIMITERS):
            found["delimiter"] = [_("Choose a delimiter from the list.")]
        if self.header_row is not None and not 0 <= self.header_row <= MAX_HEADER_ROW:
            found["header_row"] = [_("The header row is a number from 1 to %(most)s.")
                                   % {"most": MAX_HEADER_ROW}]
        if len(self.sheet) > MAX_SHEET_NAME or "\x00" in self.sheet:
            found["sheet"] = [_("There is no sheet with this name.")]
        return found

    def apply(self, table: DataTable) -> list[str]:
        """Write the choices on the table; the names of the fields changed."""
        changed = []
        if self.encoding is not None:
            table.encoding = self.encoding
            changed.append("encoding")
        if self.delimiter is not None:
            table.delimiter = self.delimiter
            changed.append("delimiter")
        if self.header_row is not None or self.keep_footer is not None:
            table.layout = self._layout(dict(table.layout or {}))
            changed.append("layout")
        return changed

    def _layout(self, layout: dict[str, Any]) -> dict[str, Any]:
        entry = dict(layout.get(self.sheet, {}))
        if self.header_row is not None:
            entry["header_row"] = self.header_row
        if self.keep_footer is not None:
            entry["keep_footer"] = self.keep_footer
        entry = {key: value for key, value in entry.items() if value}
        if entry:
            layout[self.sheet] = entry
        else:
            layout.pop(self.sheet, None)
        return layout
