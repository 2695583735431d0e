"""CSRF on every form: a POST without the token is refused with 403 at every URL of the pages
and of the admin. Only the APIs are exempt: they authenticate each call by token, never by the
session cookie, so a forged cross-site request carries no authority."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import LazySettings
from django.test import Client
from django.urls import URLPattern, URLResolver, converters, get_resolver, reverse

from portal.ops.rates import Rate

API_PREFIX = "/api/"
MUST_BE_WALKED = {
    "accounts:login", "accounts:logout", "set_language", "admin:login",
    "catalog:dataset_create", "catalog:dataset_edit", "catalog:dataset_publish",
    "catalog:dataset_withdraw", "catalog:resource_create", "catalog:resource_edit",
    "catalog:resource_delete", "accounts:user_create", "accounts:user_edit",
    "accounts:user_set_active", "accounts:user_password_link",
    "accounts:user_two_factor_remove", "members:new",
}
# Values for regular-expression routes (Django's admin), by group name.
REGEX_VALUES = {"app_label": "accounts"}


def sample_value(converter: Any) -> Any:
    """Any value the route accepts: the CSRF check runs before the view looks at it."""
    if isinstance(converter, converters.IntConverter):
        return 1
    if isinstance(converter, converters.UUIDConverter):
        return uuid.UUID(int=1)
    if "|" in converter.regex:  # a choice of words (the lists' prefixes): the first, read back
        return converter.to_python(converter.regex.split("|")[0])
    return "x"


def named_routes(resolver: URLResolver | None = None,
                 namespace: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_routes(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            route = entry.pattern
            kwargs = {name: sample_value(converter)
                      for name, converter in getattr(route, "converters", {}).items()}
            regex_groups = route.regex.groupindex if not kwargs else {}
            kwargs |= {name: REGEX_VALUES.get(name, "x") for name in regex_groups}
            yield f"{namespace}{entry.name}", kwargs


def form_urls() -> dict[str, str]:
    urls = {name: reverse(name, kwargs=kwargs) for name, kwargs in named_routes()}
    return {name: url for name, url in urls.items() if not url.startswith(API_PREFIX)}


def test_the_walk_covers_the_forms_named_in_the_issue(db: None) -> None:
    assert set(form_urls()) >= MUST_BE_WALKED


def test_every_page_refuses_a_post_without_csrf_token(
        db: None, settings: LazySettings, caplog: pytest.LogCaptureFixture) -> None:
    settings.RATE_LIMIT_ANONYMOUS = settings.RATE_LIMIT_LOGIN = Rate(10_000, 3600)
    client = Client(enforce_csrf_checks=True)
    accepted = []
    for name, url in form_urls().items():
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
            response = client.post(url, {"title": "x"})
        refused_for_csrf = any(record.name == "django.security.csrf" for record in caplog.records)
        if response.status_code != 403 or not refused_for_csrf:
            accepted.append(f"{name} {url} -> {response.status_code}")
    assert accepted == []
