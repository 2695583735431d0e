"""Staff pages for datasets: create, edit, publish and withdraw, through the test client."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext, override

from portal.accounts.models import User
from portal.agencies.models import Agency, Sector
from portal.catalog import selectors
from portal.catalog.models import Dataset, DatasetChange, Licence, Status
from portal.lib import factories
from portal.lib.errors import NotFound

CONFLICT = ("Someone else changed this dataset while you were editing it. Reload the page to "
            "see their changes, then make yours again.")


def said(message: str) -> str:
    """A message as the page shows it: in Vietnamese (the default language), HTML-escaped."""
    with override("vi"):
        return escape(gettext(message))


def form_data(agency: Agency, **changes: Any) -> dict[str, Any]:
    return {
        "title": "Danh mục đất đai đã giao năm 2025",
        "slug": "",
        "description": "Danh sách **thửa đất** đã giao.",
        "keywords": "đất đai, quy hoạch; giao đất",
        "sectors": [agency.sectors.order_by("pk").first().pk],  # type: ignore[union-attr]
        "licence": Licence.objects.get(is_default=True).pk,
        "access_level": "public",
        "frequency": "monthly",
        "temporal_start": "2025-01-01",
        "temporal_end": "2025-12-31",
        "spatial_codes": ["37"],
        "source_system": "Cơ sở dữ liệu đất đai quốc gia",
        "contact_name": "Phòng Đất đai",
        "contact_email": "datdai@ninhbinh.gov.vn",
        "version": "",
    } | changes


def edit_data(dataset: Dataset, **changes: Any) -> dict[str, Any]:
    return form_data(dataset.agency, title=dataset.title, slug=dataset.slug,
                     version=dataset.version) | changes


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def test_staff_pages_send_anonymous_visitors_to_login(client: Client, agency: Agency,
                                                      editor: User) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor)
    for url in (reverse("catalog:dashboard"), reverse("catalog:dataset_create"),
                reverse("catalog:dataset_edit", args=[dataset.slug]),
                reverse("catalog:dataset_publish", args=[dataset.slug])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_editor_creates_a_draft_with_every_field(client: Client, agency: Agency,
                                                 editor: User) -> None:
    response = signed_in(client, editor).post(reverse("catalog:dataset_create"),
                                              form_data(agency))
    dataset = Dataset.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:resource_create", args=[dataset.slug])
    assert dataset.slug == "danh-muc-dat-dai-da-giao-nam-2025"
    assert dataset.status == Status.DRAFT
    assert dataset.agency == agency
    assert sorted(k.name for k in dataset.keywords.all()) == ["giao đất", "quy hoạch", "đất đai"]
    assert dataset.frequency == "monthly"
    assert str(dataset.temporal_end) == "2025-12-31"
    assert dataset.spatial_codes == ["37"]
    assert dataset.contact_email == "datdai@ninhbinh.gov.vn"
    assert dataset.changes.get().action == DatasetChange.Action.CREATED


def test_create_page_is_accessible_and_offers_only_the_agency_sectors(
        client: Client, agency: Agency, editor: User, sectors: list[Sector]) -> None:
    response = signed_in(client, editor).get(reverse("catalog:dataset_create"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert '<label class="form-label fw-semibold" for="id_title">' in html
    for sector in sectors[:3]:
        assert f'value="{sector.pk}"' in html
    assert f'name="sectors" value="{sectors[-1].pk}"' not in html
    assert 'name="version"' in html
    assert "<script>" not in html


def test_url_name_is_suggested_from_the_vietnamese_title(client: Client, agency: Agency,
                                                         editor: User) -> None:
    factories.make_dataset(agency=agency, user=editor, slug="duong-do-thi")
    response = signed_in(client, editor).get(
        reverse("catalog:dataset_create"),
        {"title": "Đường đô thị", "slug": "", "slug_suggested": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'value="duong-do-thi-2"' in response.content.decode()
    kept = client.get(reverse("catalog:dataset_create"),
                      {"title": "Đường", "slug": "ten-rieng", "slug_suggested": "duong-do-thi-2"},
                      HTTP_HX_REQUEST="true")
    assert 'value="ten-rieng"' in kept.content.decode()


def test_editor_edits_a_draft_and_history_names_the_fields(client: Client, agency: Agency,
                                                           editor: User) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor, publish=False)
    url = reverse("catalog:dataset_edit", args=[dataset.slug])
    response = signed_in(client, editor).post(url, edit_data(dataset, title="Tiêu đề mới"))
    assert response.status_code == 302
    dataset.refresh_from_db()
    assert dataset.title == "Tiêu đề mới"
    change = dataset.changes.get(action=DatasetChange.Action.UPDATED)
    assert "title" in change.fields
    assert change.user == editor


def test_second_of_two_stale_edits_gets_the_conflict_message(client: Client, agency: Agency,
                                                             editor: User) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor, publish=False)
    url = reverse("catalog:dataset_edit", args=[dataset.slug])
    first = edit_data(dataset, title="Sửa lần thứ nhất")
    second = edit_data(dataset, title="Sửa lần thứ hai")
    signed_in(client, editor)
    assert client.post(url, first).status_code == 302
    response = client.post(url, second)
    assert response.status_code == 409
    html = response.content.decode()
    assert said(CONFLICT) in html
    assert 'value="Sửa lần thứ hai"' in html  # the person's input is kept
    dataset.refresh_from_db()
    assert dataset.title == "Sửa lần thứ nhất"


def test_sectors_outside_the_agency_are_refused_on_the_field(
        client: Client, agency: Agency, editor: User, sectors: list[Sector]) -> None:
    response = signed_in(client, editor).post(reverse("catalog:dataset_create"),
                                              form_data(agency, sectors=[sectors[-1].pk]))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_sectors_error"' in html
    assert escape(sectors[-1].name) in html.split('id="id_sectors_error"')[1].split("</div>")[0]
    assert 'aria-describedby="id_sectors_helptext id_sectors_error"' in html
    assert not Dataset.objects.exists()


def test_empty_title_is_refused_with_a_message_on_the_field(client: Client, agency: Agency,
                                                            editor: User) -> None:
    response = signed_in(client, editor).post(reverse("catalog:dataset_create"),
                                              form_data(agency, title="  "))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_title_error"' in html
    assert 'aria-describedby="id_title_error"' in html
    assert 'aria-invalid="true"' in html
    assert not Dataset.objects.exists()


def test_end_of_temporal_coverage_before_its_start_is_refused(client: Client, agency: Agency,
                                                              editor: User) -> None:
    response = signed_in(client, editor).post(
        reverse("catalog:dataset_create"),
        form_data(agency, temporal_start="2025-12-31", temporal_end="2025-01-01"))
    assert response.status_code == 400
    assert said("The end of the temporal coverage is before its start.") in (
        response.content.decode())
    assert not Dataset.objects.exists()


@pytest.mark.parametrize("bad", [
    {"sectors": ["abc"]}, {"licence": "999999"}, {"spatial_codes": ["00000"]},
    {"temporal_start": "2025-13-45"}, {"version": "abc"}, {"access_level": "secret"},
    {"frequency": "hourly"}, {"contact_email": "not-an-address"}, {"slug": "Có Dấu!"},
    {"title": "x" * 301}, {"keywords": "a" * 101},
])
def test_bad_input_is_refused_with_a_message_never_a_500(
        client: Client, agency: Agency, editor: User, bad: dict[str, Any]) -> None:
    response = signed_in(client, editor).post(reverse("catalog:dataset_create"),
                                              form_data(agency, **bad))
    assert response.status_code == 400
    assert 'class="alert alert-danger"' in response.content.decode()
    assert not Dataset.objects.exists()


def test_editor_cannot_edit_another_agencys_dataset(client: Client, editor: User,
                                                    other_agency: Agency,
                                                    outsider: User) -> None:
    draft = factories.make_dataset(agency=other_agency, user=outsider, publish=False)
    published = factories.make_dataset(agency=other_agency, user=outsider)
    signed_in(client, editor)
    assert client.get(reverse("catalog:dataset_edit", args=[draft.slug])).status_code == 404
    url = reverse("catalog:dataset_edit", args=[published.slug])
    assert client.get(url).status_code == 403
    response = client.post(url, edit_data(published, title="Chiếm quyền"))
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.title != "Chiếm quyền"


def test_member_cannot_create_a_dataset(client: Client, agency: Agency, member: User) -> None:
    signed_in(client, member)
    assert client.get(reverse("catalog:dataset_create")).status_code == 403
    response = client.post(reverse("catalog:dataset_create"), form_data(agency))
    assert response.status_code == 403
    assert not Dataset.objects.exists()


def test_supervisor_cannot_edit_or_publish(client: Client, agency: Agency, editor: User,
                                           supervisor: User) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor, publish=False)
    signed_in(client, supervisor)
    edit = reverse("catalog:dataset_edit", args=[dataset.slug])
    assert client.get(edit).status_code == 403
    assert client.post(edit, edit_data(dataset, title="Sửa")).status_code == 403
    publish = reverse("catalog:dataset_publish", args=[dataset.slug])
    assert client.post(publish, {"version": dataset.version}).status_code == 403
    dataset.refresh_from_db()
    assert dataset.status == Status.DRAFT


def test_sysadmin_chooses_the_agency_before_the_form(client: Client, agency: Agency,
                                                     other_agency: Agency,
                                                     sysadmin: User) -> None:
    signed_in(client, sysadmin)
    choose = client.get(reverse("catalog:dataset_create"))
    assert 'name="agency"' in choose.content.decode()
    url = reverse("catalog:dataset_create") + f"?agency={other_agency.slug}"
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(other_agency))
    assert response.status_code == 302
    assert Dataset.objects.get().agency == other_agency


def test_editor_publishes_a_draft_and_only_then_the_public_sees_it(
        client: Client, agency: Agency, editor: User) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor, publish=False)
    with pytest.raises(NotFound):
        selectors.get_dataset(AnonymousUser(), dataset.slug)
    url = reverse("catalog:dataset_publish", args=[dataset.slug])
    signed_in(client, editor)
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert 'method="post"' in confirm.content.decode()
    dataset.refresh_from_db()
    assert dataset.status == Status.DRAFT  # a GET only asks
    assert client.post(url, {"version": dataset.version}).status_code == 302
    assert selectors.get_dataset(AnonymousUser(), dataset.slug).status == Status.PUBLISHED


def test_publishing_a_stale_version_is_refused(client: Client, agency: Agency,
                                               editor: User) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor, publish=False)
    stale = dataset.version
    factories.make_resource(dataset=dataset, user=editor)
    response = signed_in(client, editor).post(
        reverse("catalog:dataset_publish", args=[dataset.slug]), {"version": stale})
    assert response.status_code == 409
    assert said(CONFLICT) in response.content.decode()
    dataset.refresh_from_db()
    assert dataset.status == Status.DRAFT


def test_withdrawal_asks_for_a_reason_and_records_it(client: Client, agency: Agency,
                                                     editor: User) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor)
    url = reverse("catalog:dataset_withdraw", args=[dataset.slug])
    signed_in(client, editor)
    refused = client.post(url, {"version": dataset.version, "reason": ""})
    assert refused.status_code == 400
    assert 'id="id_reason_error"' in refused.content.decode()
    response = client.post(url, {"version": dataset.version, "reason": "Số liệu sai"})
    assert response.status_code == 302
    dataset.refresh_from_db()
    assert dataset.status == Status.WITHDRAWN
    assert dataset.changes.get(action=DatasetChange.Action.WITHDRAWN).note == "Số liệu sai"
    with pytest.raises(NotFound):
        selectors.get_dataset(AnonymousUser(), dataset.slug)


def test_write_views_refuse_a_post_without_csrf_token(agency: Agency, editor: User) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor, publish=False)
    client = signed_in(Client(enforce_csrf_checks=True), editor)
    response = client.post(reverse("catalog:dataset_publish", args=[dataset.slug]),
                           {"version": dataset.version})
    assert response.status_code == 403
    dataset.refresh_from_db()
    assert dataset.status == Status.DRAFT


def test_write_views_accept_only_get_and_post(client: Client, agency: Agency,
                                              editor: User) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor, publish=False)
    response = signed_in(client, editor).delete(
        reverse("catalog:dataset_edit", args=[dataset.slug]))
    assert response.status_code == 405
