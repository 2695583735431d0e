"""Writes of the personal-data guard: a scan's findings (by the job), and an agency admin's
acknowledgement of a finding (or its reopening), each in the audit trail."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.accounts.permissions import Action, can
from portal.audit import services as audit
from portal.catalog.models import Resource
from portal.datastore.models import TableVersion
from portal.lib.errors import ApplicationError, PermissionDenied
from portal.privacy import detect
from portal.privacy.models import Category, Finding, FindingState, Scan

if TYPE_CHECKING:
    from portal.accounts.permissions import Actor

MIN_REASON_LENGTH = 10
MAX_REASON_LENGTH = 2000


@dataclass
class ScanResult:
    """What one reading found: the detector's findings, each with its sheet ("" for the first
    sheet or a text), and how much was read."""

    source: str  # Scan.Source
    findings: list[tuple[str, detect.Finding]] = field(default_factory=list)
    values_sampled: int = 0
    partial: bool = False
    source_sha256: str = ""
    error: dict[str, Any] = field(default_factory=dict)  # a kept message: it was not read


def scan_record(*, resource: Resource, result: ScanResult,
                version: TableVersion | None = None) -> Scan:
    """Keep a scan and its findings. It becomes the resource's current scan unless a scan of a
    newer version came first (jobs may finish out of order); the open findings of the scan it
    replaces are superseded."""
    with transaction.atomic():
        Resource.objects.select_for_update().filter(pk=resource.pk).first()  # one at a time
        newest = _is_newest(resource, version)
        replaced: Counter[str] = Counter()
        if newest:
            replaced = _replace_open_findings(resource, result)
            Scan.objects.filter(resource=resource, current=True).update(current=False)
        scan = Scan.objects.create(
            resource=resource, version=version, source=result.source,
            source_sha256=result.source_sha256, values_sampled=result.values_sampled,
            partial=result.partial, error=result.error, current=newest)
        Finding.objects.bulk_create(_rows(scan, result))
        audit.record(actor=None, action="privacy.scan", target=resource, after={
            "version": version.number if version else None, "source": result.source,
            "current": newest, "failed": bool(result.error),
            "resolved": replaced[FindingState.MASKED],
            "superseded": replaced[FindingState.SUPERSEDED],
            "findings": dict(Counter(found.category for _sheet, found in result.findings))})
    return scan


def scans_retire(*, resource: Resource) -> None:
    """The resource's content became something the guard does not read (a PDF, an image, a
    link to an API): its findings no longer describe it. Its current scan stops being current
    and its open findings are superseded; the resource is then unscreened."""
    with transaction.atomic():
        superseded = Finding.objects.filter(
            resource=resource, scan__current=True, state=FindingState.OPEN,
        ).update(state=FindingState.SUPERSEDED)
        if Scan.objects.filter(resource=resource, current=True).update(current=False):
            audit.record(actor=None, action="privacy.retire", target=resource,
                         after={"superseded": superseded})


def _replace_open_findings(resource: Resource, result: ScanResult) -> Counter[str]:
    """The open findings of the scan being replaced: resolved when the new content no longer
    holds them (the agency removed or masked the column), superseded by the new finding
    otherwise, or when the new content could not be read."""
    still = {(sheet, found.category, found.column) for sheet, found in result.findings}
    states: Counter[str] = Counter()
    for finding in Finding.objects.filter(resource=resource, scan__current=True,
                                          state=FindingState.OPEN).select_related("category"):
        gone = not result.error and (finding.sheet, finding.category.code,
                                     finding.column) not in still
        finding.state = FindingState.MASKED if gone else FindingState.SUPERSEDED
        finding.save(update_fields=["state"])
        states[finding.state] += 1
    return states


def _is_newest(resource: Resource, version: TableVersion | None) -> bool:
    current = Scan.objects.filter(resource=resource, current=True).select_related(
        "version").first()
    if current is None or current.version is None or version is None:
        return True
    return version.number >= current.version.number


def _rows(scan: Scan, result: ScanResult) -> list[Finding]:
    categories = {category.code: category for category in Category.objects.all()}
    return [Finding(scan=scan, resource_id=scan.resource_id, category=categories[found.category],
                    sheet=sheet, column=found.column[:500], evidence=found.evidence,
                    matches=found.matches, sampled=found.sampled,
                    examples=list(found.examples), detail=dict(found.detail))
            for sheet, found in result.findings if found.category in categories]


def finding_acknowledge(*, user: Actor, finding: Finding, reason: str) -> Finding:
    """An agency admin acknowledges an open finding, saying why the data may be published as
    it is (a public official's work phone, data published by law...)."""
    reason = _reason(reason)
    with transaction.atomic():
        locked = _locked(user, finding)
        if locked.state != FindingState.OPEN or not locked.scan.current:
            raise ApplicationError(_("This finding is no longer open: it was acknowledged, or a "
                                     "newer reading of the file replaced it. Reload the page."))
        locked.state, locked.reason = FindingState.ACKNOWLEDGED, reason
        locked.resolved_by, locked.resolved_at = _person(user), timezone.now()
        locked.save(update_fields=["state", "reason", "resolved_by", "resolved_at"])
        audit.record(actor=user, action="privacy.acknowledge", target=locked.resource,
                     before={"state": FindingState.OPEN},
                     after={"state": locked.state, "reason": reason, **_described(locked)})
    return locked


def finding_reopen(*, user: Actor, finding: Finding) -> Finding:
    """Undo an acknowledgement: the finding is open again (and blocks release again)."""
    with transaction.atomic():
        locked = _locked(user, finding)
        if locked.state != FindingState.ACKNOWLEDGED or not locked.scan.current:
            raise ApplicationError(_("Only an acknowledged finding of the current reading can "
                                     "be reopened."))
        before = {"state": locked.state, "reason": locked.reason}
        locked.state, locked.reason = FindingState.OPEN, ""
        locked.resolved_by, locked.resolved_at = None, None
        locked.save(update_fields=["state", "reason", "resolved_by", "resolved_at"])
        audit.record(actor=user, action="privacy.reopen", target=locked.resource,
                     before=before, after={"state": locked.state, **_described(locked)})
    return locked


def _locked(user: Actor, finding: Finding) -> Finding:
    if not can(user, Action.RESOLVE_FINDING, finding.resource.dataset):
        raise PermissionDenied(_("Only an administrator of %(agency)s may acknowledge the "
                                 "personal-data findings of its datasets.")
                               % {"agency": finding.resource.dataset.agency.display_name})
    return Finding.objects.select_for_update().select_related(
        "scan", "category", "resource").get(pk=finding.pk)


def _reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON_LENGTH:
        message = _("Say why this data may be published as it is (at least %(count)s "
                    "characters).") % {"count": MIN_REASON_LENGTH}
        raise ApplicationError(message, {"reason": [message]})
    if len(reason) > MAX_REASON_LENGTH:
        message = _("The reason may have at most %(count)s characters.") % {
            "count": MAX_REASON_LENGTH}
        raise ApplicationError(message, {"reason": [message]})
    return reason


def _person(user: Actor) -> User | None:
    return user if isinstance(user, User) else None


def _described(finding: Finding) -> dict[str, object]:
    return {"finding": finding.pk, "category": finding.category.code,
            "sheet": finding.sheet, "columns": finding.columns}
