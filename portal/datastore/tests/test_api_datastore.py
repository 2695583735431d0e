"""A resource's table through /api/v1: its state, a re-run (with a chosen encoding), the data
dictionary, earlier versions; and the catalogue's hook that reads every new or changed
tabular resource and removes its files with it."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.api.tests.conftest import Api, error_of, token_for
from portal.catalog import services as catalog
from portal.catalog.models import Dataset, Resource, ResourceKind
from portal.datastore import runs, services, storage
from portal.datastore.models import DataTable, State
from portal.datastore.tests.api_support import COMMUNES, english_client, parquet_rows, ready
from portal.lib import factories

pytestmark = pytest.mark.django_db
Commits = Callable[..., AbstractContextManager[list[Callable[[], None]]]]


@pytest.fixture
def dataset(agency: Agency, editor: User) -> Dataset:
    return factories.make_dataset(agency=agency, user=editor)


@pytest.fixture
def communes(dataset: Dataset, editor: User) -> Resource:
    return ready(dataset, editor)


@pytest.fixture
def as_editor(editor: User) -> Api:
    return Api(english_client(), token_for(editor))


def status(api: Api, resource: Resource) -> dict[str, Any]:
    response = api.call("get", f"/resources/{resource.pk}/datastore")
    assert response.status_code == 200, response.content
    return dict(response.json())


def test_state_of_a_ready_table(client: Client, communes: Resource) -> None:
    body = status(Api(english_client()), communes)
    assert (body["state"], body["progress"], body["message"]) == ("ready", 1.0, "")
    assert (body["version"], body["rows"], body["sheets"]) == (1, 6, [""])
    assert [field["name"] for field in body["fields"]][:2] == ["_id", "ma_xa"]
    assert body["encoding"] == ""
    assert body["encoding_candidates"] == []
    [version] = body["versions"]
    assert (version["number"], version["rows"], version["sheets"]) == (1, 6, [""])
    assert version["download_url"] == (
        f"http://testserver/api/v1/resources/{communes.pk}/versions/1.parquet")


def test_state_of_resources_that_are_not_tables_yet(client: Client, dataset: Dataset,
                                                    editor: User) -> None:
    link = factories.make_resource(dataset=dataset, user=editor, kind=ResourceKind.LINK,
                                   url="https://ninhbinh.gov.vn/", filename="Trang chủ")
    assert status(Api(english_client()), link)["state"] == "unsupported"
    queued = factories.make_resource(dataset=dataset, user=editor)
    assert status(Api(english_client()), queued)["state"] == "pending"
    DataTable.objects.filter(resource=queued).delete()  # read before the hook existed
    body = status(Api(english_client()), queued)
    assert (body["state"], body["version"], body["fields"], body["versions"]) == (
        "not_requested", None, [], [])


def test_a_failed_read_says_why_in_the_callers_language(client: Client, dataset: Dataset,
                                                        editor: User) -> None:
    resource = factories.make_resource(dataset=dataset, user=editor, content=b"",
                                       filename="rong.csv")
    table = services.schedule_ingestion(resource, enqueue=False)
    assert table is not None
    runs.run_ingestion(table.pk)
    english = status(Api(english_client()), resource)
    assert (english["state"], english["message"]) == ("failed", "The file is empty.")
    vietnamese = Api(english_client()).call("get", f"/resources/{resource.pk}/datastore",
                                  HTTP_ACCEPT_LANGUAGE="vi").json()
    assert vietnamese["message"]


def test_needs_encoding_lists_the_candidates_with_labels(client: Client,
                                                         communes: Resource) -> None:
    DataTable.objects.filter(resource=communes).update(
        state=State.NEEDS_ENCODING, encoding_candidates=[["tcvn3", 0.6], ["vni", 0.4]])
    body = status(Api(english_client()), communes)
    assert body["state"] == "needs_encoding"
    assert [(c["encoding"], c["score"]) for c in body["encoding_candidates"]] == [
        ("tcvn3", 0.6), ("vni", 0.4)]
    assert body["encoding_candidates"][0]["label"].startswith("TCVN3")
    assert body["version"] == 1  # the last good version stays


def test_editor_reruns_with_a_chosen_encoding(as_editor: Api, communes: Resource,
                                              django_capture_on_commit_callbacks: Commits,
                                              ) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = as_editor.call("post", f"/resources/{communes.pk}/datastore",
                                  {"encoding": "utf-8"})
    assert response.status_code == 202, response.content
    assert response.json()["state"] == "pending"
    after = status(as_editor, communes)  # the job ran when the request committed
    assert (after["state"], after["version"], after["encoding"]) == ("ready", 2, "utf-8")
    assert [version["number"] for version in after["versions"]] == [2, 1]
    response = as_editor.call("post", f"/resources/{communes.pk}/datastore")  # no body
    assert response.status_code == 202, response.content


def test_rerun_refusals(as_editor: Api, communes: Resource, editor: User, client: Client,
                        outsider: User) -> None:
    path = f"/resources/{communes.pk}/datastore"
    error = error_of(as_editor.call("post", path, {"encoding": "ebcdic"}), 422,
                     "validation_error")
    assert "encoding" in error["fields"]
    error_of(Api(english_client(), token_for(editor, read_only=True)).call("post", path), 403,
             "read_only_token")
    error_of(Api(english_client()).call("post", path), 401, "not_authenticated")
    error_of(Api(english_client(), token_for(outsider)).call("post", path), 403, "forbidden")
    link = factories.make_resource(dataset=communes.dataset, user=editor,
                                   kind=ResourceKind.LINK, url="https://ninhbinh.gov.vn/")
    error_of(as_editor.call("post", f"/resources/{link.pk}/datastore"), 422, "invalid")


def test_data_dictionary_is_saved_and_applied(as_editor: Api, communes: Resource,
                                              django_capture_on_commit_callbacks: Commits,
                                              ) -> None:
    path = f"/resources/{communes.pk}/datastore/dictionary"
    entry = {"title": "Dân số", "description": "Người, năm 2025", "type": "number",
             "unit": "người"}
    with django_capture_on_commit_callbacks(execute=True):
        response = as_editor.call("put", path, {"fields": {"dan_so": entry}})
    assert response.status_code == 200, response.content
    assert response.json()["dictionary"] == {"dan_so": entry}
    body = status(as_editor, communes)
    described = {field["name"]: field for field in body["fields"]}["dan_so"]
    assert (body["version"], described["type"], described["title"]) == (2, "number", "Dân số")
    error = error_of(as_editor.call("put", path, {"fields": {"khong_co": {"title": "X"}}}),
                     422, "invalid")
    assert "khong_co" in error["fields"]
    error = error_of(as_editor.call("put", path, {"fields": {"dan_so": {"type": "tiền"}}}),
                     422, "invalid")
    assert "dan_so" in error["fields"]
    error_of(as_editor.call("put", path, {"fields": "dan_so"}), 422, "validation_error")


def test_earlier_versions_stay_downloadable(client: Client, communes: Resource,
                                            editor: User, tmp_path: Path) -> None:
    changed = COMMUNES.replace(b"Xa\xcc\x83 Gia Vi", b"Xa Gia Vi") + b"1,X,Y,1,\"1,0\",,,,z\n"
    catalog.resource_update(
        user=editor, resource=communes,
        data=catalog.ResourceFields(name=communes.name, kind=ResourceKind.FILE, format="CSV"),
        upload=SimpleUploadedFile("xa.csv", changed))
    scheduled = services.schedule_ingestion(communes, enqueue=False)
    assert scheduled is not None
    runs.run_ingestion(scheduled.pk)
    body = status(Api(english_client()), communes)
    assert [(v["number"], v["rows"]) for v in body["versions"]] == [(2, 7), (1, 6)]
    for number, rows in ((1, 6), (2, 7)):
        response = client.get(f"/api/v1/resources/{communes.pk}/versions/{number}.parquet")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/vnd.apache.parquet"
        assert f"-v{number}.parquet" in response["Content-Disposition"]
        content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        assert content[:4] == b"PAR1"
        assert len(parquet_rows(content, tmp_path)) == rows
    error_of(Api(english_client()).call("get", f"/resources/{communes.pk}/versions/3.parquet"), 404)
    error_of(Api(english_client()).call("get", f"/resources/{communes.pk}/versions/x.parquet"), 422)


# The catalogue's hook -----------------------------------------------------------------------


def test_an_uploaded_table_is_read_when_its_upload_commits(
        as_editor: Api, dataset: Dataset, editor: User,
        django_capture_on_commit_callbacks: Commits) -> None:
    upload = SimpleUploadedFile("xa.csv", COMMUNES, content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = as_editor.client.post(
            f"/api/v1/datasets/{dataset.pk}/resources", {"name": "Xã", "upload": upload},
            HTTP_AUTHORIZATION=f"Bearer {as_editor.token}")
    assert response.status_code == 201, response.content
    resource = Resource.objects.get(pk=response.json()["id"])
    body = status(as_editor, resource)
    assert (body["state"], body["rows"]) == ("ready", 6)
    with django_capture_on_commit_callbacks(execute=True):
        as_editor.call("patch", f"/resources/{resource.pk}", {"description": "Mô tả"})
    assert status(as_editor, resource)["version"] == 1  # not a change of the data
    with django_capture_on_commit_callbacks(execute=True):
        as_editor.call("patch", f"/resources/{resource.pk}", {"format": "TXT"})
    assert status(as_editor, resource)["version"] == 2  # another format: read again
    with django_capture_on_commit_callbacks(execute=True):  # the file becomes a report
        catalog.resource_update(
            user=editor, resource=resource, data=catalog.ResourceFields(name="Báo cáo",
                                                                        format="PDF"),
            upload=SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4\n%%EOF\n"))
    body = status(as_editor, resource)  # a document now: no longer queryable ...
    assert (body["state"], body["version"]) == ("unsupported", None)
    error_of(as_editor.call("get", f"/resources/{resource.pk}/records"), 404, "not_found")
    # ... but what was published as a table stays downloadable
    assert as_editor.call("get", f"/resources/{resource.pk}/versions/2.parquet").status_code == 200


def test_a_deleted_resource_takes_its_parquet_files_along(
        as_editor: Api, communes: Resource, django_capture_on_commit_callbacks: Commits,
        ) -> None:
    table = DataTable.objects.get(resource=communes)
    names = [sheet["file"] for version in table.versions.all() for sheet in version.sheets]
    assert names
    assert all(default_storage.exists(name) for name in names)
    storage.readable(names[0])
    with django_capture_on_commit_callbacks(execute=True):
        response = as_editor.call("delete", f"/resources/{communes.pk}")
    assert response.status_code == 204
    assert not any(default_storage.exists(name) for name in names)
    assert not DataTable.objects.filter(pk=table.pk).exists()
    # No empty folders are left behind: not the version's, not the resource's.
    assert not Path(default_storage.path(f"datastore/{communes.pk}")).exists()
