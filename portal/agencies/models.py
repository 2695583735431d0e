"""Sectors (lĩnh vực) and agencies (cơ quan, đơn vị): data, not code, because they change."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


class Sector(models.Model):
    """A theme datasets are grouped by; the default list is the national data portal's."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_vi = models.CharField(_("Vietnamese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    icon = models.CharField(_("icon"), max_length=50, blank=True,
                            help_text=_("Name of an icon from the portal's icon set."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the language of the current request."""
        return self.name_en if translation.get_language() == "en" else self.name_vi


class AgencyKind(models.TextChoices):
    DEPARTMENT = "department", _("Provincial department")
    COMMUNE = "commune", _("Commune/ward People's Committee")
    OTHER = "other", _("Other state body")


class AgencyQuerySet(models.QuerySet["Agency"]):
    def active(self, on: datetime.date | None = None) -> AgencyQuerySet:
        day = on or timezone.localdate()
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
        )


class Agency(models.Model):
    """A state body that publishes data (CKAN's organization).

    Agencies merge and rename: one that has ceased gets `valid_to` and keeps its datasets and
    history; `replaced_by` points to its successor.
    """

    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices,
                            default=AgencyKind.DEPARTMENT)
    parent = models.ForeignKey("self", verbose_name=_("parent agency"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    replaced_by = models.ForeignKey("self", verbose_name=_("replaced by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="replaces")
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors it may publish in"),
                                     blank=True, related_name="agencies")
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    website = models.URLField(_("website"), blank=True)
    focal_name = models.CharField(_("focal point's name"), max_length=200, blank=True)
    focal_position = models.CharField(_("focal point's position"), max_length=200, blank=True)
    focal_phone = models.CharField(_("focal point's phone"), max_length=50, blank=True)
    focal_email = models.EmailField(_("focal point's e-mail"), blank=True)
    # The focal point's account (article 7.1), who receives the deadline reminders; the text
    # fields above stay for display and for agencies whose focal point has no account.
    focal_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("focal point's account"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="focal_point_of",
        help_text=_("The account that receives the agency's deadline reminders."))
    is_supervisor = models.BooleanField(
        _("supervising department"), default=False,
        help_text=_("The department that keeps the catalogue and supervises agencies."))
    require_two_factor = models.BooleanField(
        _("two-factor authentication required"), default=False,
        help_text=_("Every account of the agency must log in with a one-time code."))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True,
                                help_text=_("Set when the agency ceases, merges or is renamed."))
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_to is None or self.valid_to >= today
        )
