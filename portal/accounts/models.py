"""Staff accounts. The public reads without an account; only staff have one."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSADMIN = "sysadmin", _("System administrator (operating unit)")
    SUPERVISOR = "supervisor", _("Supervisor (supervising department)")
    ADMIN = "admin", _("Agency administrator")
    EDITOR = "editor", _("Editor")
    MEMBER = "member", _("Member")


AGENCY_ROLES = {Role.ADMIN, Role.EDITOR, Role.MEMBER}


class User(AbstractUser):
    """A staff account, issued by the operating unit, with one role scoped to one agency."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("agency"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="members")
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="agency_roles_have_an_agency",
                condition=~models.Q(role__in=["admin", "editor", "member"])
                | models.Q(agency__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """Vietnamese order: family name (`last_name`) first, as in "Phạm Đức Quân"."""
        return f"{self.last_name} {self.first_name}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The admin flags follow the role, never set apart: sysadmins use all of Django's admin,
        # supervisors the catalogue's reference lists (accounts/admin_access.py).
        self.is_superuser = self.role == Role.SYSADMIN
        self.is_staff = self.role in (Role.SYSADMIN, Role.SUPERVISOR)
        super().save(*args, **kwargs)


class RevokeReason(models.TextChoices):
    REQUESTED = "requested", _("revoked by its owner or an administrator")
    ACCOUNT_DEACTIVATED = "account_deactivated", _("its account was deactivated")


class ApiToken(models.Model):
    """A named key for programs acting as a user. Only a hash of the secret is kept.

    The plaintext, `odp_<prefix>_<secret>`, is shown once at creation; `prefix` finds the row,
    `secret_hash` (SHA-256: the secret is random, so a slow hash adds nothing) proves it.
    """

    owner = models.ForeignKey(User, verbose_name=_("owner"), on_delete=models.CASCADE,
                              related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    read_only = models.BooleanField(_("read only"), default=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("why revoked"), max_length=30, blank=True,
                                      choices=RevokeReason.choices)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["owner_id", "created", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], condition=models.Q(revoked=None),
                                    name="one_live_token_per_name"),
        ]

    def __str__(self) -> str:
        return f"{self.owner.username}: {self.name} ({self.prefix})"
