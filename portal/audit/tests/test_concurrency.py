"""Writers at once, and checkpoints taken meanwhile, still make one unbroken chain."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from portal.audit.models import AuditEntry
from portal.audit.selectors import verify_chain, verify_checkpoints
from portal.audit.services import checkpoint_create, record

WRITERS, ENTRIES_EACH, CHECKPOINTS = 4, 15, 5


def _write(errors: list[BaseException]) -> None:
    try:
        for _number in range(ENTRIES_EACH):
            with transaction.atomic():
                record(actor=None, action="test.concurrent")
    except BaseException as error:
        errors.append(error)
    finally:
        connection.close()


def _checkpoint(errors: list[BaseException]) -> None:
    try:
        for _number in range(CHECKPOINTS):
            checkpoint_create()
    except BaseException as error:
        errors.append(error)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_and_checkpoints_make_one_unbroken_chain() -> None:
    if connection.vendor == "sqlite":
        pytest.skip("the SQLite test database lives in memory, one connection; SQLite "
                    "serialises writers anyway (transactions begin IMMEDIATE)")
    errors: list[BaseException] = []
    record(actor=None, action="test.first")  # something to checkpoint from the start
    threads = [threading.Thread(target=_write, args=(errors,)) for _index in range(WRITERS)]
    threads.append(threading.Thread(target=_checkpoint, args=(errors,)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    written = AuditEntry.objects.filter(action="test.concurrent").count()
    assert written == WRITERS * ENTRIES_EACH
    report = verify_chain()
    assert report.intact, report.problem
    assert report.count == 1 + WRITERS * ENTRIES_EACH + CHECKPOINTS
    checkpoints = verify_checkpoints()
    assert checkpoints.intact, checkpoints.problems
    assert checkpoints.count == CHECKPOINTS
