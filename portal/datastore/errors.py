"""Errors of the data store that are kept and shown later, in the reader's language."""

from __future__ import annotations

from portal.lib.errors import KeptMessage, render_kept

render = render_kept


class IngestError(KeptMessage):
    """Why a file could not become a table (stored on the DataTable, shown to the agency)."""
