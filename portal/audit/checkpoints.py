"""The checkpoint file: the head of the audit chain, written down outside the database.

Each line is one checkpoint, a canonical JSON object:

    {"hash": "<the head entry's hash>", "key_id": "...", "line": 7,
     "mac": "<HMAC of this line>", "previous": "<mac of line 6>", "sequence": 1234,
     "time": "2026-05-01T08:15:00+00:00"}

`mac` is an HMAC (the audit key's checkpoint key) over every other field, and `previous` is the
mac of the line before (64 zeros for line 1), so a line cannot be edited, removed, inserted or
reordered without the key. The file is only ever opened to append (O_APPEND); a backup copies
it as it is, and a copy of its lines kept elsewhere (a log host) can be checked in its place
(`portal audit verify --checkpoints PATH`). Anything before the first `{` of a line is ignored,
so lines taken from a log, with the log's own prefix, can be checked as they are.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from django.conf import settings

from portal.audit.keys import AuditKey, mac
from portal.audit.models import GENESIS_HASH, canonical_json

# The audit entry that says a checkpoint was written: the database vouches for the file's length.
CHECKPOINT_ACTION = "audit.checkpoint"
FIELDS = ("line", "time", "sequence", "hash", "key_id", "previous")


@dataclass(frozen=True)
class Checkpoint:
    line: int
    time: str
    sequence: int
    hash: str
    key_id: str
    previous: str
    mac: str = ""

    def sealed(self, key: AuditKey) -> Checkpoint:
        unsealed = replace(self, key_id=key.key_id, mac="")
        return replace(unsealed, mac=mac(key.checkpoints, unsealed.message()))

    def message(self) -> str:
        """What the line's MAC covers: every field but the MAC."""
        return canonical_json({name: getattr(self, name) for name in FIELDS})

    def text(self) -> str:
        return canonical_json(asdict(self))

    def seal_is_valid(self, key: AuditKey) -> bool:
        return mac(key.checkpoints, self.message()) == self.mac


class DamagedLine(ValueError):
    """A line of the checkpoint file that is not a checkpoint at all."""


def checkpoint_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


def parse(text: str) -> Checkpoint:
    start = text.find("{")
    try:
        fields = json.loads(text[start:]) if start >= 0 else None
        if not isinstance(fields, dict) or set(fields) != {*FIELDS, "mac"}:
            raise DamagedLine(text)
        checkpoint = Checkpoint(**fields)
    except (json.JSONDecodeError, TypeError):
        raise DamagedLine(text) from None
    if not (isinstance(checkpoint.line, int) and isinstance(checkpoint.sequence, int)
            and all(isinstance(getattr(checkpoint, name), str)
                    for name in ("time", "hash", "key_id", "previous", "mac"))):
        raise DamagedLine(text)
    return checkpoint


def read_lines(path: Path) -> Iterator[str]:
    """Every non-empty line of the file (none if there is no file)."""
    try:
        handle = path.open(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return
    with handle:
        for text in handle:
            if text.strip():
                yield text.rstrip("\n")


def last_line(path: Path, block: int = 4096) -> str | None:
    """The file's last non-empty line, read from its end (the file grows without bound)."""
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            tail = b""
            while size > 0 and tail.strip().count(b"\n") < 1:
                step = min(block, size)
                size -= step
                handle.seek(size)
                tail = handle.read(step) + tail
    except FileNotFoundError:
        return None
    lines = tail.decode("utf-8", errors="replace").strip().splitlines()
    return lines[-1] if lines else None


def next_checkpoint(previous: Checkpoint | None, *, time: str, sequence: int,
                    head_hash: str, key: AuditKey) -> Checkpoint:
    return Checkpoint(line=previous.line + 1 if previous else 1, time=time, sequence=sequence,
                      hash=head_hash, key_id="",
                      previous=previous.mac if previous else GENESIS_HASH).sealed(key)


def append(path: Path, checkpoint: Checkpoint) -> None:
    """Add the line at the end, whatever else writes: O_APPEND, one write, then fsync."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    data = (checkpoint.text() + "\n").encode()
    try:
        # A line is a few hundred bytes; a short write means the disk is full.
        if os.write(descriptor, data) != len(data):
            raise OSError(f"{path}: the checkpoint line was written only in part")
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
