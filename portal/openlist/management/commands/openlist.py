"""`portal openlist import|export|template`: the province's lists as spreadsheets, for the
operating unit at the command line (it acts as nobody in particular: `actor=None`)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.lib.errors import ApplicationError
from portal.openlist import selectors, services, sheets
from portal.openlist.models import ListKind, ListVersion
from portal.openlist.sheet_import import import_items


class Command(BaseCommand):
    help = ("Import a list from an XLSX into a draft version, export a version as XLSX or CSV, "
            "or write the empty template.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="COMMAND")
        load = commands.add_parser("import", help="the workbook's rows become a draft's items "
                                                  "(all of them, or none if a row is wrong)")
        load.add_argument("file", type=Path, metavar="FILE")
        self._kind(load)
        load.add_argument("--version-id", type=int, metavar="ID",
                          help="the draft to fill (default: the list's draft, made if none)")
        dump = commands.add_parser("export", help="write a version's items (.xlsx or .csv)")
        self._kind(dump)
        dump.add_argument("--version-id", type=int, metavar="ID",
                          help="the version to export (default: the one in force)")
        dump.add_argument("--output", type=Path, required=True, metavar="FILE")
        blank = commands.add_parser("template", help="write the empty template (.xlsx)")
        blank.add_argument("--output", type=Path, required=True, metavar="FILE")

    @staticmethod
    def _kind(parser: ArgumentParser) -> None:
        parser.add_argument("--kind", choices=ListKind.values, default=ListKind.OPEN_DATA,
                            help="which list (default: open_data)")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = {"import": self.load, "export": self.dump,
                   "template": self.blank}[options["subcommand"]]
        try:
            handler(options)
        except ApplicationError as error:
            details = [f"  {line}" for lines in error.field_errors.values() for line in lines
                       if line != error.message]
            raise CommandError("\n".join([error.message, *details])) from None

    def load(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No file %(path)s.") % {"path": path})
        version = self._draft(options["kind"], options["version_id"])
        with path.open("rb") as handle:
            count = import_items(actor=None, version=version, handle=handle,
                                 size=path.stat().st_size, source=path.name)
        self.stdout.write(_("Imported %(count)s items into the draft of version %(number)s "
                            "(id %(id)s) of the %(list)s.") % {
            "count": count, "number": version.number, "id": version.pk,
            "list": version.get_kind_display().lower()})

    def _draft(self, kind: str, version_id: int | None) -> ListVersion:
        if version_id is None:
            return selectors.draft_version(kind) or services.draft_create(actor=None, kind=kind)
        version = ListVersion.objects.filter(pk=version_id).first()
        if version is None:
            raise CommandError(_("No list version has the id %(id)s.") % {"id": version_id})
        services.require_draft(version)
        return version

    def dump(self, options: dict[str, Any]) -> None:
        kind, version_id, output = options["kind"], options["version_id"], options["output"]
        version = (ListVersion.objects.filter(pk=version_id).first() if version_id is not None
                   else selectors.current_version(kind))
        if version is None:
            raise CommandError(_("No such version: give --version-id, or issue a version of "
                                 "the list first."))
        items = selectors.items_with_coverage(version)
        if output.suffix.lower() == ".csv":
            output.write_text("".join(sheets.export_csv(items.iterator())), encoding="utf-8")
        elif output.suffix.lower() == ".xlsx":
            output.write_bytes(sheets.export_xlsx(items))
        else:
            raise CommandError(_("Name the output file .xlsx or .csv."))
        self.stdout.write(_("Wrote %(count)s items of version %(number)s to %(path)s.") % {
            "count": items.count(), "number": version.number, "path": output})

    def blank(self, options: dict[str, Any]) -> None:
        options["output"].write_bytes(sheets.template_xlsx())
        self.stdout.write(_("Wrote the template to %(path)s.") % {"path": options["output"]})
