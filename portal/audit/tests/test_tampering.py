"""Each way of tampering with the audit trail, and what catches it (docs/security.md, "Audit
trail", has the same table).

The intruder can write the database (raw SQL: a database account, a stolen `DATABASE_URL`, an
edited backup restored); unless a test says otherwise they can neither read the audit key nor
write the checkpoint file. Every verdict is `portal audit verify`'s, with its exit status.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import LazySettings
from django.core.management import call_command

from portal.audit.keys import audit_key
from portal.audit.models import Door, Scheme
from portal.audit.selectors import verify_chain
from portal.audit.tests.chain import make_entries, raw_sql, rewrite_chain, verify_failure

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def checkpoint() -> None:
    call_command("audit", "checkpoint")


# The database: an entry's MAC and its link to the previous entry.

def test_a_field_edited_with_sql_is_caught_by_the_entry_mac() -> None:
    make_entries(3)
    raw_sql("UPDATE {table} SET action = %s WHERE sequence = %s", ["test.innocent", 2])
    message = verify_failure()
    assert "Chain broken at entry 2: its content was changed" in message


def test_a_changed_before_value_is_caught_by_the_entry_mac() -> None:
    make_entries(3)
    raw_sql("UPDATE {table} SET before = %s WHERE sequence = %s", ['{"n": 99}', 3])
    assert "entry 3" in verify_failure()


def test_an_entry_deleted_in_the_middle_is_caught_by_the_chain() -> None:
    make_entries(4)
    raw_sql("DELETE FROM {table} WHERE sequence = %s", [2])
    message = verify_failure()
    assert "entry 3" in message
    assert "2 to 2 are missing" in message


def test_an_entry_deleted_with_the_numbers_closed_up_is_caught_by_the_chain() -> None:
    make_entries(3)
    raw_sql("DELETE FROM {table} WHERE sequence = %s", [2])
    raw_sql("UPDATE {table} SET sequence = %s WHERE sequence = %s", [2, 3])
    message = verify_failure()
    assert "Chain broken at entry 2: does not follow the previous entry" in message


def test_a_forged_entry_is_caught_by_its_mac() -> None:
    entries = make_entries(2)
    raw_sql(
        "INSERT INTO {table} (sequence, created, actor_username, actor_kind, door, action, "
        "target_type, target_id, target_label, before, after, previous_hash, scheme, key_id, "
        "hash) VALUES (%s, %s, 'intruder', 'person', %s, 'dataset.publish', '', '', '', "
        "'{}', '{}', %s, %s, %s, %s)",
        [3, entries[1].created, Door.PAGE, entries[1].hash, Scheme.HMAC_SHA256,
         audit_key().key_id, "f" * 64])
    assert "Chain broken at entry 3: its content was changed" in verify_failure()


def test_a_forged_entry_hashed_the_old_way_is_caught_as_unkeyed_after_keyed_ones() -> None:
    """The old scheme needs no key, so anyone can compute it: it is only accepted before the
    first keyed entry."""
    make_entries(2)
    make_entries(1)  # the entry to forge: written, then rehashed without the key
    rewrite_chain(scheme=Scheme.SHA256, start=3)
    assert "entry 3: hashed without the key after keyed entries" in verify_failure()


def test_an_edit_with_the_rest_of_the_chain_recomputed_without_the_key_is_caught() -> None:
    make_entries(4)
    raw_sql("UPDATE {table} SET action = %s WHERE sequence = %s", ["test.innocent", 2])
    rewrite_chain(scheme=Scheme.SHA256, start=2)
    assert "entry 2: hashed without the key after keyed entries" in verify_failure()


# Rewrites that leave a chain sound in itself: only the checkpoint file remembers the old head.

def test_an_edit_with_the_whole_chain_recomputed_without_the_key_is_caught_by_a_checkpoint(
) -> None:
    """Passed `verify` before keyed MACs and checkpoints (issue 8, item 19)."""
    make_entries(4)
    checkpoint()
    raw_sql("UPDATE {table} SET action = %s WHERE sequence = %s", ["test.innocent", 2])
    rewrite_chain(scheme=Scheme.SHA256)
    assert verify_chain().intact  # every entry "from before keyed MACs": the chain alone agrees
    message = verify_failure()
    assert "Checkpoint 1" in message
    assert "records entry 4 with hash" in message
    assert "changed and the chain recomputed" in message


def test_an_edit_with_the_chain_recomputed_with_the_key_is_caught_only_by_a_checkpoint() -> None:
    """An intruder holding the key can seal any chain: only the head written down outside the
    database, before the edit, tells the rewritten chain from the real one."""
    make_entries(4)
    checkpoint()
    raw_sql("UPDATE {table} SET action = %s WHERE sequence = %s", ["test.innocent", 2])
    key = audit_key()
    rewrite_chain(scheme=Scheme.HMAC_SHA256, key=key.entries, key_id=key.key_id)
    assert verify_chain().intact
    message = verify_failure()
    assert "Chain broken" not in message
    assert "Checkpoint 1" in message
    assert "records entry 4 with hash" in message


def test_deleting_the_newest_entries_is_caught_by_a_checkpoint() -> None:
    """Passed `verify` before checkpoints (issue 8, item 19): a chain cut short is still a
    chain."""
    make_entries(5)
    checkpoint()  # records entry 5; entry 6 says checkpoint 1 was written
    raw_sql("DELETE FROM {table} WHERE sequence >= %s", [4])
    assert verify_chain().intact
    message = verify_failure()
    assert "Checkpoint 1" in message
    assert ("records entry 5, but the database ends at entry 3: the newest entries were "
            "deleted" in message)


def test_entries_newer_than_the_last_checkpoint_can_be_deleted_unnoticed() -> None:
    """The limit of checkpoints, documented: what was written since the last one (at most
    AUDIT_CHECKPOINT_MINUTES) is protected by nothing outside the database."""
    make_entries(3)
    checkpoint()  # records entry 3; entry 4 records the checkpoint
    make_entries(2)
    raw_sql("DELETE FROM {table} WHERE sequence >= %s", [5])
    call_command("audit", "verify")


# The checkpoint file: each line's MAC and its link to the previous line; the database
# records every checkpoint written, so the file cannot lose one.

def test_a_cut_short_checkpoint_file_is_caught_by_the_chain(checkpoint_file: Path) -> None:
    make_entries(2)
    checkpoint()
    make_entries(1)
    checkpoint()
    lines = checkpoint_file.read_text().splitlines()
    checkpoint_file.write_text(lines[0] + "\n")
    message = verify_failure()
    assert ("records writing checkpoint 2, but the checkpoint file ends at checkpoint 1: the "
            "file was cut short" in message)


def test_a_deleted_checkpoint_file_is_caught_by_the_chain(checkpoint_file: Path) -> None:
    make_entries(2)
    checkpoint()
    checkpoint_file.unlink()
    assert "the checkpoint file ends at checkpoint 0" in verify_failure()


def test_an_edited_checkpoint_line_is_caught_by_its_mac(checkpoint_file: Path) -> None:
    make_entries(3)
    checkpoint()
    # The intruder deleted entry 3 and moves the checkpoint back to entry 2 to match.
    checkpoint_file.write_text(checkpoint_file.read_text().replace('"sequence":3',
                                                                   '"sequence":2'))
    message = verify_failure()
    assert "Checkpoint file, line 1: checkpoint 1 was changed after it was written" in message


def test_removed_or_reordered_checkpoint_lines_are_caught_by_their_links(
        checkpoint_file: Path) -> None:
    for _round in range(3):
        make_entries(1)
        checkpoint()
    first, second, third = checkpoint_file.read_text().splitlines()
    checkpoint_file.write_text(f"{first}\n{third}\n{second}\n")
    message = verify_failure()
    assert ("line 2: checkpoint 3 does not follow checkpoint 1: checkpoints were removed, "
            "inserted or reordered" in message)


def test_a_damaged_checkpoint_line_is_named(checkpoint_file: Path) -> None:
    make_entries(1)
    checkpoint()
    with checkpoint_file.open("a") as handle:
        handle.write("not a checkpoint\n")
    assert "Checkpoint file, line 2: not a checkpoint" in verify_failure()


def test_rolling_back_both_the_database_and_the_file_is_caught_only_by_a_copy_kept_elsewhere(
        checkpoint_file: Path, tmp_path: Path) -> None:
    """Whoever can write both the database and the checkpoint file can put both back to an
    earlier, consistent state; the lines shipped to another machine as they were written
    (docs/security.md) still hold the later checkpoint."""
    make_entries(3)
    checkpoint()  # checkpoint 1 records entry 3; entry 4 says it was written
    make_entries(2)
    checkpoint()  # checkpoint 2 records entry 6; entry 7
    copy = tmp_path / "log-host.log"
    copy.write_text("".join(f"May  1 08:00:00 portal audit checkpoint {line}\n"
                            for line in checkpoint_file.read_text().splitlines()))
    raw_sql("DELETE FROM {table} WHERE sequence >= %s", [5])
    checkpoint_file.write_text(checkpoint_file.read_text().splitlines()[0] + "\n")
    call_command("audit", "verify")  # both stores agree with each other
    message = verify_failure("--checkpoints", str(copy))
    assert "Checkpoint 2" in message
    assert "records entry 6, but the database ends at entry 4" in message


# The key.

def test_a_wrong_key_is_named_rather_than_called_tampering(settings: LazySettings) -> None:
    make_entries(2)
    checkpoint()
    written_with = audit_key().key_id
    settings.AUDIT_KEY = "another-key-" + "1" * 32
    message = verify_failure()
    assert (f"Chain broken at entry 1: sealed with another key (id {written_with}) than the "
            f"configured one (id {audit_key().key_id}): AUDIT_KEY is not the key" in message)
    assert f"line 1: sealed with another key (id {written_with})" in message


def test_the_first_entry_must_follow_the_genesis_hash() -> None:
    make_entries(2)
    raw_sql("UPDATE {table} SET previous_hash = %s WHERE sequence = %s", ["1" * 64, 1])
    assert "Chain broken at entry 1: does not follow the previous entry" in verify_failure()
