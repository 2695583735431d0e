"""Panels: a provider registered for a slot appears on the lower app's page, in order."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.http import HttpRequest
from django.template import Context, Template
from django.test import RequestFactory

from portal.lib import panels


@pytest.fixture
def slot() -> Iterator[str]:
    name = "test.slot"
    yield name
    panels._slots.pop(name, None)


def second(request: HttpRequest, obj: object) -> str:
    return f"<b>second {obj}</b>"


def first(request: HttpRequest, obj: object) -> str:
    return "<i>first</i>"


def silent(request: HttpRequest, obj: object) -> str:
    return ""


def test_providers_render_in_order_and_registering_again_replaces(slot: str) -> None:
    panels.register(slot, second, order=20)
    panels.register(slot, first, order=10)
    panels.register(slot, silent)
    panels.register(slot, first, order=30)  # the same function again: moved, not doubled
    template = Template('{% load panels %}{% panels "test.slot" 7 %}')
    html = template.render(Context({"request": RequestFactory().get("/")}))
    assert html == "<b>second 7</b><i>first</i>"


def test_a_slot_without_providers_or_request_renders_nothing(slot: str) -> None:
    template = Template('{% load panels %}[{% panels "test.slot" %}]')
    assert template.render(Context({"request": RequestFactory().get("/")})) == "[]"
    panels.register(slot, first)
    assert template.render(Context({})) == "[]"
