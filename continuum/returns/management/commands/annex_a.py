"""Write Ofsted's Annex A lists 1 to 7 for one council and period as an Excel workbook.

    python manage.py annex_a --council 808 --from 2025-04-01 --to 2026-03-31 \\
        --output annex-a.xlsx [--user USERNAME] [--no-progress]

``--council`` is the council's DfE LA code; ``--from`` and ``--to`` the period's first and
last days (YYYY-MM-DD). With ``--user``, the export is made as that Continuum account: the
policy must allow it to export the council's returns, and the access log names it. Without
it, the server's operator makes it and the security log names them. An unknown council, a
date that is not one, or a period that ends before it starts is refused and nothing is
written.
"""

from __future__ import annotations

import getpass
import os
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from continuum.accounts.models import User
from continuum.errors import NotPermitted
from continuum.returns.annex_a import LIST_NUMBERS, AnnexList
from continuum.returns.exports import export_annex_a, find_council
from continuum.returns.workbook import write_annex_a


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError) as exc:
        raise CommandError(
            f"{option} must be a real date, like 2025-04-01 (not {text!r})."
        ) from exc


def _messages(error: ValidationError) -> str:
    names = {"council": "--council", "first": "--from", "last": "--to"}
    return " ".join(
        f"{names.get(field, field)}: {message}"
        for field, messages in error.message_dict.items()
        for message in messages
    )


class Command(BaseCommand):
    help = "Write Ofsted's Annex A lists 1 to 7 for a council and period as an .xlsx file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--council", required=True, help="The council's DfE LA code.")
        parser.add_argument("--from", dest="first", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="last", required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--output", required=True, type=Path, help="The .xlsx file to write.")
        parser.add_argument(
            "--user", help="Export as this Continuum account (asked of the policy, logged)."
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show a progress bar."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        first = _day(options["first"], "--from")
        last = _day(options["last"], "--to")
        output: Path = options["output"]
        if not output.parent.is_dir():
            raise CommandError(f"--output: the folder {str(output.parent)!r} does not exist.")
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"--user: no account is called {options['user']!r}.")
        progress = Progress(
            TextColumn("Annex A: {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=Console(stderr=True),
            disable=options["no_progress"] or options["verbosity"] == 0,
            transient=True,
        )
        with progress:
            task = progress.add_task("reading the records", total=len(LIST_NUMBERS) + 1)

            def made(annex_list: AnnexList) -> None:
                progress.update(task, advance=1, description=f"list {annex_list.number} made")

            try:
                council = find_council(options["council"])
                annex = export_annex_a(
                    user=user,
                    council=council,
                    first=first,
                    last=last,
                    progress=made,
                    operator=getpass.getuser(),
                )
            except ValidationError as exc:
                raise CommandError(_messages(exc)) from exc
            except NotPermitted as exc:
                raise CommandError(str(exc)) from exc
            progress.update(task, description="writing the workbook")
            partial = output.with_name(f".{output.name}.{os.getpid()}.partial")
            try:
                with partial.open("wb") as handle:
                    write_annex_a(annex, handle)
                partial.replace(output)
            finally:
                partial.unlink(missing_ok=True)
            progress.advance(task)
        counts = ", ".join(f"list {n}: {rows}" for n, rows in annex.row_counts.items())
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({counts})."))
