"""The guard's job bodies: read a sample of a new table version (or the beginning of a text)
through the data store, run the detector, keep what it found.

This module loads DuckDB (through the data store's selectors), so only the jobs import it,
when they run (tasks.py).
"""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.utils.translation import gettext_noop

from portal.audit.context import acting_as
from portal.audit.models import Door
from portal.catalog.models import Resource
from portal.datastore import selectors as datastore
from portal.datastore.models import TableVersion
from portal.datastore.query import Table, table_of
from portal.lib.errors import ApplicationError
from portal.privacy import detect, selectors, services
from portal.privacy.models import Scan
from portal.privacy.rules import Rules

logger = logging.getLogger(__name__)

MAX_SHEETS = 50  # sheets of one workbook screened; more is reported as a partial scan


def scan_version(version_id: int) -> Scan | None:
    """Screen a table version; None when it is gone (its resource was deleted)."""
    version = TableVersion.objects.select_related("table__resource").filter(
        pk=version_id).first()
    if version is None:
        return None
    result = services.ScanResult(Scan.Source.TABLE, source_sha256=version.source_sha256,
                                 partial=len(version.sheets) > MAX_SHEETS)
    rules = selectors.rules()
    try:
        for index, sheet in enumerate(version.sheets[:MAX_SHEETS]):
            _scan_sheet(table_of(sheet, index), rules, result)
    except ApplicationError as error:
        logger.warning("screening version %s of resource %s failed: %s", version.number,
                       version.table.resource_id, error.message)
        result = _failed(Scan.Source.TABLE, version.source_sha256)
    with acting_as(door=Door.JOB):
        return services.scan_record(resource=version.table.resource, result=result,
                                    version=version)


def _scan_sheet(table: Table, rules: Rules, result: services.ScanResult) -> None:
    samples = datastore.column_samples(table, settings.PRIVACY_SAMPLE_ROWS)
    columns = [detect.Column(name, values) for name, values in samples.items()]
    found = detect.scan_table(columns, rules, group_sizes=partial(_group_sizes, table),
                              min_group_size=settings.PRIVACY_MIN_GROUP_SIZE)
    result.findings.extend((table.sheet_param, finding) for finding in found)
    result.values_sampled += sum(len(values) for values in samples.values())
    result.partial = result.partial or table.rows > settings.PRIVACY_SAMPLE_ROWS


def _group_sizes(table: Table, columns: list[str], k: int) -> detect.GroupSizes:
    counts = datastore.group_sizes(table, columns, k)
    return detect.GroupSizes(rows=counts.rows, groups=counts.groups,
                             small_groups=counts.small_groups,
                             rows_in_small_groups=counts.rows_in_small_groups,
                             smallest=counts.smallest)


def scan_text(resource_id: str) -> Scan | None:
    """Screen the beginning of a text file; None when there is no text to read."""
    resource = Resource.objects.filter(pk=resource_id).first()
    if resource is None:
        return None
    head = datastore.text_head(resource, settings.PRIVACY_TEXT_SCAN_BYTES)
    if head is None:
        return None
    found = detect.scan_text(head.text, selectors.rules())
    result = services.ScanResult(Scan.Source.TEXT, [("", finding) for finding in found],
                                 values_sampled=len(head.text.splitlines()),
                                 partial=head.partial, source_sha256=resource.sha256)
    with acting_as(door=Door.JOB):
        return services.scan_record(resource=resource, result=result)


def _failed(source: str, sha256: str) -> services.ScanResult:
    return services.ScanResult(source, source_sha256=sha256, error={"id": gettext_noop(
        "The portal could not read this table to look for personal data (it is too large to "
        "read in time, or damaged). Check it yourself before publishing; the operating unit "
        "has been told.")})
