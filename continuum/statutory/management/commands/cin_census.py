"""The children in need census on the command line, one subcommand each:

    python manage.py cin_census export --council 808 --year 2026 --output FILE.xml [--validate]
    python manage.py cin_census validate FILE.xml [--year 2026]
    python manage.py cin_census import FILE.xml [--dry-run] [--council 808]

``export`` writes a council's return for a census year (the year ending 31 March); with
``--validate`` it then runs the DfE's rules over it. ``validate`` runs the rules over any
census file and lists the errors and queries; both exit non-zero when a rule finds an
error. Nothing is written when the council or year is wrong.

``import`` takes a council's return in (the council its header's LEA names; ``--council``,
if given, must be the same), as the Imports page does, with a progress bar: checked whole,
refused with every problem by child and element, or imported in one transaction and
recorded (by "the command line") with its counts and the DfE rules' findings. ``--dry-run``
checks and counts, and saves nothing but the record of the run.
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

from continuum.imports.choices import ImportState
from continuum.imports.models import ImportRun
from continuum.imports.registry import importer
from continuum.imports.services import record_import, run_import, too_large_message
from continuum.organisations.models import Council
from continuum.statutory.census import importing
from continuum.statutory.census.export import export_census_unattended
from continuum.statutory.census.reading import council_of_file
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
        taking = subcommands.add_parser("import", help="Import a council's census return.")
        taking.add_argument("file", help="The census XML file.")
        taking.add_argument(
            "--council", help="The council's DfE LA code (default: the file's own LEA)."
        )
        taking.add_argument(
            "--dry-run", action="store_true", help="Check and count only; save nothing."
        )
        taking.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        handlers = {"export": self.export, "validate": self.validate, "import": self.import_}
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

    # --- import ----------------------------------------------------------------------------

    def import_(self, **options: Any) -> None:
        path = Path(options["file"])
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        found = importer(importing.KIND)
        if size > found.max_bytes:  # refused before it is read
            raise CommandError(too_large_message(found))
        data = path.read_bytes()
        council = self._import_council(data, options["council"])
        try:
            run = record_import(
                kind=importing.KIND,
                council=council,
                file_name=path.name,
                data=data,
                dry_run=options["dry_run"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        progress = Progress(
            TextColumn(f"Importing {council.name}'s return"),
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
        self._report_import(run)

    def _import_council(self, data: bytes, code: str | None) -> Council:
        named = council_of_file(data)
        if code:
            council = Council.objects.filter(dfe_la_code=code.strip()).first()
            if council is None:
                raise CommandError(f"There is no council with the DfE LA code {code!r}.")
            return council  # the check refuses a file whose LEA names another council
        if named is None:
            raise CommandError(
                "The file's header names no council in Continuum (Header/Source/LEA): "
                "give --council or check the file."
            )
        return named

    def _report_import(self, run: ImportRun) -> None:
        counts = run.counts
        summary = (
            f"{run.get_state_display()}: {counts.created} created, {counts.updated} updated, "
            f"{counts.unchanged} unchanged, {counts.ended} ended, {counts.refused} refused "
            f"(waiting to be matched). {run.note}".strip()
        )
        if run.state != ImportState.DONE:
            problems = [f"{problem.where}: {problem.message}" for problem in run.problem_list]
            raise CommandError("\n".join([*problems, summary]))
        findings = run.census_findings.count()
        self.stdout.write(self.style.SUCCESS(f"{summary} Findings of the DfE rules: {findings}."))
