"""Forms of the agency's side of a table: how to read it (encoding, delimiter, header row,
footer), its data dictionary."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.catalog.forms import StaffForm
from portal.datastore.choices import DELIMITER_CHOICES, MAX_SHEET_NAME, ReadChoices
from portal.datastore.display import type_label
from portal.datastore.encodings import ENCODING_CHOICES
from portal.datastore.inference import TYPE_CHOICES
from portal.datastore.layout import MAX_HEADER_ROW
from portal.lib.errors import ApplicationError


class EncodingForm(StaffForm):
    """`encoding` empty: read again as before (the chosen encoding, or detection)."""

    encoding = forms.ChoiceField(label=_("Character encoding of the file"), required=False,
                                 widget=forms.RadioSelect)

    def __init__(self, *args: Any, candidates: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(ENCODING_CHOICES)
        # The encodings detection found likely come first, then every other one we read.
        first = [code for code in candidates or [] if code in labels]
        choice = self.fields["encoding"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [(code, labels[code]) for code in first] + [
            (code, label) for code, label in ENCODING_CHOICES if code not in first]


class ReadingForm(StaffForm):
    """Where the table is in the file: the delimiter (text files only: the field is left out
    for spreadsheets), and for the table shown, its header row and whether to keep the rows
    under it. Posted with `reading`, so that a post without it leaves these as they are."""

    reading = forms.CharField(widget=forms.HiddenInput, initial="1")
    sheet = forms.CharField(widget=forms.HiddenInput, required=False, max_length=MAX_SHEET_NAME)
    delimiter = forms.ChoiceField(
        label=_("Delimiter between cells"), required=False,
        choices=[("", _("Automatic (as the portal finds it)")), *DELIMITER_CHOICES])
    header_row = forms.IntegerField(
        label=_("Header row"), required=False, min_value=1, max_value=MAX_HEADER_ROW,
        help_text=_("The number of the row that names the columns, as the file numbers it. "
                    "Empty: found by the portal, below any title rows."))
    keep_footer = forms.BooleanField(
        label=_("Keep the rows under the table (totals, notes, signatures) in it"),
        required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))

    def __init__(self, *args: Any, text: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not text:
            del self.fields["delimiter"]

    def choices(self) -> ReadChoices:
        data = self.cleaned_data
        return ReadChoices(delimiter=data.get("delimiter"), sheet=data["sheet"] or "",
                           header_row=data["header_row"] or 0, keep_footer=data["keep_footer"])


class ColumnForm(StaffForm):
    """The data dictionary's entry of one column (one form per column, prefixed)."""

    name = forms.CharField(widget=forms.HiddenInput, max_length=500)
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    description = forms.CharField(label=_("Description"), required=False, max_length=500,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    type = forms.ChoiceField(label=_("Type"), required=False,
                             choices=[("", _("Automatic (as the portal reads it)")),
                                      *TYPE_CHOICES],
                             help_text=_("Choose a type only when the automatic one is wrong: "
                                         "the file is then read again, and a cell that does not "
                                         "fit is reported with its row."))
    unit = forms.CharField(label=_("Unit"), required=False, max_length=50,
                           help_text=_("For example: people, ha, million dong, percent."))

    column_name = ""
    current_type = ""  # the type of the last reading, as people read it

    def entry(self) -> dict[str, str]:
        return {key: self.cleaned_data[key] for key in ("title", "description", "type", "unit")
                if self.cleaned_data.get(key)}


def column_forms(fields: list[dict[str, Any]], dictionary: dict[str, Any],
                 data: Any = None) -> list[ColumnForm]:
    """One form per column of the table (not `_id`), filled from the saved dictionary, else
    from what the reading found (titles, descriptions and units of the file's schema)."""
    saved = dictionary.get("fields", {})
    made = []
    for index, described in enumerate(f for f in fields if f["name"] != "_id"):
        name = described["name"]
        initial = {"name": name, **{key: described.get(key, "")
                                    for key in ("title", "description", "unit")},
                   **saved.get(name, {})}
        form = ColumnForm(data, prefix=f"column-{index}", initial=initial)
        form.column_name, form.current_type = name, type_label(described["type"])
        made.append(form)
    return made


def add_service_errors(column_forms: list[ColumnForm], error: ApplicationError) -> None:
    """The service's refusal, on the form of the column it names (else on the first form)."""
    by_name = {form.initial["name"]: form for form in column_forms}
    for name, messages in error.field_errors.items():
        form = by_name.get(name) or (column_forms[0] if column_forms else None)
        if form is not None:
            for message in messages:
                form.add_error("type" if name in by_name else None, message)
