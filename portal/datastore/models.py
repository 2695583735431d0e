"""The queryable side of a tabular resource: its state and its immutable Parquet versions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.catalog.models import Resource


class State(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("processing")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")
    NEEDS_ENCODING = "needs_encoding", _("needs the agency to choose the encoding")
    UNSUPPORTED = "unsupported", _("not a table")


class DataTable(models.Model):
    """One per tabular resource: where its ingestion stands and which version is current.

    A failed run leaves `current` on the last good version, so the data stays queryable.
    """

    resource = models.OneToOneField(Resource, on_delete=models.CASCADE, related_name="datatable")
    state = models.CharField(_("state"), max_length=20, choices=State.choices,
                             default=State.PENDING)
    progress = models.FloatField(_("progress"), default=0.0)
    # A sentence the agency can act on (in the language of whoever reads it: stored as a
    # message id and parameters, rendered on read).
    message = models.JSONField(_("message"), default=dict, blank=True)
    current = models.ForeignKey("TableVersion", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    # What the agency chose: the source encoding when detection was unsure, the delimiter of a
    # text file, per table (sheet name, "" for a file with one table) the header row and
    # whether to keep the footer rows ({"": {"header_row": 4, "keep_footer": true}}), the data
    # dictionary (titles, descriptions, types, units per column). Empty: found by the portal.
    encoding = models.CharField(_("chosen encoding"), max_length=20, blank=True)
    encoding_candidates = models.JSONField(default=list, blank=True)
    delimiter = models.CharField(_("chosen delimiter"), max_length=1, blank=True)
    layout = models.JSONField(_("chosen header and footer rows"), default=dict, blank=True)
    dictionary = models.JSONField(_("data dictionary"), default=dict, blank=True)
    requested = models.DateTimeField(null=True, blank=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    # The run's state machine (runstate.py). Every request bumps `request_stamp`; a run works
    # for one stamp and may change the table only while that stamp is still the latest and
    # `attempts` (the starts of this request) still counts it as the latest start.
    request_stamp = models.PositiveBigIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Signs of life of the running run: when it last beat, and which process runs it
    # ("host:pid:boot"), so a worker on the same machine can tell that process is gone.
    heartbeat = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("data table")
        verbose_name_plural = _("data tables")

    def __str__(self) -> str:
        return f"{self.resource_id} ({self.state})"


class TableVersion(models.Model):
    """One successful ingestion: the Parquet files (one per sheet) and their Table Schema.

    Never changed after creation; earlier versions stay downloadable.
    """

    table = models.ForeignKey(DataTable, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    source_sha256 = models.CharField(max_length=64, blank=True)
    encoding = models.CharField(max_length=20, blank=True)
    # [{"name": sheet name or "", "file": storage name, "rows": n, "size": bytes,
    #   "schema": Table Schema {"fields": [...]}}]; the first sheet is the resource's table.
    sheets = models.JSONField(default=list)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["table", "number"],
                                               name="one_number_per_table_version")]

    def __str__(self) -> str:
        return f"{self.table.resource_id} v{self.number}"

    @property
    def rows(self) -> int:
        return int(self.sheets[0]["rows"]) if self.sheets else 0
