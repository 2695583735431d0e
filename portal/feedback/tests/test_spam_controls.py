"""The spam controls every door applies (inputs.py), tested on the service: a honeypot, a size
limit and a link limit, each refused with a clear message and nothing saved."""

from __future__ import annotations

import pytest
from django.utils import translation

from portal.catalog.models import Dataset
from portal.feedback.models import Thread
from portal.feedback.tests.conftest import feedback
from portal.lib.errors import ApplicationError

pytestmark = pytest.mark.django_db


def refusal(dataset: Dataset, **values: object) -> ApplicationError:
    with pytest.raises(ApplicationError) as refused:
        feedback(dataset, **values)
    assert not Thread.objects.exists()
    return refused.value


def test_a_filled_honeypot_is_refused(dataset: Dataset) -> None:
    assert "website" in refusal(dataset, honeypot="http://spam.example").field_errors


def test_a_message_over_the_size_limit_is_refused_saying_the_limit(
        dataset: Dataset, settings: object) -> None:
    settings.FEEDBACK_MAX_LENGTH = 100  # type: ignore[attr-defined]
    with translation.override("vi"):
        error = refusal(dataset, message="x" * 101)
    assert "100" in error.field_errors["message"][0]
    assert "quá dài" in error.field_errors["message"][0]


def test_too_many_links_are_refused(dataset: Dataset, settings: object) -> None:
    settings.FEEDBACK_MAX_LINKS = 2  # type: ignore[attr-defined]
    text = "Xem http://a.example, https://b.example và www.c.example"
    with translation.override("vi"):
        error = refusal(dataset, message=text)
    assert "liên kết" in error.field_errors["message"][0]
    feedback(dataset, message="Xem https://a.example và www.b.example")
    assert Thread.objects.count() == 1


def test_links_are_counted_in_the_name_too(dataset: Dataset, settings: object) -> None:
    settings.FEEDBACK_MAX_LINKS = 0  # type: ignore[attr-defined]
    assert "message" in refusal(dataset, author_name="https://shop.example").field_errors


def test_an_empty_message_or_a_bad_address_is_refused(dataset: Dataset) -> None:
    assert "message" in refusal(dataset, message="   ").field_errors
    assert "author_email" in refusal(dataset, author_email="khong-phai-email").field_errors


def test_nul_characters_are_dropped_not_stored(dataset: Dataset) -> None:
    thread = feedback(dataset, message="Thiếu\x00 dữ liệu")
    assert thread.messages.get().body == "Thiếu dữ liệu"
