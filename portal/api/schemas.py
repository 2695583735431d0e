"""Typed input and output of /api/v1: snake_case names, ISO 8601 dates, UUIDs for ids.

Outputs are built from models by the `of` constructors, so that the wire format is written
down here once and does not follow the models' field names by accident.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.urls import reverse
from ninja import Schema
from pydantic import Field

from portal.accounts.models import ApiToken, User
from portal.agencies.models import Agency, Sector
from portal.catalog import inputs
from portal.catalog.models import Dataset, Resource, ResourceKind


class AgencyRef(Schema):
    slug: str
    name: str


class ResourceOut(Schema):
    id: uuid.UUID
    dataset_id: uuid.UUID
    kind: str
    name: str
    description: str
    url: str = Field(description="The download address of an upload; a link's or API's own.")
    format: str
    media_type: str
    size: int | None
    sha256: str
    encoding: str
    period: str
    position: int
    created: datetime
    modified: datetime

    @classmethod
    def of(cls, resource: Resource, dataset: Dataset) -> ResourceOut:
        url = resource.url
        if resource.kind == ResourceKind.FILE and resource.file:
            url = reverse("catalog:resource_download", kwargs={
                "name": dataset.slug, "resource_id": resource.pk,
                "filename": resource.file_name})
        return cls(id=resource.pk, dataset_id=dataset.pk, kind=resource.kind,
                   name=resource.name, description=resource.description, url=url,
                   format=resource.format, media_type=resource.media_type, size=resource.size,
                   sha256=resource.sha256, encoding=resource.encoding, period=resource.period,
                   position=resource.position, created=resource.created,
                   modified=resource.modified)


class DatasetOut(Schema):
    id: uuid.UUID
    name: str = Field(description="The URL name (slug).")
    title: str
    description: str
    agency: AgencyRef
    sectors: list[str] = Field(description="Sector codes.")
    keywords: list[str]
    licence: str = Field(description="Licence code.")
    access_level: str
    frequency: str
    status: str
    temporal_start: date | None
    temporal_end: date | None
    spatial_codes: list[str]
    source_system: str
    contact_name: str
    contact_email: str
    version: int = Field(description="Send it back with a change to refuse a stale edit.")
    created: datetime
    modified: datetime
    published: datetime | None
    resources: list[ResourceOut]

    @classmethod
    def of(cls, dataset: Dataset) -> DatasetOut:
        return cls(
            id=dataset.pk, name=dataset.slug, title=dataset.title,
            description=dataset.description,
            agency=AgencyRef(slug=dataset.agency.slug, name=dataset.agency.name),
            sectors=[sector.code for sector in dataset.sectors.all()],
            keywords=sorted(keyword.name for keyword in dataset.keywords.all()),
            licence=dataset.licence.code, access_level=dataset.access_level,
            frequency=dataset.frequency, status=dataset.status,
            temporal_start=dataset.temporal_start, temporal_end=dataset.temporal_end,
            spatial_codes=list(dataset.spatial_codes), source_system=dataset.source_system,
            contact_name=dataset.contact_name, contact_email=dataset.contact_email,
            version=dataset.version, created=dataset.created, modified=dataset.modified,
            published=dataset.published,
            resources=[ResourceOut.of(resource, dataset) for resource in dataset.resources.all()],
        )


class DatasetPage(Schema):
    total: int = Field(description="How many datasets match, on all pages.")
    limit: int
    offset: int
    results: list[DatasetOut]


def _documented(kind: str, constraints: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    """Add `constraints` to the schema of a field of JSON type `kind` (null aside)."""

    def document(schema: dict[str, Any]) -> None:
        for branch in schema.get("anyOf", [schema]):
            if branch.get("type") == kind:
                branch.update(constraints)

    return document


def ruled(rule: inputs.TextRule, default: Any = ..., **kwargs: Any) -> Any:
    """A text field documented with the catalogue's rule (catalog/inputs.py) but checked by the
    services, so that this API refuses a value in the same words as the other doors."""
    constraints = {"enum": list(rule.choices)} if rule.choices else {
        "maxLength": rule.max_length}
    return Field(default, json_schema_extra=_documented("string", constraints), **kwargs)


def keywords_field(default: Any) -> Any:
    return Field(default, json_schema_extra=_documented("array", {
        "maxItems": inputs.KEYWORDS.max_items,
        "items": {"type": "string", "maxLength": inputs.KEYWORDS.item.max_length}}))


class DatasetFieldsIn(Schema):
    """What PUT replaces whole and POST sets; PATCH takes any subset."""

    name: str = ruled(inputs.DATASET["slug"], description="The URL name (slug).")
    title: str = ruled(inputs.DATASET["title"])
    description: str = ruled(inputs.DATASET["description"], "")
    keywords: list[str] = keywords_field([])
    sectors: list[str] = Field(default_factory=list, description="Sector codes.")
    licence: str | None = Field(None, description="Licence code; the default licence if absent.")
    access_level: str = ruled(inputs.DATASET["access_level"], "public")
    frequency: str = ruled(inputs.DATASET["frequency"], "irregular")
    temporal_start: date | None = None
    temporal_end: date | None = None
    spatial_codes: list[str] = Field(default_factory=list)
    source_system: str = ruled(inputs.DATASET["source_system"], "")
    contact_name: str = ruled(inputs.DATASET["contact_name"], "")
    contact_email: str = ruled(inputs.DATASET["contact_email"], "", description="An e-mail "
                               "address.")
    version: int | None = Field(None, description="The version read; refused (409) if stale.")


class DatasetCreateIn(DatasetFieldsIn):
    agency: str | None = Field(None, description="Agency slug; the caller's own if absent.")


class DatasetPatchIn(Schema):
    name: str | None = ruled(inputs.DATASET["slug"], None)
    title: str | None = ruled(inputs.DATASET["title"], None)
    description: str | None = ruled(inputs.DATASET["description"], None)
    keywords: list[str] | None = keywords_field(None)
    sectors: list[str] | None = None
    licence: str | None = None
    access_level: str | None = ruled(inputs.DATASET["access_level"], None)
    frequency: str | None = ruled(inputs.DATASET["frequency"], None)
    temporal_start: date | None = None
    temporal_end: date | None = None
    spatial_codes: list[str] | None = None
    source_system: str | None = ruled(inputs.DATASET["source_system"], None)
    contact_name: str | None = ruled(inputs.DATASET["contact_name"], None)
    contact_email: str | None = ruled(inputs.DATASET["contact_email"], None)
    version: int | None = None


class StateChangeIn(Schema):
    version: int | None = Field(None, description="The version read; refused (409) if stale.")
    reason: str = ruled(inputs.WITHDRAWAL_REASON, "", description="Why a dataset is withdrawn.")


class ResourceIn(Schema):
    """A new resource: an `upload` file (multipart), or a link or API by `url` (JSON)."""

    name: str = ruled(inputs.RESOURCE["name"])
    description: str = ruled(inputs.RESOURCE["description"], "")
    kind: str | None = Field(None, description="file, link or api; file with an upload, "
                             "link otherwise.")
    url: str = ruled(inputs.RESOURCE["url"], "")
    format: str = ruled(inputs.RESOURCE["format"], "")
    period: str = ruled(inputs.RESOURCE["period"], "")


class ResourcePatchIn(Schema):
    name: str | None = ruled(inputs.RESOURCE["name"], None)
    description: str | None = ruled(inputs.RESOURCE["description"], None)
    url: str | None = ruled(inputs.RESOURCE["url"], None)
    format: str | None = ruled(inputs.RESOURCE["format"], None)
    period: str | None = ruled(inputs.RESOURCE["period"], None)


class SectorOut(Schema):
    code: str
    name_vi: str
    name_en: str
    description: str
    dataset_count: int | None = None

    @classmethod
    def of(cls, sector: Sector) -> SectorOut:
        return cls(code=sector.code, name_vi=sector.name_vi, name_en=sector.name_en,
                   description=sector.description,
                   dataset_count=getattr(sector, "dataset_count", None))


class AgencyOut(Schema):
    slug: str
    name: str
    name_en: str
    short_name: str
    kind: str
    parent: str | None
    replaced_by: str | None
    sectors: list[str]
    description: str
    website: str
    focal_name: str
    focal_email: str
    is_active: bool
    valid_from: date | None
    valid_to: date | None
    dataset_count: int | None = None

    @classmethod
    def of(cls, agency: Agency) -> AgencyOut:
        return cls(
            slug=agency.slug, name=agency.name, name_en=agency.name_en,
            short_name=agency.short_name, kind=agency.kind,
            parent=agency.parent.slug if agency.parent else None,
            replaced_by=agency.replaced_by.slug if agency.replaced_by else None,
            sectors=[sector.code for sector in agency.sectors.all()],
            description=agency.description, website=agency.website,
            focal_name=agency.focal_name, focal_email=agency.focal_email,
            is_active=agency.is_active, valid_from=agency.valid_from, valid_to=agency.valid_to,
            dataset_count=getattr(agency, "dataset_count", None),
        )


class MemberOut(Schema):
    username: str
    full_name: str
    email: str
    role: str
    is_active: bool

    @classmethod
    def of(cls, user: User) -> MemberOut:
        return cls(username=user.username, full_name=user.get_full_name(), email=user.email,
                   role=user.role, is_active=user.is_active)


class TokenOut(Schema):
    id: int
    name: str
    read_only: bool
    created: datetime
    last_used: datetime | None
    expires: datetime | None
    revoked: datetime | None

    @classmethod
    def of(cls, token: ApiToken) -> TokenOut:
        return cls(id=token.pk, name=token.name, read_only=token.read_only,
                   created=token.created, last_used=token.last_used, expires=token.expires,
                   revoked=token.revoked)


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The token itself, shown this once and never again.")


class TokenIn(Schema):
    name: str = Field(max_length=100)
    expires_days: int | None = Field(None, ge=1, le=3650)
    read_only: bool = False
