"""Parquet files in the storage backend, and a local copy for the processes that query them.

Versions are immutable, so a local copy, once complete, is never stale: the cache is keyed by
the storage name. On local disk (FileSystemStorage) the stored file is read in place.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage


def _local(name: str) -> Path | None:
    try:
        return Path(default_storage.path(name))
    except NotImplementedError:  # a remote backend such as S3
        return None


def store(local: Path, name: str) -> str:
    """Put a finished file into storage under `name` (moved when storage is local disk)."""
    target = _local(name)
    if target is None:
        with local.open("rb") as handle:
            return default_storage.save(name, File(handle))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    shutil.move(local, partial)
    os.replace(partial, target)
    return name


def readable(name: str) -> Path:
    """A local path of a stored file, copied into the cache first when storage is remote."""
    local = _local(name)
    if local is not None:
        return local
    cached = Path(settings.DATASTORE_CACHE_DIR) / name
    if not cached.exists():
        cached.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, tempfile.NamedTemporaryFile(
                dir=cached.parent, delete=False) as partial:
            shutil.copyfileobj(source, partial, 1 << 20)
        os.replace(partial.name, cached)
    return cached


def delete(name: str) -> None:
    """Delete a stored file and its cached copy, and the folders (a version's, a resource's)
    that this leaves empty on local disk."""
    local = _local(name)
    default_storage.delete(name)
    if local is not None:
        _prune(local.parent, Path(default_storage.path("")))
    cached = Path(settings.DATASTORE_CACHE_DIR) / name
    cached.unlink(missing_ok=True)
    _prune(cached.parent, Path(settings.DATASTORE_CACHE_DIR))


def delete_folder(name: str) -> None:
    """Delete the stored files directly under `name` (those of a run that did not commit)."""
    try:
        _folders, files = default_storage.listdir(name)
    except FileNotFoundError:
        return
    for file in files:
        delete(f"{name}/{file}")


def _prune(folder: Path, root: Path) -> None:
    """Remove `folder` and its parents below `root` while they are empty."""
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:  # not empty (another version, a file being written), or gone
            return
        folder = folder.parent
