"""The native REST API, /api/v1: OpenAPI 3 at /api/v1/openapi.json, docs at /api/v1/docs.

The docs page is ninja's Swagger UI with the assets ninja ships (`ninja` in INSTALLED_APPS), so
it works offline and under the portal's Content-Security-Policy. See docs/api.md.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI, Swagger

from portal.api import datasets, directory, errors, resources, tokens
from portal.api.auth import credentials
from portal.datastore import api as datastore
from portal.feedback import api as feedback
from portal.openlist import api as openlist
from portal.schedules import api as schedules

api = NinjaAPI(
    title="Open data portal API",
    version="1",
    description="The portal's native REST API. Stability promise and error shape: docs/api.md.",
    urls_namespace="api-v1",
    docs=Swagger(),
    auth=credentials,  # every endpoint: GET reads, other methods write (portal/api/auth.py)
)
errors.install(api)
datastore.install_errors(api)
api.add_router("", datasets.router)
api.add_router("", resources.router)
api.add_router("", directory.router)
api.add_router("", tokens.router)
api.add_router("", datastore.router)
api.add_router("", feedback.router)
api.add_router("", schedules.router)
api.add_router("", openlist.router)


def _patterns() -> list[URLPattern | URLResolver]:
    patterns, _app, _namespace = api.urls
    shaped: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = errors.shaped(pattern.callback)
        shaped.append(pattern)
    return [*shaped, re_path(r"^(?P<rest>.*)$", errors.not_found)]


urls = (_patterns(), "api-v1", "api-v1")  # for path("api/v1/", urls)
