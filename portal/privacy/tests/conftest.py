"""Shared fixtures of the guard's tests: an agency admin, and a resource with a scan."""

from __future__ import annotations

import pytest

from portal.accounts.models import Role, User
from portal.agencies.models import Agency
from portal.catalog.models import Resource
from portal.datastore.models import DataTable, TableVersion
from portal.lib import factories
from portal.privacy import detect, services
from portal.privacy.models import Finding, Scan

PHONES = detect.Finding("phone", "SĐT", detect.VALUES, 3, 4, ("0912***678",))
RELIGION = detect.Finding("religion", "Tôn giáo", detect.COLUMN_NAME, 4, 4)


@pytest.fixture
def agency_admin(agency: Agency) -> User:
    return factories.make_user(role=Role.ADMIN, agency=agency, username="agency_admin")


@pytest.fixture
def resource(agency: Agency, editor: User) -> Resource:
    dataset = factories.make_dataset(agency=agency, user=editor)
    return factories.make_resource(dataset=dataset, user=editor, filename="ho-dan.csv")


def version_of(resource: Resource, number: int) -> TableVersion:
    table, _created = DataTable.objects.get_or_create(resource=resource)
    return TableVersion.objects.create(table=table, number=number, sheets=[])


def scanned(resource: Resource, *found: detect.Finding, number: int = 1) -> Scan:
    result = services.ScanResult(Scan.Source.TABLE, [("", one) for one in found], 8)
    return services.scan_record(resource=resource, result=result,
                                version=version_of(resource, number))


@pytest.fixture
def finding(resource: Resource) -> Finding:
    return scanned(resource, PHONES, RELIGION).findings.get(category__code="phone")
