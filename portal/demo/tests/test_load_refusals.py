"""The load refuses, or fails, without leaving anything behind."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import LazySettings
from django.core.management import call_command
from django.core.management.base import CommandError

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Dataset, Licence, Resource
from portal.demo.load import load_demo


@pytest.mark.django_db
def test_failed_load_leaves_no_rows_and_no_files(settings: LazySettings) -> None:
    # A licence the fourth dataset needs is missing: the load fails after files were stored.
    Licence.objects.filter(code="cc-by").delete()
    with pytest.raises(KeyError):
        load_demo(seed=1)
    assert not Agency.objects.exists()
    assert not Dataset.objects.exists()
    assert not Resource.objects.exists()
    assert not User.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not [path for path in media.rglob("*") if path.is_file()]


@pytest.mark.django_db
def test_demo_is_not_loaded_into_a_portal_of_another_province(settings: LazySettings,
                                                               tmp_path: Path) -> None:
    settings.PROVINCE_CODE = 1
    output = io.StringIO()
    call_command("load_demo", "--if-empty", accounts_file=tmp_path / "accounts.txt",
                 stdout=output)
    assert "Ninh Bình" in output.getvalue()
    assert not Agency.objects.exists()
    assert not (tmp_path / "accounts.txt").exists()
    with pytest.raises(CommandError):
        call_command("load_demo", accounts_file=tmp_path / "accounts.txt", stdout=output)
