"""Fixtures of the feedback tests: a published dataset of the agency, an agency admin, the
supervising department, and threads made through the real services."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from portal.accounts.models import Role, User
from portal.agencies.models import Agency
from portal.catalog.models import Dataset
from portal.feedback import services
from portal.feedback.inputs import Submission
from portal.feedback.models import Thread
from portal.lib import factories

MESSAGE = "Số liệu tháng 3 thiếu xã Gia Viễn; đề nghị bổ sung."


@pytest.fixture
def dataset(agency: Agency, editor: User) -> Dataset:
    return factories.make_dataset(agency=agency, user=editor, title="Giá lúa tại các chợ",
                                  slug="gia-lua")


@pytest.fixture
def agency_admin(agency: Agency) -> User:
    return factories.make_user(role=Role.ADMIN, agency=agency, username="agencyadmin")


@pytest.fixture
def supervising_agency(sectors: list[Any]) -> Agency:
    return factories.make_agency(name="Sở Khoa học và Công nghệ", slug="so-khcn",
                                 is_supervisor=True, focal_email="daumoi@skhcn.gov.vn")


def own_agency(user: User) -> Agency:
    assert user.agency is not None
    return user.agency


def submission(**values: Any) -> Submission:
    return Submission(**({"kind": "feedback", "message": MESSAGE, "category": "data_quality",
                          "author_name": "Trần Thị Bình", "author_email": "binh@example.vn"}
                         | values))


def feedback(dataset: Dataset, **values: Any) -> Thread:
    return services.feedback_submit(user=AnonymousUser(), dataset=dataset,
                                    submission=submission(**values))


def data_request(agency: Agency | None = None, **values: Any) -> Thread:
    return services.request_submit(
        user=AnonymousUser(), agency=agency,
        submission=submission(**({"kind": "data_request", "title": "Danh sách trường học"}
                                 | values)))
