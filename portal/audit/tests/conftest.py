"""The audit tests keep their checkpoint file in their own folder, under a key of their own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import LazySettings
from django.utils import translation

TEST_KEY = "test-audit-key-" + "0" * 32


@pytest.fixture(autouse=True)
def checkpoint_file(settings: LazySettings, tmp_path: Path) -> Path:
    settings.AUDIT_KEY = TEST_KEY
    settings.AUDIT_CHECKPOINT_FILE = str(tmp_path / "audit" / "checkpoints.log")
    return tmp_path / "audit" / "checkpoints.log"


@pytest.fixture
def english() -> Iterator[None]:
    """For tests that read the commands' English messages; operators get them in Vietnamese."""
    with translation.override("en"):
        yield
