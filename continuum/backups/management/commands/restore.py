"""Restore a backup file into the configured database, then prove it: every table's row
count and checksum against the file's manifest, and the access log's hash chain.

    python manage.py restore FILE [--replace] [--no-input] [--no-progress]

Refused, with nothing changed: a file from a newer version (a migration this code does not
know), a file of the other engine, a damaged or cut-short file, and a database that is not
empty unless --replace is given (it then says what will be replaced and, at a terminal,
asks first). Exits non-zero if the restored database does not prove equal to the backup.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from continuum.backups.archive import BackupRefused
from continuum.backups.management.bars import bars
from continuum.backups.services import plan_restore, run_restore


class Command(BaseCommand):
    help = "Restore a backup file into the configured database and prove it restored exactly."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The backup file.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace everything in the database, if it is not empty.",
        )
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask before replacing.",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show a progress bar."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plan = plan_restore(path=options["file"], replace=options["replace"])
            if plan.replacing is not None:
                self.stdout.write(
                    f"This will replace everything in the database: {plan.replacing.described()}."
                )
                if options["interactive"] and sys.stdin.isatty():
                    answer = input("Type 'replace' to replace it: ")
                    if answer.strip() != "replace":
                        raise CommandError("Nothing was restored.")
            with bars(options) as progress:
                report = run_restore(plan, progress=progress)
        except BackupRefused as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)
        if not report.proved:
            raise CommandError(
                "The restored database does not match the backup: see above. Do not put it "
                "into service; restore another backup."
            )
        self.stdout.write(self.style.SUCCESS("Restored and proved."))
