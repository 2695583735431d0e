"""Errors of the data store that are kept and shown later, in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from portal.lib.errors import ApplicationError


class IngestError(ApplicationError):
    """Why a file could not become a table. `msgid` is marked with gettext_noop where raised
    and translated when shown, so the stored message follows the reader's language."""

    def __init__(self, msgid: str, **params: Any) -> None:
        self.msgid, self.params = msgid, params
        super().__init__(render({"id": msgid, "params": params}))

    def stored(self) -> dict[str, Any]:
        return {"id": self.msgid, "params": self.params}


def render(message: dict[str, Any]) -> str:
    """A stored message ({"id": ..., "params": {...}}) in the active language."""
    if not message:
        return ""
    text = _(message["id"])
    params = message.get("params") or {}
    return text % params if params else text
