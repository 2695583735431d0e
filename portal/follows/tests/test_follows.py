"""Following a dataset, an agency or a sector: double opt-in by an e-mailed link, one-click
unsubscribe in every message, news of new data and of answers to public feedback."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.test import Client
from django.utils import timezone

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Dataset
from portal.feedback import services as feedback
from portal.feedback.inputs import Submission
from portal.follows import services, tokens
from portal.follows.models import Follow
from portal.lib import factories
from portal.ops.rates import Rate

pytestmark = pytest.mark.django_db
Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
LINK = re.compile(r"https?://\S+/follow/(confirm|unsubscribe)/(\S+)")


@pytest.fixture
def dataset(agency: Agency, editor: User) -> Dataset:
    return factories.make_dataset(agency=agency, user=editor, title="Giá lúa tại các chợ",
                                  slug="gia-lua", sectors=list(agency.sectors.all()[:1]))


def link(kind: str, body: str) -> str:
    found = [match for match in LINK.finditer(body) if match.group(1) == kind]
    assert found, body
    return f"/follow/{kind}/{found[0].group(2)}"


def ask(client: Client, path: str, email: str, capture: Capture, **extra: str) -> Any:
    with capture(execute=True):
        return client.post(path, {"email": email, "website": ""} | extra)


def confirmed_follow(target: Any, email: str = "theodoi@example.vn") -> Follow:
    follow = Follow.objects.create(email=email, **services.target_fields(target))
    return services.follow_confirm(follow)


def test_public_pages_offer_to_follow(client: Client, dataset: Dataset, agency: Agency) -> None:
    sector = dataset.sectors.get()
    for path, action in [(f"/dataset/{dataset.slug}", f"/follow/dataset/{dataset.slug}"),
                         (f"/organization/{agency.slug}", f"/follow/organization/{agency.slug}"),
                         (f"/group/{sector.code}", f"/follow/group/{sector.code}")]:
        html = client.get(path).content.decode()
        assert f'action="{action}"' in html, path
    draft = factories.make_dataset(agency=agency, publish=False)
    assert client.post(f"/follow/dataset/{draft.slug}",
                       {"email": "a@example.vn"}).status_code == 404


def test_following_needs_the_confirmation_link(client: Client, dataset: Dataset,
                                               django_capture_on_commit_callbacks: Capture
                                               ) -> None:
    response = ask(client, f"/follow/dataset/{dataset.slug}", "Theodoi@Example.vn",
                   django_capture_on_commit_callbacks)
    assert response.status_code == 302
    follow = Follow.objects.get()
    assert follow.email == "theodoi@example.vn"
    assert follow.confirmed is None
    [message] = mail.outbox
    assert message.to == ["theodoi@example.vn"]
    assert "xác nhận" in message.subject
    assert "Giá lúa tại các chợ" in message.body
    page = client.get(link("confirm", str(message.body)))
    assert page.status_code == 200
    assert "Đã xác nhận theo dõi" in page.content.decode()
    follow.refresh_from_db()
    assert follow.confirmed is not None


def test_asking_again_sends_no_second_link_the_same_day_and_says_the_same(
        client: Client, dataset: Dataset, django_capture_on_commit_callbacks: Capture) -> None:
    path = f"/follow/dataset/{dataset.slug}"
    first = ask(client, path, "a@example.vn", django_capture_on_commit_callbacks)
    second = ask(client, path, "a@example.vn", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert first["Location"] == second["Location"]
    services.follow_confirm(Follow.objects.get())
    Follow.objects.update(link_sent=timezone.now() - timedelta(days=2))
    ask(client, path, "a@example.vn", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1  # already following: nothing is sent


@pytest.mark.parametrize(("form", "expected"), [
    ({"email": "khong-hop-le"}, "Nhập địa chỉ thư điện tử"),
    ({"email": "a@example.vn", "website": "spam"}, "Để trống ô này"),
])
def test_refusals_are_explained_and_nothing_is_kept(client: Client, dataset: Dataset,
                                                    form: dict[str, str],
                                                    expected: str) -> None:
    response = client.post(f"/follow/dataset/{dataset.slug}", form)
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not Follow.objects.exists()


def test_following_is_priced_as_costly_work(client: Client, agency: Agency,
                                            production_rate_limits: dict[str, Rate]) -> None:
    codes = [client.post(f"/follow/organization/{agency.slug}",
                         {"email": f"a{n}@example.vn"}).status_code for n in range(4)]
    assert codes == [302, 302, 302, 429]


def test_links_are_signed_expire_and_name_one_follow(client: Client, dataset: Dataset,
                                                     settings: Any) -> None:
    follow = Follow.objects.create(email="a@example.vn", dataset=dataset)
    other = Follow.objects.create(email="b@example.vn", agency=dataset.agency)
    token = tokens.make(follow, tokens.CONFIRM)
    assert tokens.read(token, tokens.UNSUBSCRIBE) is None  # one purpose per link
    assert tokens.read(token[:-2] + "xx", tokens.CONFIRM) is None
    assert tokens.read(tokens.make(other, tokens.CONFIRM), tokens.CONFIRM) == other
    assert "a@example.vn" not in token
    settings.FOLLOW_CONFIRM_DAYS = 0
    assert client.get(f"/follow/confirm/{token}").status_code == 404
    follow.refresh_from_db()
    assert follow.confirmed is None


def test_one_click_unsubscribes_and_deletes_the_address(client: Client,
                                                        dataset: Dataset) -> None:
    follow = confirmed_follow(dataset)
    path = f"/follow/unsubscribe/{tokens.make(follow, tokens.UNSUBSCRIBE)}"
    page = client.get(path)
    assert page.status_code == 200
    assert "Đã hủy theo dõi" in page.content.decode()
    assert not Follow.objects.exists()
    assert client.get(path).status_code == 404  # a second click: the follow is gone


def test_new_data_is_told_once_to_each_follower_with_its_own_unsubscribe_link(
        dataset: Dataset, editor: User, django_capture_on_commit_callbacks: Capture,
        settings: Any) -> None:
    settings.SITE_URL = "https://data.ninhbinh.gov.vn"  # news has no request to take it from
    confirmed_follow(dataset, "both@example.vn")
    confirmed_follow(dataset.agency, "both@example.vn")
    confirmed_follow(dataset.agency, "agency@example.vn")
    confirmed_follow(dataset.sectors.get(), "sector@example.vn")
    Follow.objects.create(email="pending@example.vn", dataset=dataset)
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_resource(dataset=dataset, user=editor, name="Giá lúa tháng 3",
                                period="2026-03")
    assert sorted(message.to[0] for message in mail.outbox) == [
        "agency@example.vn", "both@example.vn", "sector@example.vn"]
    to_both = next(message for message in mail.outbox if message.to == ["both@example.vn"])
    assert "dữ liệu mới" in to_both.subject
    assert "Giá lúa tháng 3" in to_both.body
    unsubscribe = link("unsubscribe", str(to_both.body))
    assert Client().get(unsubscribe).status_code == 200
    assert Follow.objects.filter(email="both@example.vn", dataset=dataset).count() == 0
    assert Follow.objects.filter(email="both@example.vn").count() == 1  # the agency's stays


def test_no_news_of_datasets_the_public_does_not_see(
        agency: Agency, editor: User, django_capture_on_commit_callbacks: Capture) -> None:
    confirmed_follow(agency)
    draft = factories.make_dataset(agency=agency, user=editor, publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_resource(dataset=draft, user=editor)
    assert mail.outbox == []


def test_answers_to_public_feedback_are_told_but_not_to_its_sender(
        dataset: Dataset, editor: User, django_capture_on_commit_callbacks: Capture) -> None:
    confirmed_follow(dataset, "follower@example.vn")
    confirmed_follow(dataset, "sender@example.vn")
    anonymous = AnonymousUser()
    thread = feedback.feedback_submit(user=anonymous, dataset=dataset, submission=Submission(
        kind="feedback", message="Thiếu xã Gia Viễn", author_email="sender@example.vn"))
    private = feedback.feedback_submit(user=anonymous, dataset=dataset, submission=Submission(
        kind="feedback", message="Riêng", public=False))
    with django_capture_on_commit_callbacks(execute=True):
        feedback.thread_answer(user=editor, thread=thread, body="Đã bổ sung xã Gia Viễn.")
        feedback.thread_answer(user=editor, thread=private, body="Trả lời riêng")
    to_followers = [message for message in mail.outbox if "follower@example.vn" in message.to]
    assert len(to_followers) == 1
    assert "Đã bổ sung xã Gia Viễn." in to_followers[0].body
    assert "/follow/unsubscribe/" in to_followers[0].body
    assert not any("Trả lời riêng" in message.body for message in mail.outbox)
    assert [m.to for m in mail.outbox if "sender@example.vn" in m.to] == [["sender@example.vn"]]


def test_unconfirmed_follows_are_purged_after_the_link_expires(dataset: Dataset,
                                                               settings: Any) -> None:
    settings.FOLLOW_CONFIRM_DAYS = 7
    old = Follow.objects.create(email="old@example.vn", dataset=dataset)
    Follow.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=8))
    Follow.objects.create(email="new@example.vn", dataset=dataset)
    confirmed_follow(dataset, "kept@example.vn")
    Follow.objects.filter(email="kept@example.vn").update(
        created=timezone.now() - timedelta(days=30))
    assert services.unconfirmed_purge() == 1
    assert sorted(Follow.objects.values_list("email", flat=True)) == [
        "kept@example.vn", "new@example.vn"]


def test_the_count_of_followers_shows_on_the_page(client: Client, dataset: Dataset) -> None:
    confirmed_follow(dataset)
    Follow.objects.create(email="pending@example.vn", dataset=dataset)
    assert "1 người theo dõi" in client.get(f"/dataset/{dataset.slug}").content.decode()
