"""The one application error type. Services raise it; each door renders it in its own shape."""

from __future__ import annotations

import re
import tempfile
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext


class ApplicationError(Exception):
    """A refusal the user can act on. `field_errors` maps field names to messages."""

    def __init__(self, message: str | Promise,
                 field_errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field_errors = field_errors or {}


class NotFound(ApplicationError):
    pass


class PermissionDenied(ApplicationError):
    pass


class Conflict(ApplicationError):
    """Someone else changed the record since it was read."""


class KeptMessage(ApplicationError):
    """A refusal kept and shown later, in the language of whoever reads it: `msgid` is marked
    with gettext_noop where raised and translated by `render_kept` when shown."""

    def __init__(self, msgid: str, **params: Any) -> None:
        self.msgid, self.params = msgid, params
        super().__init__(render_kept(self.stored()))

    def stored(self) -> dict[str, Any]:
        return {"id": self.msgid, "params": self.params}


def render_kept(message: dict[str, Any]) -> str:
    """A kept message ({"id": ..., "params": {...}}) in the active language."""
    if not message:
        return ""
    text = gettext(message["id"])
    params = message.get("params") or {}
    return text % params if params else text


# An absolute path: a slash that does not follow a word, a dot, a colon or another slash (not a
# URL's path, not a date), at least one folder, and the last part, which is kept.
_ABSOLUTE_PATH = re.compile(r"(?<![\w.:/~-])/(?:[^\s/'\"`]+/)+(?P<name>[^\s/'\"`]*)")
_ROOTS = ("VAR_DIR", "BASE_DIR", "MEDIA_ROOT", "STATIC_ROOT", "DATASTORE_CACHE_DIR")


def without_paths(text: str) -> str:
    """`text` with no file path of the server in it: each absolute path becomes its last part
    (`/srv/portal/var/work/source.csv` → `source.csv`). For messages from libraries (DuckDB,
    file readers) that leave the server; the portal's folders go first, in case they hold
    spaces."""
    roots = [str(getattr(settings, name, "") or "") for name in _ROOTS] + [tempfile.gettempdir()]
    for root in sorted({root for root in roots if len(root) > 1}, key=len, reverse=True):
        text = text.replace(root, "/…")
    return _ABSOLUTE_PATH.sub(lambda match: match["name"] or "…", text)
