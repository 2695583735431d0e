"""A static files finder for single files of front-end packages (settings.VENDOR_FILES).

STATICFILES_DIRS serves whole folders; some packages ship dozens of builds in theirs, and
`collectstatic` would copy and compress them all. This finder serves only the files named.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal, overload

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage, Error
from django.core.files.storage import FileSystemStorage


def _files() -> dict[str, Path]:
    return {name: Path(source) for name, source in getattr(settings, "VENDOR_FILES", {}).items()}


class VendorFileFinder(BaseFinder):
    def check(self, **kwargs: Any) -> list[CheckMessage]:
        return [Error(f"VENDOR_FILES: {source} does not exist (run `npm ci`).", id="portal.E001")
                for source in _files().values() if not source.is_file()]

    @overload
    def find(self, path: str, find_all: Literal[False] = False) -> str | None: ...

    @overload
    def find(self, path: str, find_all: Literal[True]) -> list[str]: ...

    def find(self, path: str, find_all: bool = False) -> str | list[str] | None:
        source = _files().get(path)
        found = [str(source)] if source is not None and source.is_file() else []
        return found if find_all else next(iter(found), None)

    def list(self, ignore_patterns: Iterable[str] | None,
             ) -> Iterator[tuple[str, FileSystemStorage]]:
        for name, source in _files().items():
            storage = FileSystemStorage(location=str(source.parent))
            storage.prefix = posixpath.dirname(name)  # type: ignore[attr-defined]
            yield source.name, storage
