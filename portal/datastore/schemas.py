"""Typed input and output of the data API (/api/v1), for its OpenAPI document.

The records, aggregate and SQL answers are written as JSON directly (their rows are many and
their columns are the table's); these schemas describe them.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import Field, field_validator

from portal.datastore.choices import ENCODINGS, MAX_SHEET_NAME
from portal.datastore.delimited import DELIMITERS
from portal.datastore.layout import MAX_HEADER_ROW

STATES = ("pending, running, ready, failed, needs_encoding, unsupported (not a table), "
          "not_requested (a table nobody has asked the portal to read yet)")


class EncodingCandidateOut(Schema):
    encoding: str
    score: float = Field(description="How sure detection is, from 0 to 1.")
    label: str


class VersionOut(Schema):
    number: int
    created: datetime
    rows: int = Field(description="Rows of the first sheet.")
    encoding: str = Field(description="The encoding the source was read with.")
    sheets: list[str]
    download_url: str = Field(description="The version's Parquet file (first sheet; "
                                          "`?sheet=` for another).")


class LeftOutRowOut(Schema):
    row: int = Field(description="Its number in the file, from 1 (a spreadsheet's row).")
    cells: list[str] = Field(description="Its filled cells (the first 20, cut at 200 "
                                         "characters).")


class ReadingOut(Schema):
    """How the current version found one table in the file."""

    sheet: str = Field(description="The sheet's name; \"\" for a file with one table.")
    header_row: int | None = Field(description="The row that names the columns, from 1.")
    delimiter: str = Field(description="The delimiter of a text file; empty for others.")
    rows_above: list[LeftOutRowOut] = Field(description="Title rows above the header, left "
                                                        "out of the table.")
    rows_below: list[LeftOutRowOut] = Field(
        description="Footer rows under the table (totals, notes, signatures): left out of the "
                    "table, unless footer_kept.")
    footer_kept: bool = Field(description="The agency asked to keep the footer rows.")


class DatastoreOut(Schema):
    resource_id: uuid.UUID
    state: str = Field(description=STATES)
    progress: float = Field(description="From 0 to 1 while the file is read.")
    message: str = Field(description="Why reading failed or what the agency should do, in the "
                                     "caller's language; empty when all is well.")
    encoding: str = Field(description="The encoding the agency chose; empty: detected.")
    encoding_candidates: list[EncodingCandidateOut] = Field(
        description="When state is needs_encoding: the encodings to choose from, best first.")
    delimiter: str = Field(description="The delimiter the agency chose; empty: detected.")
    layout: dict[str, dict[str, Any]] = Field(
        description="What the agency chose per table (sheet name, \"\" for a file with one "
                    "table): header_row, keep_footer.")
    reading: list[ReadingOut] = Field(
        description="How the current version found each table: header row, delimiter, rows "
                    "left out above and below.")
    version: int | None = Field(description="The current version's number.")
    rows: int | None = Field(description="Rows of the current version's first sheet.")
    fields: list[dict[str, Any]] = Field(
        description="The current version's Table Schema fields (first sheet): name, type, and "
                    "title, description, unit from the data dictionary.")
    sheets: list[str] = Field(description="Sheet names of a spreadsheet; [\"\"] for a file "
                                          "with one table.")
    dictionary: dict[str, dict[str, str]] = Field(
        description="The data dictionary the agency wrote, by column.")
    requested: datetime | None
    started: datetime | None
    finished: datetime | None
    versions: list[VersionOut] = Field(description="Every version, newest first.")


class IngestIn(Schema):
    """What to change before the file is read again; what is left out stays as it was."""

    encoding: str | None = Field(
        None, description="The source's encoding, when detection was unsure; \"\" to detect "
                          "again.", json_schema_extra={"enum": ["", *ENCODINGS]})
    delimiter: str | None = Field(
        None, description="The delimiter of a text file; \"\" to detect again.",
        json_schema_extra={"enum": ["", *DELIMITERS]})
    sheet: str = Field("", max_length=MAX_SHEET_NAME,
                       description="The table header_row and keep_footer are about: a sheet's "
                                   "name; \"\" for the first (or only) table.")
    header_row: int | None = Field(
        None, ge=0, le=MAX_HEADER_ROW,
        description="The row that names the columns, from 1; 0 to detect again.")
    keep_footer: bool | None = Field(
        None, description="Keep the footer rows (totals, notes, signatures) in the table.")

    @field_validator("encoding")
    @classmethod
    def _known(cls, value: str | None) -> str | None:
        if value not in (None, "", *ENCODINGS):
            raise ValueError(f"Choose one of: {', '.join(ENCODINGS)}.")
        return value

    @field_validator("delimiter")
    @classmethod
    def _delimiter(cls, value: str | None) -> str | None:
        if value not in (None, "", *DELIMITERS):
            raise ValueError("Choose one of: , ; | or a tab.")
        return value


class DictionaryEntryIn(Schema):
    title: str = Field("", max_length=500)
    description: str = Field("", max_length=500)
    type: str = Field("", max_length=20, description="A Table Schema type; empty: inferred.")
    unit: str = Field("", max_length=500)


class DictionaryIn(Schema):
    fields: dict[str, DictionaryEntryIn] = Field(description="By column name.")


class SqlIn(Schema):
    sql: str = Field(description="One SELECT over resource tables, named by their id in double "
                                 "quotes; at most DATASTORE_SQL_MAX_LENGTH characters.")


class FieldOut(Schema):
    name: str
    type: str


class RecordsOut(Schema):
    fields: list[dict[str, Any]] = Field(description="Table Schema fields of the columns "
                                                     "returned.")
    records: list[dict[str, Any]]
    total: int | None = Field(description="Rows matching; null with include_total=false.")
    total_is_estimate: bool
    limit: int
    offset: int
    next: str | None = Field(description="The next page (with a cursor when the fields "
                                         "include _id and the sort columns), null at the end.")


class AggregateOut(Schema):
    fields: list[FieldOut]
    records: list[dict[str, Any]]
    truncated: bool = Field(description="More groups than the limit: the rest are left out.")


class SqlOut(Schema):
    fields: list[FieldOut]
    records: list[dict[str, Any]]
    records_truncated: bool = Field(description="The result was cut: more rows than "
                                                "DATASTORE_SQL_MAX_ROWS, or more bytes than "
                                                "DATASTORE_MAX_RESULT_SIZE.")
    records_truncated_reason: str | None = Field(
        description="Why the result was cut: `rows` or `size`; null when it was not.")
