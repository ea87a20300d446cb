"""python manage.py bench [--no-scale | --no-scale8] [--seed-first --recreate-database] [...]

Measures the indicator engine, the floor scan, the flow, the dashboards (warm, and cold:
Django's cache cleared before each request), the person search and the rest on the data in
the configured database, prints a table with the issue's targets and writes
var/bench/latest.json (with ``targets`` and ``missed``). ``make bench`` seeds the tees
preset (five years, seed 1) into a fresh database first, then rebuilds the maintained
figures (``rebuild_figures``, when the code base has it), timed. The scale run seeds four
and eight times the councils into ``<database>_scale4`` and ``<database>_scale8``. Every
phase shows a progress bar (``--no-progress`` or ``--verbosity 0``: none). See
continuum/performance/bench.py for what each figure means.
"""

from __future__ import annotations

import argparse
import json
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from continuum.organisations.models import Council
from continuum.performance import bench
from continuum.progress import Step, bars, enabled_by


class Command(BaseCommand):
    help = (
        "Benchmark the indicator engine, the floor scan, the continuum flow and the "
        "dashboards; print a table and write var/bench/latest.json."
    )
    # The database may not exist yet (--recreate-database makes it).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--recreate-database",
            action="store_true",
            help="DESTROYS the configured database: drop and create it again (PostgreSQL) "
            "or delete the SQLite file, then migrate. Only with --seed-first or --seed-only.",
        )
        parser.add_argument(
            "--seed-first",
            action="store_true",
            help="Seed the demo data (timed, recorded for seed_seconds) before measuring. "
            "The database must be empty (see --recreate-database).",
        )
        parser.add_argument(
            "--seed-only",
            action="store_true",
            help="Seed (timed, recorded) and stop: what make bench runs first.",
        )
        parser.add_argument("--preset", default="tees", help="Preset to seed (default tees).")
        parser.add_argument("--years", type=int, default=5, help="Years to seed (default 5).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Scale to seed at (default 1)."
        )
        parser.add_argument(
            "--no-scale",
            action="store_true",
            help="Skip the scale run (seeding four and eight times the councils into "
            "<database>_scale4 and _scale8 takes many times as long as the seed itself).",
        )
        parser.add_argument(
            "--no-scale8",
            action="store_true",
            help="Run the scale run at 4× only (scale_growth), not the 8× point of "
            "scale_growth_curve.",
        )
        parser.add_argument(
            "--reuse-scale-database",
            action="store_true",
            help="Keep the scale database if it already has data instead of seeding it again.",
        )
        parser.add_argument(
            "--requests",
            type=int,
            default=bench.REQUESTS_PER_PAGE,
            help=f"Requests per dashboard page (default {bench.REQUESTS_PER_PAGE}).",
        )
        parser.add_argument(
            "--cold-requests",
            type=int,
            default=bench.COLD_REQUESTS_PER_PAGE,
            help="Cold requests per dashboard page, Django's cache cleared before each "
            f"(default {bench.COLD_REQUESTS_PER_PAGE}).",
        )
        parser.add_argument(
            "--searches",
            type=int,
            default=bench.SEARCHES,
            help=f"Person searches timed (default {bench.SEARCHES}).",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bars (on standard error)."
        )
        parser.add_argument(
            "--log-writes",
            type=int,
            default=bench.LOG_WRITES_EACH,
            help=f"Access-log rows each of {bench.LOG_WRITERS} threads writes "
            f"(default {bench.LOG_WRITES_EACH}).",
        )
        parser.add_argument(
            "--output", type=Path, default=bench.LATEST, help="Where to write the JSON."
        )
        parser.add_argument(
            "--seed-record",
            type=Path,
            default=bench.SEED_RECORD,
            help="Where the seed's time is recorded and read from (default var/bench/seed.json).",
        )
        # Internal: the scale run asks its second database for the catalogue's time.
        parser.add_argument("--indicators-only", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["requests"] < 1:
            raise CommandError("--requests must be at least 1.")
        if options["cold_requests"] < 1:
            raise CommandError("--cold-requests must be at least 1.")
        if options["searches"] < 1:
            raise CommandError("--searches must be at least 1.")
        if options["log_writes"] < 1:
            raise CommandError("--log-writes must be at least 1.")
        if options["recreate_database"] and not (options["seed_first"] or options["seed_only"]):
            raise CommandError("--recreate-database only goes with --seed-first or --seed-only.")
        if options["indicators_only"]:
            self._indicators_only(options)
            return
        if options["seed_first"] or options["seed_only"]:
            self._seed(options)
            if options["seed_only"]:
                return
        with bars(enabled=enabled_by(options)) as step:
            figures = bench.measure(
                requests=options["requests"],
                cold_requests=options["cold_requests"],
                searches=options["searches"],
                log_writes_each=options["log_writes"],
                seed_record=bench.read_seed_record(options["seed_record"]),
                step=step,
            )
        # Written before the scale run, which seeds a second database and takes a while.
        path = bench.write_latest(figures, options["output"])
        if not options["no_scale"]:
            self.stdout.write(f"Written to {path}; now the scale run.")
            try:
                with bars(enabled=enabled_by(options)) as step:
                    bench.add_scale_run(figures, self._scale_run(options, step))
            except RuntimeError as exc:
                raise CommandError(str(exc)) from exc
            path = bench.write_latest(figures, options["output"])
        for line in bench.table_lines(figures):
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Written to {path}"))

    def _seed(self, options: dict[str, Any]) -> None:
        if options["recreate_database"]:
            self.stdout.write("Starting from an empty database.")
            bench.recreate_database()
            call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(
            f"Seeding the {options['preset']} preset, {options['years']} years, "
            f"seed {options['seed']}, scale {options['scale']:g}..."
        )
        progress = enabled_by(options)
        # The seed shows its own progress (seed_demo's bars); the rebuild its own.
        record = bench.timed_seed(
            lambda: call_command(
                "seed_demo",
                preset=options["preset"],
                years=options["years"],
                seed=options["seed"],
                scale=options["scale"],
                verbosity=1 if progress else 0,
                stdout=StringIO(),
            ),
            preset=options["preset"],
            years=options["years"],
            scale=options["scale"],
            seed_value=options["seed"],
            rebuild=lambda: bench.rebuild_figures(progress=progress),
        )
        bench.write_seed_record(record, options["seed_record"])
        self.stdout.write(f"Seeded in {record['seed_seconds']:,.1f} s.")
        if record["figures_rebuild_seconds"] is not None:
            self.stdout.write(f"Figures rebuilt in {record['figures_rebuild_seconds']:,.1f} s.")

    def _indicators_only(self, options: dict[str, Any]) -> None:
        bench.refresh_statistics()
        councils = list(Council.objects.order_by("name"))
        first, last = bench.data_window()
        seconds, per_kind, cells = bench.time_indicators(councils, first, last)
        search = bench.person_search_timings(options["searches"])
        self.stdout.write(
            json.dumps(
                {
                    "indicators_seconds": seconds,
                    "person_search_p95_ms": search["p95_ms"],
                    "person_search": search,
                    "cells_by_period_kind": per_kind,
                    "cells": cells,
                    "councils": len(councils),
                    "rows": bench.total_rows(),
                    "database": bench.database_description(),
                }
            )
        )

    def _scale_run(self, options: dict[str, Any], step: Step) -> Any:
        points = (bench.SCALE,) if options["no_scale8"] else bench.SCALE_POINTS

        def scale_run(indicators_seconds: float) -> dict[str, Any]:
            measured = {}
            for point in points:
                done = step(f"Scale run: seeding and measuring {point}× the councils", 1)
                measured[str(point)] = self._scale_point(options, point, indicators_seconds)
                done(1)
            at_four = measured[str(bench.SCALE)]
            return {**at_four, "points": measured}

        return scale_run

    def _scale_point(
        self, options: dict[str, Any], point: int, indicators_seconds: float
    ) -> dict[str, Any]:
        """Seed (or reuse) ``<database>_scale<point>`` and ask it for the catalogue's time
        and the person search's."""
        url = bench.database_url(f"_scale{point}")
        record_path = bench.BENCH_DIR / f"seed_scale{point}.json"
        measured = None
        if options["reuse_scale_database"]:
            try:
                measured = self._ask(url, options)
            except RuntimeError:
                measured = None
            if measured is not None and not measured["rows"]:
                measured = None
        if measured is None:
            self.stdout.write(
                f"Seeding {point}× the councils into the scale database (this takes a while; "
                "--no-scale skips it, --no-scale8 the 8× point)..."
            )
            bench.run_manage(
                [
                    "bench",
                    "--recreate-database",
                    "--seed-only",
                    "--no-progress",
                    f"--preset={options['preset']}",
                    f"--years={options['years']}",
                    f"--seed={options['seed']}",
                    f"--scale={point}",
                    f"--seed-record={record_path}",
                ],
                url,
            )
            measured = self._ask(url, options)
        return {
            "database": url.rsplit("/", 1)[-1],
            "scale": point,
            "councils": measured["councils"],
            "rows": measured["rows"],
            "seed": bench.read_seed_record(record_path),
            "indicators_seconds": round(measured["indicators_seconds"], 3),
            "indicator_cells_by_period_kind": measured["cells_by_period_kind"],
            "scale_growth": bench.growth(indicators_seconds, measured["indicators_seconds"]),
            "person_search_p95_ms": measured.get("person_search_p95_ms"),
            "person_search": measured.get("person_search"),
        }

    def _ask(self, url: str, options: dict[str, Any]) -> dict[str, Any]:
        output = bench.run_manage(
            ["bench", "--indicators-only", f"--searches={options['searches']}"], url
        )
        answer = json.loads(output.strip().splitlines()[-1])
        assert isinstance(answer, dict)
        return answer
