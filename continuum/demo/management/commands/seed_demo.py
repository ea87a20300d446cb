"""python manage.py seed_demo --preset small --seed 1 [--if-empty | --fresh] [--no-progress]"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from continuum.demo.generator import (
    DEFAULT_AS_OF,
    PRESETS,
    DemoDataExists,
    build,
    choose_preset,
    row_counts,
    summary_lines,
)
from continuum.people.models import Person
from continuum.performance.bench import recreate_database
from continuum.progress import bars, enabled_by


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-11-01.") from exc


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number.") from exc
    if number <= 0:
        raise argparse.ArgumentTypeError("The scale must be greater than zero.")
    return number


def _years(value: str) -> int:
    try:
        number = int(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of years.") from exc
    if number < 1:
        raise argparse.ArgumentTypeError("Make at least one year of history (--years 1 or more).")
    return number


class Command(BaseCommand):
    help = (
        "Fill an empty database with synthetic demo data: the four Tees councils, their "
        "partners, teams, the demo sign-ins and people in households. The same --seed gives "
        "the same data (names, identifiers and ids). Every identifier is synthetic: NHS "
        "numbers from the NHS test range, valid UPNs, TS postcodes of the right council."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--preset",
            choices=sorted(PRESETS),
            default="small",
            help="How much data: 'small' (a few hundred people, seconds) or "
            "'tees' (about 3,000 people per council, a few minutes).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            help="Random seed (default 1). The same seed gives the same data.",
        )
        parser.add_argument(
            "--as-of",
            type=_date,
            default=DEFAULT_AS_OF,
            dest="as_of",
            help="The date the data is as of, YYYY-MM-DD (default "
            f"{DEFAULT_AS_OF.isoformat()}, a fixed date, never today, "
            "so the output does not change from day to day). Ages and "
            "events count back from it.",
        )
        parser.add_argument(
            "--years",
            type=_years,
            default=None,
            help="Years of history to make (default: the preset's).",
        )
        parser.add_argument(
            "--scale",
            type=_positive,
            default=1,
            help="Repeat the four councils this many times (default 1): copies 2 and up are "
            "new councils with their own names, codes, postcodes and people.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            dest="if_empty",
            help="Do nothing (and say so) if the database already has people.",
        )

        parser.add_argument(
            "--fresh",
            action="store_true",
            help="Start again: throw the database away (drop and create it again, or delete "
            "the SQLite file), migrate, then seed. Demo mode (CONTINUUM_DEMO) only.",
        )
        parser.add_argument(
            "--no-progress",
            action="store_true",
            dest="no_progress",
            help="Do not show the progress bars (one a step, on standard error).",
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            help="Show the progress bars even with --verbosity 0 (as the bench does).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["fresh"]:
            self._start_again(options)
        people = Person.objects.count()
        if people and options["if_empty"]:
            self.stdout.write(
                f"The database already has {people:,} people: leaving it as it is (--if-empty)."
            )
            return
        shown = options.get("progress", False) or enabled_by(options)
        with bars(enabled=shown and not options.get("no_progress", False)) as step:
            try:
                world = build(
                    preset=options["preset"],
                    seed=options["seed"],
                    as_of=options["as_of"],
                    years=options["years"],
                    scale=options["scale"],
                    log=self.stdout.write if options["verbosity"] > 1 else None,
                    progress=step,
                )
            except (DemoDataExists, ValueError) as exc:
                raise CommandError(str(exc)) from exc
            # Fresh tables have no planner statistics until autovacuum gets to them; the
            # dashboards' aggregate queries need them from the first request.
            step("Planner statistics (ANALYZE)", None)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        for line in summary_lines(world, row_counts()):
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))

    def _start_again(self, options: dict[str, Any]) -> None:
        """An empty, migrated database, after the options have been checked (a bad option
        leaves the database as it was)."""
        if options["if_empty"]:
            raise CommandError("Choose --fresh or --if-empty, not both.")
        if not settings.CONTINUUM_DEMO:
            raise CommandError(
                "--fresh throws the whole database away, so it works only in demo mode "
                "(CONTINUUM_DEMO=1)."
            )
        try:
            choose_preset(options["preset"], years=options["years"], scale=options["scale"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["as_of"] > timezone.localdate():
            raise CommandError(
                "The as-of date must be today or earlier: people cannot be born later."
            )
        try:
            recreate_database()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("Started again: an empty database. Migrating it.")
        call_command("migrate", interactive=False, verbosity=0, stdout=self.stdout)
