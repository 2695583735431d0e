"""The audit key, and the entries written before there was one."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from portal.audit.keys import AuditKey, audit_key
from portal.audit.models import GENESIS_HASH, AuditEntry, Scheme
from portal.audit.selectors import verify_chain
from portal.audit.tests.chain import (
    make_entries,
    raw_sql,
    rewrite_chain,
    verify_failure,
    write_unkeyed_entries,
)
from portal.config import SETTINGS
from portal.lib.env import read_all
from portal.lib.secret import load_or_create_audit_key

pytestmark = pytest.mark.usefixtures("english")


def test_the_key_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    first = load_or_create_audit_key(tmp_path / "var")
    assert len(bytes.fromhex(first)) == 32
    assert load_or_create_audit_key(tmp_path / "var") == first
    assert (tmp_path / "var" / "audit_key").stat().st_mode & 0o077 == 0


def test_a_short_key_stops_start_up_with_a_clear_message() -> None:
    with pytest.raises(ImproperlyConfigured, match="AUDIT_KEY='short' is invalid: expected at "
                                                   "least 32 characters"):
        read_all(SETTINGS, {"AUDIT_KEY": "short"})


def test_the_key_may_come_from_a_file(tmp_path: Path) -> None:
    (tmp_path / "audit_key").write_text("k" * 40 + "\n")
    assert read_all(SETTINGS, {"AUDIT_KEY_FILE": str(tmp_path / "audit_key")})[
        "AUDIT_KEY"] == "k" * 40


def test_the_key_id_names_the_key_without_revealing_it() -> None:
    key = AuditKey.from_secret("k" * 40)
    assert key.key_id == AuditKey.from_secret("k" * 40).key_id
    assert key.key_id != AuditKey.from_secret("j" * 40).key_id
    assert key.entries != key.checkpoints  # a MAC of one kind never passes for the other
    assert key.key_id not in "k" * 40


@pytest.mark.django_db
def test_entries_written_before_keyed_macs_still_verify(
        capsys: pytest.CaptureFixture[str]) -> None:
    write_unkeyed_entries(2)
    make_entries(2)
    call_command("audit", "verify")
    assert ("4 entries, chain intact (last hash" in capsys.readouterr().out)
    report = verify_chain()
    assert (report.count, report.unkeyed) == (4, 2)


@pytest.mark.django_db
def test_an_old_entry_edited_and_rehashed_is_caught_by_the_first_keyed_entry() -> None:
    """Anyone can compute the old hashes again; the first keyed entry's MAC covers the last
    old entry's hash, so it no longer follows."""
    write_unkeyed_entries(3)
    make_entries(1)
    raw_sql("UPDATE {table} SET after = %s WHERE sequence = %s", ['{"n": 99}', 2])
    rewrite_chain(scheme=Scheme.SHA256, start=2, end=3)
    assert "Chain broken at entry 4: does not follow the previous entry" in verify_failure()


@pytest.mark.django_db
def test_old_and_keyed_entries_all_rehashed_the_old_way_are_caught_by_a_checkpoint() -> None:
    """Turning the keyed entries into "old" ones too leaves a chain sound in itself: only the
    checkpoints catch it, and nothing before the first checkpoint (docs/security.md)."""
    write_unkeyed_entries(3)
    make_entries(1)
    call_command("audit", "checkpoint")
    raw_sql("UPDATE {table} SET after = %s WHERE sequence = %s", ['{"n": 99}', 2])
    rewrite_chain(scheme=Scheme.SHA256)
    assert verify_chain().intact
    assert "Checkpoint 1" in verify_failure()


def _old_hash(row: Mapping[str, object]) -> str:
    """How the portal hashed entries before keyed MACs (the content of 0001's entries)."""
    text = json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _write_old_entries(model: type[AuditEntry]) -> None:
    previous = GENESIS_HASH
    for sequence in (1, 2):
        row = {"sequence": sequence, "created": f"2026-01-0{sequence}T08:00:00+00:00",
               "actor_username": "cán bộ", "actor_kind": "person", "address": "10.0.0.1",
               "door": "page", "action": "dataset.publish", "target_type": "catalog.dataset",
               "target_id": "7", "target_label": "Dân số", "before": {"status": "draft"},
               "after": {"status": "published"}, "previous_hash": previous}
        previous = _old_hash(row)
        model.objects.create(**row, hash=previous)


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_entries_written_before_it_verifiable() -> None:
    executor = MigrationExecutor(connection)
    target = [("audit", "0001_initial")]
    executor.migrate(target)
    _write_old_entries(executor.loader.project_state(target).apps.get_model("audit",
                                                                            "AuditEntry"))
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert list(AuditEntry.objects.values_list("scheme", "key_id")) == [
        (Scheme.SHA256, ""), (Scheme.SHA256, "")]
    make_entries(1)
    assert AuditEntry.objects.get(sequence=3).key_id == audit_key().key_id
    report = verify_chain()
    assert report.intact, report.problem
    assert (report.count, report.unkeyed) == (3, 2)
