"""Real CKAN clients reading a whole catalogue anonymously, against a running portal with the
rate limits it has when nothing is configured: `ckanapi dump datasets --all` and the CKAN
harvester's gather stage must get every dataset, while costly work stays strictly limited.

The catalogue has 250 datasets, about three times the demo's: under the former limit (120
calls a minute) the dump died on a 429 part-way, as ckanapi does not retry. The same
computation for 10,000 datasets is in portal/ops/tests/test_ratelimit.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests
from pytest_django.live_server_helper import LiveServer

from portal.accounts.models import Role, User
from portal.agencies.models import Agency
from portal.catalog.models import Dataset, Resource
from portal.lib import factories
from portal.ops.rates import Rate

DATASETS = 250
CSV = "mã,tên\n37,Ninh Bình\n".encode()

pytestmark = pytest.mark.django_db(transaction=True)  # the server's threads see the data


@pytest.fixture
def catalogue(agency: Agency, other_agency: Agency) -> list[Dataset]:
    """DATASETS public datasets of two agencies, one with a table; and two that the public
    may not see."""
    editors = [factories.make_user(role=Role.EDITOR, agency=owner)
               for owner in (agency, other_agency)]
    public = [factories.make_dataset(agency=editor.agency, user=editor,  # type: ignore[arg-type]
                                     slug=f"bo-du-lieu-{number:03d}")
              for number in range(DATASETS) for editor in [editors[number % 2]]]
    factories.make_dataset(agency=agency, user=editors[0], slug="noi-bo", access_level="agency")
    factories.make_dataset(agency=agency, user=editors[0], slug="ban-nhap", publish=False)
    return public


@pytest.fixture
def table(agency: Agency, editor: User) -> Resource:
    """A public dataset whose CSV has been read into a table (on commit, at once in tests)."""
    dataset = factories.make_dataset(agency=agency, user=editor, slug="tinh")
    return factories.make_resource(dataset=dataset, user=editor, content=CSV,
                                   filename="tinh.csv")


def ckanapi_dump(live_server: LiveServer, output: Path) -> subprocess.CompletedProcess[str]:
    """As an operator runs it, anonymously, with the three workers ckanapi allows a remote
    site; its workers are `ckanapi` commands found on PATH."""
    bin_dir = Path(sys.executable).parent
    env = os.environ | {"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(
        [str(bin_dir / "ckanapi"), "dump", "datasets", "--all", "-p", "3", "-q",
         "-O", str(output), "-r", live_server.url],
        capture_output=True, text=True, timeout=600, env=env, check=False)


def harvester_gather(live_server: LiveServer, rows: int) -> list[dict[str, Any]]:
    """ckanext-harvest's CKAN harvester (`_search_for_datasets`): package_search paged by
    `start` until a page comes back empty, sorted by id, changes since a date; an HTTP error
    ends the gather."""
    params = {"fq": "metadata_modified:[2000-01-01T00:00:00.000000Z TO *]",
              "rows": str(rows), "start": "0", "sort": "id asc"}
    found: list[dict[str, Any]] = []
    for _page in range(DATASETS // rows + 2):
        response = requests.get(f"{live_server.url}/api/3/action/package_search", params=params,
                                timeout=60)
        response.raise_for_status()
        page = response.json()["result"]["results"]
        if not page:
            return found
        found.extend(page)
        params["start"] = str(int(params["start"]) + rows)
    raise AssertionError("the paging did not end")


def test_an_anonymous_ckanapi_dump_and_harvest_get_every_dataset_under_the_default_limits(
        live_server: LiveServer, catalogue: list[Dataset], tmp_path: Path,
        production_rate_limits: dict[str, Rate]) -> None:
    output = tmp_path / "datasets.jsonl"
    finished = ckanapi_dump(live_server, output)
    assert finished.returncode == 0, finished.stderr[-2000:]
    dumped = [json.loads(line) for line in output.read_text().splitlines()]
    assert sorted(dataset["name"] for dataset in dumped) == sorted(
        dataset.slug for dataset in catalogue)
    # Then, from the same address in the same hour, the harvester, by pages of 100 and 1000.
    expected = {str(dataset.pk) for dataset in catalogue}
    for rows in (100, 1000):
        gathered = harvester_gather(live_server, rows)
        assert len(gathered) == DATASETS
        assert {dataset["id"] for dataset in gathered} == expected


def test_costly_work_stays_strictly_limited_under_the_default_limits(
        live_server: LiveServer, table: Resource,
        production_rate_limits: dict[str, Rate]) -> None:
    """Six SQL statements a minute for one address; then 429 with Retry-After in each door's
    shape, while the catalogue still answers."""
    sql = f'SELECT count(*) AS n FROM "{table.pk}"'  # noqa: S608 (the public SQL door)
    answers = [requests.get(f"{live_server.url}/api/v1/sql", params={"sql": sql}, timeout=60)
               for _ in range(6)]
    assert [answer.status_code for answer in answers] == [200] * 6
    assert answers[0].json()["records"] == [{"n": 1}]
    refused = requests.post(f"{live_server.url}/api/3/action/datastore_search_sql",
                            json={"sql": sql}, timeout=60)
    assert refused.status_code == 429
    assert refused.json()["error"]["__type"] == "Rate Limit Error"
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert requests.get(f"{live_server.url}/api/3/action/package_show",
                        params={"id": table.dataset.slug}, timeout=60).status_code == 200
