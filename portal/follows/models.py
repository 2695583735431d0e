"""Follows: anyone with an e-mail address follows a dataset, an agency or a sector, without an
account, and is told of new data and of answered public feedback.

A follow counts once its owner confirmed it from the e-mailed link (double opt-in); every
message carries a one-click unsubscribe link. Links carry signed tokens (tokens.py), never
stored; the address is kept only while the follow lasts, and only sysadmins read it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.agencies.models import Agency, Sector
from portal.catalog.models import Dataset


class FollowQuerySet(models.QuerySet["Follow"]):
    def confirmed(self) -> FollowQuerySet:
        return self.filter(confirmed__isnull=False)


class Follow(models.Model):
    email = models.EmailField(_("e-mail"))
    dataset = models.ForeignKey(Dataset, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="follows")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="follows")
    sector = models.ForeignKey(Sector, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="follows")
    created = models.DateTimeField(_("asked"), auto_now_add=True)
    confirmed = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # When the confirmation link was last e-mailed: at most once a day for one follow.
    link_sent = models.DateTimeField(null=True, blank=True)

    objects = FollowQuerySet.as_manager()

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.CheckConstraint(
                name="follow_has_one_target",
                condition=(Q(dataset__isnull=False, agency__isnull=True, sector__isnull=True)
                           | Q(dataset__isnull=True, agency__isnull=False, sector__isnull=True)
                           | Q(dataset__isnull=True, agency__isnull=True, sector__isnull=False))),
            models.UniqueConstraint(fields=["email", "dataset"], name="one_follow_per_dataset"),
            models.UniqueConstraint(fields=["email", "agency"], name="one_follow_per_agency"),
            models.UniqueConstraint(fields=["email", "sector"], name="one_follow_per_sector"),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.target}"

    @property
    def target(self) -> Dataset | Agency | Sector:
        found = self.dataset or self.agency or self.sector
        assert found is not None  # the check constraint
        return found
