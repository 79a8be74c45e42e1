"""python manage.py import_indicators FILE [--layout bres|gva|ons_local|iod|nesta_sic4] [--skip-unknown-areas]

Without --layout, the layout is the one whose columns the file's header has."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.exceptions import ApplicationError
from evidence.importers import LAYOUTS, ImportRejected, detect_layout, import_file


class Command(BaseCommand):
    help = "Import indicator observations from a CSV file in one of the shared data layouts (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV file to import.")
        parser.add_argument(
            "--layout", choices=sorted(LAYOUTS), help="The file's layout (by default, found from its header)."
        )
        parser.add_argument(
            "--skip-unknown-areas",
            action="store_true",
            help="Skip (and count) rows for places the portal does not hold, instead of refusing the file.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            layout = options["layout"]
            if layout is None:
                with open(options["file"], "rb") as raw:
                    layout = detect_layout(raw)
                self.stdout.write(f"The header is the “{layout}” layout.")
            result = import_file(options["file"], layout=layout, skip_unknown_areas=options["skip_unknown_areas"])
        except ImportRejected as error:
            for item in error.errors:
                self.stderr.write(f"row {item['row']}: {item['message']}")
            raise CommandError(error.message) from error
        except (ApplicationError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {options['file']}: {result.rows:,} rows, {result.observations:,} observations "
                f"({result.created:,} new, {result.updated:,} changed, {result.unchanged:,} unchanged, "
                f"{result.skipped:,} skipped for places the portal does not hold)."
            )
        )
        if result.areas_created:
            self.stdout.write(f"Areas added: {', '.join(result.areas_created)}.")
        if result.skipped_codes:
            self.stdout.write(
                f"Places skipped: {', '.join(result.skipped_codes[:20])}"
                + (" …" if len(result.skipped_codes) > 20 else "")
                + "."
            )
