"""Two writers at once still make one unbroken chain."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from portal.audit.models import AuditEntry
from portal.audit.selectors import verify_chain
from portal.audit.services import record

WRITERS, ENTRIES_EACH = 4, 15


def _write(errors: list[BaseException]) -> None:
    try:
        for _number in range(ENTRIES_EACH):
            with transaction.atomic():
                record(actor=None, action="test.concurrent")
    except BaseException as error:
        errors.append(error)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_make_one_unbroken_chain() -> None:
    if connection.vendor == "sqlite":
        pytest.skip("the SQLite test database lives in memory, one connection; SQLite "
                    "serialises writers anyway (transactions begin IMMEDIATE)")
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_write, args=(errors,)) for _index in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEntry.objects.count() == WRITERS * ENTRIES_EACH
    report = verify_chain()
    assert report.intact, report.problem
    assert report.count == WRITERS * ENTRIES_EACH
