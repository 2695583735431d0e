"""A CKAN dataset dictionary read into the catalogue's `DatasetFields` (the reverse of dictize).

`package_create` and `package_update` start from empty fields (what is not given is cleared, as
CKAN replaces the whole dataset); `package_patch` starts from the dataset as it is. Each key
given replaces one field. Errors are collected per CKAN key, as CKAN's validators report them.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import fields, replace
from typing import Any

from django.utils.translation import gettext as _

from portal.agencies.models import Agency, Sector
from portal.catalog.models import AccessLevel, Dataset, Licence
from portal.catalog.services import DatasetFields
from portal.interop.ckan.ids import agency_pks, sector_pks
from portal.interop.ckan.params import Params

# The catalogue's field names as CKAN's keys, to report a service's errors where a client sent
# the value.
CKAN_KEYS = {"slug": "name", "description": "notes", "licence": "license_id",
             "keywords": "tags", "sectors": "groups", "spatial_codes": "spatial",
             "contact_name": "maintainer", "contact_email": "maintainer_email",
             "file": "upload", "kind": "resource_type"}


def ckan_errors(field_errors: Mapping[str, list[str]]) -> dict[str, list[str]]:
    return {CKAN_KEYS.get(name, name): list(messages) for name, messages in field_errors.items()}


def empty_fields() -> DatasetFields:
    default = Licence.objects.filter(is_default=True).first() or Licence.objects.first()
    assert default is not None, "the default licences are loaded by a migration"
    return DatasetFields(title="", slug="", licence=default)


def current_fields(dataset: Dataset) -> DatasetFields:
    values = {item.name: getattr(dataset, item.name) for item in fields(DatasetFields)
              if item.name not in ("keywords", "sectors")}
    return DatasetFields(keywords=[keyword.name for keyword in dataset.keywords.all()],
                         sectors=list(dataset.sectors.all()), **values)


def find_agency(params: Params, key: str = "owner_org") -> Agency | None:
    name_or_id = params.required(key)
    if not name_or_id:
        return None
    pks = agency_pks(name_or_id)
    if not pks:
        params.fail(key, _("Organization does not exist"))
        return None
    return Agency.objects.get(pk=pks[0])


def _names(params: Params, key: str, item_keys: tuple[str, ...]) -> list[str] | None:
    """A list of names: `[{"name": ...}]` as CKAN writes it, or plain strings."""
    value = params.data.get(key)
    if value is None or value == "":
        return [] if value == "" else None
    if not isinstance(value, list):
        value = params.string_list(key)
    names = []
    for item in value:
        found = next((item.get(k) for k in item_keys if isinstance(item, dict) and item.get(k)),
                     item if isinstance(item, str) else None)
        if not isinstance(found, str) or not found.strip():
            params.fail(key, _("Each item needs a name"))
            return None
        names.append(found.strip())
    return names


def _tags(params: Params) -> list[str] | None:
    if "tag_string" in params.data and "tags" not in params.data:
        return [tag.strip() for tag in params.text("tag_string").split(",") if tag.strip()]
    return _names(params, "tags", ("name",))


def _sectors(params: Params) -> list[Sector] | None:
    codes = _names(params, "groups", ("name", "id"))
    if codes is None:
        return None
    sectors = []
    for code in codes:
        pks = sector_pks(code)
        if not pks:
            params.fail("groups", _("Group does not exist: %(name)s") % {"name": code[:100]})
            continue
        sectors.append(Sector.objects.get(pk=pks[0]))
    return sectors


def _date(params: Params, key: str) -> datetime.date | None:
    text = params.text(key).strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        params.fail(key, _("Date format incorrect: write 2026-01-31"))
        return None


def _spatial(params: Params) -> list[str] | None:
    value = params.data.get("spatial")
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return [str(item.get("code", "")) for item in value]
    if value is None:
        return None
    return params.names("spatial")


def _licence(params: Params) -> Licence | None:
    code = params.text("license_id").strip()
    licence = Licence.objects.filter(code=code).first()
    if licence is None:
        params.fail("license_id", _("Unknown licence: see license_list"))
    return licence


def _access_level(params: Params) -> str | None:
    if "access_level" in params.data:
        return params.text("access_level")
    if "private" in params.data:
        # CKAN's private datasets are for the organization's members: "agency" here.
        return AccessLevel.AGENCY if params.boolean("private", False) else AccessLevel.PUBLIC
    return None


def _contact(params: Params) -> dict[str, str]:
    changes: dict[str, str] = {}
    point = params.data.get("contact_point")
    if isinstance(point, dict):
        changes["contact_name"] = str(point.get("name") or "")
        changes["contact_email"] = str(point.get("email") or "")
    elif point is not None:
        params.fail("contact_point", _("Must be an object with name and email"))
    for key, name in (("maintainer", "contact_name"), ("maintainer_email", "contact_email")):
        if key in params.data:
            changes[name] = params.text(key) if params.data[key] is not None else ""
    return changes


def _texts(params: Params) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for key, name in (("name", "slug"), ("title", "title"), ("notes", "description"),
                      ("frequency", "frequency"), ("source_system", "source_system")):
        if key in params.data:
            changes[name] = params.text(key) if params.data[key] is not None else ""
    return changes


def read_dataset_fields(params: Params, base: DatasetFields) -> DatasetFields:
    """`base` with every CKAN key present in the parameters applied; errors go to `params`."""
    changes = _texts(params) | _contact(params)
    readers: dict[str, Any] = {
        "keywords": _tags(params), "sectors": _sectors(params),
        "spatial_codes": _spatial(params), "access_level": _access_level(params),
    }
    changes |= {name: value for name, value in readers.items() if value is not None}
    for key in ("temporal_start", "temporal_end"):
        if key in params.data:
            changes[key] = _date(params, key)
    if "license_id" in params.data and params.data["license_id"] not in (None, ""):
        changes["licence"] = _licence(params) or base.licence
    result = replace(base, **changes)
    if not result.title.strip():  # CKAN names a dataset by its URL name when it has no title
        result.title = result.slug
    return result
