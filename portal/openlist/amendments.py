"""Writes of amendments: an agency proposes to add, change or remove an item (article 6.2 ¶2);
the supervising department accepts the proposal into the list's draft (made from the version in
force when there is none) or rejects it with a reason (article 12.1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.permissions import Action
from portal.agencies.models import Agency, Sector
from portal.audit import services as audit
from portal.catalog.models import AccessLevel, Frequency
from portal.lib.errors import ApplicationError
from portal.openlist import services
from portal.openlist.models import (
    Amendment,
    AmendmentAction,
    AmendmentStatus,
    ListItem,
    ListKind,
    ListVersion,
    VersionStatus,
)

if TYPE_CHECKING:
    from portal.accounts.permissions import Actor

AUDITED = ["kind", "agency", "action", "code", "name", "item_agency", "sector", "frequency",
           "expected_format", "access_level", "publish_by", "reason", "status"]
CODE_PREFIX = {ListKind.OPEN_DATA: "DM", ListKind.SHARED_DATABASES: "CSDL"}


@dataclass
class Proposal:
    """What an agency proposes. For a change, the fields left empty stay as they are."""

    kind: str
    action: str
    reason: str
    code: str = ""
    name: str = ""
    description: str = ""
    item_agency: Agency | None = None
    sector: Sector | None = None
    frequency: str = ""
    expected_format: str = ""
    access_level: str = ""
    publish_by: date | None = None


def _known_codes(kind: str) -> set[str]:
    """Codes of the version in force and of the draft: what a change or removal may name."""
    return set(ListItem.objects.filter(
        version__kind=kind, version__status__in=[VersionStatus.ISSUED, VersionStatus.DRAFT],
    ).values_list("code", flat=True))


def _proposal_errors(data: Proposal) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.kind not in ListKind.values:
        errors["kind"] = [_("Choose a list.")]
    if data.action not in AmendmentAction.values:
        errors["action"] = [_("Choose what to propose: add, change or remove an item.")]
    if not data.reason.strip():
        errors["reason"] = [_("Say why: the supervising department decides on this reason.")]
    if data.frequency and data.frequency not in Frequency.values:
        errors["frequency"] = [_("Choose an update frequency from the list.")]
    if data.access_level and data.access_level not in AccessLevel.values:
        errors["access_level"] = [_("Choose an access level from the list.")]
    if data.action == AmendmentAction.ADD:
        if not data.name.strip():
            errors["name"] = [_("Enter the name of the item to add.")]
        if data.sector is None:
            errors["sector"] = [_("Choose the sector.")]
        if data.code and (problems := services.code_errors(data.code)):
            errors["code"] = problems
    elif data.action in (AmendmentAction.CHANGE, AmendmentAction.REMOVE) \
            and "kind" not in errors and data.code not in _known_codes(data.kind):
        errors["code"] = [_("No item of this list has the code %(code)s.")
                          % {"code": data.code or "—"}]
    return errors


@transaction.atomic
def amendment_propose(*, actor: Actor | None, agency: Agency, data: Proposal) -> Amendment:
    services.require(actor, Action.PROPOSE_AMENDMENT, agency)
    data.code = services.normalise_code(data.code)
    errors = _proposal_errors(data)
    if errors:
        raise ApplicationError(_("The proposal could not be saved."), errors)
    if data.action == AmendmentAction.ADD and data.item_agency is None:
        data.item_agency = agency
    person = actor if actor is not None and actor.is_authenticated else None
    amendment = Amendment.objects.create(
        agency=agency, proposed_by=person, kind=data.kind, action=data.action,
        reason=data.reason.strip(), code=data.code, name=data.name.strip(),
        description=data.description, item_agency=data.item_agency, sector=data.sector,
        frequency=data.frequency, expected_format=data.expected_format.strip(),
        access_level=data.access_level, publish_by=data.publish_by)
    audit.record(actor=actor, action="openlist.amendment_propose", target=amendment,
                 after=audit.snapshot(amendment, AUDITED))
    return amendment


def _require_pending(amendment: Amendment) -> None:
    if amendment.status != AmendmentStatus.PENDING:
        raise ApplicationError(_("This proposal has already been decided."))


def _free_code(draft: ListVersion) -> str:
    prefix = CODE_PREFIX.get(ListKind(draft.kind), "DM")
    taken = set(draft.items.values_list("code", flat=True)) | _known_codes(draft.kind)
    number = len(taken) + 1
    while f"{prefix}-{number:03d}" in taken:
        number += 1
    return f"{prefix}-{number:03d}"


def _draft_item(draft: ListVersion, code: str) -> ListItem:
    item = draft.items.filter(code=code).first()
    if item is None:
        raise ApplicationError(_("The draft no longer has an item with the code %(code)s: it "
                                 "was changed or removed since the proposal.") % {"code": code})
    return item


def _apply(amendment: Amendment, draft: ListVersion) -> ListItem | None:
    if amendment.action == AmendmentAction.REMOVE:
        _draft_item(draft, amendment.code).delete()
        return None
    if amendment.action == AmendmentAction.ADD:
        code = amendment.code or _free_code(draft)
        if draft.items.filter(code=code).exists():
            raise ApplicationError(_("The draft already has an item with the code %(code)s.")
                                   % {"code": code})
        position = (draft.items.aggregate(last=Max("position"))["last"] or 0) + 1
        item = ListItem(version=draft, code=code, position=position)
        amendment.code = code
    else:
        item = _draft_item(draft, amendment.code)
    for name in ("name", "description", "frequency", "expected_format", "access_level",
                 "publish_by", "sector", "item_agency"):
        value = getattr(amendment, name)
        if value not in ("", None):
            setattr(item, "agency" if name == "item_agency" else name, value)
    item.save()
    return item


@transaction.atomic
def amendment_accept(*, actor: Actor | None, amendment: Amendment,
                     note: str = "") -> Amendment:
    """Apply the proposal to the list's draft, which is created when there is none."""
    services.require(actor, Action.MANAGE_OPENLIST)
    _require_pending(amendment)
    draft = ListVersion.objects.filter(kind=amendment.kind, status=VersionStatus.DRAFT).first()
    if draft is None:
        draft = services.draft_create(actor=actor, kind=amendment.kind)
    _apply(amendment, draft)
    person = actor if actor is not None and actor.is_authenticated else None
    amendment.status, amendment.version = AmendmentStatus.ACCEPTED, draft
    amendment.decided_by, amendment.decided_at = person, timezone.now()
    amendment.decision_reason = note.strip()
    amendment.save()
    audit.record(actor=actor, action="openlist.amendment_accept", target=amendment,
                 before={"status": AmendmentStatus.PENDING},
                 after={"status": amendment.status, "version": draft.number,
                        "code": amendment.code, "note": amendment.decision_reason})
    return amendment


@transaction.atomic
def amendment_reject(*, actor: Actor | None, amendment: Amendment, reason: str) -> Amendment:
    services.require(actor, Action.MANAGE_OPENLIST)
    _require_pending(amendment)
    if not reason.strip():
        raise ApplicationError(_("The proposal could not be rejected."),
                               {"reason": [_("Say why the proposal is rejected: the agency "
                                             "reads it.")]})
    person = actor if actor is not None and actor.is_authenticated else None
    amendment.status, amendment.decision_reason = AmendmentStatus.REJECTED, reason.strip()
    amendment.decided_by, amendment.decided_at = person, timezone.now()
    amendment.save()
    audit.record(actor=actor, action="openlist.amendment_reject", target=amendment,
                 before={"status": AmendmentStatus.PENDING},
                 after={"status": amendment.status, "reason": amendment.decision_reason})
    return amendment
