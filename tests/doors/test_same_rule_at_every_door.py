"""The same rule gives the same answer through the pages, /api/v1 and /api/3/action.

One table: for each person and access level, may they read the dataset, may they change it, and
may they publish it? Each door is asked the same question the way its users ask it, and a write
is a real write: a signed-in browser session posting the pages' forms, an API token for both
APIs; the dataset is then read back to see whether it changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client

from portal.accounts import services as accounts
from portal.accounts.models import Role, User
from portal.agencies.models import Agency
from portal.catalog.forms import initial_from_dataset
from portal.catalog.models import AccessLevel, Dataset, Status
from portal.lib import factories

PEOPLE = ["anonymous", "sysadmin", "supervisor", "own_editor", "own_member", "other_editor"]
Y, N = True, False

READ = {
    AccessLevel.PUBLIC:   [Y, Y, Y, Y, Y, Y],
    AccessLevel.AGENCIES: [N, Y, Y, Y, Y, Y],
    AccessLevel.AGENCY:   [N, Y, Y, Y, Y, N],
}
WRITE = [N, Y, N, Y, N, N]  # whatever the access level


def person(name: str, agency: Agency, other_agency: Agency) -> User | None:
    if name == "anonymous":
        return None
    if name in ("sysadmin", "supervisor"):
        return factories.make_user(role=Role(name))
    whose, _, role = name.partition("_")
    return factories.make_user(role=Role(role), agency=agency if whose == "own" else other_agency)


def browser(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api_client(user: User | None) -> tuple[Client, dict[str, str]]:
    if user is None:
        return Client(), {}
    _token, plaintext = accounts.token_create(user=user, name="doors")
    return Client(), {"HTTP_AUTHORIZATION": plaintext}


def page_reads(user: User | None, dataset: Dataset) -> bool:
    status = browser(user).get(f"/dataset/{dataset.slug}").status_code
    assert status in (200, 404), status  # a hidden dataset is a 404, never a 403
    return status == 200


def edit_form_data(dataset: Dataset, **changes: object) -> dict[str, object]:
    """What the edit form posts for the dataset as it is, with `changes`."""
    values = initial_from_dataset(dataset) | changes
    data = {name: value for name, value in values.items() if value not in (None, "")}
    data["licence"] = dataset.licence.pk
    return data


def page_writes(user: User | None, dataset: Dataset) -> bool:
    response = browser(user).post(f"/dataset/edit/{dataset.slug}",
                                  edit_form_data(dataset, title="Mới"))
    assert response.status_code in (302, 403, 404), response.content.decode()[:2000]
    if response.status_code == 302:  # anonymous: to the login page; staff: back to the form
        return bool(response["Location"] == f"/dataset/edit/{dataset.slug}")
    return False


def page_publishes(user: User | None, dataset: Dataset) -> bool:
    response = browser(user).post(f"/dataset/{dataset.slug}/publish",
                                  {"version": dataset.version})
    assert response.status_code in (302, 403, 404), response.content.decode()[:2000]
    return bool(response.status_code == 302
                and response["Location"] == f"/dataset/edit/{dataset.slug}")


def v1_reads(user: User | None, dataset: Dataset) -> bool:
    client, headers = api_client(user)
    status = client.get(f"/api/v1/datasets/{dataset.slug}", **headers).status_code  # type: ignore[arg-type]
    assert status in (200, 404), status
    return status == 200


def v1_writes(user: User | None, dataset: Dataset) -> bool:
    client, headers = api_client(user)
    response = client.patch(f"/api/v1/datasets/{dataset.slug}", json.dumps({"title": "Mới"}),
                            content_type="application/json", **headers)  # type: ignore[arg-type]
    assert response.status_code in (200, 401, 403, 404), response.content
    return response.status_code == 200


def v1_publishes(user: User | None, dataset: Dataset) -> bool:
    client, headers = api_client(user)
    response = client.post(f"/api/v1/datasets/{dataset.slug}/publish",
                           content_type="application/json", **headers)  # type: ignore[arg-type]
    assert response.status_code in (200, 401, 403, 404), response.content
    return response.status_code == 200


def ckan_reads(user: User | None, dataset: Dataset) -> bool:
    client, headers = api_client(user)
    response = client.get("/api/3/action/package_show", {"id": dataset.slug}, **headers)  # type: ignore[arg-type]
    assert response.status_code in (200, 404), response.content
    return bool(response.json()["success"])


def ckan_writes(user: User | None, dataset: Dataset) -> bool:
    client, headers = api_client(user)
    response = client.post("/api/3/action/package_patch",
                           json.dumps({"id": dataset.slug, "title": "Mới"}),
                           content_type="application/json", **headers)  # type: ignore[arg-type]
    assert response.status_code in (200, 403, 404), response.content
    return bool(response.json()["success"])


def ckan_publishes(user: User | None, dataset: Dataset) -> bool:
    client, headers = api_client(user)
    response = client.post("/api/3/action/package_patch",
                           json.dumps({"id": dataset.slug, "state": "active"}),
                           content_type="application/json", **headers)  # type: ignore[arg-type]
    assert response.status_code in (200, 403, 404), response.content
    return bool(response.json()["success"])


Door = Callable[[User | None, Dataset], bool]
READERS: dict[str, Door] = {"pages": page_reads, "api/v1": v1_reads, "ckan": ckan_reads}
WRITERS: dict[str, Door] = {"pages": page_writes, "api/v1": v1_writes, "ckan": ckan_writes}
PUBLISHERS: dict[str, Door] = {"pages": page_publishes, "api/v1": v1_publishes,
                               "ckan": ckan_publishes}


@pytest.mark.parametrize("access_level", list(READ))
@pytest.mark.parametrize("door", list(READERS))
def test_who_reads_a_published_dataset(agency: Agency, other_agency: Agency, door: str,
                                       access_level: str) -> None:
    dataset = factories.make_dataset(agency=agency, access_level=access_level)
    for name, expected in zip(PEOPLE, READ[access_level], strict=True):  # type: ignore[index]
        user = person(name, agency, other_agency)
        assert READERS[door](user, dataset) is expected, f"{name} at {door}"


@pytest.mark.parametrize("access_level", list(READ))
@pytest.mark.parametrize("door", list(WRITERS))
def test_who_changes_a_dataset(agency: Agency, other_agency: Agency, door: str,
                               access_level: str) -> None:
    for name, expected in zip(PEOPLE, WRITE, strict=True):
        dataset = factories.make_dataset(agency=agency, access_level=access_level)
        user = person(name, agency, other_agency)
        assert WRITERS[door](user, dataset) is expected, f"{name} at {door}"
        dataset.refresh_from_db()
        assert (dataset.title == "Mới") is expected, f"{name} at {door}"


@pytest.mark.parametrize("access_level", list(READ))
@pytest.mark.parametrize("door", list(PUBLISHERS))
def test_who_publishes_a_draft(agency: Agency, other_agency: Agency, door: str,
                               access_level: str) -> None:
    for name, expected in zip(PEOPLE, WRITE, strict=True):
        dataset = factories.make_dataset(agency=agency, access_level=access_level, publish=False)
        user = person(name, agency, other_agency)
        assert PUBLISHERS[door](user, dataset) is expected, f"{name} at {door}"
        dataset.refresh_from_db()
        assert (dataset.status == Status.PUBLISHED) is expected, f"{name} at {door}"
