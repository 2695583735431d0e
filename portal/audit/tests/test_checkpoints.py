"""`portal audit checkpoint` and the periodic job: the chain's head, written down outside the
database, one sealed and linked line at a time."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from portal.audit.checkpoints import CHECKPOINT_ACTION, parse
from portal.audit.keys import audit_key
from portal.audit.models import GENESIS_HASH, AuditEntry, Door
from portal.audit.selectors import verify_checkpoints
from portal.audit.tasks import checkpoint_audit_trail, every_minutes
from portal.audit.tests.chain import make_entries, verify_failure

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_command_appends_the_head_and_prints_the_line(
        checkpoint_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    head = make_entries(3)[-1]
    call_command("audit", "checkpoint")
    printed = capsys.readouterr().out.strip()
    assert checkpoint_file.read_text() == printed + "\n"
    line = json.loads(printed)
    assert line == {"line": 1, "time": line["time"], "sequence": 3, "hash": head.hash,
                    "key_id": audit_key().key_id, "previous": GENESIS_HASH,
                    "mac": line["mac"]}
    assert parse(printed).seal_is_valid(audit_key())


def test_the_chain_records_each_checkpoint_written(checkpoint_file: Path) -> None:
    make_entries(2)
    call_command("audit", "checkpoint")
    call_command("audit", "checkpoint")
    first, second = (parse(text) for text in checkpoint_file.read_text().splitlines())
    assert (second.line, second.previous, second.sequence) == (2, first.mac, 3)
    recorded = AuditEntry.objects.filter(action=CHECKPOINT_ACTION).order_by("sequence")
    assert [(entry.door, entry.after) for entry in recorded] == [
        (Door.COMMAND, {"line": 1, "sequence": 2, "mac": first.mac}),
        (Door.COMMAND, {"line": 2, "sequence": 3, "mac": second.mac})]
    call_command("audit", "verify")


def test_an_empty_trail_has_nothing_to_checkpoint(checkpoint_file: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    call_command("audit", "checkpoint")
    assert "nothing to checkpoint" in capsys.readouterr().out
    assert not checkpoint_file.exists()


def test_verify_says_when_there_is_no_checkpoint_yet(capsys: pytest.CaptureFixture[str]) -> None:
    make_entries(1)
    call_command("audit", "verify")
    assert "No checkpoints yet" in capsys.readouterr().out


def test_verify_reports_the_newest_checkpoint(capsys: pytest.CaptureFixture[str]) -> None:
    make_entries(2)
    call_command("audit", "checkpoint")
    call_command("audit", "verify")
    output = capsys.readouterr().out
    assert "3 entries, chain intact" in output
    assert "1 checkpoints agree with the database" in output
    assert "at entry 2" in output


def test_the_periodic_job_writes_only_when_something_was_written(checkpoint_file: Path) -> None:
    checkpoint_audit_trail.call_local()
    assert not checkpoint_file.exists()
    make_entries(2)
    checkpoint_audit_trail.call_local()
    checkpoint_audit_trail.call_local()  # only its own entry since: nothing to anchor
    assert len(checkpoint_file.read_text().splitlines()) == 1
    assert AuditEntry.objects.get(action=CHECKPOINT_ACTION).door == Door.JOB
    make_entries(1)
    checkpoint_audit_trail.call_local()
    assert len(checkpoint_file.read_text().splitlines()) == 2
    assert verify_checkpoints().intact


def test_the_schedule_follows_the_setting() -> None:
    assert every_minutes(5)(datetime(2026, 1, 1, 8, 10))
    assert not every_minutes(5)(datetime(2026, 1, 1, 8, 11))
    assert not any(every_minutes(0)(datetime(2026, 1, 1, 8, minute)) for minute in range(60))


def test_a_checkpoint_is_not_added_after_a_line_that_is_not_sound(
        checkpoint_file: Path) -> None:
    make_entries(1)
    call_command("audit", "checkpoint")
    checkpoint_file.write_text(checkpoint_file.read_text().replace('"sequence":1',
                                                                   '"sequence":9'))
    with pytest.raises(CommandError, match="is not a checkpoint sealed with the audit key"):
        call_command("audit", "checkpoint")
    assert AuditEntry.objects.filter(action=CHECKPOINT_ACTION).count() == 1


def test_an_unusable_checkpoint_file_is_a_clear_error_and_records_nothing(
        checkpoint_file: Path) -> None:
    make_entries(1)
    checkpoint_file.mkdir(parents=True)  # a folder where the file should be (even root fails)
    with pytest.raises(CommandError, match="cannot be read or written"):
        call_command("audit", "checkpoint")
    assert not AuditEntry.objects.filter(action=CHECKPOINT_ACTION).exists()
    assert "The checkpoint file cannot be read" in verify_failure()
