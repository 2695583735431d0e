"""`portal audit verify` and `checkpoint` as an operator runs them: exit status 0 when intact,
1 when tampered, on a portal of its own (its own VAR_DIR, SQLite file and generated key)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

WRITE_ENTRIES = (
    "from portal.audit.services import record\n"
    "for n in range(3): record(actor=None, action='test.write', after={'n': n})\n"
)

Shell = Callable[..., subprocess.CompletedProcess[str]]


def portal_in(var_dir: Path) -> Shell:
    """`portal ...` with its own VAR_DIR and SQLite file; AUDIT_KEY is left to be made."""
    portal = Path(sys.executable).parent / "portal"
    env = {name: value for name, value in os.environ.items() if not name.startswith("AUDIT_")}
    env |= {"VAR_DIR": str(var_dir), "SECRET_KEY": "x" * 50,
            "DATABASE_URL": f"sqlite:///{var_dir / 'portal.sqlite3'}"}

    def run(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(portal), *args], env=env | extra, capture_output=True,
                              text=True, timeout=300, check=False)

    return run


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database, made once: migrating takes most of a command's time."""
    folder = tmp_path_factory.mktemp("migrated")
    assert portal_in(folder)("migrate", "--no-input", "-v", "0").returncode == 0
    return folder / "portal.sqlite3"


@pytest.fixture
def shell(migrated: Path, tmp_path: Path) -> Shell:
    """A portal with three entries."""
    shutil.copyfile(migrated, tmp_path / "portal.sqlite3")
    run = portal_in(tmp_path)
    assert run("shell", "-c", WRITE_ENTRIES).returncode == 0
    return run


def sql(tmp_path: Path, statement: str) -> None:
    with sqlite3.connect(tmp_path / "portal.sqlite3") as connection:
        connection.execute(statement)


@pytest.mark.django_db
def test_verify_exit_status_from_the_shell(shell: Shell, tmp_path: Path) -> None:
    intact = shell("audit", "verify")
    assert intact.returncode == 0, intact.stderr
    # The portal's language (Vietnamese) speaks here: check the numbers, not the words.
    assert intact.stdout.startswith("3 ")
    assert (tmp_path / "audit_key").stat().st_mode & 0o077 == 0  # generated, private
    wrong_key = shell("audit", "verify", AUDIT_KEY="w" * 40)
    assert wrong_key.returncode == 1
    assert "AUDIT_KEY" in wrong_key.stderr  # named as such, not as tampering
    sql(tmp_path, "UPDATE audit_auditentry SET after = '{\"n\": 7}' WHERE sequence = 2")
    broken = shell("audit", "verify")
    assert broken.returncode == 1
    assert " 2: " in broken.stderr  # the first broken entry
    assert "Traceback" not in broken.stderr


@pytest.mark.django_db
def test_a_deleted_tail_fails_verify_from_the_shell(shell: Shell, tmp_path: Path) -> None:
    written = shell("audit", "checkpoint")
    assert written.returncode == 0, written.stderr
    line = json.loads(written.stdout)
    assert line["sequence"] == 3
    assert (tmp_path / "audit" / "checkpoints.log").read_text() == written.stdout
    assert shell("audit", "verify").returncode == 0
    sql(tmp_path, "DELETE FROM audit_auditentry WHERE sequence >= 3")
    broken = shell("audit", "verify")
    assert broken.returncode == 1
    assert " 3" in broken.stderr  # the entry checkpoint 1 recorded
    assert " 2" in broken.stderr  # where the database now ends
    assert "Traceback" not in broken.stderr
