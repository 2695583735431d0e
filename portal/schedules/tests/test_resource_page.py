"""The resource form: the period filled in from a reminder's link, the other periods an upload
covers, and the schedule moving with it."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Resource
from portal.schedules.models import DuePeriod
from portal.schedules.tests.test_refresh import monthly, upload


def test_the_form_comes_with_the_period_of_the_link(client: Client, agency: Agency,
                                                    editor: User) -> None:
    dataset = monthly(agency, editor, date(2026, 1, 5))
    client.force_login(editor)
    page = client.get(f"/dataset/{dataset.slug}/resource/new?period=2026-03").content.decode()
    assert 'name="period" value="2026-03"' in page
    assert 'name="periods"' in page


def test_a_late_upload_covering_missed_months_turns_them_late(
        client: Client, agency: Agency, editor: User) -> None:
    dataset = monthly(agency, editor, date(2026, 1, 5))
    upload(dataset, editor, ["2026-01"], date(2026, 2, 10))
    client.force_login(editor)
    response = client.post(f"/dataset/{dataset.slug}/resource/new", {
        "kind": "file", "name": "Tháng 2 và 3", "period": "2026-03", "periods": "2026-02",
        "file": SimpleUploadedFile("t2-t3.csv", b"ma,ten\n1,Hoa Lu\n")})
    assert response.status_code == 302, response.content.decode()[:3000]
    resource = Resource.objects.get(name="Tháng 2 và 3")
    assert resource.periods == ["2026-02", "2026-03"]
    states = dict(DuePeriod.objects.filter(dataset=dataset).values_list("period", "state"))
    assert states["2026-01"] == "on_time"
    assert states["2026-02"] == states["2026-03"] == "late"  # delivered today, long after
    assert DuePeriod.objects.get(dataset=dataset, period="2026-02").fulfilled_by == [
        str(resource.pk)]
    assert timezone.localdate() > date(2026, 4, 15)


def test_bad_periods_are_refused_on_the_form(client: Client, agency: Agency,
                                             editor: User) -> None:
    dataset = monthly(agency, editor, date(2026, 1, 5))
    client.force_login(editor)
    response = client.post(f"/dataset/{dataset.slug}/resource/new", {
        "kind": "link", "name": "Liên kết", "url": "https://x.vn/a", "periods": "2026-02 tháng3"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Ghi mỗi kỳ báo cáo theo dạng" in page
    assert not Resource.objects.filter(dataset=dataset).exists()
