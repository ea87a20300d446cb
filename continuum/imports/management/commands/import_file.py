"""python manage.py import_file KIND FILE --council CODE --user USERNAME [--dry-run]: any
registered kind of file (``police-notifications``, ``school-attendance``, ...) imported on
behalf of a user, as the Imports page and API do it: the user must be allowed to import
that kind for the council, the file is checked whole (every problem listed, nothing saved),
then imported in one transaction with a progress bar, and recorded as an import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from continuum.access import policy
from continuum.accounts.models import User
from continuum.imports.choices import ImportState
from continuum.imports.registry import importers
from continuum.imports.services import record_import, run_import, too_large_message
from continuum.organisations.models import Council


class Command(BaseCommand):
    help = "Import a file of a registered kind for a council, on behalf of a user."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="The kind of file, e.g. police-notifications.")
        parser.add_argument("file")
        parser.add_argument("--council", required=True, help="The council's DfE LA code.")
        parser.add_argument("--user", required=True, help="Who the file is imported for.")
        parser.add_argument("--dry-run", action="store_true", help="Check only; save nothing.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        kinds = {found.kind: found for found in importers()}
        found = kinds.get(options["kind"])
        if found is None:
            raise CommandError(
                f"No kind of file is called {options['kind']!r}: {', '.join(kinds)}."
            )
        council = Council.objects.filter(dfe_la_code=options["council"].strip()).first()
        if council is None:
            raise CommandError(f"There is no council with the DfE LA code {options['council']!r}.")
        user = User.objects.filter(username=options["user"]).first()
        if user is None or not policy.can(user, found.action, council):
            raise CommandError(
                f"{options['user']} may not import this kind of file for {council.name}."
            )
        path = Path(options["file"])
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        if size > found.max_bytes:  # refused before it is read
            raise CommandError(too_large_message(found))
        try:
            run = record_import(
                kind=found.kind,
                council=council,
                file_name=path.name,
                data=path.read_bytes(),
                dry_run=options["dry_run"],
                user=user,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        progress = Progress(
            TextColumn(f"{found.label} for {council.name}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            disable=options["no_progress"] or options["verbosity"] == 0,
            transient=True,
        )
        with progress:
            task = progress.add_task("import", total=None)
            run = run_import(
                run_id=run.pk,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
        counts = run.counts
        summary = (
            f"{run.get_state_display()}: {counts.created} created, {counts.updated} updated, "
            f"{counts.unchanged} unchanged, {counts.refused} refused. {run.note}".strip()
        )
        listed = [f"{problem.where}: {problem.message}" for problem in run.problem_list]
        if run.state != ImportState.DONE:
            raise CommandError("\n".join([*listed, summary]))
        for line in listed:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(summary))
