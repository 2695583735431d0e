from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import default_storage

from portal.accounts.models import User
from portal.agencies.models import Agency, Sector
from portal.catalog import services
from portal.catalog.models import DatasetChange, Status
from portal.lib import factories
from portal.lib.errors import ApplicationError, Conflict, PermissionDenied


def test_dataset_is_created_as_draft_with_history(agency: Agency, editor: User) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor, publish=False)
    assert dataset.status == Status.DRAFT
    assert list(dataset.changes.values_list("action", flat=True)) == ["created"]
    assert dataset.search_text.startswith("bo du lieu thu nghiem")


def test_editor_cannot_publish_outside_agency_sectors(agency: Agency, editor: User,
                                                      sectors: list[Sector]) -> None:
    licence = factories.make_dataset(agency=agency, publish=False).licence
    data = services.DatasetFields(title="Y tế", slug="y-te-1", licence=licence,
                                  sectors=[sectors[-1]])
    with pytest.raises(ApplicationError) as refused:
        services.dataset_create(user=editor, agency=agency, data=data)
    assert "sectors" in refused.value.field_errors


def test_editor_cannot_write_for_another_agency(other_agency: Agency, editor: User) -> None:
    dataset = factories.make_dataset(agency=other_agency, publish=False)
    with pytest.raises(PermissionDenied):
        services.dataset_publish(user=editor, dataset=dataset)


def test_stale_edit_is_refused(agency: Agency, editor: User) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor, publish=False)
    read_version = dataset.version
    data = services.DatasetFields(title="Tiêu đề mới", slug=dataset.slug, licence=dataset.licence,
                                  description=dataset.description, keywords=["thử nghiệm"],
                                  sectors=list(dataset.sectors.all()))
    services.dataset_update(user=editor, dataset=dataset, data=data, expected_version=read_version)
    data.title = "Tiêu đề khác"
    with pytest.raises(Conflict):
        services.dataset_update(user=editor, dataset=dataset, data=data,
                                expected_version=read_version)
    dataset.refresh_from_db()
    assert dataset.title == "Tiêu đề mới"
    change = dataset.changes.filter(action=DatasetChange.Action.UPDATED).get()
    assert change.fields == ["title"]


def test_uploaded_file_is_hashed_and_named_safely(agency: Agency, editor: User) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor)
    content = "ma,ten\n1,Hoa Lư\n".encode()
    resource = factories.make_resource(dataset=dataset, user=editor, content=content,
                                       filename="../../etc/passwd.csv")
    assert resource.sha256 == hashlib.sha256(content).hexdigest()
    assert resource.size == len(content)
    assert resource.format == "CSV"
    assert resource.encoding == "utf-8"
    stored = resource.file.name or ""
    assert stored.startswith(f"resources/{dataset.pk}/{resource.pk}/")
    assert ".." not in stored
    assert default_storage.exists(stored)


def test_bad_period_is_refused_and_nothing_is_stored(agency: Agency, editor: User) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor)
    with pytest.raises(ApplicationError) as refused:
        factories.make_resource(dataset=dataset, user=editor, period="2026-13")
    assert "period" in refused.value.field_errors
    assert not dataset.resources.exists()
    assert not default_storage.exists(f"resources/{dataset.pk}")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd"])
def test_links_must_be_web_addresses(agency: Agency, editor: User, url: str) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor)
    with pytest.raises(ApplicationError) as refused:
        factories.make_resource(dataset=dataset, user=editor, kind="link", url=url, name="x")
    assert "url" in refused.value.field_errors
