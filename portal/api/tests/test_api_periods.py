"""/api/v1 resources carry the periods their data covers, beside `period`."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from portal.api.tests.conftest import Api, error_of
from portal.catalog.models import Dataset


def test_a_link_covering_several_periods(as_editor: Api, public: Dataset) -> None:
    created = as_editor.call("post", f"/datasets/{public.pk}/resources", {
        "name": "Dân số 2023-2025", "url": "https://thongke.ninhbinh.gov.vn/dan-so",
        "period": "2025", "periods": ["2023", "2024"]})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["period"], body["periods"]) == ("2025", ["2023", "2024", "2025"])
    assert body["delivered"] is not None
    renamed = as_editor.call("patch", f"/resources/{body['id']}", {"name": "Dân số"}).json()
    assert renamed["periods"] == ["2023", "2024", "2025"]
    assert renamed["delivered"] == body["delivered"]  # a new name is not new data
    narrowed = as_editor.call("patch", f"/resources/{body['id']}", {"periods": []}).json()
    assert narrowed["periods"] == ["2025"]


def test_a_bad_covered_period_is_refused_by_field(as_editor: Api, public: Dataset) -> None:
    error = error_of(as_editor.call("post", f"/datasets/{public.pk}/resources", {
        "name": "X", "url": "https://x.vn", "periods": ["2025", "2025-13"]}), 422)
    assert "2025-13" in error["fields"]["periods"][0]
    error = error_of(as_editor.call("post", f"/datasets/{public.pk}/resources", {
        "name": "X", "url": "https://x.vn", "periods": "2025"}), 422, "validation_error")
    assert public.resources.count() == 1


def test_an_upload_names_its_periods_in_the_form(as_editor: Api, public: Dataset) -> None:
    response = as_editor.client.post(
        f"/api/v1/datasets/{public.pk}/resources",
        {"name": "Tháng", "period": "2026-03", "periods": "2026-01, 2026-02",
         "upload": _file()}, HTTP_AUTHORIZATION=f"Bearer {as_editor.token}")
    assert response.status_code == 201, response.content
    assert response.json()["periods"] == ["2026-01", "2026-02", "2026-03"]


def _file() -> SimpleUploadedFile:
    return SimpleUploadedFile("thang.csv", b"ma,ten\n1,Hoa Lu\n", content_type="text/csv")


def test_the_agency_chooses_the_first_period(as_editor: Api, as_outsider: Api,
                                             public: Dataset) -> None:
    chosen = as_editor.call("put", f"/datasets/{public.slug}/schedule", {"first_period": "2023"})
    assert chosen.status_code == 200, chosen.content
    assert chosen.json()["periods"][0]["period"] == "2023"
    error = error_of(as_editor.call("put", f"/datasets/{public.slug}/schedule",
                                    {"first_period": "năm 2023"}), 422)
    assert "first_period" in error["fields"]
    error_of(as_outsider.call("put", f"/datasets/{public.slug}/schedule",
                              {"first_period": "2024"}), 403, "forbidden")
