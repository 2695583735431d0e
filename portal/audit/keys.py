"""The audit key: what makes the audit trail's MACs unforgeable without it.

The key comes from `AUDIT_KEY` (or `AUDIT_KEY_FILE`), or is generated once into
`VAR_DIR/audit_key` (`portal.lib.secret`) — never from the database, so that whoever can write
the database but cannot read the key cannot seal a forged or recomputed chain. Two keys are
derived from it, one for entries and one for checkpoint lines, so that a MAC of one kind can
never pass for the other; its id (a MAC of a fixed label, which reveals nothing of the key)
names it in entries and checkpoint lines, so that a wrong key is told apart from tampering.

The parsers of the audit settings live here too: `portal.config` reads them before Django's
apps are loaded, so this module imports no models.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings

MIN_KEY_LENGTH = 32
KEY_ID_LENGTH = 16


@dataclass(frozen=True)
class AuditKey:
    entries: bytes
    checkpoints: bytes
    key_id: str

    @classmethod
    def from_secret(cls, secret: str) -> AuditKey:
        return cls(entries=_derive(secret, b"portal audit entries"),
                   checkpoints=_derive(secret, b"portal audit checkpoints"),
                   key_id=_derive(secret, b"portal audit key id").hex()[:KEY_ID_LENGTH])


def _derive(secret: str, label: bytes) -> bytes:
    return hmac.new(secret.encode(), label, hashlib.sha256).digest()


def mac(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def audit_key() -> AuditKey:
    """The configured key (read from the settings on each call, so that tests can change it)."""
    return AuditKey.from_secret(settings.AUDIT_KEY)


def parse_audit_key(raw: str) -> str:
    value = raw.strip()
    if value and len(value) < MIN_KEY_LENGTH:
        raise ValueError(f"expected at least {MIN_KEY_LENGTH} characters (e.g. the output of "
                         "`openssl rand -hex 32`), or nothing to have one generated")
    return value


def parse_checkpoint_minutes(raw: str) -> int:
    try:
        minutes = int(raw.strip())
    except ValueError:
        raise ValueError("expected a whole number of minutes from 0 to 60") from None
    if not 0 <= minutes <= 60:
        raise ValueError("expected a whole number of minutes from 0 to 60")
    return minutes
