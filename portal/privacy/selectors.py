"""Reads of the personal-data guard: its rules as the admin keeps them, and findings as each
person may see them (permissions.findings_datasets_q, the rule of VIEW_FINDINGS)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from portal.accounts.permissions import Action, can, findings_datasets_q
from portal.agencies.models import Agency
from portal.catalog.models import Dataset, Resource
from portal.lib.errors import NotFound
from portal.privacy.models import Category, ColumnRole, Finding, FindingState, Scan
from portal.privacy.rules import Rules, parse_category, parse_role

if TYPE_CHECKING:
    from portal.accounts.permissions import Actor


def rules() -> Rules:
    """The enabled categories and every role, as the detector reads them."""
    return Rules(
        categories=tuple(parse_category(category.code, category.kind, category.rules)
                         for category in Category.objects.filter(enabled=True)),
        roles={role.code: parse_role(role.code, role.rules) for role in ColumnRole.objects.all()})


@dataclass
class ResourceFindings:
    """What the guard found in a resource's current content, for the resource page."""

    scan: Scan | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def open(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.state == FindingState.OPEN]


def resource_findings(user: Actor, resource: Resource) -> ResourceFindings | None:
    """The current scan of the resource and its findings; None for who may not see them."""
    if not can(user, Action.VIEW_FINDINGS, resource.dataset):
        return None
    scan = Scan.objects.filter(resource=resource, current=True).first()
    if scan is None:
        return ResourceFindings(None)
    return ResourceFindings(scan, list(scan.findings.select_related("category", "resolved_by")))


def findings(user: Actor, *, state: str = FindingState.OPEN,
             agency: Agency | None = None) -> QuerySet[Finding]:
    """Findings of current scans the user may see, newest first ("" for every state but
    superseded)."""
    visible = Dataset.objects.filter(findings_datasets_q(user))
    found = Finding.objects.filter(scan__current=True, resource__dataset__in=visible)
    found = found.filter(state=state) if state else found.exclude(
        state=FindingState.SUPERSEDED)
    if agency is not None:
        found = found.filter(resource__dataset__agency=agency)
    return found.select_related("category", "resource__dataset__agency", "resolved_by",
                                "scan__version").order_by("-created", "pk")


def finding(user: Actor, pk: int) -> Finding:
    """One finding the user may see, else NotFound."""
    found = findings(user, state="").filter(pk=pk).first()
    if found is None:
        raise NotFound("No such finding.")
    return found


class Screening(StrEnum):
    """Where a resource's current content stands with the guard."""

    UNSCREENED = "unscreened"  # not read yet (or nothing the guard can read)
    FAILED = "failed"  # the guard could not read it
    BLOCKED = "blocked"  # open findings
    CLEAR = "clear"  # nothing found, or every finding acknowledged or masked


def screening(resource: Resource) -> Screening:
    """The guard's answer for a release (issue 11, item 1): only CLEAR may go public without
    an agency admin's decision."""
    scan = Scan.objects.filter(resource=resource, current=True).first()
    if scan is None:
        return Screening.UNSCREENED
    if scan.error:
        return Screening.FAILED
    if scan.findings.filter(state=FindingState.OPEN).exists():
        return Screening.BLOCKED
    return Screening.CLEAR


def history(user: Actor, finding: Finding) -> list[Finding]:
    """Earlier findings of the same category and columns in the same resource (acknowledged
    for an earlier version, superseded...), newest first: what was decided before."""
    if not can(user, Action.VIEW_FINDINGS, finding.resource.dataset):
        return []
    return list(Finding.objects.filter(
        resource=finding.resource, category=finding.category, sheet=finding.sheet,
        column=finding.column).exclude(pk=finding.pk).select_related(
        "category", "resolved_by", "scan__version", "resource").order_by("-created", "-pk")[:10])


def blocking_findings(resource: Resource) -> QuerySet[Finding]:
    """The open findings of the resource's current content: what keeps a new version from
    being released (issue 11, item 1) until they are masked or acknowledged."""
    return Finding.objects.filter(resource=resource, scan__current=True,
                                  state=FindingState.OPEN)
