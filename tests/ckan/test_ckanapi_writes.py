"""The real `ckanapi` client writing to a running portal, as a library and as a command."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import ckanapi
import pytest
import requests
from pytest_django.live_server_helper import LiveServer

from portal.accounts.models import User
from portal.accounts.services import token_create
from portal.agencies.models import Agency, Sector
from portal.catalog.models import Dataset, Status
from portal.lib import factories

CSV = "mã,tên\n37,Ninh Bình\n".encode()

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def writer(agency: Agency, other_agency: Agency, sectors: list[Sector]) -> User:
    return factories.make_user(role="editor", agency=agency, username="bien_tap")


@pytest.fixture
def token(writer: User) -> str:
    return token_create(user=writer, name="ckanapi")[1]


@pytest.fixture
def portal(live_server: LiveServer, token: str) -> Iterator[ckanapi.RemoteCKAN]:
    # Closed at the end: a kept-alive connection would outlive the server's shared database
    # connection (in-memory SQLite) and fail in the server's thread.
    with ckanapi.RemoteCKAN(live_server.url, apikey=token) as client:
        yield client


def _dataset(name: str, sectors: list[Sector]) -> dict[str, object]:
    return {"name": name, "title": f"Bộ dữ liệu {name}", "owner_org": "so-nong-nghiep-moi-truong",
            "license_id": "cc-by", "tags": [{"name": "thử nghiệm"}],
            "groups": [{"name": sectors[0].code}], "notes": "Mô tả", "frequency": "annual"}


def test_ckanapi_creates_uploads_patches_and_deletes(
        portal: ckanapi.RemoteCKAN, sectors: list[Sector], tmp_path: Path) -> None:
    created = portal.action.package_create(state="active", **_dataset("chat-luong-nuoc", sectors))
    assert created["state"] == "active"
    path = tmp_path / "quan-trac.csv"
    path.write_bytes(CSV)
    with path.open("rb") as upload:
        resource = portal.action.resource_create(package_id=created["id"], name="Quan trắc",
                                                 upload=upload)
    assert resource["hash"] == hashlib.sha256(CSV).hexdigest()
    downloaded = requests.get(resource["url"], timeout=30)
    assert downloaded.content == CSV
    patched = portal.action.package_patch(id="chat-luong-nuoc", title="Nước mặt")
    assert (patched["title"], patched["notes"]) == ("Nước mặt", "Mô tả")
    assert [item["name"] for item in patched["resources"]] == ["Quan trắc"]
    portal.action.package_delete(id="chat-luong-nuoc")
    assert Dataset.objects.get(slug="chat-luong-nuoc").status == Status.WITHDRAWN


def test_ckanapi_raises_validation_error_with_the_fields(portal: ckanapi.RemoteCKAN,
                                                        sectors: list[Sector]) -> None:
    with pytest.raises(ckanapi.ValidationError) as error:
        portal.action.package_create(**_dataset("Sai Tên", sectors) | {"license_id": "khong"})
    assert set(error.value.error_dict) == {"__type", "name", "license_id"}


def test_ckanapi_raises_not_authorized(live_server: LiveServer, portal: ckanapi.RemoteCKAN,
                                       sectors: list[Sector], other_agency: Agency) -> None:
    with pytest.raises(ckanapi.NotAuthorized):
        portal.action.package_create(**_dataset("y-te", sectors) | {"owner_org": "so-y-te"})
    with ckanapi.RemoteCKAN(live_server.url) as anonymous, pytest.raises(ckanapi.NotAuthorized):
        anonymous.action.package_create(**_dataset("an-danh", sectors))


def test_ckanapi_load_datasets_from_json_lines(live_server: LiveServer, token: str,
                                              sectors: list[Sector], tmp_path: Path) -> None:
    lines = tmp_path / "datasets.jsonl"
    lines.write_text("".join(json.dumps(_dataset(name, sectors), ensure_ascii=False) + "\n"
                             for name in ("tai-lieu-mot", "tai-lieu-hai")), encoding="utf-8")
    command = Path(sys.executable).parent / "ckanapi"
    environment = os.environ | {"PATH": f"{command.parent}{os.pathsep}{os.environ['PATH']}"}
    finished = subprocess.run(
        [str(command), "load", "datasets", "-I", str(lines), "-r", live_server.url, "-a", token],
        capture_output=True, text=True, timeout=120, check=False, env=environment)
    assert finished.returncode == 0, finished.stderr
    assert set(Dataset.objects.filter(slug__startswith="tai-lieu-").values_list(
        "slug", flat=True)) == {"tai-lieu-mot", "tai-lieu-hai"}
