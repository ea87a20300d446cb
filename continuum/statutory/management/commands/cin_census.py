"""The children in need census on the command line, one subcommand each:

    python manage.py cin_census export --council 808 --year 2026 --output FILE.xml [--validate]
    python manage.py cin_census validate FILE.xml [--year 2026]

``export`` writes a council's return for a census year (the year ending 31 March); with
``--validate`` it then runs the DfE's rules over it. ``validate`` runs the rules over any
census file and lists the errors and queries; both exit non-zero when a rule finds an
error. Nothing is written when the council or year is wrong.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from continuum.organisations.models import Council
from continuum.statutory.census.export import export_census_unattended
from continuum.statutory.census.validation import (
    CensusFileError,
    ValidationReport,
    validate_census,
)


class Command(BaseCommand):
    help = "Export a council's children in need census return, or check a census file."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        export = subcommands.add_parser(
            "export", help="Write a council's census return for a census year."
        )
        export.add_argument("--council", required=True, help="The council's DfE LA code.")
        export.add_argument(
            "--year", required=True, type=int, help="The census year (ending 31 March)."
        )
        export.add_argument("--output", required=True, help="The file to write.")
        export.add_argument(
            "--validate", action="store_true", help="Then run the DfE's rules over it."
        )
        export.add_argument("--no-progress", action="store_true", help="No progress bar.")
        validate = subcommands.add_parser(
            "validate", help="Run the DfE's rules over a census file."
        )
        validate.add_argument("file", help="The census XML file.")
        validate.add_argument("--year", type=int, help="The census year (default: the file's own).")

    def handle(self, *args: Any, **options: Any) -> None:
        handlers = {"export": self.export, "validate": self.validate}
        handlers[options["subcommand"]](**options)

    # --- export ----------------------------------------------------------------------------

    def export(self, **options: Any) -> None:
        code = options["council"].strip()
        council = Council.objects.filter(dfe_la_code=code).first()
        if council is None:
            raise CommandError(f"There is no council with the DfE LA code {code!r}.")
        try:
            census = export_census_unattended(council=council, year=options["year"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        output = Path(options["output"])
        progress = Progress(
            TextColumn(f"Writing {council.name}'s {census.year} return"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            disable=options["no_progress"] or options["verbosity"] == 0,
            transient=True,
        )
        # Written beside the output and moved into place at the end: a failure leaves no
        # half-written return.
        handle, partial = tempfile.mkstemp(dir=output.parent, prefix=".cin-census-")
        try:
            with progress, os.fdopen(handle, "wb") as out:
                task = progress.add_task("export", total=census.child_count)
                census.write(out, progress=lambda done: progress.update(task, completed=done))
            os.replace(partial, output)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {council.name}'s children in need census for {census.year} "
                f"({census.child_count} children) to {output}."
            )
        )
        if options["validate"]:
            self.report(validate_census(output.read_bytes(), year=census.year))

    # --- validate --------------------------------------------------------------------------

    def validate(self, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        try:
            report = validate_census(data, year=options["year"])
        except (CensusFileError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.report(report)

    def report(self, report: ValidationReport) -> None:
        for failure in report.failures:
            self.stdout.write(str(failure))
        for code in report.rules_not_run:
            self.stderr.write(f"Rule {code} could not be run over this file.")
        summary = (
            f"{report.year} rules: {len(report.errors)} errors, {len(report.queries)} "
            f"queries ({report.rules_run} rules)."
        )
        if report.errors:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
