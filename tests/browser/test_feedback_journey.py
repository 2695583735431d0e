"""Feedback in a real browser: a visitor without an account sends feedback from a dataset
page, the agency's editor answers it on the staff page, and the answer shows publicly and
reaches the visitor by e-mail in Vietnamese. The staff pages meet WCAG 2.1 AA as the public
ones do (test_accessibility.py)."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.feedback.models import State, Thread
from portal.lib import factories
from tests.browser.test_accessibility import violations
from tests.browser.test_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_sends_feedback_and_the_agency_answers_it(
        page: Page, live_server: object, agency: Agency, editor: User) -> None:
    dataset = factories.make_dataset(agency=agency, user=editor, title="Giá lúa tại các chợ",
                                     slug="gia-lua")
    base = str(live_server)

    page.goto(f"{base}/dataset/{dataset.slug}")
    page.get_by_text("Gửi phản ánh tới cơ quan").click()
    form = page.locator("#feedback form")
    form.get_by_label("Nội dung phản ánh về").select_option("format")
    form.locator("textarea[name=message]").fill("Đề nghị bổ sung bản CSV <b>mã hóa UTF-8</b>.")
    form.locator("input[name=author_email]").fill("nguoidan@example.vn")
    form.get_by_role("button", name="Gửi").click()
    expect(page.locator("main .alert-success")).to_contain_text("đã được gửi tới")
    expect(page.locator("#feedback")).to_contain_text(
        "Đề nghị bổ sung bản CSV <b>mã hóa UTF-8</b>.")
    thread = Thread.objects.get()
    assert thread.state == State.ASSIGNED

    log_in(page, base, editor)
    page.goto(f"{base}/dashboard/feedback/")
    assert violations(page) == []
    page.locator(f'a[href="/dashboard/feedback/{thread.pk}"]').first.click()
    expect(page.locator("main")).to_contain_text("nguoidan@example.vn")
    assert violations(page) == []
    page.locator("textarea[name=answer-message]").fill("Đã bổ sung bản CSV mã hóa UTF-8.")
    page.get_by_role("button", name="Gửi trả lời").click()
    expect(page.locator("main .alert-success")).to_contain_text("Đã gửi câu trả lời.")
    thread.refresh_from_db()
    assert thread.state == State.ANSWERED

    page.goto(f"{base}/dataset/{dataset.slug}")
    answer = page.locator("#feedback .thread-message-answer")
    expect(answer).to_contain_text("Đã bổ sung bản CSV mã hóa UTF-8.")
    expect(answer).to_contain_text("Sở Nông nghiệp và Môi trường")
    to_visitor = [message for message in mail.outbox if message.to == ["nguoidan@example.vn"]]
    assert [("đã tiếp nhận" in m.subject, "trả lời" in m.subject) for m in to_visitor] == [
        (True, False), (False, True)]
