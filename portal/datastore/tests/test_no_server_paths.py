"""No answer names a file of the server: what DuckDB says about a file (a failed reading, a
query over a damaged file) reaches the agency and the APIs with the file's name only
(issue 8, item 2)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Dataset, Resource
from portal.datastore import storage
from portal.datastore.models import DataTable, State
from portal.datastore.tests.api_support import english_client, ready
from portal.datastore.tests.tables import read
from portal.interop.tests.conftest import call
from portal.lib import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(agency: Agency, editor: User) -> Dataset:
    return factories.make_dataset(agency=agency, user=editor)


def server_paths() -> list[str]:
    return [str(Path(settings.MEDIA_ROOT)), str(settings.VAR_DIR), str(settings.BASE_DIR),
            tempfile.gettempdir()]


def assert_no_path(text: str) -> None:
    for path in server_paths():
        assert path not in text, text
    assert "pytest-" not in text, text  # not even a path cut short


def failed(dataset: Dataset, editor: User) -> Resource:
    resource = factories.make_resource(dataset=dataset, user=editor, content=b"{not json",
                                       filename="so-lieu.json")
    assert read(resource).state == State.FAILED
    return resource


def test_a_failed_reading_names_the_file_not_its_path(dataset: Dataset, editor: User) -> None:
    resource = failed(dataset, editor)
    status = english_client().get(f"/api/v1/resources/{resource.pk}/datastore").json()
    assert "so-lieu.json" in status["message"]
    assert_no_path(status["message"])
    staff = Client()
    staff.force_login(editor)
    page = staff.get(f"/dataset/{dataset.slug}/resource/{resource.pk}").content.decode()
    assert "so-lieu.json" in page
    assert_no_path(page)


def test_messages_kept_before_paths_were_removed_are_shown_without_them(
        dataset: Dataset, editor: User) -> None:
    resource = failed(dataset, editor)
    path = Path(settings.MEDIA_ROOT) / "resources" / "a" / "so-lieu.json"
    for reason in (f'Malformed JSON in file "{path}", at byte 1',
                   f'{str(path)[-60:]}", at byte 1'):  # cut to its last characters
        DataTable.objects.filter(resource=resource).update(message={
            "id": "The file could not be read: %(reason)s", "params": {"reason": reason}})
        status = english_client().get(f"/api/v1/resources/{resource.pk}/datastore").json()
        assert_no_path(status["message"])
        assert "so-lieu.json" in status["message"]


def test_a_query_over_a_damaged_file_says_why_without_its_path(
        dataset: Dataset, editor: User, client: Client) -> None:
    resource = ready(dataset, editor)
    table = DataTable.objects.get(resource=resource)
    assert table.current is not None
    storage.readable(table.current.sheets[0]["file"]).write_bytes(b"PAR1 not parquet PAR1")
    for response in (
            english_client().get(f"/api/v1/resources/{resource.pk}/records"),
            english_client().get("/api/v1/sql", {"sql": f'SELECT * FROM "{resource.pk}"'})):
        assert response.status_code == 400, response.content
        assert_no_path(response.content.decode())
    answer = call(client, "datastore_search", resource_id=str(resource.pk))
    assert answer.status == 409
    assert_no_path(json.dumps(answer.body))
