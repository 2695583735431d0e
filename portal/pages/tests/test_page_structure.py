"""What every public page shares: one h1, landmarks, the language switch, no inline script."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.pages.tests.catalogue import Catalogue, make_catalogue

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>")


@pytest.fixture
def catalogue(agency: Agency, editor: User) -> Catalogue:
    return make_catalogue(agency, editor)


def public_urls(catalogue: Catalogue) -> list[str]:
    dataset, resource = catalogue.public, catalogue.resource
    return ["/", "/dataset/", "/dataset/?q=khong-co", f"/dataset/{dataset.slug}",
            f"/dataset/{dataset.slug}/resource/{resource.pk}", "/group/", "/group/nong-nghiep",
            "/organization/", f"/organization/{catalogue.agency.slug}", "/terms", "/about"]


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_public_page_has_one_h1_landmarks_and_no_inline_script(
        client: Client, catalogue: Catalogue, signed_in: bool) -> None:
    if signed_in:
        client.force_login(catalogue.editor)
    for url in public_urls(catalogue):
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200, url
        assert page.count("<h1") == 1, url
        assert '<main id="main"' in page, url
        assert "<header" in page, url
        assert "<footer" in page, url
        assert 'name="language"' in page, url
        assert not INLINE_SCRIPT.search(page), url
        assert " style=" not in page, url


def test_every_form_field_has_a_label(client: Client, catalogue: Catalogue) -> None:
    for url in public_urls(catalogue):
        page = client.get(url).content.decode()
        for field in re.findall(r"<(?:input|select|textarea)\b[^>]*>", page):
            if 'type="hidden"' in field or 'type="submit"' in field:
                continue
            field_id = re.search(r'\bid="([^"]+)"', field)
            assert field_id is not None, (url, field)
            assert f'for="{field_id.group(1)}"' in page, (url, field)


def test_every_image_has_alt_text(client: Client, catalogue: Catalogue) -> None:
    for url in public_urls(catalogue):
        for image in re.findall(r"<img\b[^>]*>", client.get(url).content.decode()):
            assert "alt=" in image, (url, image)
