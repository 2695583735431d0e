"""Reads of the audit trail: filtered lists for the page and the export, and the chain check."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import checkpoints
from portal.audit.checkpoints import CHECKPOINT_ACTION, Checkpoint, DamagedLine
from portal.audit.keys import AuditKey, audit_key
from portal.audit.models import GENESIS_HASH, AuditEntry, Scheme


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    target: str = ""
    door: str = ""
    since: date | None = None
    until: date | None = None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def entries(query: AuditFilter) -> QuerySet[AuditEntry]:
    """Entries matching every filter given, newest first. Dates are whole local days."""
    rows = AuditEntry.objects.order_by("-sequence")
    if query.actor:
        rows = rows.filter(actor_username__icontains=query.actor)
    if query.action:
        rows = rows.filter(action__istartswith=query.action)
    if query.target:
        rows = rows.filter(Q(target_label__icontains=query.target)
                           | Q(target_id=query.target) | Q(target_type=query.target.lower()))
    if query.door:
        rows = rows.filter(door=query.door)
    if query.since:
        rows = rows.filter(created__gte=_day_start(query.since))
    if query.until:
        rows = rows.filter(created__lt=_day_start(query.until + timedelta(days=1)))
    return rows


def actions() -> list[str]:
    """The actions recorded so far, for the filter's suggestions."""
    return list(AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct())


@dataclass(frozen=True)
class ChainReport:
    count: int
    broken_at: int | None = None  # sequence number of the first broken entry
    problem: str = ""
    last_hash: str = GENESIS_HASH
    unkeyed: int = 0  # entries written before keyed MACs (bare SHA-256)
    key_id: str = ""  # the configured key's

    @property
    def intact(self) -> bool:
        return self.broken_at is None


@dataclass
class _Walk:
    """Where the walk along the chain has come to."""

    key: AuditKey
    sequence: int = 1
    previous_hash: str = GENESIS_HASH
    count: int = 0
    unkeyed: int = 0

    def step(self, entry: AuditEntry) -> None:
        self.sequence, self.previous_hash = entry.sequence + 1, entry.hash
        self.count += 1
        self.unkeyed += entry.scheme == Scheme.SHA256

    def report(self, **problem: Any) -> ChainReport:
        return ChainReport(count=self.count, last_hash=self.previous_hash,
                           unkeyed=self.unkeyed, key_id=self.key.key_id, **problem)


def _link_problem(entry: AuditEntry, walk: _Walk) -> str:
    if entry.sequence != walk.sequence:
        if entry.sequence > walk.sequence:
            return _("entries %(first)s to %(last)s are missing (deleted)") % {
                "first": walk.sequence, "last": entry.sequence - 1}
        return _("out of order: sequence number %(number)s expected") % {
            "number": walk.sequence}
    if entry.previous_hash != walk.previous_hash:
        return _("does not follow the previous entry (an entry was deleted or inserted)")
    return ""


def _seal_problem(entry: AuditEntry, walk: _Walk) -> str:
    if entry.scheme == Scheme.SHA256 and walk.count > walk.unkeyed:
        # Only entries from before keyed MACs may be unkeyed: anyone can compute a SHA-256.
        return _("hashed without the key after keyed entries: the chain was recomputed with "
                 "the old, unkeyed scheme")
    if entry.scheme == Scheme.HMAC_SHA256 and entry.key_id != walk.key.key_id:
        return _("sealed with another key (id %(entry)s) than the configured one (id "
                 "%(configured)s): AUDIT_KEY is not the key this trail was written with, or "
                 "the entry was forged") % {"entry": entry.key_id or "-",
                                            "configured": walk.key.key_id}
    if (entry.scheme not in Scheme.values or (entry.scheme == Scheme.SHA256 and entry.key_id)
            or entry.compute_hash(walk.key.entries) != entry.hash):
        return _("its content was changed after it was written")
    return ""


def verify_chain(batch_size: int = 2000) -> ChainReport:
    """Walk the chain in order; report the first entry that breaks it."""
    walk = _Walk(key=audit_key())
    for entry in _in_order(batch_size):
        problem = _link_problem(entry, walk) or _seal_problem(entry, walk)
        if problem:
            return walk.report(broken_at=entry.sequence, problem=problem)
        walk.step(entry)
    return walk.report()


def _in_order(batch_size: int) -> Iterator[AuditEntry]:
    """Every entry by sequence, in batches (keyset pagination: no server-side cursor needed)."""
    after = -1
    while True:
        batch = list(AuditEntry.objects.filter(sequence__gt=after).order_by("sequence")
                     [:batch_size])
        yield from batch
        if len(batch) < batch_size:
            return
        after = batch[-1].sequence


@dataclass(frozen=True)
class CheckpointReport:
    count: int  # lines in the file
    problems: list[str]
    newest: Checkpoint | None = None

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_checkpoints(path: Path | None = None) -> CheckpointReport:
    """Check the checkpoint file (or a copy of it) line by line, then against the database.

    Every sound line's entry must be in the database with the hash the line recorded (else
    the newest entries were deleted, or the chain was recomputed), and every checkpoint the
    database records having written must be in the file (else the file was cut short).
    """
    path = path or checkpoints.checkpoint_path()
    try:
        sound, problems, count = _read_file(path, audit_key())
    except OSError as error:
        sound, problems, count = [], [_("The checkpoint file cannot be read: %(error)s.")
                                      % {"error": error}], 0
    problems += _entries_missing_or_changed(sound) + _checkpoints_missing(sound)
    return CheckpointReport(count=count, problems=problems, newest=sound[-1] if sound else None)


def _read_file(path: Path, key: AuditKey) -> tuple[list[Checkpoint], list[str], int]:
    """(sound checkpoints, problems, number of lines) of the file on its own."""
    sound: list[Checkpoint] = []
    problems: list[str] = []
    previous: Checkpoint | None = None
    count = 0
    for count, text in enumerate(checkpoints.read_lines(path), 1):
        checkpoint, problem = _read_checkpoint(text, previous, key)
        if problem:
            problems.append(_("Checkpoint file, line %(number)s: %(problem)s")
                            % {"number": count, "problem": problem})
        elif checkpoint is not None:
            sound.append(checkpoint)
        previous = checkpoint or previous
    return sound, problems, count


def _read_checkpoint(text: str, previous: Checkpoint | None,
                     key: AuditKey) -> tuple[Checkpoint | None, str]:
    try:
        checkpoint = checkpoints.parse(text)
    except DamagedLine:
        return None, _("not a checkpoint (the line was damaged or edited)")
    if checkpoint.key_id != key.key_id:
        return checkpoint, _("sealed with another key (id %(line)s) than the configured one "
                             "(id %(configured)s)") % {"line": checkpoint.key_id,
                                                        "configured": key.key_id}
    if not checkpoint.seal_is_valid(key):
        return checkpoint, _("checkpoint %(line)s was changed after it was written") % {
            "line": checkpoint.line}
    expected = (previous.line + 1, previous.mac) if previous else (1, GENESIS_HASH)
    if (checkpoint.line, checkpoint.previous) != expected:
        return checkpoint, _("checkpoint %(line)s does not follow checkpoint %(previous)s: "
                             "checkpoints were removed, inserted or reordered") % {
            "line": checkpoint.line, "previous": previous.line if previous else 0}
    return checkpoint, ""


def _entries_missing_or_changed(sound: list[Checkpoint], batch_size: int = 2000) -> list[str]:
    problems = []
    last = AuditEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    for start in range(0, len(sound), batch_size):
        batch = sound[start:start + batch_size]
        hashes = dict(AuditEntry.objects.filter(sequence__in=[c.sequence for c in batch])
                      .values_list("sequence", "hash"))
        problems += [_checkpoint_problem(c, hashes.get(c.sequence), last or 0) for c in batch
                     if hashes.get(c.sequence) != c.hash]
    return problems


def _checkpoint_problem(checkpoint: Checkpoint, found: str | None, last: int) -> str:
    values = {"line": checkpoint.line, "time": checkpoint.time, "sequence": checkpoint.sequence,
              "recorded": checkpoint.hash[:16], "found": (found or "")[:16], "last": last}
    if found is None and checkpoint.sequence > last:
        return _("Checkpoint %(line)s (%(time)s) records entry %(sequence)s, but the database "
                 "ends at entry %(last)s: the newest entries were deleted.") % values
    if found is None:
        return _("Checkpoint %(line)s (%(time)s) records entry %(sequence)s, which is missing "
                 "from the database: it was deleted.") % values
    return _("Checkpoint %(line)s (%(time)s) records entry %(sequence)s with hash "
             "%(recorded)s…, the database has %(found)s…: that entry or an earlier one was "
             "changed and the chain recomputed.") % values


def _checkpoints_missing(sound: list[Checkpoint]) -> list[str]:
    """Checkpoints the chain says were written, which the file does not hold (any more)."""
    in_file = {checkpoint.line: checkpoint.mac for checkpoint in sound}
    newest = max(in_file, default=0)
    recorded = AuditEntry.objects.filter(action=CHECKPOINT_ACTION).order_by("sequence")
    problems = []
    for sequence, after in recorded.values_list("sequence", "after").iterator(2000):
        line, mark = _recorded_line(after)
        if line is None or in_file.get(line) != mark:
            problems.append(_recorded_problem(sequence, line, newest))
    return problems


def _recorded_line(after: Any) -> tuple[int | None, str]:
    """(line, mac) of the checkpoint an entry says was written; (None, "") if it says none."""
    if isinstance(after, dict) and isinstance(after.get("line"), int):
        return after["line"], str(after.get("mac"))
    return None, ""


def _recorded_problem(sequence: int, line: int | None, newest: int) -> str:
    values = {"sequence": sequence, "line": line, "newest": newest}
    if line is not None and line > newest:
        return _("Entry %(sequence)s records writing checkpoint %(line)s, but the checkpoint "
                 "file ends at checkpoint %(newest)s: the file was cut short, deleted or "
                 "replaced.") % values
    return _("Entry %(sequence)s records writing checkpoint %(line)s, which the checkpoint "
             "file does not hold as written: the file was edited or replaced.") % values
