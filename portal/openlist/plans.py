"""Writes of plans (article 11.2): an agency's targets for one phase. Its admin sets its own
agency's plans; the supervising department any agency's. Progress is read in selectors."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from portal.accounts.permissions import Action
from portal.agencies.models import Agency
from portal.audit import services as audit
from portal.lib.errors import ApplicationError
from portal.openlist import services
from portal.openlist.models import ListItem, ListKind, Plan, VersionStatus

if TYPE_CHECKING:
    from portal.accounts.permissions import Actor


@dataclass
class PlanFields:
    name: str
    start: date
    end: date
    target_items: int | None = None
    item_codes: list[str] = field(default_factory=list)
    target_datasets: int | None = None
    target_on_time_share: int | None = None
    notes: str = ""

    def __post_init__(self) -> None:
        self.name = self.name.strip()
        codes = (services.normalise_code(code) for code in self.item_codes)
        self.item_codes = sorted({code for code in codes if code})


def _agency_codes(agency: Agency) -> set[str]:
    return set(ListItem.objects.filter(
        version__kind=ListKind.OPEN_DATA, version__status=VersionStatus.ISSUED,
        agency=agency).values_list("code", flat=True))


def _plan_errors(agency: Agency, data: PlanFields) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not data.name:
        errors["name"] = [_("Name the phase, for example “2026–2027”.")]
    elif len(data.name) > 200:
        errors["name"] = [_("At most 200 characters.")]
    if data.start > data.end:
        errors["end"] = [_("The phase ends before it starts.")]
    for name in ("target_items", "target_datasets", "target_on_time_share"):
        value = getattr(data, name)
        if value is not None and value < 0:
            errors[name] = [_("A target cannot be negative.")]
    if data.target_on_time_share is not None and data.target_on_time_share > 100:
        errors["target_on_time_share"] = [_("A share is at most 100 %.")]
    unknown = sorted(set(data.item_codes) - _agency_codes(agency))
    if unknown:
        errors["item_codes"] = [
            _("These codes are not %(agency)s's items in the open data list in force: "
              "%(codes)s.") % {"agency": agency.name, "codes": ", ".join(unknown)}]
    targets = (data.target_items, data.item_codes or None, data.target_datasets,
               data.target_on_time_share)
    if all(target is None for target in targets):
        errors["target_items"] = [_("Set at least one target.")]
    return errors


def _validate(agency: Agency, data: PlanFields) -> None:
    errors = _plan_errors(agency, data)
    if errors:
        raise ApplicationError(_("The plan could not be saved."), errors)


def _values(data: PlanFields) -> dict[str, Any]:
    return {f.name: getattr(data, f.name) for f in fields(data)}


AUDITED = [f.name for f in fields(PlanFields)]


@transaction.atomic
def plan_create(*, actor: Actor | None, agency: Agency, data: PlanFields) -> Plan:
    services.require(actor, Action.MANAGE_PLAN, agency)
    _validate(agency, data)
    person = actor if actor is not None and actor.is_authenticated else None
    plan = Plan.objects.create(agency=agency, created_by=person, **_values(data))
    audit.record(actor=actor, action="openlist.plan_create", target=plan,
                 after=audit.snapshot(plan, AUDITED))
    return plan


@transaction.atomic
def plan_update(*, actor: Actor | None, plan: Plan, data: PlanFields) -> Plan:
    services.require(actor, Action.MANAGE_PLAN, plan.agency)
    _validate(plan.agency, data)
    changed = [name for name, value in _values(data).items() if getattr(plan, name) != value]
    before = audit.snapshot(plan, changed)
    for name, value in _values(data).items():
        setattr(plan, name, value)
    plan.save()
    if changed:
        audit.record(actor=actor, action="openlist.plan_update", target=plan, before=before,
                     after=audit.snapshot(plan, changed))
    return plan


@transaction.atomic
def plan_delete(*, actor: Actor | None, plan: Plan) -> None:
    services.require(actor, Action.MANAGE_PLAN, plan.agency)
    audit.record(actor=actor, action="openlist.plan_delete", target=plan,
                 before=audit.snapshot(plan, AUDITED))
    plan.delete()
