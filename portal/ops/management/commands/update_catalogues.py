"""Extract every translatable string into the Vietnamese and English catalogues.

Source strings are English, so the English catalogue translates each string to itself; the
Vietnamese one needs a translator. `portal/ops/tests/test_catalogues.py` fails while either
catalogue misses a string of the source.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

IGNORED = [".venv/*", "node_modules/*", "var/*", "benchmarks/*", "tests/*", "*/tests/*", "build/*"]


def extract(locale_root: Path) -> None:
    """Run Django's makemessages for both languages into `locale_root`."""
    call_command("makemessages", locale=["vi", "en"], ignore_patterns=IGNORED,
                 no_obsolete=True, no_location=False, add_location="file", verbosity=0)
    english = polib.pofile(str(locale_root / "en" / "LC_MESSAGES" / "django.po"))
    for entry in english:
        if not entry.translated():
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
            else:
                entry.msgstr = entry.msgid
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    english.save()
    for language in ("vi", "en"):
        _drop_stale_hints(locale_root / language / "LC_MESSAGES" / "django.po")


def _drop_stale_hints(path: Path) -> None:
    """msgmerge leaves `#|` lines (the previous msgid) on entries; once an entry is translated
    and not fuzzy they are noise, and a lone `#| msgid_plural` makes msgfmt refuse the file."""
    catalogue = polib.pofile(str(path))
    for entry in catalogue:
        if "fuzzy" not in entry.flags:
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    catalogue.save()


class Command(BaseCommand):
    help = "Update the vi and en catalogues; English strings translate to themselves."

    def handle(self, *args: Any, **options: Any) -> None:
        extract(Path(settings.LOCALE_PATHS[0]))
        vietnamese = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / "vi/LC_MESSAGES/django.po"))
        missing = [entry for entry in vietnamese if not entry.translated()]
        self.stdout.write(f"Vietnamese: {len(missing)} of {len(vietnamese)} strings to translate.")
