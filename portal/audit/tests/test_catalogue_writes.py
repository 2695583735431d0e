"""Every catalogue write leaves an entry: who, from where, through which door, what changed."""

from __future__ import annotations

import pytest
from django.conf import LazySettings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.audit.context import acting_as
from portal.audit.models import AuditEntry, Door
from portal.audit.selectors import verify_chain
from portal.catalog import services
from portal.catalog.models import Dataset
from portal.lib import factories
from portal.lib.errors import Conflict

pytestmark = pytest.mark.django_db


def last(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("sequence")


def fields_of(dataset: Dataset, **changes: object) -> services.DatasetFields:
    values = {"title": dataset.title, "slug": dataset.slug, "licence": dataset.licence,
              "description": dataset.description,
              "keywords": [keyword.name for keyword in dataset.keywords.all()],
              "sectors": list(dataset.sectors.all())} | changes
    return services.DatasetFields(**values)  # type: ignore[arg-type]


def test_creating_and_publishing_a_dataset_are_recorded(editor: User, agency: Agency) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor, title="Đất đai 2025")
    created = last("dataset.create")
    assert created.target_id == str(dataset.pk)
    assert created.target_label == str(dataset)
    assert created.after["title"] == "Đất đai 2025"
    assert created.before == {}
    published = last("dataset.publish")
    assert published.before["status"] == "draft"
    assert published.after["status"] == "published"
    assert published.actor == editor
    assert published.door == Door.COMMAND  # no request: a command or the shell
    assert verify_chain().intact


def test_an_update_records_only_the_changed_fields(editor: User, agency: Agency) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor, title="Cũ")
    services.dataset_update(user=editor, dataset=dataset,
                            data=fields_of(dataset, title="Mới", keywords=["đất", "thử nghiệm"]))
    entry = last("dataset.update")
    assert entry.before == {"title": "Cũ", "keywords": ["thử nghiệm"]}
    assert entry.after == {"title": "Mới", "keywords": ["thử nghiệm", "đất"]}


def test_a_refused_update_leaves_no_entry(editor: User, agency: Agency) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor)
    before = AuditEntry.objects.count()
    with pytest.raises(Conflict):
        services.dataset_update(user=editor, dataset=dataset, data=fields_of(dataset, title="X"),
                                expected_version=dataset.version - 1)
    assert AuditEntry.objects.count() == before


def test_withdrawing_records_the_reason(editor: User, agency: Agency) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor)
    services.dataset_withdraw(user=editor, dataset=dataset, reason="Sai số liệu")
    entry = last("dataset.withdraw")
    assert entry.after == {"status": "withdrawn", "reason": "Sai số liệu"}


def test_resource_writes_are_recorded(editor: User, agency: Agency) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor)
    resource = factories.make_resource(dataset=dataset, user=editor, filename="a.csv")
    assert last("resource.create").after["sha256"] == resource.sha256
    services.resource_update(user=editor, resource=resource,
                             data=services.ResourceFields(name="Bảng mới", kind="file"),
                             upload=ContentFile(b"x\n1\n", name="b.csv"))
    updated = last("resource.update")
    assert updated.before["name"] == "a.csv"
    assert updated.after["name"] == "Bảng mới"
    assert updated.before["sha256"] != updated.after["sha256"]
    resource_id = str(resource.pk)
    services.resource_delete(user=editor, resource=resource)
    deleted = last("resource.delete")
    assert deleted.target_id == resource_id
    assert deleted.before["name"] == "Bảng mới"


def test_a_job_is_recorded_as_a_job(editor: User, agency: Agency) -> None:
    with acting_as(door=Door.JOB):
        factories.make_dataset(agency=agency, user=editor)
    entry = last("dataset.publish")
    assert (entry.door, entry.actor_kind) == (Door.JOB, "job")


def test_a_page_write_records_the_door_and_address(client: Client, editor: User,
                                                   agency: Agency) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor, publish=False)
    client.force_login(editor)
    response = client.post(reverse("catalog:dataset_publish", args=[dataset.slug]),
                           {"version": dataset.version}, REMOTE_ADDR="203.0.113.7",
                           HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert response.status_code == 302
    entry = last("dataset.publish")
    assert (entry.door, entry.address, entry.actor_kind) == (Door.PAGE, "203.0.113.7", "person")


def test_behind_a_trusted_proxy_the_forwarded_address_is_recorded(
        client: Client, editor: User, agency: Agency, settings: LazySettings) -> None:
    settings.TRUSTED_PROXY = True
    dataset = factories.make_dataset(agency=agency, user=editor, publish=False)
    client.force_login(editor)
    client.post(reverse("catalog:dataset_publish", args=[dataset.slug]),
                {"version": dataset.version}, REMOTE_ADDR="10.0.0.2",
                HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1")
    assert last("dataset.publish").address == "198.51.100.1"
