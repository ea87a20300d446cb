"""Back up the configured database into one file: the dump and its manifest (format,
engine, when, migrations, every table's row count and checksum).

    python manage.py backup --output FILE [--no-progress]

SQLite through its backup API, PostgreSQL through ``pg_dump --format=custom`` (see
docs/backup-and-restore.md). The file is written beside FILE and put in its place only
when complete, readable by its owner only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from continuum.backups.archive import ENGINE_NAMES, BackupRefused
from continuum.backups.management.bars import bars
from continuum.backups.services import make_backup


class Command(BaseCommand):
    help = "Back up the configured database into one file (the dump and its manifest)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, required=True, help="The backup file to write.")
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show a progress bar."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with bars(options) as progress:
                backup = make_backup(output=options["output"], progress=progress)
        except BackupRefused as exc:
            raise CommandError(str(exc)) from exc
        manifest = backup.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {ENGINE_NAMES[manifest.engine]} database "
                f"({len(manifest.tables)} tables, {manifest.rows:,} rows) to "
                f"{backup.output} ({manifest.data['dump']['bytes']:,} bytes of dump) in "
                f"{backup.seconds:,.1f} s."
            )
        )
