from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import LazySettings

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
