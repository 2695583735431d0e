"""Keys kept in files: from the environment, or generated once and kept under `VAR_DIR`.

The secret key (sessions, tokens) and the audit key (the audit trail's MACs) are both made the
same way: on first run, written privately and atomically, then read by every process.
"""

import os
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path


def load_or_create_key_file(path: Path, make: Callable[[], str]) -> str:
    """The key in `path`; when there is none, a new one from `make`, readable only by us."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # mkstemp creates the file with mode 0600: the key is never readable by others.
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(make())
        # link() is atomic and refuses to replace: when two processes start at once, both end
        # up reading the one key that won.
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return path.read_text(encoding="utf-8").strip()


def load_or_create_secret_key(var_dir: Path) -> str:
    return load_or_create_key_file(var_dir / "secret_key", lambda: secrets.token_urlsafe(50))


def load_or_create_audit_key(var_dir: Path) -> str:
    """256 random bits, as hexadecimal (what `AUDIT_KEY` expects if given)."""
    return load_or_create_key_file(var_dir / "audit_key", lambda: secrets.token_hex(32))
