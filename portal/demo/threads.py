"""Feedback, data requests, requests between agencies, difficulties and follows for the demo:
every state of the workflow, some past their targets, some supported, a few followers.

Written as rows, not through the feedback services: the services e-mail the sender and the
agency once the load commits, and a demo must send no mail (the agencies' addresses look real).
Senders and followers use addresses of the reserved domain example.com.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import AccessLevel, Dataset, Status
from portal.demo.accounts import DEMO_AGENCY
from portal.demo.agencies import SUPERVISOR
from portal.feedback.models import (
    Category,
    Kind,
    Message,
    MessageKind,
    State,
    Support,
    Thread,
)
from portal.feedback.services import support_key
from portal.follows.models import Follow


@dataclass(frozen=True)
class FeedbackSpec:
    category: str
    state: str
    days_ago: int
    message: str
    answer: str = ""
    public: bool = True
    on_resource: bool = False
    reason: str = ""


FEEDBACK = [
    FeedbackSpec(Category.DATA_QUALITY, State.ASSIGNED, 2,
                 "Số liệu kỳ gần nhất thiếu hai xã ven biển; đề nghị kiểm tra và bổ sung."),
    FeedbackSpec(Category.FORMAT, State.ASSIGNED, 16,
                 "Tệp Excel có dòng tiêu đề gộp ô nên không đọc được bằng phần mềm; đề nghị "
                 "cung cấp thêm bản CSV.", on_resource=True),
    FeedbackSpec(Category.USABILITY, State.ANSWERED, 9,
                 "Cột đơn vị tính không ghi rõ là tấn hay tạ.",
                 "Đơn vị tính là tấn; từ điển dữ liệu đã được bổ sung. Cảm ơn ông/bà đã góp ý."),
    FeedbackSpec(Category.DATA_QUALITY, State.ANSWERED, 40,
                 "Tổng cộng của huyện cũ không khớp với tổng các xã.",
                 "Chênh lệch do sáp nhập đơn vị hành chính; cơ quan đang rà soát lại số liệu."),
    FeedbackSpec(Category.LEGAL, State.CLOSED, 60,
                 "Đề nghị làm rõ điều khoản sử dụng khi dùng dữ liệu cho mục đích thương mại.",
                 "Dữ liệu được cấp phép mở, được sử dụng cho cả mục đích thương mại với điều "
                 "kiện ghi nguồn."),
    FeedbackSpec(Category.OTHER, State.CLOSED, 25,
                 "Xin thêm dữ liệu theo từng tháng thay vì theo quý.",
                 "Cơ quan sẽ công bố theo tháng từ kỳ tới.", public=False),
    FeedbackSpec(Category.OTHER, State.REJECTED, 5,
                 "Dịch vụ làm giấy tờ nhanh, liên hệ ngay!", reason="Nội dung quảng cáo, không "
                 "liên quan đến dữ liệu."),
]


@dataclass(frozen=True)
class RequestSpec:
    title: str
    message: str
    days_ago: int
    agency: str | None
    state: str
    supports: int = 0
    list_item_code: str = ""
    fulfil: bool = False


REQUESTS = [
    RequestSpec("Danh sách trường mầm non và số lớp", "Cần địa chỉ, loại hình và số lớp của "
                "từng trường để xây dựng bản đồ trường học.", 3, None, State.NEW, supports=4),
    RequestSpec("Lịch thu gom rác thải theo phường", "Lịch và tuyến thu gom của từng phường, "
                "xã, dạng CSV.", 12, DEMO_AGENCY, State.ASSIGNED, supports=11),
    RequestSpec("Chất lượng nước sông Đáy theo tháng", "Kết quả quan trắc các chỉ tiêu chất "
                "lượng nước theo điểm đo.", 35, DEMO_AGENCY, State.ANSWERED, supports=7,
                list_item_code="DM-2021-045"),
    RequestSpec("Giá đất nông nghiệp theo xã", "Bảng giá đất nông nghiệp hiện hành theo đơn "
                "vị hành chính mới.", 70, DEMO_AGENCY, State.CLOSED, supports=23, fulfil=True),
]


def _times(days_ago: int, rng: random.Random) -> datetime:
    return timezone.now() - timedelta(days=days_ago, minutes=rng.randint(0, 600))


def _public_datasets(agency: Agency) -> list[Dataset]:
    return list(Dataset.objects.filter(agency=agency, status=Status.PUBLISHED,
                                       access_level=AccessLevel.PUBLIC).order_by("slug"))


def _message(thread: Thread, kind: str, body: str, at: datetime,
             author: User | None = None, agency: Agency | None = None) -> None:
    message = Message.objects.create(thread=thread, kind=kind, body=body, author=author,
                                     agency=agency)
    Message.objects.filter(pk=message.pk).update(created=at)


def _finish(thread: Thread, created: datetime, **times: datetime | None) -> None:
    Thread.objects.filter(pk=thread.pk).update(created=created, modified=created, **times)


def _feedback(spec: FeedbackSpec, dataset: Dataset, editor: User, number: int,
              rng: random.Random) -> None:
    created = _times(spec.days_ago, rng)
    answered = created + timedelta(days=rng.randint(1, 4)) if spec.answer else None
    closed = (answered or created + timedelta(days=1)) + timedelta(days=2) \
        if spec.state in (State.CLOSED, State.REJECTED) else None
    resource = dataset.resources.order_by("position").first() if spec.on_resource else None
    thread = Thread.objects.create(
        kind=Kind.FEEDBACK, category=spec.category, state=spec.state, dataset=dataset,
        resource=resource, agency=dataset.agency, public=spec.public,
        author_name="" if number % 2 else "Nguyễn Thị Hoa",
        author_email=f"nguoidan{number}@example.com" if number % 3 else "",
        reject_reason=spec.reason)
    _message(thread, MessageKind.SUBMISSION, spec.message, created)
    if spec.answer and answered is not None:
        _message(thread, MessageKind.ANSWER, spec.answer, answered, editor, editor.agency)
    _finish(thread, created, assigned_at=created, answered_at=answered, closed_at=closed)


def _supports(thread: Thread, count: int, rng: random.Random) -> None:
    today = timezone.localdate()
    for number in range(count):
        day = today - timedelta(days=rng.randint(0, 20))
        address = f"198.51.100.{number + 1}"  # TEST-NET-2: no one's address
        Support.objects.create(thread=thread, day=day,
                               key=support_key(thread, address, day.isoformat()))
    Thread.objects.filter(pk=thread.pk).update(support_count=count)


def _request(spec: RequestSpec, agencies: dict[str, Agency], authors: dict[str, User],
             rng: random.Random) -> None:
    agency = agencies[spec.agency] if spec.agency else None
    created = _times(spec.days_ago, rng)
    thread = Thread.objects.create(
        kind=Kind.DATA_REQUEST, title=spec.title, state=spec.state, agency=agency,
        list_item_code=spec.list_item_code, author_email="doanhnghiep@example.com",
        fulfilled_by=(_public_datasets(agency)[-1] if spec.fulfil and agency else None))
    _message(thread, MessageKind.SUBMISSION, spec.message, created)
    answered = closed = None
    if agency is not None and spec.state in (State.ANSWERED, State.CLOSED):
        answered = created + timedelta(days=6)
        editor = authors[spec.agency or DEMO_AGENCY]
        _message(thread, MessageKind.ANSWER, "Dữ liệu này có trong danh mục dữ liệu mở của "
                 "tỉnh; cơ quan đang chuẩn hóa để công bố.", answered, editor, agency)
        closed = created + timedelta(days=40) if spec.state == State.CLOSED else None
    _finish(thread, created, assigned_at=created if agency else None, answered_at=answered,
            closed_at=closed)
    _supports(thread, spec.supports, rng)


def _between_agencies(agencies: dict[str, Agency], authors: dict[str, User],
                      rng: random.Random) -> None:
    asking, asked = agencies[DEMO_AGENCY], agencies[SUPERVISOR]
    created = _times(8, rng)
    request = Thread.objects.create(
        kind=Kind.AGENCY_REQUEST, title="Đề nghị chia sẻ dữ liệu ranh giới hành chính mới",
        state=State.ANSWERED, agency=asked, requester_agency=asking, public=False,
        submitted_by=authors[DEMO_AGENCY])
    _message(request, MessageKind.SUBMISSION, "Đề nghị Sở cung cấp lớp ranh giới xã, phường "
             "sau sắp xếp (GeoJSON) để cập nhật bản đồ đất đai.", created, authors[DEMO_AGENCY])
    answered = created + timedelta(days=3)
    _message(request, MessageKind.ANSWER, "Sở đã đăng tải lớp ranh giới trên Cổng; đề nghị "
             "đơn vị sử dụng bản mới nhất.", answered, None, asked)
    _finish(request, created, assigned_at=created, answered_at=answered)
    difficulty = Thread.objects.create(
        kind=Kind.DIFFICULTY, title="Không tải lên được tệp bảng tính lớn",
        state=State.ASSIGNED, agency=asked, requester_agency=asking, public=False,
        submitted_by=authors[DEMO_AGENCY])
    created = _times(13, rng)
    _message(difficulty, MessageKind.SUBMISSION, "Tệp Excel hơn 6 triệu ô bị từ chối; đề nghị "
             "hướng dẫn cách chia nhỏ hoặc nâng giới hạn.", created, authors[DEMO_AGENCY])
    _finish(difficulty, created, assigned_at=created)


def _follows(datasets: list[Dataset], agency: Agency) -> None:
    now = timezone.now()
    targets: list[dict[str, object]] = [{"dataset": dataset} for dataset in datasets[:3]]
    targets.append({"agency": agency})
    for number, target in enumerate(targets, start=1):
        Follow.objects.create(email=f"theodoi{number}@example.com", confirmed=now, **target)


def create_threads(agencies: dict[str, Agency], authors: dict[str, User],
                   rng: random.Random) -> int:
    """Every kind and state of thread; returns how many were made."""
    datasets = _public_datasets(agencies[DEMO_AGENCY])
    for number, spec in enumerate(FEEDBACK):
        _feedback(spec, datasets[number % len(datasets)], authors[DEMO_AGENCY], number, rng)
    for request in REQUESTS:
        _request(request, agencies, authors, rng)
    _between_agencies(agencies, authors, rng)
    _follows(datasets, agencies[DEMO_AGENCY])
    return Thread.objects.count()
