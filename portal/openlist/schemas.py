"""Output of the lists' /api/v1 endpoints, for their OpenAPI document."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from django.urls import reverse
from ninja import Schema
from pydantic import Field

from portal.api.schemas import AgencyRef
from portal.catalog.models import Dataset
from portal.openlist.models import ListVersion
from portal.openlist.selectors import CoverageRow

COVERAGE_DOC = ("published (a published dataset that opens widely enough fulfils the item), "
                "overdue (not published and its publish_by date has passed) or not_yet")


class ListVersionOut(Schema):
    id: int
    kind: str = Field(description="open_data (danh mục dữ liệu mở) or shared_databases "
                                  "(danh mục cơ sở dữ liệu dùng chung).")
    number: int = Field(description="The version's number within its list.")
    status: str = Field(description="draft (staff only), issued (in force) or superseded.")
    decision_number: str
    decision_date: date | None
    signer: str
    decision_url: str | None = Field(description="The signed decision's PDF, if attached.")
    issued_at: datetime | None = Field(description="When it came into force on the portal.")
    notes: str
    url: str = Field(description="The version's page.")

    @classmethod
    def of(cls, version: ListVersion) -> ListVersionOut:
        ids = {"kind": version.kind, "version_id": version.pk}
        return cls(
            id=version.pk, kind=version.kind, number=version.number, status=version.status,
            decision_number=version.decision_number, decision_date=version.decision_date,
            signer=version.signer, issued_at=version.issued_at, notes=version.notes,
            decision_url=reverse("openlist:decision_pdf", kwargs=ids)
            if version.decision_file else None,
            url=reverse("openlist:version", kwargs=ids))


class CoverageOut(Schema):
    total: int
    published: int
    overdue: int
    not_yet: int
    share: int = Field(description="Published items, in whole percent of all items.")

    @classmethod
    def values(cls, row: CoverageRow) -> dict[str, int]:
        return {"total": row.total, "published": row.published, "overdue": row.overdue,
                "not_yet": row.not_yet, "share": row.share}

    @classmethod
    def of(cls, row: CoverageRow) -> CoverageOut:
        return cls(**cls.values(row))


class AgencyCoverageOut(CoverageOut):
    agency: AgencyRef


class SectorCoverageOut(CoverageOut):
    sector: str = Field(description="The sector's code.")


class DatasetRef(Schema):
    id: uuid.UUID
    name: str = Field(description="The dataset's URL name.")
    title: str
    status: str
    access_level: str


class ListItemOut(Schema):
    code: str = Field(description="Stays the same in every version of the list.")
    name: str
    description: str
    agency: AgencyRef = Field(description="The responsible agency.")
    sector: str = Field(description="The sector's code.")
    frequency: str
    expected_format: str
    access_level: str
    publish_by: date | None
    coverage: str = Field(description=COVERAGE_DOC)
    datasets: list[DatasetRef] = Field(description="The datasets fulfilling the item that you "
                                                   "may see.")

    @classmethod
    def of(cls, item: Any, datasets: list[Dataset]) -> ListItemOut:
        return cls(
            code=item.code, name=item.name, description=item.description,
            agency=AgencyRef(slug=item.agency.slug, name=item.agency.name),
            sector=item.sector.code, frequency=item.frequency,
            expected_format=item.expected_format, access_level=item.access_level,
            publish_by=item.publish_by, coverage=item.coverage,
            datasets=[DatasetRef(id=d.pk, name=d.slug, title=d.title, status=d.status,
                                 access_level=d.access_level) for d in datasets])


class ItemPage(Schema):
    total: int = Field(description="How many items match, on all pages.")
    limit: int
    offset: int
    results: list[ListItemOut]


class ListVersionDetailOut(ListVersionOut):
    coverage: CoverageOut = Field(description="The whole version's coverage today.")
    by_agency: list[AgencyCoverageOut]
    by_sector: list[SectorCoverageOut]
    items: ItemPage
