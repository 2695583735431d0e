"""/api/v1 tokens (one's own), agencies, sectors and members; read-only and revoked tokens."""

from __future__ import annotations

from django.test import Client

from portal.accounts.models import Role, User
from portal.agencies.models import Agency
from portal.api.tests.conftest import Api, error_of, token_for
from portal.catalog.models import Dataset
from portal.lib import factories


def test_a_user_creates_lists_and_revokes_own_tokens(as_editor: Api) -> None:
    created = as_editor.call("post", "/tokens", {"name": "harvester", "expires_days": 30})
    assert created.status_code == 201, created.content
    plaintext, token_id = created.json()["token"], created.json()["id"]
    assert plaintext.startswith("odp_")
    listed = as_editor.call("get", "/tokens").json()
    assert [item["name"] for item in listed] == ["test False", "harvester"]
    assert all("token" not in item for item in listed)
    assert as_editor.call("delete", f"/tokens/{token_id}").status_code == 204
    error_of(Api(Client(), plaintext).call("get", "/datasets"), 401, "invalid_token")


def test_tokens_of_others_are_not_found(as_editor: Api, outsider: User) -> None:
    services_token = token_for(outsider)
    del services_token
    other_id = outsider.api_tokens.get().pk
    error_of(as_editor.call("delete", f"/tokens/{other_id}"), 404)
    error_of(Api(Client()).call("get", "/tokens"), 401, "not_authenticated")
    error = error_of(as_editor.call("post", "/tokens", {"name": ""}), 422)
    assert "name" in error["fields"]


def test_a_read_only_token_reads_but_never_writes(editor: User, public: Dataset) -> None:
    api = Api(Client(), token_for(editor, read_only=True))
    assert api.call("get", "/datasets/dan-so").status_code == 200
    error_of(api.call("patch", "/datasets/dan-so", {"title": "X"}), 403, "read_only_token")
    error_of(api.call("post", "/tokens", {"name": "more"}), 403, "read_only_token")


def test_a_bad_token_is_refused_not_read_as_anonymous(public: Dataset) -> None:
    error_of(Api(Client(), "odp_nope").call("get", "/datasets"), 401, "invalid_token")
    response = Client().get("/api/v1/datasets", HTTP_X_CKAN_API_KEY="odp_nope")
    error_of(response, 401, "invalid_token")


def test_agencies_and_sectors_are_public(anonymous: Api, agency: Agency,
                                         public: Dataset) -> None:
    agencies = anonymous.call("get", "/agencies").json()
    assert agency.slug in [item["slug"] for item in agencies]
    detail = anonymous.call("get", f"/agencies/{agency.slug}").json()
    assert detail["sectors"] == [sector.code for sector in agency.sectors.all()]
    sectors = anonymous.call("get", "/sectors").json()
    code = public.sectors.get().code
    assert next(item for item in sectors if item["code"] == code)["dataset_count"] == 1
    assert anonymous.call("get", f"/sectors/{code}").json()["code"] == code
    error_of(anonymous.call("get", "/sectors/khong-co"), 404)
    error_of(anonymous.call("get", "/agencies/khong-co"), 404)


def test_members_are_read_by_admins_supervisors_and_sysadmins(
        agency: Agency, other_agency: Agency, editor: User, supervisor: User,
        sysadmin: User) -> None:
    admin = factories.make_user(role=Role.ADMIN, agency=agency)
    other_admin = factories.make_user(role=Role.ADMIN, agency=other_agency)
    url = f"/agencies/{agency.slug}/members"
    for reader in (admin, supervisor, sysadmin):
        members = Api(Client(), token_for(reader)).call("get", url).json()
        assert {"editor", admin.username} <= {item["username"] for item in members}
    for refused in (editor, other_admin):
        error_of(Api(Client(), token_for(refused)).call("get", url), 403, "forbidden")
    error_of(Api(Client()).call("get", url), 401)
