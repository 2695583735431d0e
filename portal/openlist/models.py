"""The province's lists of required data (articles 3.3, 6.2, 11.1, 11.2, 12.1).

*Danh mục dữ liệu mở* (the open data list) and *Danh mục cơ sở dữ liệu dùng chung* (the
shared-database list) have the same structure: versions issued by a decision of the People's
Committee, each holding items. Datasets fulfil items by the item's `code`, which stays the same
across versions, so a link survives a new decision. Agencies propose amendments; the supervising
department accepts them into the next draft. Plans (article 11.2) set each agency's targets per
phase.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.agencies.models import Agency, Sector
from portal.catalog.models import AccessLevel, Dataset, Frequency


class ListKind(models.TextChoices):
    OPEN_DATA = "open_data", _("Open data list")
    SHARED_DATABASES = "shared_databases", _("Shared-database list")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("In force")
    SUPERSEDED = "superseded", _("Superseded")


class Coverage(models.TextChoices):
    """Where an item stands: fulfilled by a published dataset, past its date, or not yet."""

    PUBLISHED = "published", _("Published")
    OVERDUE = "overdue", _("Overdue")
    NOT_YET = "not_yet", _("Not yet published")


def decision_file_path(version: ListVersion, filename: str) -> str:
    """The client's file name never becomes a path: the kind and number name the file."""
    return f"openlist/decisions/{version.kind}-{version.number}.pdf"


class ListVersion(models.Model):
    """One version of a list: a draft being prepared, the one in force, or an earlier one."""

    kind = models.CharField(_("list"), max_length=20, choices=ListKind.choices)
    number = models.PositiveIntegerField(_("version number"))
    status = models.CharField(_("status"), max_length=20, choices=VersionStatus.choices,
                              default=VersionStatus.DRAFT)
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True,
                                       help_text=_("For example 1049/QĐ-UBND."))
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    signer = models.CharField(_("signed by"), max_length=200, blank=True)
    decision_file = models.FileField(_("decision (PDF)"), upload_to=decision_file_path,
                                     max_length=300, blank=True)
    issued_at = models.DateTimeField(_("issued on the portal"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("last modified"), auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["kind", "-number"]
        verbose_name = _("list version")
        verbose_name_plural = _("list versions")
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="openlist_version_number"),
            models.UniqueConstraint(fields=["kind"], condition=models.Q(status="draft"),
                                    name="openlist_one_draft_per_kind"),
            models.UniqueConstraint(fields=["kind"], condition=models.Q(status="issued"),
                                    name="openlist_one_issued_per_kind"),
        ]

    def __str__(self) -> str:
        label = f"{self.get_kind_display()} v{self.number}"
        return f"{label} ({self.decision_number})" if self.decision_number else label

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT


class ListItem(models.Model):
    """One required dataset (or shared database) of a list version."""

    version = models.ForeignKey(ListVersion, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=30,
                            help_text=_("Stays the same in every version, e.g. DM-001."))
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    agency = models.ForeignKey(Agency, verbose_name=_("responsible agency"),
                               on_delete=models.PROTECT, related_name="list_items")
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), on_delete=models.PROTECT,
                               related_name="list_items")
    frequency = models.CharField(_("update frequency"), max_length=20,
                                 choices=Frequency.choices, default=Frequency.ANNUAL)
    expected_format = models.CharField(_("expected format"), max_length=100, blank=True)
    access_level = models.CharField(_("access level"), max_length=20,
                                    choices=AccessLevel.choices, default=AccessLevel.PUBLIC)
    publish_by = models.DateField(_("publish by"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["version", "position", "code"]
        verbose_name = _("list item")
        verbose_name_plural = _("list items")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="openlist_item_code"),
        ]
        indexes = [models.Index(fields=["code"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ItemDataset(models.Model):
    """A dataset fulfils the items of a list that carry `code`, in every version."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="list_links")
    kind = models.CharField(_("list"), max_length=20, choices=ListKind.choices)
    code = models.CharField(_("item code"), max_length=30)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(_("linked"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "code", "created"]
        verbose_name = _("dataset fulfilling an item")
        verbose_name_plural = _("datasets fulfilling items")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "kind", "code"], name="openlist_link"),
        ]
        indexes = [models.Index(fields=["kind", "code"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.code} ← {self.dataset_id}"


class AmendmentAction(models.TextChoices):
    ADD = "add", _("Add an item")
    CHANGE = "change", _("Change an item")
    REMOVE = "remove", _("Remove an item")


class AmendmentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    ACCEPTED = "accepted", _("Accepted into the draft")
    REJECTED = "rejected", _("Rejected")


class Amendment(models.Model):
    """An agency's proposal to add, change or remove an item (article 6.2 ¶2), and the
    supervising department's answer."""

    kind = models.CharField(_("list"), max_length=20, choices=ListKind.choices)
    agency = models.ForeignKey(Agency, verbose_name=_("proposing agency"),
                               on_delete=models.PROTECT, related_name="list_amendments")
    action = models.CharField(_("proposal"), max_length=10, choices=AmendmentAction.choices)
    code = models.CharField(_("item code"), max_length=30, blank=True)
    name = models.CharField(_("name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    item_agency = models.ForeignKey(Agency, verbose_name=_("responsible agency"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    frequency = models.CharField(_("update frequency"), max_length=20, blank=True,
                                 choices=Frequency.choices)
    expected_format = models.CharField(_("expected format"), max_length=100, blank=True)
    access_level = models.CharField(_("access level"), max_length=20, blank=True,
                                    choices=AccessLevel.choices)
    publish_by = models.DateField(_("publish by"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=AmendmentStatus.choices,
                              default=AmendmentStatus.PENDING)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(_("proposed"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    version = models.ForeignKey(ListVersion, verbose_name=_("accepted into"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="amendments")

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.code or self.name}".strip()


class Plan(models.Model):
    """An agency's roadmap for one phase (article 11.2): minimum targets to reach by its end.

    Targets left empty are not set. Items are counted in the open data list in force: either
    the number `target_items` of the agency's items, or the listed `item_codes`.
    """

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="plans")
    name = models.CharField(_("phase"), max_length=200)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    target_items = models.PositiveIntegerField(_("list items to publish"), null=True,
                                               blank=True)
    item_codes = models.JSONField(_("list items to publish (codes)"), default=list, blank=True)
    target_datasets = models.PositiveIntegerField(_("open datasets to publish"), null=True,
                                                  blank=True)
    target_on_time_share = models.PositiveSmallIntegerField(
        _("minimum share of updates on time (%)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("last modified"), auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["agency", "start", "id"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.CheckConstraint(name="openlist_plan_start_before_end",
                                   condition=models.Q(start__lte=models.F("end"))),
            models.CheckConstraint(
                name="openlist_plan_share_is_a_percentage",
                condition=models.Q(target_on_time_share__isnull=True)
                | models.Q(target_on_time_share__lte=100)),
        ]

    def __str__(self) -> str:
        return f"{self.agency} — {self.name}"
