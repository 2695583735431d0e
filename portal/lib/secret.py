"""The secret key: from the environment, or generated once and kept under `VAR_DIR`."""

import os
import secrets
import tempfile
from pathlib import Path


def load_or_create_secret_key(var_dir: Path) -> str:
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=var_dir, prefix=".secret_key.")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(50))
        # link() is atomic and refuses to replace: when two processes start at once, both end
        # up reading the one key that won.
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return path.read_text(encoding="utf-8").strip()
