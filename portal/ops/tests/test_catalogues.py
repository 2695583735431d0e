"""Both catalogues cover every translatable string of the source, and compile."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import LazySettings

from portal.ops.management.commands.update_catalogues import extract

PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sd]")
ROOT = Path(__file__).resolve().parents[3]
COMMITTED = ROOT / "portal" / "locale"


def msgids(catalogue: polib.POFile) -> set[str]:
    return {entry.msgid for entry in catalogue if not entry.obsolete}


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_catalogues_cover_every_string_in_the_source(settings: LazySettings,
                                                     tmp_path: Path) -> None:
    # makemessages writes next to any `locale` folder it walks past, so extract from a copy of
    # the source without one; the committed catalogues stay untouched.
    source_copy = tmp_path / "source"
    shutil.copytree(ROOT / "portal", source_copy / "portal",
                    ignore=shutil.ignore_patterns("locale", "__pycache__", "migrations"))
    settings.LOCALE_PATHS = [str(tmp_path / "locale")]
    (tmp_path / "locale").mkdir()
    cwd = Path.cwd()
    os.chdir(source_copy)
    try:
        extract(tmp_path / "locale")
    finally:
        os.chdir(cwd)
    source = msgids(polib.pofile(str(tmp_path / "locale" / "vi" / "LC_MESSAGES" / "django.po")))
    for language in ("vi", "en"):
        committed = polib.pofile(str(COMMITTED / language / "LC_MESSAGES" / "django.po"))
        missing = source - msgids(committed)
        assert not missing, f"run `portal update_catalogues` and translate: {sorted(missing)[:20]}"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_string_is_translated(language: str) -> None:
    catalogue = polib.pofile(str(COMMITTED / language / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in catalogue if not e.obsolete and not e.translated()]
    assert not untranslated, f"{language}: translate {untranslated[:20]}"


def test_python_format_placeholders_survive_translation() -> None:
    catalogue = polib.pofile(str(COMMITTED / "vi" / "LC_MESSAGES" / "django.po"))
    for entry in catalogue:
        if "python-format" in entry.flags and entry.msgstr:
            expected = sorted(PLACEHOLDER.findall(entry.msgid))
            assert sorted(PLACEHOLDER.findall(entry.msgstr)) == expected, entry.msgid


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext")
@pytest.mark.parametrize("language", ["vi", "en"])
def test_gnu_msgfmt_accepts_the_catalogue(language: str) -> None:
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", "/dev/null",
         str(COMMITTED / language / "LC_MESSAGES" / "django.po")],
        capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
