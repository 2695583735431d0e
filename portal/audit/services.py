"""Writes to the audit trail. Only `record` creates entries; `checkpoint_create` anchors them.

Call it inside the transaction of the change it describes, so that a change rolled back leaves
no entry:

    record(actor=user, action="dataset.publish", target=dataset,
           before={"status": "draft"}, after={"status": "published"})

The door, address and kind of actor come from the request (see `portal.audit.context`), or may
be given. `snapshot(obj, names)` reads fields into JSON-safe values for `before` and `after`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import checkpoints, context
from portal.audit.checkpoints import CHECKPOINT_ACTION, Checkpoint, DamagedLine
from portal.audit.keys import AuditKey, audit_key
from portal.audit.models import GENESIS_HASH, ActorKind, AuditEntry, Door, Scheme
from portal.lib.errors import ApplicationError

if TYPE_CHECKING:
    from portal.accounts.permissions import Actor

# Any constant identifying the audit chain's lock among PostgreSQL advisory locks.
CHAIN_LOCK_ID = 0x6175646974

logger = logging.getLogger(__name__)


def _json_safe(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return sorted(_json_safe(item) for item in value)
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    return value


def snapshot(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """The named fields of `obj`, JSON-safe; many-to-many fields as sorted lists of labels."""
    values: dict[str, Any] = {}
    for name in names:
        value = getattr(obj, name)
        if isinstance(value, models.Manager):
            value = sorted(str(item) for item in value.all())
        values[name] = _json_safe(value)
    return values


def _lock_chain() -> AuditEntry | None:
    """The last entry, with the chain locked until the transaction ends.

    SQLite already serialises writers (transactions begin IMMEDIATE). On PostgreSQL an advisory
    lock also covers the empty chain, where there is no last row to select for update.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_ID])
    return AuditEntry.objects.order_by("-sequence").first()


def _origin(request: HttpRequest | None, via: str | None) -> context.Origin:
    origin = context.origin_of(request) if request is not None else context.current()
    if via is not None and via != origin.door:
        kind = ActorKind.JOB if via == Door.JOB else origin.kind
        origin = context.Origin(door=via, address=origin.address, kind=kind)
    return origin


def _target(target: models.Model | None) -> dict[str, str]:
    if target is None:
        return {"target_type": "", "target_id": "", "target_label": ""}
    return {"target_type": target._meta.label_lower, "target_id": str(target.pk or ""),
            "target_label": str(target)[:300]}


def record(*, actor: Actor | None, action: str, target: models.Model | None = None,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
           request: HttpRequest | None = None, via: str | None = None) -> AuditEntry:
    """Append one entry. `via` overrides the door found from the request or context."""
    origin = _origin(request, via)
    person = actor if actor is not None and actor.is_authenticated else None
    # A round trip through JSON gives exactly what the database will give back to `verify`.
    before_json = json.loads(json.dumps(_json_safe(before or {})))
    after_json = json.loads(json.dumps(_json_safe(after or {})))
    key = audit_key()
    with transaction.atomic():
        last = _lock_chain()
        entry = AuditEntry(
            sequence=(last.sequence + 1) if last else 1, created=timezone.now(),
            actor=person, actor_username=person.get_username() if person else "",
            actor_kind=origin.kind, address=origin.address, door=origin.door, action=action,
            before=before_json, after=after_json,
            previous_hash=last.hash if last else GENESIS_HASH, scheme=Scheme.HMAC_SHA256,
            key_id=key.key_id, **_target(target),
        )
        entry.hash = entry.compute_hash(key.entries)
        entry.save(force_insert=True)
    return entry


def checkpoint_create(*, only_if_changed: bool = False) -> Checkpoint | None:
    """Append the chain's head to the checkpoint file, and record in the chain that it did.

    None when there is nothing to anchor: no entry yet or, with `only_if_changed` (the periodic
    job), nothing written since the last checkpoint. The line is appended before the entry
    commits: a failed commit leaves a line the database does not mention, which is harmless,
    while a line the database mentions is never missing unless someone removed it.
    """
    key, path = audit_key(), checkpoints.checkpoint_path()
    try:
        checkpoint = _append_checkpoint(key, path, only_if_changed=only_if_changed)
    except OSError as error:
        raise ApplicationError(_("The checkpoint file %(path)s cannot be read or written: "
                                 "%(error)s.") % {"path": path, "error": error}) from None
    if checkpoint is None:
        return None
    # The portal's log is a second copy (journald, syslog, a log host): see docs/security.md.
    logger.info("audit checkpoint %s", checkpoint.text())
    return checkpoint


def _append_checkpoint(key: AuditKey, path: Path, *,
                       only_if_changed: bool) -> Checkpoint | None:
    with transaction.atomic():
        head = _lock_chain()
        if head is None or (only_if_changed and head.action == CHECKPOINT_ACTION):
            return None
        checkpoint = checkpoints.next_checkpoint(
            _last_checkpoint(key, path), time=timezone.now().isoformat(),
            sequence=head.sequence, head_hash=head.hash, key=key)
        record(actor=None, action=CHECKPOINT_ACTION, after={
            "line": checkpoint.line, "sequence": checkpoint.sequence, "mac": checkpoint.mac})
        checkpoints.append(path, checkpoint)
    return checkpoint


def _last_checkpoint(key: AuditKey, path: Path) -> Checkpoint | None:
    """The file's last checkpoint, which the next one follows; refused if it is not sound."""
    text = checkpoints.last_line(path)
    if text is None:
        return None
    try:
        last = checkpoints.parse(text)
    except DamagedLine:
        last = None
    if last is None or not last.seal_is_valid(key):
        raise ApplicationError(_(
            "The last line of the checkpoint file %(path)s is not a checkpoint sealed with the "
            "audit key: the file was damaged or changed, or AUDIT_KEY is not the key it was "
            "written with. No checkpoint was written; run `portal audit verify`.")
            % {"path": path})
    return last
