"""What the audit tests share: a few entries, raw SQL as an intruder writes it, the verdict."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from portal.audit.models import GENESIS_HASH, AuditEntry, Scheme
from portal.audit.services import record


def make_entries(number: int = 3, **fields: Any) -> list[AuditEntry]:
    """`number` more entries (by nobody unless `actor=` is given); every entry, in order."""
    fields.setdefault("actor", None)
    for index in range(number):
        record(action="test.write", before={"n": index},
               after={"n": index + 1, "tên": "Hoa Lư"}, **fields)
    return list(AuditEntry.objects.order_by("sequence"))


def raw_sql(sql: str, params: list[Any]) -> None:
    """A change made behind the portal's back, as anyone who can write the database can."""
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{table}", AuditEntry._meta.db_table), params)


def rewrite_chain(*, scheme: str, key: bytes = b"", key_id: str = "", start: int = 1,
                  end: int | None = None) -> None:
    """What an intruder does after an edit: compute every hash again from `start` on (to
    `end`), with the old unkeyed scheme, or with the key if they have it."""
    before = AuditEntry.objects.filter(sequence=start - 1).first()
    previous_hash = before.hash if before else GENESIS_HASH
    rows = AuditEntry.objects.filter(sequence__gte=start).order_by("sequence")
    for entry in rows.filter(sequence__lte=end) if end is not None else rows:
        entry.previous_hash, entry.scheme, entry.key_id = previous_hash, scheme, key_id
        entry.hash = entry.compute_hash(key)
        raw_sql("UPDATE {table} SET previous_hash = %s, scheme = %s, key_id = %s, hash = %s "
                "WHERE sequence = %s",
                [entry.previous_hash, scheme, key_id, entry.hash, entry.sequence])
        previous_hash = entry.hash


def write_unkeyed_entries(number: int) -> None:
    """Entries as the portal wrote them before keyed MACs: bare SHA-256, no key id."""
    for index in range(number):
        last = AuditEntry.objects.order_by("-sequence").first()
        entry = AuditEntry(
            sequence=(last.sequence + 1) if last else 1, created=timezone.now(),
            actor_kind="person", door="page", action="test.old", after={"n": index},
            scheme=Scheme.SHA256, previous_hash=last.hash if last else GENESIS_HASH)
        entry.hash = entry.compute_hash(b"")
        entry.save(force_insert=True)


def verify_failure(*args: str) -> str:
    """`portal audit verify` fails with exit status 1; its message."""
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify", *args)
    assert failure.value.returncode == 1
    return str(failure.value)
