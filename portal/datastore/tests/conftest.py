"""Shared helpers of the data store's tests: a resource from bytes, read into a table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.api.tests.conftest import Api
from portal.catalog.models import Resource
from portal.datastore import runs, services
from portal.datastore.models import DataTable
from portal.datastore.tests.api_support import english_client, ready
from portal.lib import factories

Ingest = Callable[..., tuple[Resource, DataTable]]


@pytest.fixture
def ingest(agency: Agency, editor: User) -> Ingest:
    """ingest(content, filename, **resource fields) → (resource, its table after one run)."""
    dataset = factories.make_dataset(agency=agency, user=editor)

    def run(content: bytes, filename: str = "du-lieu.csv", **fields: str,
            ) -> tuple[Resource, DataTable]:
        resource = factories.make_resource(dataset=dataset, user=editor, content=content,
                                           filename=filename, **fields)
        table = services.schedule_ingestion(resource, enqueue=False)
        assert table is not None, "not a tabular resource"
        return resource, runs.run_ingestion(table.pk)

    return run


@pytest.fixture
def communes(agency: Agency, editor: User) -> Resource:
    """A public resource whose table of Ninh Bình's communes has been read (api_support)."""
    return ready(factories.make_dataset(agency=agency, user=editor), editor)


@pytest.fixture
def api() -> Api:
    """The /api/v1 client of an anonymous caller who reads English."""
    return Api(english_client())


def rerun(table: DataTable) -> DataTable:
    scheduled = services.schedule_ingestion(table.resource, enqueue=False)
    assert scheduled is not None
    return runs.run_ingestion(scheduled.pk)


@pytest.fixture
def english_clients(monkeypatch: pytest.MonkeyPatch) -> None:
    """For tests that read the English strings: every client has chosen English on the switch
    (pages speak Vietnamese otherwise)."""
    original = Client.__init__

    def english_client(self: Client, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.cookies["django_language"] = "en"

    monkeypatch.setattr(Client, "__init__", english_client)
