"""The terms of use and the about page."""

from __future__ import annotations

from django.test import Client

from portal.agencies.models import Agency
from portal.catalog.models import Licence
from portal.lib import factories


def test_terms_list_what_users_may_do_and_what_is_prohibited(client: Client, db: None) -> None:
    response = client.get("/terms")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<h1") == 1
    for heading in ("Những gì bạn được làm", "Ghi nguồn", "Các hành vi bị nghiêm cấm",
                    "Không bảo đảm"):
        assert heading in page
    assert "Điều 5" in page


def test_terms_list_every_licence_from_the_table(client: Client, db: None) -> None:
    Licence.objects.create(code="cc-by-sa", title_vi="CC BY-SA 4.0", title_en="CC BY-SA 4.0",
                           url="https://creativecommons.org/licenses/by-sa/4.0/", position=9)
    page = client.get("/terms").content.decode()
    for licence in Licence.objects.all():
        assert licence.title_vi in page
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0/"' in page
    assert "<th scope=\"col\">" in page


def test_about_names_the_supervising_department_and_links_the_api(client: Client,
                                                                 db: None) -> None:
    supervisor = factories.make_agency(name="Sở Khoa học và Công nghệ", slug="so-khcn",
                                       is_supervisor=True)
    response = client.get("/about")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<h1") == 1
    assert f'href="/organization/{supervisor.slug}"' in page
    assert supervisor.focal_email in page
    assert 'href="/api/3/action/package_list"' in page
    assert 'id="api"' in page


def test_about_reads_well_without_a_recorded_supervisor(client: Client, db: None) -> None:
    assert not Agency.objects.filter(is_supervisor=True).exists()
    page = client.get("/about").content.decode()
    assert "Sở phụ trách chuyển đổi số của tỉnh" in page
