"""Findings as the agency reads them: where each is, and how it was found, in a sentence a
non-specialist understands."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.lib.errors import render_kept
from portal.privacy import detect
from portal.privacy.models import Finding, Scan


@dataclass
class Shown:
    finding: Finding
    where: str
    how: str
    can_resolve: bool


def shown(finding: Finding, *, can_resolve: bool) -> Shown:
    return Shown(finding, where(finding), how(finding), can_resolve)


def where(finding: Finding) -> str:
    columns = ", ".join(f"“{name}”" for name in finding.columns)
    if not columns:
        return _("in the text")
    place = (ngettext("column %(names)s", "columns %(names)s", len(finding.columns))
             % {"names": columns})
    if finding.sheet:
        return _("sheet “%(sheet)s”, %(place)s") % {"sheet": finding.sheet, "place": place}
    return place


def how(finding: Finding) -> str:
    """How the guard found it, with its numbers."""
    numbers = {"matches": finding.matches, "sampled": finding.sampled}
    if finding.evidence == detect.VALUES:
        return _("%(matches)s of %(sampled)s values read look like this.") % numbers
    if finding.evidence == detect.TEXT and finding.column:
        return _("Found inside the text of %(matches)s of %(sampled)s values read.") % numbers
    if finding.evidence == detect.TEXT:
        return _("Found on %(matches)s of %(sampled)s lines read.") % numbers
    if finding.evidence == detect.COLUMN_NAME:
        return _("The column's name says so, in a table about individual people "
                 "(%(sampled)s values read).") % numbers
    if finding.evidence == detect.COMBINATION:
        return _("Full names stand beside dates of birth: together they identify people "
                 "(%(matches)s of %(sampled)s values read are names).") % numbers
    return _groups(finding)


def _groups(finding: Finding) -> str:
    detail = finding.detail
    return _("%(rows)s of %(total)s rows share their values of these columns with fewer than "
             "%(k)s rows (the smallest group has %(smallest)s): whoever knows a person's birth "
             "date, commune and sex can find their row.") % {
        "rows": finding.matches, "total": finding.sampled, "k": detail.get("min_group_size"),
        "smallest": detail.get("smallest")}


def scan_summary(scan: Scan) -> str:
    if scan.error:
        return render_kept(scan.error)
    if scan.source == Scan.Source.TEXT:
        text = _("The beginning of the file was read.") if scan.partial else _(
            "The whole text was read.")
    elif scan.partial:
        text = _("A random sample of the rows was read; the check of small groups counted "
                 "every row.")
    else:
        text = _("Every row was read.")
    return text
