"""Check the access log's hash chain: every changed row, every gap where rows were deleted,
every row inserted outside the chain, named by id and position. Exits non-zero if any.

    python manage.py verify_access_log [--no-progress]
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import F
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from continuum.audit import chain
from continuum.audit.models import AccessLogChainHead, AccessLogEntry


class Command(BaseCommand):
    help = "Check the access log's hash chain for changed, deleted or inserted rows."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show a progress bar."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        total = AccessLogEntry.objects.count()
        rows = AccessLogEntry.objects.order_by(F("sequence").asc(nulls_first=True), "id")
        head = AccessLogChainHead.objects.filter(pk=chain.HEAD_PK).first()
        problems = []
        progress = Progress(
            TextColumn("Checking the access log"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            disable=options["no_progress"] or options["verbosity"] == 0,
            transient=True,
        )
        with progress:
            task = progress.add_task("verify", total=total)

            def counted() -> Any:
                for entry in rows.iterator(chunk_size=2000):
                    progress.advance(task)
                    yield entry

            for problem in chain.verify(counted(), head):
                problems.append(problem)
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(
                f"The access log has been tampered with: {len(problems)} problem(s) in "
                f"{total} rows."
            )
        self.stdout.write(self.style.SUCCESS(f"The access log is intact: {total} rows checked."))
