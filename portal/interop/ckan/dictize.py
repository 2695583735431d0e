"""The portal's records as CKAN's dictionaries, with the portal's own fields as top-level keys.

Every function reads only what `with_related` (or the caller's `select_related`) loaded: turning a
page of datasets into dictionaries costs no query per dataset (`dataset_dicts` counts the
followers of the whole page in one query). Names and titles are the Vietnamese
ones whatever the request's language; `title_translated` adds the English where there is one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse

from portal.agencies.models import Agency, Sector
from portal.catalog.models import AccessLevel, Dataset, Keyword, Licence, Resource, ResourceKind
from portal.follows.selectors import follower_counts
from portal.interop.ckan.context import Context
from portal.interop.ckan.ids import agency_id, keyword_id, sector_id
from portal.lib.places import unit_name

# The portal's status as CKAN's state. A withdrawn dataset is kept with its history, as CKAN
# keeps a deleted one: harvesters then drop it from their copies.
STATES = {"published": "active", "draft": "draft", "withdrawn": "deleted"}


def iso_utc(moment: datetime.datetime | None) -> str | None:
    """CKAN's timestamps: ISO 8601 in UTC, without a time zone."""
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).replace(tzinfo=None).isoformat()


def iso_date(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _or_none(text: str) -> str | None:
    return text or None


def dataset_dicts(datasets: Iterable[Dataset], context: Context) -> list[dict[str, Any]]:
    """CKAN's dictionaries of datasets loaded by `with_related`, their followers counted in one
    query for them all."""
    loaded = list(datasets)
    followers = follower_counts("dataset", [dataset.pk for dataset in loaded])
    return [dataset_dict(dataset, context, followers=followers.get(dataset.pk, 0))
            for dataset in loaded]


def dataset_dict(dataset: Dataset, context: Context, *, followers: int) -> dict[str, Any]:
    """One dataset; `followers` is its number of confirmed followers (use `dataset_dicts`)."""
    licence, agency = dataset.licence, dataset.agency
    resources = [resource_dict(resource, dataset, context) for resource in dataset.resources.all()]
    tags = [tag_dict(keyword) for keyword in dataset.keywords.all()]
    return {
        "id": str(dataset.pk),
        "name": dataset.slug,
        "title": dataset.title,
        "type": "dataset",
        "notes": dataset.description,
        "url": context.absolute(reverse("catalog:dataset_detail", args=[dataset.slug])),
        "version": None,
        "author": agency.name,
        "author_email": _or_none(agency.focal_email),
        "maintainer": _or_none(dataset.contact_name),
        "maintainer_email": _or_none(dataset.contact_email),
        "license_id": licence.code,
        "license_title": licence.title_vi,
        "license_url": _or_none(licence.url),
        "isopen": licence.is_open,
        "private": dataset.access_level != AccessLevel.PUBLIC,
        "state": STATES.get(dataset.status, dataset.status),
        "metadata_created": iso_utc(dataset.created),
        "metadata_modified": iso_utc(dataset.modified),
        "creator_user_id": None,
        "owner_org": agency_id(agency.pk),
        "organization": organization_summary(agency, context),
        "groups": [group_summary(sector) for sector in dataset.sectors.all()],
        "tags": tags,
        "num_tags": len(tags),
        "resources": resources,
        "num_resources": len(resources),
        "num_followers": followers,
        "extras": [],
        "relationships_as_object": [],
        "relationships_as_subject": [],
        **portal_fields(dataset),
    }


def portal_fields(dataset: Dataset) -> dict[str, Any]:
    """The portal's own fields, top-level as ckanext-scheming puts them (docs/api-ckan.md)."""
    return {
        "frequency": dataset.frequency,
        "access_level": dataset.access_level,
        "temporal_start": iso_date(dataset.temporal_start),
        "temporal_end": iso_date(dataset.temporal_end),
        "spatial": [{"code": code, "name": unit_name(code)} for code in dataset.spatial_codes],
        "source_system": _or_none(dataset.source_system),
        "contact_point": {"name": _or_none(dataset.contact_name),
                          "email": _or_none(dataset.contact_email)},
    }


def resource_url(resource: Resource, dataset: Dataset, context: Context) -> str:
    """An upload's absolute download URL on the portal; a link's or an API's own URL."""
    if resource.kind != ResourceKind.FILE:
        return resource.url
    if not resource.file:
        return ""
    return context.absolute(reverse("catalog:resource_download", kwargs={
        "name": dataset.slug, "resource_id": str(resource.pk), "filename": resource.file_name}))


def resource_dict(resource: Resource, dataset: Dataset, context: Context) -> dict[str, Any]:
    modified = iso_utc(resource.modified)
    return {
        "id": str(resource.pk),
        "package_id": str(resource.dataset_id),
        "name": resource.name,
        "description": resource.description,
        "format": resource.format,
        "mimetype": _or_none(resource.media_type),
        "mimetype_inner": None,
        "size": resource.size,
        "hash": resource.sha256,
        "url": resource_url(resource, dataset, context),
        "url_type": "upload" if resource.kind == ResourceKind.FILE else None,
        "resource_type": resource.kind,
        "created": iso_utc(resource.created),
        "last_modified": modified,
        "metadata_modified": modified,
        "position": resource.position,
        "state": "active",
        "datastore_active": datastore_active(resource),
        "cache_url": None,
        "cache_last_updated": None,
        "period": _or_none(resource.period),
        "encoding": _or_none(resource.encoding),
    }


def datastore_active(resource: Resource) -> bool:
    """Whether datastore_search answers for the resource (its table has a version to query).
    Reads the table `with_related` loaded along; a single resource costs one query."""
    try:
        return resource.datatable.current_id is not None
    except ObjectDoesNotExist:
        return False


def tag_dict(keyword: Keyword) -> dict[str, Any]:
    return {"id": keyword_id(keyword.pk), "name": keyword.name, "display_name": keyword.name,
            "state": "active", "vocabulary_id": None}


def _logo_url(agency: Agency, context: Context) -> str:
    return context.absolute(agency.logo.url) if agency.logo else ""


def organization_summary(agency: Agency, context: Context) -> dict[str, Any]:
    """The organization as it appears inside a dataset."""
    return {
        "id": agency_id(agency.pk),
        "name": agency.slug,
        "title": agency.name,
        "type": "organization",
        "description": agency.description,
        "image_url": _logo_url(agency, context),
        "created": iso_utc(agency.created),
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
    }


def _agency_reference(agency: Agency | None) -> dict[str, Any] | None:
    if agency is None:
        return None
    return {"id": agency_id(agency.pk), "name": agency.slug, "title": agency.name}


def organization_dict(agency: Agency, context: Context, package_count: int | None,
                      followers: int) -> dict[str, Any]:
    """organization_show and organization_list(all_fields): needs `parent` and `replaced_by`;
    `followers` is its number of confirmed followers."""
    result = organization_summary(agency, context) | {
        "display_name": agency.name,
        "title_translated": {"vi": agency.name, "en": agency.name_en or agency.name},
        "image_display_url": _logo_url(agency, context),
        "short_name": _or_none(agency.short_name),
        "kind": agency.kind,
        "website": _or_none(agency.website),
        "focal_point": {"name": _or_none(agency.focal_name),
                        "position": _or_none(agency.focal_position),
                        "phone": _or_none(agency.focal_phone),
                        "email": _or_none(agency.focal_email)},
        "parent": _agency_reference(agency.parent),
        "replaced_by": _agency_reference(agency.replaced_by),
        "valid_from": iso_date(agency.valid_from),
        "valid_to": iso_date(agency.valid_to),
    }
    return _group_fields(result, package_count, followers)


def group_summary(sector: Sector) -> dict[str, Any]:
    """The group (sector) as it appears inside a dataset."""
    return {
        "id": sector_id(sector.pk),
        "name": sector.code,
        "title": sector.name_vi,
        "display_name": sector.name_vi,
        "description": sector.description,
        "image_display_url": "",
    }


def group_dict(sector: Sector, package_count: int | None, followers: int) -> dict[str, Any]:
    result = group_summary(sector) | {
        "title_translated": {"vi": sector.name_vi, "en": sector.name_en},
        "type": "group",
        "is_organization": False,
        "approval_status": "approved",
        "state": "active",
        "created": None,
        "image_url": "",
        "icon": _or_none(sector.icon),
    }
    return _group_fields(result, package_count, followers)


def _group_fields(result: dict[str, Any], package_count: int | None,
                  followers: int) -> dict[str, Any]:
    """What CKAN's organization and group dictionaries share beyond their own fields: the
    followers, the lists the portal keeps empty, and the dataset count when asked for."""
    result |= {"num_followers": followers, "extras": [], "groups": [], "tags": []}
    if package_count is not None:
        result["package_count"] = package_count
    return result


def licence_dict(licence: Licence) -> dict[str, Any]:
    return {
        "id": licence.code,
        "title": licence.title_vi,
        "title_translated": {"vi": licence.title_vi, "en": licence.title_en},
        "url": licence.url,
        "status": "active",
        "maintainer": "",
        "family": "",
        "domain_content": False,
        "domain_data": True,
        "domain_software": False,
        "is_generic": False,
        "od_conformance": "approved" if licence.is_open else "not reviewed",
        "osd_conformance": "not reviewed",
        "is_okd_compliant": licence.is_open,
        "is_osi_compliant": False,
        "description": licence.description,
        "legal_basis": _or_none(licence.citation),
    }
