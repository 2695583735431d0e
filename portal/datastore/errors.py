"""Errors of the data store that are kept and shown later, in the reader's language."""

from __future__ import annotations

import re
from typing import Any

from portal.lib.errors import KeptMessage, render_kept, without_paths

# A path cut at its start, as messages kept before paths were removed hold it
# ("…-root/var/datastore-work/3/source.csv", cut to its last 200 characters): a first word with
# two slashes or more and a letter, of which only the last part is kept.
_CUT_PATH = re.compile(r"^(?=[^\s'\"]*[^\d\s'\"/])[^\s'\"]*/[^\s'\"]*/(?P<name>[^\s/'\"]*)")


class IngestError(KeptMessage):
    """Why a file could not become a table (stored on the DataTable, shown to the agency)."""


def render(message: dict[str, Any]) -> str:
    """A kept message in the active language, with no server path in what DuckDB said."""
    params = (message or {}).get("params") or {}
    if isinstance(params.get("reason"), str):
        reason = _CUT_PATH.sub(lambda match: match["name"], without_paths(params["reason"]))
        message = {**message, "params": {**params, "reason": reason}}
    return render_kept(message)
