"""The personal-data guard's records: what it looks for (categories and column roles, data with
a legal citation, kept in the admin) and what it found (scans and their findings).

A finding has a state: open until an agency admin acknowledges it with a reason (audited), or
it is resolved by masking (a newer version no longer holds the data: the agency removed or
masked the column), or superseded when a newer scan of the resource finds it again (the new
finding is the one to decide on). The release of a new version (issue 11, item 1) is to ask for the
open findings of its scan (selectors.blocking_findings).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.catalog.models import Resource
from portal.datastore.models import TableVersion
from portal.privacy.rules import RulesError, parse_category, parse_role


class Kind(models.TextChoices):
    BASIC = "basic", _("basic personal data")
    SENSITIVE = "sensitive", _("sensitive personal data")
    RISK = "risk", _("re-identification risk")


class Named(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_vi = models.CharField(_("Vietnamese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    rules = models.JSONField(_("rules"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(pgettext_lazy("order", "position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the language of the current request."""
        return self.name_en if translation.get_language() == "en" else self.name_vi


class Category(Named):
    """A category of personal data the guard looks for, with the law that makes it one."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    citation = models.TextField(_("legal basis"))
    enabled = models.BooleanField(_("looked for"), default=True)

    class Meta(Named.Meta):
        verbose_name = _("personal data category")
        verbose_name_plural = _("personal data categories")

    def clean(self) -> None:
        try:
            parse_category(self.code, self.kind, self.rules)
        except RulesError as error:
            raise ValidationError({"rules": str(error)}) from None


class ColumnRole(Named):
    """A kind of column that makes other findings: a person's name, a birth date, a commune."""

    class Meta(Named.Meta):
        verbose_name = _("column role")
        verbose_name_plural = _("column roles")

    def clean(self) -> None:
        try:
            parse_role(self.code, self.rules)
        except RulesError as error:
            raise ValidationError({"rules": str(error)}) from None


class Scan(models.Model):
    """One reading of a resource's content by the guard: a version of its table, or its text.

    The newest scan of a resource is its current one; the findings of the others are history.
    """

    class Source(models.TextChoices):
        TABLE = "table", _("table")
        TEXT = "text", _("text")

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE,
                                 related_name="privacy_scans")
    version = models.ForeignKey(TableVersion, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="privacy_scans")
    source = models.CharField(max_length=10, choices=Source.choices)
    source_sha256 = models.CharField(max_length=64, blank=True)
    values_sampled = models.PositiveIntegerField(default=0)
    # Not everything was read: a sample of a large table, the beginning of a long text.
    partial = models.BooleanField(default=False)
    # Why the content could not be screened (a kept message, lib.errors.render_kept); empty
    # when it was. A failed scan is current too: the content it was to screen is unscreened.
    error = models.JSONField(default=dict, blank=True)
    current = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["resource", "current"])]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.source} {self.created:%Y-%m-%d %H:%M}"


class FindingState(models.TextChoices):
    OPEN = "open", pgettext_lazy("finding", "open")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    # The newer content no longer holds it: the agency removed or masked the data.
    MASKED = "masked", _("resolved by masking")
    SUPERSEDED = "superseded", _("replaced by a newer reading")


class Finding(models.Model):
    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="findings")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE,
                                 related_name="privacy_findings")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="findings")
    sheet = models.CharField(max_length=200, blank=True)
    column = models.CharField(max_length=500, blank=True)
    evidence = models.CharField(max_length=20)  # detect.VALUES, COLUMN_NAME, TEXT...
    matches = models.PositiveIntegerField(default=0)
    sampled = models.PositiveIntegerField(default=0)
    examples = models.JSONField(default=list, blank=True)  # masked
    detail = models.JSONField(default=dict, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=FindingState.choices,
                             default=FindingState.OPEN, db_index=True)
    reason = models.TextField(_("reason"), blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category__position", "sheet", "column", "pk"]

    def __str__(self) -> str:
        return f"{self.category_id} {self.column or '-'} ({self.state})"

    @property
    def share(self) -> float:
        return min(self.matches / self.sampled, 1.0) if self.sampled else 0.0

    @property
    def columns(self) -> list[Any]:
        """The columns it is about: its own, or those of a combination."""
        return list(self.detail.get("columns") or ([self.column] if self.column else []))
