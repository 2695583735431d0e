"""The chain: entries only through the service, append-only, and tampering detected."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import translation

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.audit.models import GENESIS_HASH, AppendOnlyError, AuditEntry, Door
from portal.audit.selectors import verify_chain
from portal.audit.services import record
from portal.lib import factories


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """These tests read the commands' English messages; operators get them in Vietnamese."""
    with translation.override("en"):
        yield

pytestmark = pytest.mark.django_db


def make_entries(editor: User, agency: Agency, number: int = 3) -> list[AuditEntry]:
    for index in range(number):
        record(actor=editor, action="test.write", target=agency,
               before={"n": index}, after={"n": index + 1, "tên": "Hoa Lư"})
    return list(AuditEntry.objects.order_by("sequence"))


def raw_sql(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{table}", AuditEntry._meta.db_table), params)


def test_each_entry_carries_the_hash_of_the_previous(editor: User, agency: Agency) -> None:
    entries = make_entries(editor, agency)
    assert [entry.sequence for entry in entries] == [1, 2, 3]
    assert entries[0].previous_hash == GENESIS_HASH
    assert entries[1].previous_hash == entries[0].hash
    assert entries[2].previous_hash == entries[1].hash
    assert all(entry.hash == entry.compute_hash() for entry in entries)
    assert entries[0].actor_username == "editor"
    assert entries[0].target_type == "agencies.agency"
    assert entries[0].target_label == str(agency)


def test_entries_cannot_be_changed_or_deleted_through_the_model(editor: User,
                                                                 agency: Agency) -> None:
    entry = make_entries(editor, agency, 1)[0]
    entry.action = "something.else"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.get().action == "test.write"


def _change_that_fails(editor: User, agency: Agency) -> None:
    with transaction.atomic():
        record(actor=editor, action="test.write", target=agency)
        raise RuntimeError("the change fails after recording")


def test_a_rolled_back_change_leaves_no_entry(editor: User, agency: Agency) -> None:
    with pytest.raises(RuntimeError):
        _change_that_fails(editor, agency)
    assert not AuditEntry.objects.exists()


def test_verify_reports_an_intact_chain(editor: User, agency: Agency,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    make_entries(editor, agency)
    call_command("audit", "verify")
    assert "3 entries, chain intact" in capsys.readouterr().out


def test_verify_accepts_an_empty_chain(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("audit", "verify")
    assert "0 entries, chain intact" in capsys.readouterr().out


def verify_failure() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify")
    assert failure.value.returncode == 1
    return str(failure.value)


def test_verify_detects_an_entry_changed_in_the_database(editor: User, agency: Agency) -> None:
    make_entries(editor, agency)
    raw_sql("UPDATE {table} SET action = %s WHERE sequence = %s", ["test.innocent", 2])
    message = verify_failure()
    assert "entry 2" in message
    assert "content was changed" in message


def test_verify_detects_a_changed_before_value(editor: User, agency: Agency) -> None:
    make_entries(editor, agency)
    raw_sql("UPDATE {table} SET before = %s WHERE sequence = %s", ['{"n": 99}', 3])
    assert "entry 3" in verify_failure()


def test_verify_detects_a_deleted_entry(editor: User, agency: Agency) -> None:
    make_entries(editor, agency, 4)
    raw_sql("DELETE FROM {table} WHERE sequence = %s", [2])
    message = verify_failure()
    assert "entry 3" in message
    assert "2 to 2 are missing" in message


def test_verify_detects_a_deleted_entry_even_when_numbers_are_closed_up(
        editor: User, agency: Agency) -> None:
    make_entries(editor, agency, 3)
    raw_sql("DELETE FROM {table} WHERE sequence = %s", [2])
    raw_sql("UPDATE {table} SET sequence = %s WHERE sequence = %s", [2, 3])
    message = verify_failure()
    assert "entry 2" in message
    assert "does not follow the previous entry" in message


def test_verify_detects_an_inserted_entry(editor: User, agency: Agency) -> None:
    entries = make_entries(editor, agency, 2)
    forged = entries[1]
    raw_sql(
        "INSERT INTO {table} (sequence, created, actor_username, actor_kind, door, action, "
        "target_type, target_id, target_label, before, after, previous_hash, hash) "
        "VALUES (%s, %s, %s, %s, %s, %s, '', '', '', '{}', '{}', %s, %s)",
        [3, forged.created, "intruder", "person", Door.PAGE, "dataset.publish",
         forged.hash, "f" * 64])
    message = verify_failure()
    assert "entry 3" in message


def test_deleting_an_account_keeps_its_entries_verifiable(agency: Agency) -> None:
    person = factories.make_user(role="editor", agency=agency, username="leaving")
    record(actor=person, action="test.write", target=agency)
    person.delete()
    entry = AuditEntry.objects.get()
    assert entry.actor is None
    assert entry.actor_username == "leaving"
    assert verify_chain().intact
