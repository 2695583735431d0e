"""The demo, loaded once for this module through the real command, checked as a user would."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from pytest_django import DjangoDbBlocker

from portal.accounts.models import Role, User
from portal.agencies.models import Agency, AgencyKind
from portal.catalog.inputs import PERIOD_PATTERN
from portal.catalog.models import AccessLevel, Dataset, Resource, ResourceKind, Status
from portal.feedback.models import Kind, State, Thread
from portal.feedback.targets import overdue_q
from portal.follows.models import Follow
from portal.lib.places import units

# All tests of this module share one load: keep them on one xdist worker.
pytestmark = [pytest.mark.xdist_group("demo"), pytest.mark.django_db]
SOURCE = Path(__file__).resolve().parents[2]
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


@dataclass
class Demo:
    media: Path
    accounts_file: Path
    output: str

    def read(self, resource: Resource) -> bytes:
        return (self.media / str(resource.file.name)).read_bytes()


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """Load the demo inside a transaction that is rolled back after the module's tests."""
    media = tmp_path_factory.mktemp("demo-media")
    accounts_file = tmp_path_factory.mktemp("demo-var") / "demo-accounts.txt"
    output = io.StringIO()
    # The same fast hasher as the shared conftest's, which applies only to each test.
    with (django_db_blocker.unblock(),
          override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=[FAST_HASHER]),
          transaction.atomic()):
        call_command("load_demo", "--if-empty", "--seed", "7", accounts_file=accounts_file,
                     stdout=output)
        yield Demo(media, accounts_file, output.getvalue())
        transaction.set_rollback(True)


def test_demo_has_fifteen_provincial_agencies_and_current_communes(demo: Demo) -> None:
    provincial = Agency.objects.active().exclude(kind=AgencyKind.COMMUNE)
    assert provincial.count() >= 15
    supervisor = Agency.objects.get(is_supervisor=True)
    assert supervisor.name.startswith("Sở Khoa học và Công nghệ")
    communes = Agency.objects.filter(kind=AgencyKind.COMMUNE)
    assert communes.count() >= 3
    unit_names = {name.lower() for name in units().values()}
    for commune in communes:
        assert commune.name.removeprefix("Ủy ban nhân dân ").lower() in unit_names
    for agency in Agency.objects.all():
        assert agency.focal_name
        assert agency.focal_phone
        assert agency.sectors.exists()
        assert agency.focal_email.endswith("@ninhbinh.gov.vn")


def test_ceased_department_keeps_its_dataset_and_points_to_its_successor(demo: Demo) -> None:
    ceased = Agency.objects.get(slug="so-thong-tin-truyen-thong")
    assert not ceased.is_active
    assert ceased.replaced_by is not None
    assert ceased.replaced_by.is_supervisor
    assert ceased.datasets.filter(status=Status.PUBLISHED).exists()
    assert not ceased.members.filter(is_active=True).exists()


def test_demo_has_sixty_datasets_mostly_published_with_drafts_and_one_withdrawn(
        demo: Demo) -> None:
    assert Dataset.objects.count() >= 60
    published = Dataset.objects.filter(status=Status.PUBLISHED).count()
    assert published > Dataset.objects.count() * 0.8
    assert Dataset.objects.filter(status=Status.DRAFT).count() >= 2
    assert Dataset.objects.filter(status=Status.WITHDRAWN).count() == 1


def test_every_frequency_family_is_present(demo: Demo) -> None:
    frequencies = set(Dataset.objects.values_list("frequency", flat=True))
    assert {"monthly", "quarterly", "annual"} <= frequencies
    assert len(frequencies - {"monthly", "quarterly", "annual"}) >= 3


def test_one_agency_only_and_one_state_agencies_only_dataset(demo: Demo) -> None:
    assert Dataset.objects.filter(access_level=AccessLevel.AGENCY).count() == 1
    assert Dataset.objects.filter(access_level=AccessLevel.AGENCIES).count() == 1


def test_every_dataset_stays_within_its_agency_sectors(demo: Demo) -> None:
    for dataset in Dataset.objects.prefetch_related("sectors", "agency__sectors"):
        assert dataset.sectors.exists()
        assert set(dataset.sectors.all()) <= set(dataset.agency.sectors.all()), dataset.slug


def test_datasets_have_metadata_a_person_can_use(demo: Demo) -> None:
    province = next(iter(units()))
    for dataset in Dataset.objects.prefetch_related("keywords", "resources"):
        assert dataset.keywords.exists()
        assert dataset.contact_email
        assert dataset.temporal_start
        assert "### Cấu trúc dữ liệu" in dataset.description
        assert dataset.spatial_codes == [province] or all(
            code in units() for code in dataset.spatial_codes)
        assert 1 <= dataset.resources.count() <= 4, dataset.slug
    assert Dataset.objects.exclude(source_system="").exists()
    assert Dataset.objects.exclude(spatial_codes=[province]).exists()


def test_files_of_every_format_are_stored_with_their_sha256(demo: Demo) -> None:
    files = Resource.objects.filter(kind=ResourceKind.FILE)
    assert {"CSV", "XLSX", "JSON", "GeoJSON"} <= set(files.values_list("format", flat=True))
    for resource in files:
        content = demo.read(resource)
        assert resource.sha256 == hashlib.sha256(content).hexdigest()
        assert resource.size == len(content) < 400_000
        assert not resource.period or PERIOD_PATTERN.match(resource.period)
    assert files.filter(period__regex=r"^\d{4}-\d{2}$").exists()
    assert files.filter(period__regex=r"^\d{4}-Q\d$").exists()
    assert files.filter(period__regex=r"^\d{4}$").exists()
    assert Resource.objects.filter(kind=ResourceKind.API).exists()
    assert Resource.objects.filter(kind=ResourceKind.LINK).exists()


def test_csv_files_name_real_communes_and_wards(demo: Demo) -> None:
    resource = Resource.objects.get(dataset__slug="dang-ky-ho-tich", format="CSV",
                                    position=0)
    rows = list(csv.DictReader(io.StringIO(demo.read(resource).decode("utf-8"))))
    assert len(rows) == len(units()) - 1
    for row in rows:
        assert " ".join(units()[row["ma_xa"]].split()) == row["ten_xa"]
        assert {"nam", "thang", "khai_sinh"} <= set(row)


def test_geojson_features_lie_inside_ninh_binh(demo: Demo) -> None:
    for resource in Resource.objects.filter(format="GeoJSON"):
        collection = json.loads(demo.read(resource))
        assert collection["type"] == "FeatureCollection"
        assert collection["features"]
        for feature in collection["features"]:
            geometry = feature["geometry"]
            points = ([geometry["coordinates"]] if geometry["type"] == "Point"
                      else geometry["coordinates"][0])
            for lon, lat in points:
                assert 19.9 <= lat <= 20.7
                assert 105.5 <= lon <= 106.6


def test_history_is_recorded_by_each_agency_editor(demo: Demo) -> None:
    editor = User.objects.get(username="demo-editor")
    mine = Dataset.objects.filter(agency=editor.agency)
    assert mine.count() >= 5
    for dataset in mine:
        assert dataset.changes.filter(action="created", user=editor).exists()
    withdrawn = Dataset.objects.get(status=Status.WITHDRAWN)
    assert list(withdrawn.changes.order_by("at", "id").values_list("action", flat=True))[-1] \
        == "withdrawn"
    assert Dataset.objects.filter(status=Status.PUBLISHED, published__isnull=True).count() == 0


def test_accounts_exist_for_every_role_with_generated_passwords(demo: Demo) -> None:
    lines = [line.split("\t") for line in demo.accounts_file.read_text().splitlines()
             if not line.startswith("#")]
    passwords = {username: password for username, password, *_rest in lines}
    users = User.objects.filter(username__in=passwords)
    assert {user.role for user in users} == set(Role.values)
    supervisor = User.objects.get(role=Role.SUPERVISOR, username__in=passwords)
    assert supervisor.agency is not None
    assert supervisor.agency.is_supervisor
    for user in users:
        assert user.check_password(passwords[user.username])
        assert passwords[user.username] in demo.output
    assert stat.S_IMODE(demo.accounts_file.stat().st_mode) == 0o600
    sources = "".join(path.read_text() for path in SOURCE.rglob("*.py"))
    assert not any(password in sources for password in passwords.values())


def test_if_empty_does_nothing_on_a_second_run(demo: Demo) -> None:
    before = (Agency.objects.count(), Dataset.objects.count(), Resource.objects.count())
    accounts = demo.accounts_file.read_text()
    output = io.StringIO()
    call_command("load_demo", "--if-empty", accounts_file=demo.accounts_file, stdout=output)
    assert output.getvalue().count("\n") == 1
    assert (Agency.objects.count(), Dataset.objects.count(), Resource.objects.count()) == before
    assert demo.accounts_file.read_text() == accounts


def test_loading_into_a_database_with_data_is_refused(demo: Demo) -> None:
    with pytest.raises(CommandError):
        call_command("load_demo", accounts_file=demo.accounts_file, stdout=io.StringIO())


def test_each_kind_of_demo_table_becomes_queryable(demo: Demo) -> None:
    """A sample of every format the demo has: read into a table, then queried (the whole demo
    is read by the job worker after `make run`; `portal datastore status` lists what is not)."""
    from portal.datastore import runs
    from portal.datastore import services as datastore
    from portal.datastore.formats import table_kind
    from portal.datastore.models import State
    from portal.datastore.query import RecordsQuery, records, table_of

    formats: dict[str, Resource] = {}
    for resource in Resource.objects.order_by("created"):
        if table_kind(resource):
            formats.setdefault(resource.format, resource)
    assert set(formats) == {"CSV", "XLSX", "JSON", "GeoJSON"}
    with override_settings(MEDIA_ROOT=demo.media):
        for resource in formats.values():
            scheduled = datastore.schedule_ingestion(resource, enqueue=False)
            assert scheduled is not None
            table = runs.run_ingestion(scheduled.pk)
            assert table.state == State.READY, (resource.format, table.message)
            assert table.current is not None
            page = records(table_of(table.current.sheets[0]), RecordsQuery(limit=5))
            assert page.total == table.current.rows > 0
            assert page.rows


def test_feedback_and_requests_are_in_every_state_with_follows(demo: Demo) -> None:
    kinds = set(Thread.objects.values_list("kind", flat=True))
    assert kinds == set(Kind.values)
    assert set(Thread.objects.values_list("state", flat=True)) == set(State.values)
    assert Thread.objects.filter(overdue_q()).exists()
    assert Thread.objects.filter(support_count__gt=0).exists()
    assert Thread.objects.exclude(fulfilled_by=None).exists()
    assert Follow.objects.confirmed().exists()
    assert not Thread.objects.filter(author_email__endswith="@ninhbinh.gov.vn").exists()
