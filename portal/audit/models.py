"""The audit trail: an append-only log where each entry carries the hash of the one before it.

An entry's hash is a MAC over a canonical JSON of its content and the previous entry's hash,
so changing, deleting or inserting an entry breaks the chain (`portal audit verify`). The MAC
is HMAC-SHA256 with the audit key (`portal.audit.keys`), which is not in the database: without
the key nobody can recompute the chain after a change. Entries written before keyed MACs keep
their bare SHA-256 (`Scheme.SHA256`); they stay verifiable, and the first keyed entry's MAC,
which covers its `previous_hash`, seals every one of them as they were when it was written.
The user foreign key is left out of the hash: deleting an account sets it to null, while the
username snapshot, which is hashed, keeps who it was.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class Door(models.TextChoices):
    PAGE = "page", _("Web page")
    API = "api", _("Native API")
    CKAN = "ckan", _("CKAN API")
    ADMIN = "admin", _("Administration site")
    COMMAND = "command", _("Command line")
    JOB = "job", _("Background job")


class ActorKind(models.TextChoices):
    PERSON = "person", _("Person")
    TOKEN = "token", _("API token")
    JOB = "job", _("Job")


class Scheme(models.TextChoices):
    SHA256 = "sha256", _("SHA-256 without a key (entries written before keyed MACs)")
    HMAC_SHA256 = "hmac-sha256", _("HMAC-SHA256 with the audit key")


class AppendOnlyError(Exception):
    """An existing audit entry may be neither changed nor deleted."""


class AuditEntry(models.Model):
    sequence = models.PositiveBigIntegerField(_("sequence number"), unique=True)
    created = models.DateTimeField(_("time"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+",
                              db_constraint=False)
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    actor_kind = models.CharField(_("kind of actor"), max_length=10, choices=ActorKind.choices)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    door = models.CharField(_("door"), max_length=10, choices=Door.choices)
    action = models.CharField(_("action"), max_length=100)
    target_type = models.CharField(_("target type"), max_length=100, blank=True)
    target_id = models.CharField(_("target id"), max_length=100, blank=True)
    target_label = models.CharField(_("target"), max_length=300, blank=True)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    scheme = models.CharField(_("hash scheme"), max_length=12, choices=Scheme.choices)
    key_id = models.CharField(_("key id"), max_length=16, blank=True)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-sequence"]
        indexes = [models.Index(fields=["created"]), models.Index(fields=["action"]),
                   models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries cannot be deleted")

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for each field named in either, for display."""
        names = sorted({*self.before, *self.after})
        return [(name, self.before.get(name), self.after.get(name)) for name in names]

    def content(self) -> dict[str, Any]:
        """What the hash covers (all but the hash itself and the user foreign key).

        A keyed entry's content names its scheme and key, so that neither can be swapped; an
        unkeyed one's is exactly what it was when it was hashed.
        """
        content = {
            "sequence": self.sequence, "created": self.created.isoformat(),
            "actor_username": self.actor_username, "actor_kind": self.actor_kind,
            "address": self.address or "", "door": self.door, "action": self.action,
            "target_type": self.target_type, "target_id": self.target_id,
            "target_label": self.target_label, "before": self.before, "after": self.after,
            "previous_hash": self.previous_hash,
        }
        if self.scheme != Scheme.SHA256:
            content |= {"scheme": self.scheme, "key_id": self.key_id}
        return content

    def compute_hash(self, key: bytes) -> str:
        """The hash under this entry's scheme; `key` (the entries' key) is used if it has one."""
        message = canonical_json(self.content()).encode()
        if self.scheme == Scheme.SHA256:
            return hashlib.sha256(message).hexdigest()
        return hmac.new(key, message, hashlib.sha256).hexdigest()


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
