"""The catalogue: datasets and their resources, aligned with DCAT plus what the regulation adds."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.agencies.models import Agency, Sector


class Licence(models.Model):
    """Terms under which data may be reused (article 7.2). A configurable list."""

    code = models.SlugField(_("code"), max_length=100, unique=True)
    title_vi = models.CharField(_("Vietnamese title"), max_length=255)
    title_en = models.CharField(_("English title"), max_length=255)
    url = models.URLField(_("URL"), blank=True)
    description = models.TextField(_("description"), blank=True)
    citation = models.CharField(_("legal basis"), max_length=500, blank=True)
    is_open = models.BooleanField(_("open licence"), default=True)
    is_default = models.BooleanField(_("default for new datasets"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.title_en if translation.get_language() == "en" else self.title_vi


class Keyword(models.Model):
    """A free keyword (CKAN's tag)."""

    name = models.CharField(_("keyword"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("keyword")
        verbose_name_plural = _("keywords")

    def __str__(self) -> str:
        return self.name


class AccessLevel(models.TextChoices):
    PUBLIC = "public", _("Public")
    AGENCIES = "agencies", _("State agencies only")
    AGENCY = "agency", _("Publishing agency only")


class Frequency(models.TextChoices):
    """Update frequency; the values are the CKAN API's (ckanext-scheming style)."""

    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMIANNUAL = "semiannual", _("Half-yearly")
    ANNUAL = "annual", _("Yearly")
    IRREGULAR = "irregular", _("Irregular")
    NEVER = "never", _("Not updated")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Dataset(models.Model):
    """A dataset (DCAT Dataset, CKAN package) published by one agency."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(_("URL name"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True,
                                   help_text=_("Markdown is allowed."))
    keywords = models.ManyToManyField(Keyword, verbose_name=_("keywords"), blank=True,
                                      related_name="datasets")
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True,
                                     related_name="datasets")
    agency = models.ForeignKey(Agency, verbose_name=_("publishing agency"),
                               on_delete=models.PROTECT, related_name="datasets")
    contact_name = models.CharField(_("contact point"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    licence = models.ForeignKey(Licence, verbose_name=_("licence"), on_delete=models.PROTECT,
                                related_name="datasets")
    access_level = models.CharField(_("access level"), max_length=20,
                                    choices=AccessLevel.choices, default=AccessLevel.PUBLIC)
    frequency = models.CharField(_("update frequency"), max_length=20,
                                 choices=Frequency.choices, default=Frequency.IRREGULAR)
    temporal_start = models.DateField(_("temporal coverage from"), null=True, blank=True)
    temporal_end = models.DateField(_("temporal coverage until"), null=True, blank=True)
    spatial_codes = models.JSONField(
        _("spatial coverage"), default=list, blank=True,
        help_text=_("Administrative unit codes: the province's, or chosen communes and wards."))
    source_system = models.CharField(
        _("authoritative source system"), max_length=300, blank=True,
        help_text=_("The ministry or agency database this data comes from (article 4.3)."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.DRAFT)
    # Folded (no diacritics, lower case) title, description and keywords for simple search.
    search_text = models.TextField(editable=False, blank=True, default="")
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
    # Incremented on every change: two people editing at once do not overwrite each other.
    version = models.PositiveIntegerField(default=1, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("last modified"), auto_now=True)
    published = models.DateTimeField(_("first published"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-modified"]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        indexes = [
            models.Index(fields=["status", "access_level"]),
            models.Index(fields=["-modified"]),
            models.Index(fields=["-view_count"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="temporal_start_before_end",
                condition=models.Q(temporal_start__isnull=True)
                | models.Q(temporal_end__isnull=True)
                | models.Q(temporal_start__lte=models.F("temporal_end")),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED and self.access_level == AccessLevel.PUBLIC


class ResourceKind(models.TextChoices):
    FILE = "file", _("Uploaded file")
    LINK = "link", _("External link")
    API = "api", _("API endpoint")


class Resource(models.Model):
    """A distribution of a dataset: an uploaded file, a link or an API endpoint."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("kind"), max_length=10, choices=ResourceKind.choices,
                            default=ResourceKind.FILE)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(_("file"), max_length=500, blank=True)
    url = models.URLField(_("URL"), max_length=2000, blank=True)
    format = models.CharField(_("format"), max_length=50, blank=True)
    media_type = models.CharField(_("media type"), max_length=200, blank=True)
    size = models.BigIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    encoding = models.CharField(_("character encoding"), max_length=50, blank=True)
    period = models.CharField(_("reporting period"), max_length=10, blank=True,
                              help_text=_("For example 2026-03, 2026-Q1, 2026-H1 or 2026."))
    # Every period the data covers, `period` included (a late upload may cover several missed
    # months), as period texts in order (portal/lib/periods.py).
    periods = models.JSONField(_("reporting periods covered"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("last modified"), auto_now=True)
    # When the data was delivered: set when the file or link changes or the resource comes to
    # cover a new period; unlike `modified`, an edit of its name or description leaves it.
    delivered = models.DateTimeField(_("data delivered"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["position", "created"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self) -> str:
        return self.name

    @property
    def file_name(self) -> str:
        return (self.file.name or "").rsplit("/", 1)[-1]


class DatasetChange(models.Model):
    """One entry of a dataset's history: who changed what, when. Shown on the dataset page."""

    class Action(models.TextChoices):
        CREATED = "created", pgettext_lazy("dataset change", "created")
        UPDATED = "updated", pgettext_lazy("dataset change", "updated")
        PUBLISHED = "published", pgettext_lazy("dataset change", "published")
        WITHDRAWN = "withdrawn", pgettext_lazy("dataset change", "withdrawn")
        RESOURCE_ADDED = "resource_added", pgettext_lazy("dataset change", "resource added")
        RESOURCE_UPDATED = "resource_updated", pgettext_lazy("dataset change", "resource updated")
        RESOURCE_DELETED = "resource_deleted", pgettext_lazy("dataset change", "resource deleted")

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=30, choices=Action.choices)
    fields = models.JSONField(default=list, blank=True)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("dataset change")
        verbose_name_plural = _("dataset changes")

    def __str__(self) -> str:
        return f"{self.dataset_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
