"""`portal audit verify` as an operator runs it: exit status 0 when intact, 1 when tampered."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

WRITE_ENTRIES = (
    "from portal.audit.services import record\n"
    "for n in range(3): record(actor=None, action='test.write', after={'n': n})\n"
)


@pytest.mark.django_db
def test_verify_exit_status_from_the_shell(tmp_path: Path) -> None:
    portal = Path(sys.executable).parent / "portal"
    database = tmp_path / "portal.sqlite3"
    env = os.environ | {"VAR_DIR": str(tmp_path), "SECRET_KEY": "x" * 50,
                        "DATABASE_URL": f"sqlite:///{database}"}

    def shell(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(portal), *args], env=env, capture_output=True, text=True,
                              timeout=300, check=False)

    assert shell("migrate", "--no-input", "-v", "0").returncode == 0
    assert shell("shell", "-c", WRITE_ENTRIES).returncode == 0
    intact = shell("audit", "verify")
    assert intact.returncode == 0, intact.stderr
    # The portal's language (Vietnamese) speaks here: check the numbers, not the words.
    assert intact.stdout.startswith("3 ")
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE audit_auditentry SET after = '{\"n\": 7}' WHERE sequence = 2")
    broken = shell("audit", "verify")
    assert broken.returncode == 1
    assert " 2: " in broken.stderr  # the first broken entry
    assert "Traceback" not in broken.stderr
