"""Prove a backup file restores: restore it into a scratch database (a new PostgreSQL
database beside the configured one, or a temporary SQLite file), check every table's row
count and checksum against its manifest and the access log's hash chain, then drop the
scratch. The monthly restore test (docs/backup-and-restore.md).

    python manage.py verify_backup FILE [--no-progress] [--json]

Exits non-zero if the file is refused or does not prove equal. ``--json`` writes the
figures (seconds to restore and to verify, tables, rows) as one line of JSON instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from continuum.backups.archive import BackupRefused
from continuum.backups.management.bars import bars
from continuum.backups.services import verify_backup


class Command(BaseCommand):
    help = "Restore a backup file into a scratch database, prove it, and drop the scratch."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The backup file.")
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show a progress bar."
        )
        parser.add_argument(
            "--json", action="store_true", help="Write the figures as one line of JSON."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with bars(
                {**options, "no_progress": options["no_progress"] or options["json"]}
            ) as progress:
                report = verify_backup(path=options["file"], progress=progress)
        except BackupRefused as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "proved": report.proved,
                        "restore_seconds": round(report.restore_seconds, 3),
                        "verify_seconds": round(report.verify_seconds, 3),
                        "tables": len(report.manifest.tables),
                        "rows": report.manifest.rows,
                        "problems": report.table_problems + report.chain_problems,
                    }
                )
            )
        else:
            for line in report.lines():
                self.stdout.write(line)
        if not report.proved:
            raise CommandError(
                "The backup did not restore exactly: see above. The scratch database was dropped."
            )
        if not options["json"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{options['file']} restores and proves. The scratch database was dropped."
                )
            )
