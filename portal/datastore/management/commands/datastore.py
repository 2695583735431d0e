"""`portal datastore ingest|status`: read resources into tables now, and see where they stand."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.catalog.models import Resource
from portal.datastore import formats, runs, services
from portal.datastore.errors import render
from portal.datastore.models import DataTable, State


class Command(BaseCommand):
    help = "Ingest tabular resources into the data store, or list their state."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="COMMAND")
        ingest = commands.add_parser("ingest", help="read resources into tables")
        ingest.add_argument("resources", nargs="*", metavar="RESOURCE_ID")
        ingest.add_argument("--all", action="store_true",
                            help="every tabular resource that is not ready")
        ingest.add_argument("--sync", action="store_true",
                            help="run here and now instead of queueing a job")
        commands.add_parser("status", help="list tables that are not ready")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "status":
            self.status()
            return
        resources = list(Resource.objects.filter(pk__in=options["resources"]))
        if options["all"]:
            resources += [resource for resource in Resource.objects.exclude(
                datatable__state=State.READY) if formats.table_kind(resource)]
        if not resources:
            raise CommandError(_("Name resources by id, or use --all."))
        for resource in resources:
            table = services.schedule_ingestion(resource, enqueue=not options["sync"])
            if table is None:
                self.stderr.write(_("%(id)s is not a table.") % {"id": resource.pk})
            elif options["sync"]:
                table = runs.run_ingestion(table.pk)
                self.stdout.write(f"{resource.pk} {table.state} {render(table.message)}".rstrip())

    def status(self) -> None:
        for table in DataTable.objects.exclude(state=State.READY).order_by("requested"):
            self.stdout.write(f"{table.resource_id} {table.state} {render(table.message)}"
                              .rstrip())
