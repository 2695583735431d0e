"""Load the whole demo into an empty database, in one transaction.

Datasets and resources are made through the catalogue's services, acting as each agency's
editor, so that validation, hashing and history run exactly as in real use. Only the timestamps
and view counts are adjusted afterwards, so that the demo does not look created in one second.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from portal.accounts.models import User
from portal.agencies.models import Agency, Sector
from portal.catalog import services
from portal.catalog.models import Dataset, DatasetChange, Licence, Resource, ResourceKind, Status
from portal.demo import accounts, agencies, files, specs_economy, specs_land, specs_society
from portal.demo.datasets import DatasetSpec, file_plans, spatial_codes, temporal
from portal.demo.datasets import describe as describe_spec
from portal.demo.tables import make_rows, wards_of
from portal.demo.threads import create_threads

# Days since the last update, by frequency: (fewest, most).
AGE_DAYS = {"daily": (0, 2), "weekly": (1, 6), "monthly": (3, 25), "quarterly": (10, 60),
            "semiannual": (20, 120), "annual": (30, 240), "irregular": (15, 300),
            "never": (420, 560)}


@dataclass
class DemoResult:
    accounts: list[accounts.DemoAccount]
    agencies: int
    datasets: int
    resources: int


def database_has_data() -> bool:
    return Agency.objects.exists() or Dataset.objects.exists()


def all_specs(communes: dict[str, str]) -> list[DatasetSpec]:
    return [*specs_economy.SPECS, *specs_land.SPECS, *specs_society.SPECS,
            *specs_society.commune_specs(communes)]


class _Loader:
    def __init__(self, seed: int, today: date) -> None:
        self.seed, self.today = seed, today
        self.rng = random.Random(seed)
        self.stored: list[str] = []  # files written, removed again if the load fails
        self.sectors = {sector.code: sector for sector in Sector.objects.all()}
        self.licences = {licence.code: licence for licence in Licence.objects.all()}

    def run(self) -> DemoResult:
        found, unit_codes = agencies.create_agencies(self.rng)
        demo_accounts = accounts.create_demo_accounts(found, self.rng)
        authors = accounts.create_authors(found, self.rng)
        communes = {slug: dict(wards_of())[code] for slug, code in unit_codes.items()}
        specs = all_specs(communes)
        for spec in specs:
            self.dataset(spec, found[spec.agency], authors[spec.agency])
        agencies.close_ceased_agency(found)
        User.objects.filter(agency=found[agencies.CEASED]).update(is_active=False)
        create_threads(found, authors, self.rng)
        return DemoResult(demo_accounts, len(found), len(specs), Resource.objects.count())

    def dataset(self, spec: DatasetSpec, agency: Agency, author: User) -> Dataset:
        plans = file_plans(spec, self.today)
        first = plans[0]
        rows = make_rows(spec.table, key=spec.slug, period=first.period,
                         frequency=spec.frequency, seed=self.seed)
        start, end = temporal(spec, self.today)
        data = services.DatasetFields(
            title=spec.title, slug=spec.slug, licence=self.licences[spec.licence],
            description=describe_spec(spec, list(rows[0])), keywords=list(spec.keywords),
            sectors=[self.sectors[code] for code in spec.sectors],
            contact_name=spec.contact or agency.focal_name, contact_email=agency.focal_email,
            access_level=spec.access, frequency=spec.frequency, temporal_start=start,
            temporal_end=end, spatial_codes=spatial_codes(spec, str(settings.PROVINCE_CODE)),
            source_system=spec.source,
        )
        dataset = services.dataset_create(user=author, agency=agency, data=data)
        self.resources(spec, dataset, author)
        if spec.status != Status.DRAFT:
            services.dataset_publish(user=author, dataset=dataset)
        if spec.status == Status.WITHDRAWN:
            services.dataset_withdraw(user=author, dataset=dataset,
                                      reason="Danh mục đã được thay thế sau khi hợp nhất tỉnh.")
        self.backdate(spec, dataset)
        return dataset

    def resources(self, spec: DatasetSpec, dataset: Dataset, author: User) -> None:
        for plan in file_plans(spec, self.today):
            rows = make_rows(spec.table, key=spec.slug, period=plan.period,
                             frequency=spec.frequency, seed=self.seed)
            content = files.write(plan.file_format, rows, polygons=spec.table.polygons)
            data = services.ResourceFields(
                name=plan.name, period=plan.period,
                description=f"{len(rows)} dòng dữ liệu, mã hóa UTF-8." if plan.file_format
                != "xlsx" else f"Bảng tính Excel, {len(rows)} dòng dữ liệu.",
            )
            resource = services.resource_create(user=author, dataset=dataset, data=data,
                                                 upload=ContentFile(content, name=plan.file_name))
            self.stored.append(str(resource.file.name))
        for link in spec.links:
            services.resource_create(user=author, dataset=dataset, data=services.ResourceFields(
                name=link.name, description=link.description,
                kind=ResourceKind.API if link.kind == "api" else ResourceKind.LINK,
                url=link.url, format=link.format, period=""))

    def backdate(self, spec: DatasetSpec, dataset: Dataset) -> None:
        """Spread creation and last update over the past months, as a real catalogue has."""
        fewest, most = AGE_DAYS[spec.frequency]
        if spec.status == Status.DRAFT:
            fewest, most = 0, 10
        now = timezone.now()
        modified = now - timedelta(days=self.rng.randint(fewest, most),
                                   minutes=self.rng.randint(0, 600))
        created = modified - timedelta(days=self.rng.randint(1, 90),
                                       minutes=self.rng.randint(0, 600))
        published = created + (modified - created) / 4 if spec.status != Status.DRAFT else None
        views = self.rng.randint(15, 4_000) if spec.status == Status.PUBLISHED else 0
        Dataset.objects.filter(pk=dataset.pk).update(
            created=created, modified=modified, published=published, view_count=views)
        dataset.resources.update(created=modified, modified=modified)
        changes = dataset.changes.all()
        changes.filter(action=DatasetChange.Action.CREATED).update(at=created)
        changes.filter(action=DatasetChange.Action.PUBLISHED).update(at=published or modified)
        changes.exclude(action__in=[DatasetChange.Action.CREATED,
                                    DatasetChange.Action.PUBLISHED]).update(at=modified)


def load_demo(*, seed: int, today: date | None = None) -> DemoResult:
    """Load everything, or nothing: on failure no row stays and the files written are removed."""
    loader = _Loader(seed, today or timezone.localdate())
    try:
        with transaction.atomic():
            return loader.run()
    except BaseException:
        for name in loader.stored:
            default_storage.delete(name)
        raise
