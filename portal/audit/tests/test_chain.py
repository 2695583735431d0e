"""The chain: entries only through the service, append-only, each sealed with the audit key.

Tampering, and what catches it: `test_tampering.py`."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.audit.keys import audit_key
from portal.audit.models import GENESIS_HASH, AppendOnlyError, AuditEntry
from portal.audit.selectors import verify_chain
from portal.audit.services import record
from portal.audit.tests.chain import make_entries
from portal.lib import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_each_entry_carries_the_hash_of_the_previous(editor: User, agency: Agency) -> None:
    entries = make_entries(3, actor=editor, target=agency)
    assert [entry.sequence for entry in entries] == [1, 2, 3]
    assert entries[0].previous_hash == GENESIS_HASH
    assert entries[1].previous_hash == entries[0].hash
    assert entries[2].previous_hash == entries[1].hash
    assert all(entry.hash == entry.compute_hash(audit_key().entries) for entry in entries)
    assert {entry.key_id for entry in entries} == {audit_key().key_id}
    assert entries[0].actor_username == "editor"
    assert entries[0].target_type == "agencies.agency"
    assert entries[0].target_label == str(agency)


def test_entries_cannot_be_changed_or_deleted_through_the_model(editor: User,
                                                                 agency: Agency) -> None:
    entry = make_entries(1, actor=editor, target=agency)[0]
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
    make_entries(3, actor=editor, target=agency)
    call_command("audit", "verify")
    assert "3 entries, chain intact" in capsys.readouterr().out


def test_verify_accepts_an_empty_chain(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("audit", "verify")
    assert "0 entries, chain intact" in capsys.readouterr().out


def test_deleting_an_account_keeps_its_entries_verifiable(agency: Agency) -> None:
    person = factories.make_user(role="editor", agency=agency, username="leaving")
    record(actor=person, action="test.write", target=agency)
    person.delete()
    entry = AuditEntry.objects.get()
    assert entry.actor is None
    assert entry.actor_username == "leaving"
    assert verify_chain().intact
