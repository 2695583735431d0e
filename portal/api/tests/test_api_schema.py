"""The OpenAPI document, its docs page, and a schemathesis run: no input makes a server error,
and every error answer has the API's one shape."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok

from portal.accounts.models import User
from portal.api.tests.conftest import error_of, token_for
from portal.catalog.models import Dataset

pytestmark = pytest.mark.xdist_group("api_schemathesis")


def test_openapi_document_describes_every_endpoint(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    paths = set(document["paths"])
    assert {"/api/v1/datasets", "/api/v1/datasets/{id_or_name}", "/api/v1/resources/{resource_id}",
            "/api/v1/agencies/{slug}/members", "/api/v1/tokens", "/api/v1/sectors"} <= paths
    upload = document["paths"]["/api/v1/datasets/{id_or_name}/resources"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]


def test_docs_page_loads_its_assets_from_the_portal(client: Client) -> None:
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle" in page
    assert "cdn" not in page.lower()
    assert "<script>" not in page  # no inline script: the CSP allows only 'self'


@pytest.mark.parametrize(("method", "path", "status"), [
    ("get", "/api/v1/nowhere", 404),
    ("get", "/api/v1/datasets/khong-co", 404),
    ("put", "/api/v1/sectors", 405),
    ("post", "/api/v1/sql", 422),  # a read by POST: anyone reaches its input checks
    ("post", "/api/v1/datasets", 401),
    ("get", "/api/v1/datasets?limit=abc", 422),
    ("get", "/api/v1/datasets?q=a%00b", 400),  # PostgreSQL refuses NUL characters
    ("post", "/api/v1/datasets/x/resources", 401),
])
def test_every_error_has_the_one_shape(db: None, method: str, path: str, status: int) -> None:
    if method == "get":
        response = Client().get(path)
    else:
        body = "{}" if status != 401 else '{"name": "ab", "title": "T"}'
        content_type = "text/plain" if status == 415 else "application/json"
        response = getattr(Client(), method)(path, body, content_type=content_type)
    error_of(response, status)


def check_operation(operation: Any, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=20, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        case.validate_response(response, checks=[not_a_server_error])
        if response.status_code >= 400:
            body = response.json()
            assert set(body) == {"error"}, body
            assert set(body["error"]) == {"code", "message", "fields"}, body

    run()


@pytest.fixture
def _connections_kept_open() -> Iterator[None]:
    """The WSGI app closes the database connection after each request (Django's test client
    stops that); the test's transaction must outlive the requests."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.usefixtures("_connections_kept_open")
def test_no_input_makes_a_server_error(sysadmin: User, public: Dataset) -> None:
    headers = {"Authorization": f"Bearer {token_for(sysadmin)}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    results = list(schema.get_all_operations())
    assert all(isinstance(result, Ok) for result in results), results  # the schema is valid
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) >= 15
    for operation in operations:
        check_operation(operation, headers)
