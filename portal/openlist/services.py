"""Writes to the lists: versions, their items, issuing by decision, links to datasets.

Pages, /api/v1 and the `portal openlist` command call these; each checks permission itself
(`actor=None` is the operating unit at the command line, as in accounts/services.py), runs in a
transaction and records itself in the audit trail. Only a draft's items change: an issued
version is what a decision said, and stays so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.permissions import Action, can
from portal.agencies.models import Agency, Sector
from portal.audit import services as audit
from portal.catalog.models import AccessLevel, Dataset, Frequency
from portal.lib.errors import ApplicationError, PermissionDenied
from portal.openlist.models import ItemDataset, ListItem, ListKind, ListVersion, VersionStatus

if TYPE_CHECKING:
    from portal.accounts.permissions import Actor

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,29}$")  # it is part of URLs
ITEM_AUDITED = ["code", "name", "description", "agency", "sector", "frequency",
                "expected_format", "access_level", "publish_by", "position"]
ITEM_COPIED = ["code", "name", "description", "agency_id", "sector_id", "frequency",
               "expected_format", "access_level", "publish_by", "position"]
DECISION_AUDITED = ["status", "decision_number", "decision_date", "signer", "decision_file",
                    "issued_at", "notes"]


def require(actor: Actor | None, action: Action, obj: Any = None) -> None:
    """The operating unit at the command line (None) may do anything; anyone else is asked."""
    if actor is not None and not can(actor, action, obj):
        raise PermissionDenied(_("You do not have permission to do this."))


def normalise_code(code: str) -> str:
    return code.strip().upper()


def code_errors(code: str) -> list[str]:
    if not code:
        return [_("Enter the item's code, for example DM-001.")]
    if not CODE_PATTERN.match(code):
        return [_("A code has 1 to 30 letters without diacritics, digits, dots, hyphens or "
                  "underscores, for example DM-001.")]
    return []


# Items ---------------------------------------------------------------------------------------


@dataclass
class ItemFields:
    """What a person, a spreadsheet row or a client sets on an item."""

    code: str
    name: str
    agency: Agency | None
    sector: Sector | None
    description: str = ""
    frequency: str = Frequency.ANNUAL
    expected_format: str = ""
    access_level: str = AccessLevel.PUBLIC
    publish_by: date | None = None

    def __post_init__(self) -> None:
        self.code = normalise_code(self.code)
        self.name = self.name.strip()
        self.expected_format = self.expected_format.strip()


def item_field_errors(data: ItemFields) -> dict[str, list[str]]:
    """Every rule on one item alone (not its uniqueness in a version), per field."""
    errors: dict[str, list[str]] = {}
    if code := code_errors(data.code):
        errors["code"] = code
    if not data.name:
        errors["name"] = [_("Enter the item's name.")]
    elif len(data.name) > 300:
        errors["name"] = [_("A name has at most 300 characters.")]
    if data.agency is None:
        errors["agency"] = [_("Choose the responsible agency.")]
    if data.sector is None:
        errors["sector"] = [_("Choose the sector.")]
    if data.frequency not in Frequency.values:
        errors["frequency"] = [_("Choose an update frequency from the list.")]
    if data.access_level not in AccessLevel.values:
        errors["access_level"] = [_("Choose an access level from the list.")]
    if len(data.expected_format) > 100:
        errors["expected_format"] = [_("A format has at most 100 characters.")]
    return errors


def require_draft(version: ListVersion) -> None:
    if not version.is_draft:
        raise ApplicationError(_("Only a draft version can be changed: an issued version is "
                                 "what its decision says. Create a new draft instead."))


def _validate_item(version: ListVersion, data: ItemFields, item: ListItem | None = None) -> None:
    errors = item_field_errors(data)
    others = version.items.filter(code=data.code)
    if item is not None:
        others = others.exclude(pk=item.pk)
    if "code" not in errors and others.exists():
        errors["code"] = [_("Another item of this version already has the code %(code)s.")
                          % {"code": data.code}]
    if errors:
        raise ApplicationError(_("The item could not be saved."), errors)


def _values(data: ItemFields) -> dict[str, Any]:
    return {f.name: getattr(data, f.name) for f in fields(data)}


@transaction.atomic
def item_create(*, actor: Actor | None, version: ListVersion, data: ItemFields) -> ListItem:
    require(actor, Action.MANAGE_OPENLIST)
    require_draft(version)
    _validate_item(version, data)
    position = (version.items.aggregate(last=Max("position"))["last"] or 0) + 1
    item = ListItem.objects.create(version=version, position=position, **_values(data))
    audit.record(actor=actor, action="openlist.item_create", target=item,
                 after=audit.snapshot(item, ITEM_AUDITED))
    return item


@transaction.atomic
def item_update(*, actor: Actor | None, item: ListItem, data: ItemFields) -> ListItem:
    require(actor, Action.MANAGE_OPENLIST)
    require_draft(item.version)
    _validate_item(item.version, data, item)
    changed = [name for name, value in _values(data).items() if getattr(item, name) != value]
    before = audit.snapshot(item, changed)
    for name, value in _values(data).items():
        setattr(item, name, value)
    item.save()
    if changed:
        audit.record(actor=actor, action="openlist.item_update", target=item, before=before,
                     after=audit.snapshot(item, changed))
    return item


@transaction.atomic
def item_delete(*, actor: Actor | None, item: ListItem) -> None:
    require(actor, Action.MANAGE_OPENLIST)
    require_draft(item.version)
    audit.record(actor=actor, action="openlist.item_delete", target=item,
                 before=audit.snapshot(item, ITEM_AUDITED))
    item.delete()


@transaction.atomic
def items_replace(*, actor: Actor | None, version: ListVersion, rows: list[ItemFields],
                  source: str = "") -> int:
    """The draft's items become `rows` (an imported spreadsheet): all of them, or none."""
    require(actor, Action.MANAGE_OPENLIST)
    require_draft(version)
    before = version.items.count()
    version.items.all().delete()
    ListItem.objects.bulk_create([
        ListItem(version=version, position=number, **_values(row))
        for number, row in enumerate(rows, start=1)])
    audit.record(actor=actor, action="openlist.import", target=version,
                 before={"items": before}, after={"items": len(rows), "source": source[:200]})
    return len(rows)


# Versions ------------------------------------------------------------------------------------


def _next_number(kind: str) -> int:
    last = ListVersion.objects.filter(kind=kind).aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


@transaction.atomic
def draft_create(*, actor: Actor | None, kind: str) -> ListVersion:
    """A new draft of the list, starting from the items of the version in force."""
    require(actor, Action.MANAGE_OPENLIST)
    if kind not in ListKind.values:
        raise ApplicationError(_("Unknown list."), {"kind": [_("Choose a list.")]})
    if ListVersion.objects.filter(kind=kind, status=VersionStatus.DRAFT).exists():
        raise ApplicationError(_("This list already has a draft: continue that one, or "
                                 "discard it first."))
    person = actor if actor is not None and actor.is_authenticated else None
    try:
        with transaction.atomic():
            draft = ListVersion.objects.create(kind=kind, number=_next_number(kind),
                                               created_by=person)
    except IntegrityError:  # another draft was created at the same moment
        raise ApplicationError(_("This list already has a draft: continue that one, or "
                                 "discard it first.")) from None
    issued = ListVersion.objects.filter(kind=kind, status=VersionStatus.ISSUED).first()
    if issued is not None:
        ListItem.objects.bulk_create([
            ListItem(version=draft, **{name: getattr(item, name) for name in ITEM_COPIED})
            for item in issued.items.all()])
    audit.record(actor=actor, action="openlist.draft_create", target=draft,
                 after={"kind": kind, "number": draft.number,
                        "from": issued.number if issued else None})
    return draft


@transaction.atomic
def draft_discard(*, actor: Actor | None, version: ListVersion) -> None:
    """Delete a draft; amendments accepted into it wait for a decision again."""
    require(actor, Action.MANAGE_OPENLIST)
    require_draft(version)
    returned = version.amendments.update(status="pending", version=None, decided_by=None,
                                         decided_at=None)
    audit.record(actor=actor, action="openlist.draft_discard", target=version,
                 before={"number": version.number, "items": version.items.count()},
                 after={"amendments_pending_again": returned})
    version.delete()


@dataclass
class Decision:
    """The People's Committee's decision that issues a version."""

    number: str
    signed_on: date | None
    signer: str
    notes: str = ""


def _decision_errors(decision: Decision) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not decision.number.strip():
        errors["decision_number"] = [_("Enter the decision's number, e.g. 1049/QĐ-UBND.")]
    elif len(decision.number.strip()) > 100:
        errors["decision_number"] = [_("A decision number has at most 100 characters.")]
    if decision.signed_on is None:
        errors["decision_date"] = [_("Enter the date the decision was signed.")]
    elif decision.signed_on > timezone.localdate():
        errors["decision_date"] = [_("The decision's date is in the future.")]
    if not decision.signer.strip():
        errors["signer"] = [_("Enter who signed the decision.")]
    elif len(decision.signer.strip()) > 200:
        errors["signer"] = [_("At most 200 characters.")]
    return errors


def pdf_errors(upload: IO[bytes], size: int | None) -> list[str]:
    """A decision's file must be a PDF (by its first bytes, not its name) of a bounded size."""
    limit = settings.OPENLIST_DECISION_MAX_SIZE
    if size is not None and size > limit:
        return [_("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}]
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if b"%PDF-" not in head:
        return [_("This file is not a PDF. Scan or export the signed decision as PDF.")]
    return []


def _store_decision(version: ListVersion, upload: File[bytes]) -> None:
    errors = pdf_errors(upload, upload.size)
    if errors:
        raise ApplicationError(_("The decision could not be saved."), {"decision_file": errors})
    old = version.decision_file.name or ""
    version.decision_file.save("decision.pdf", upload, save=False)
    if old:
        storage, name = version.decision_file.storage, old
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def version_issue(*, actor: Actor | None, version: ListVersion, decision: Decision,
                  decision_file: File[bytes] | None = None) -> ListVersion:
    """The draft comes into force; the version in force until now is superseded."""
    require(actor, Action.MANAGE_OPENLIST)
    require_draft(version)
    errors = _decision_errors(decision)
    if not version.items.exists():
        errors["items"] = [_("A version with no items cannot be issued.")]
    if errors:
        raise ApplicationError(_("The version could not be issued."), errors)
    if decision_file is not None:
        _store_decision(version, decision_file)
    previous = ListVersion.objects.select_for_update().filter(
        kind=version.kind, status=VersionStatus.ISSUED).first()
    if previous is not None:
        previous.status = VersionStatus.SUPERSEDED
        previous.save(update_fields=["status", "modified"])
    version.status, version.issued_at = VersionStatus.ISSUED, timezone.now()
    version.decision_number, version.signer = decision.number.strip(), decision.signer.strip()
    version.decision_date, version.notes = decision.signed_on, decision.notes
    version.save()
    audit.record(actor=actor, action="openlist.issue", target=version,
                 before={"status": VersionStatus.DRAFT,
                         "superseded": previous.number if previous else None},
                 after=audit.snapshot(version, DECISION_AUDITED))
    return version


@transaction.atomic
def version_attach_decision(*, actor: Actor | None, version: ListVersion,
                            decision_file: File[bytes]) -> ListVersion:
    """Attach (or replace) the signed decision's PDF of any version."""
    require(actor, Action.MANAGE_OPENLIST)
    before = audit.snapshot(version, ["decision_file"])
    _store_decision(version, decision_file)
    version.save(update_fields=["decision_file", "modified"])
    audit.record(actor=actor, action="openlist.decision_file", target=version, before=before,
                 after=audit.snapshot(version, ["decision_file"]))
    return version


# Links between items and datasets ------------------------------------------------------------


@transaction.atomic
def link_create(*, actor: Actor | None, item: ListItem, dataset: Dataset) -> ItemDataset:
    """The dataset fulfils the item, in this version and the next ones (by its code)."""
    require(actor, Action.LINK_LIST_ITEM, (item, dataset))
    kind = item.version.kind
    person = actor if actor is not None and actor.is_authenticated else None
    try:
        with transaction.atomic():
            link = ItemDataset.objects.create(dataset=dataset, kind=kind, code=item.code,
                                              linked_by=person)
    except IntegrityError:
        raise ApplicationError(_("This dataset already fulfils this item."),
                               {"dataset": [_("Already linked.")]}) from None
    audit.record(actor=actor, action="openlist.link", target=dataset,
                 after={"kind": kind, "code": item.code})
    return link


@transaction.atomic
def link_delete(*, actor: Actor | None, item: ListItem, dataset: Dataset) -> None:
    require(actor, Action.LINK_LIST_ITEM, (item, dataset))
    kind = item.version.kind
    deleted, _rows = ItemDataset.objects.filter(dataset=dataset, kind=kind,
                                                code=item.code).delete()
    if not deleted:
        raise ApplicationError(_("This dataset does not fulfil this item."))
    audit.record(actor=actor, action="openlist.unlink", target=dataset,
                 before={"kind": kind, "code": item.code})
