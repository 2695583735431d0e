"""A small catalogue for the public pages' tests: one dataset per status and access level."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal.accounts.models import Role, User
from portal.agencies.models import Agency
from portal.catalog import services
from portal.catalog.models import AccessLevel, Dataset, Resource
from portal.lib import factories

CSV = "ma,ten\n1,Hoa Lư\n2,Tam Điệp\n".encode()


@dataclass
class Catalogue:
    agency: Agency
    editor: User
    member: User
    public: Dataset
    agencies_only: Dataset
    agency_only: Dataset
    draft: Dataset
    withdrawn: Dataset
    resource: Resource

    @property
    def hidden_from_public(self) -> list[Dataset]:
        return [self.agencies_only, self.agency_only, self.draft, self.withdrawn]


def make_catalogue(agency: Agency, editor: User) -> Catalogue:
    def dataset(slug: str, title: str, **overrides: Any) -> Dataset:
        return factories.make_dataset(agency=agency, user=editor, slug=slug, title=title,
                                      **overrides)

    public = dataset("dan-so-theo-xa", "Dân số theo xã, phường",
                     keywords=["dân số", "hành chính"], frequency="annual")
    resource = factories.make_resource(dataset=public, user=editor, content=CSV,
                                       filename="dan-so-2025.csv", period="2025")
    withdrawn = dataset("du-lieu-da-rut", "Dữ liệu đã rút")
    services.dataset_withdraw(user=editor, dataset=withdrawn, reason="Sai số liệu")
    withdrawn.refresh_from_db()
    return Catalogue(
        agency=agency, editor=editor,
        member=factories.make_user(role=Role.MEMBER, agency=agency, username="member"),
        public=public,
        agencies_only=dataset("chi-tieu-noi-bo", "Chỉ tiêu nội bộ",
                              access_level=AccessLevel.AGENCIES),
        agency_only=dataset("ho-so-rieng", "Hồ sơ riêng của sở", access_level=AccessLevel.AGENCY),
        draft=dataset("ban-nhap", "Bản nháp chưa công bố", publish=False),
        withdrawn=withdrawn, resource=resource,
    )
