"""The guard at work: every version the data store reads, and every text file, is screened by
a job, through the data store (samples, and group sizes over the whole table)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import LazySettings
from django.core.files.base import ContentFile

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog import services as catalog
from portal.catalog.models import Dataset, Resource
from portal.datastore import selectors as datastore
from portal.datastore.engine import QueryTimeout
from portal.lib import factories
from portal.privacy import selectors
from portal.privacy.models import Finding, FindingState, Scan

HOUSEHOLDS = """STT,Họ và tên,Ngày sinh,Giới tính,Xã,Số CCCD,Điện thoại
1,Nguyễn Văn An,12/03/1985,Nam,Xã Gia Viễn,037085001234,0912 345 678
2,Trần Thị Bình,01/02/1990,Nữ,Xã Gia Hưng,037190001235,0987.654.321
3,Lê Văn Cường,05/06/1975,Nam,Phường Hoa Lư,037075001236,
4,Phạm Thị Dung,23/11/1968,Nữ,Xã Yên Mô,036168001237,0868123456
"""
POPULATION = """ma_xa,ten_xa,dan_so,nam
14464,Xã Gia Viễn,31250,2025
14467,Xã Gia Hưng,18020,2025
14470,Phường Hoa Lư,45800,2025
"""


@pytest.fixture
def dataset(agency: Agency, editor: User) -> Dataset:
    return factories.make_dataset(agency=agency, user=editor)


def uploaded(dataset: Dataset, editor: User, content: str | bytes, filename: str,
             capture: Any, **fields: str) -> Resource:
    """A resource, read into a table if it is one, its jobs run as they would after commit."""
    data = content.encode() if isinstance(content, str) else content
    with capture(execute=True):  # the ingestion job, then the guard's
        resource = factories.make_resource(dataset=dataset, user=editor, content=data,
                                           filename=filename, **fields)
    resource.refresh_from_db()
    return resource


def categories(resource: Resource) -> set[tuple[str, str]]:
    scan = Scan.objects.get(resource=resource, current=True)
    return {(finding.category.code, finding.column) for finding in scan.findings.all()}


def test_a_table_with_citizen_ids_is_screened_when_it_is_read(
        dataset: Dataset, editor: User, django_capture_on_commit_callbacks: Any) -> None:
    resource = uploaded(dataset, editor, HOUSEHOLDS, "ho-dan.csv",
                        django_capture_on_commit_callbacks)
    assert categories(resource) >= {("citizen_id", "Số CCCD"), ("phone", "Điện thoại"),
                                     ("name_with_birth_date", "Họ và tên"),
                                     ("reidentification", "")}
    scan = Scan.objects.get(resource=resource)
    assert scan.version == resource.datatable.current
    assert selectors.screening(resource) == selectors.Screening.BLOCKED
    cccd = scan.findings.get(category__code="citizen_id")
    assert (cccd.matches, cccd.sampled) == (4, 4)
    assert len(cccd.examples) == 3  # in the sample's order
    assert set(cccd.examples) <= {"0370***234", "0371***235", "0370***236", "0361***237"}


def test_re_identification_counts_every_row_against_the_setting(
        dataset: Dataset, editor: User, settings: LazySettings,
        django_capture_on_commit_callbacks: Any) -> None:
    rows = "Năm sinh,Xã,Giới tính\n" + "1980,Gia Viễn,Nam\n" * 6 + "1990,Gia Hưng,Nữ\n" * 3
    settings.PRIVACY_MIN_GROUP_SIZE = 4
    resource = uploaded(dataset, editor, rows, "khao-sat.csv", django_capture_on_commit_callbacks)
    risk = Finding.objects.get(resource=resource, category__code="reidentification")
    assert risk.detail["columns"] == ["Năm sinh", "Xã", "Giới tính"]
    assert (risk.detail["smallest"], risk.detail["small_groups"], risk.matches) == (3, 1, 3)
    settings.PRIVACY_MIN_GROUP_SIZE = 3
    again = uploaded(dataset, editor, rows, "khao-sat-2.csv", django_capture_on_commit_callbacks)
    assert not Finding.objects.filter(resource=again).exists()
    assert selectors.screening(again) == selectors.Screening.CLEAR


def test_a_table_without_personal_data_is_clear(
        dataset: Dataset, editor: User, django_capture_on_commit_callbacks: Any) -> None:
    resource = uploaded(dataset, editor, POPULATION, "dan-so.csv",
                        django_capture_on_commit_callbacks)
    assert categories(resource) == set()
    assert selectors.screening(resource) == selectors.Screening.CLEAR


def test_a_new_version_is_screened_again_and_replaces_the_findings(
        dataset: Dataset, editor: User, django_capture_on_commit_callbacks: Any) -> None:
    resource = uploaded(dataset, editor, HOUSEHOLDS, "ho-dan.csv",
                        django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        catalog.resource_update(user=editor, resource=resource, data=catalog.ResourceFields(
            name=resource.name, kind=resource.kind), upload=ContentFile(POPULATION.encode(),
                                                                        name="dan-so.csv"))
    assert resource.datatable.versions.count() == 2
    assert categories(resource) == set()
    assert not Finding.objects.filter(resource=resource, state=FindingState.OPEN).exists()
    assert set(Finding.objects.filter(resource=resource).values_list("state", flat=True)) == {
        FindingState.MASKED}, "the new file no longer holds them"


def test_a_text_file_is_screened_when_it_is_uploaded(
        dataset: Dataset, editor: User, django_capture_on_commit_callbacks: Any) -> None:
    text = ("THÔNG BÁO\nBà Trần Thị Bình, sinh ngày 12/03/1985, CCCD số 037185001234.\n"
            "Liên hệ 0912.345.678.\n")
    resource = uploaded(dataset, editor, text, "thong-bao.md",
                        django_capture_on_commit_callbacks, format="MD")
    assert categories(resource) == {("citizen_id", ""), ("phone", ""),
                                    ("name_with_birth_date", "")}
    assert Scan.objects.get(resource=resource).source == Scan.Source.TEXT


def test_a_csv_that_is_not_a_table_is_screened_as_text(
        dataset: Dataset, editor: User, django_capture_on_commit_callbacks: Any) -> None:
    page = "<!DOCTYPE html><html><body><p>Liên hệ 0912 345 678</p></body></html>"
    resource = uploaded(dataset, editor, page, "lien-he.csv", django_capture_on_commit_callbacks)
    assert resource.datatable.state == "failed"
    assert categories(resource) == {("phone", "")}


def test_a_table_the_guard_cannot_read_is_reported_as_unscreened(
        dataset: Dataset, editor: User, settings: LazySettings,
        django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def too_slow(*args: Any) -> None:
        raise QueryTimeout("took too long")

    monkeypatch.setattr(datastore, "column_samples", too_slow)
    resource = uploaded(dataset, editor, HOUSEHOLDS, "ho-dan.csv",
                        django_capture_on_commit_callbacks)
    scan = Scan.objects.get(resource=resource)
    assert scan.error
    assert not scan.findings.exists()
    assert selectors.screening(resource) == selectors.Screening.FAILED


def test_a_file_replaced_by_one_the_guard_does_not_read_is_unscreened_again(
        dataset: Dataset, editor: User, django_capture_on_commit_callbacks: Any) -> None:
    resource = uploaded(dataset, editor, HOUSEHOLDS, "ho-dan.csv",
                        django_capture_on_commit_callbacks)
    assert selectors.screening(resource) == selectors.Screening.BLOCKED
    with django_capture_on_commit_callbacks(execute=True):
        catalog.resource_update(user=editor, resource=resource, data=catalog.ResourceFields(
            name=resource.name, kind=resource.kind, format="PDF"), upload=ContentFile(
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", name="ho-dan.pdf"))
    assert selectors.screening(resource) == selectors.Screening.UNSCREENED
    assert not Finding.objects.filter(resource=resource, state=FindingState.OPEN).exists()
