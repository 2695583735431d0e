"""Factories for tests and the demo: real records made through the real services."""

from __future__ import annotations

import itertools
from typing import Any

from django.core.files.base import ContentFile

from portal.accounts.models import Role, User
from portal.agencies.models import Agency, AgencyKind, Sector
from portal.catalog import services
from portal.catalog.models import Dataset, Licence, Resource, ResourceKind

_counter = itertools.count(1)


def make_agency(*, sectors: list[Sector] | None = None, **overrides: Any) -> Agency:
    number = next(_counter)
    values: dict[str, Any] = {
        "name": f"Sở Thử nghiệm {number}",
        "slug": f"so-thu-nghiem-{number}",
        "kind": AgencyKind.DEPARTMENT,
        "focal_name": "Nguyễn Văn An",
        "focal_email": f"daumoi{number}@ninhbinh.gov.vn",
    } | overrides
    agency = Agency.objects.create(**values)
    agency.sectors.set(sectors if sectors is not None else list(Sector.objects.all()[:3]))
    return agency


def make_user(*, role: Role | str, agency: Agency | None = None,
              password: str = "correct horse battery staple",  # noqa: S107 - tests only
              **overrides: Any) -> User:
    number = next(_counter)
    user = User(username=overrides.pop("username", f"{role}{number}"), role=role, agency=agency,
                email=f"user{number}@example.vn", **overrides)
    user.set_password(password)
    user.save()
    return user


def make_dataset(*, agency: Agency, user: User | None = None, publish: bool = True,
                 **overrides: Any) -> Dataset:
    number = next(_counter)
    author = user or make_user(role=Role.EDITOR, agency=agency)
    values: dict[str, Any] = {
        "title": f"Bộ dữ liệu thử nghiệm {number}",
        "slug": f"bo-du-lieu-{number}",
        "licence": Licence.objects.get(is_default=True),
        "description": "Mô tả **bộ dữ liệu**.",
        "keywords": ["thử nghiệm"],
        "sectors": list(agency.sectors.all()[:1]),
    } | overrides
    dataset = services.dataset_create(user=author, agency=agency,
                                      data=services.DatasetFields(**values))
    if publish:
        services.dataset_publish(user=author, dataset=dataset)
        dataset.refresh_from_db()
    return dataset


def make_resource(*, dataset: Dataset, user: User | None = None,
                  content: bytes = b"ma,ten\n1,Hoa Lu\n", filename: str = "du-lieu.csv",
                  **overrides: Any) -> Resource:
    author = user or make_user(role=Role.EDITOR, agency=dataset.agency)
    data = services.ResourceFields(**({"name": filename, "kind": ResourceKind.FILE} | overrides))
    upload = ContentFile(content, name=filename) if data.kind == ResourceKind.FILE else None
    return services.resource_create(user=author, dataset=dataset, data=data, upload=upload)
