"""Links in /api/v1 answers are absolute and under SITE_URL when it is set (behind a proxy the
address a request came to may not be the public one), as in the CKAN API and e-mails."""

from __future__ import annotations

import pytest
from django.conf import LazySettings

from portal.accounts.models import User
from portal.api.tests.conftest import Api
from portal.catalog.models import Dataset, ResourceKind
from portal.datastore.tests.api_support import english_client, ready
from portal.lib import factories

SITE = "https://dulieu.ninhbinh.gov.vn"


@pytest.fixture
def _site_url(settings: LazySettings) -> None:
    settings.SITE_URL = SITE


@pytest.mark.usefixtures("_site_url")
def test_a_file_is_downloaded_from_site_url(anonymous: Api, public: Dataset) -> None:
    resource = anonymous.call("get", "/datasets/dan-so").json()["resources"][0]
    assert resource["url"].startswith(f"{SITE}/dataset/dan-so/resource/{resource['id']}/")
    assert anonymous.call("get", f"/resources/{resource['id']}").json()["url"] == resource["url"]
    listed = anonymous.call("get", "/datasets").json()["results"][0]["resources"][0]
    assert listed["url"] == resource["url"]


def test_without_site_url_links_use_the_address_called(anonymous: Api, public: Dataset) -> None:
    resource = anonymous.call("get", "/datasets/dan-so").json()["resources"][0]
    assert resource["url"].startswith("http://testserver/dataset/dan-so/resource/")


@pytest.mark.usefixtures("_site_url")
def test_a_link_keeps_its_own_address(anonymous: Api, public: Dataset, editor: User) -> None:
    factories.make_resource(dataset=public, user=editor, kind=ResourceKind.LINK, name="FTP",
                            url="ftp://ftp.ninhbinh.gov.vn/du-lieu.csv")
    urls = [item["url"] for item in anonymous.call("get", "/datasets/dan-so/resources").json()]
    assert "ftp://ftp.ninhbinh.gov.vn/du-lieu.csv" in urls


@pytest.mark.usefixtures("_site_url")
def test_data_api_links_are_under_site_url(public: Dataset, editor: User) -> None:
    communes = ready(public, editor)
    api = Api(english_client())
    [version] = api.call("get", f"/resources/{communes.pk}/datastore").json()["versions"]
    assert version["download_url"] == (
        f"{SITE}/api/v1/resources/{communes.pk}/versions/1.parquet")
    body = api.call("get", f"/resources/{communes.pk}/records", {"limit": 2}).json()
    assert body["next"].startswith(f"{SITE}/api/v1/resources/{communes.pk}/records?")
