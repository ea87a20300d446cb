"""python manage.py bench [--no-scale] [--seed-first --recreate-database] [...]

Measures the indicator engine, the floor scan, the flow and the dashboards on the data in
the configured database, prints a table and writes var/bench/latest.json. ``make bench``
seeds the tees preset (five years, seed 1) into a fresh database first. See
continuum/performance/bench.py for what each figure means.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from continuum.organisations.models import Council
from continuum.performance import bench


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
            help="Skip the scale run (seeding four times the councils into <database>_scale4 "
            "takes several times as long as the seed itself).",
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
        if options["log_writes"] < 1:
            raise CommandError("--log-writes must be at least 1.")
        if options["recreate_database"] and not (options["seed_first"] or options["seed_only"]):
            raise CommandError("--recreate-database only goes with --seed-first or --seed-only.")
        if options["indicators_only"]:
            self._indicators_only()
            return
        if options["seed_first"] or options["seed_only"]:
            self._seed(options)
            if options["seed_only"]:
                return
        figures = bench.measure(
            requests=options["requests"],
            log_writes_each=options["log_writes"],
            seed_record=bench.read_seed_record(options["seed_record"]),
        )
        # Written before the scale run, which seeds a second database and takes a while.
        path = bench.write_latest(figures, options["output"])
        if not options["no_scale"]:
            self.stdout.write(f"Written to {path}; now the scale run.")
            try:
                bench.add_scale_run(figures, self._scale_run(options))
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
        record = bench.timed_seed(
            lambda: call_command(
                "seed_demo",
                preset=options["preset"],
                years=options["years"],
                seed=options["seed"],
                scale=options["scale"],
                verbosity=0,
            ),
            preset=options["preset"],
            years=options["years"],
            scale=options["scale"],
            seed_value=options["seed"],
        )
        bench.write_seed_record(record, options["seed_record"])
        self.stdout.write(f"Seeded in {record['seed_seconds']:,.1f} s.")

    def _indicators_only(self) -> None:
        bench.refresh_statistics()
        councils = list(Council.objects.order_by("name"))
        first, last = bench.data_window()
        seconds, per_kind, cells = bench.time_indicators(councils, first, last)
        self.stdout.write(
            json.dumps(
                {
                    "indicators_seconds": seconds,
                    "cells_by_period_kind": per_kind,
                    "cells": cells,
                    "councils": len(councils),
                    "rows": bench.total_rows(),
                    "database": bench.database_description(),
                }
            )
        )

    def _scale_run(self, options: dict[str, Any]) -> Any:
        url = bench.database_url(f"_scale{bench.SCALE}")
        record_path = bench.BENCH_DIR / f"seed_scale{bench.SCALE}.json"

        def scale_run(indicators_seconds: float) -> dict[str, Any]:
            measured = None
            if options["reuse_scale_database"]:
                try:
                    measured = self._ask(url)
                except RuntimeError:
                    measured = None
                if measured is not None and not measured["rows"]:
                    measured = None
            if measured is None:
                self.stdout.write(
                    f"Seeding {bench.SCALE}× the councils into the scale database (this takes "
                    "a while; --no-scale skips it)..."
                )
                bench.run_manage(
                    [
                        "bench",
                        "--recreate-database",
                        "--seed-only",
                        f"--preset={options['preset']}",
                        f"--years={options['years']}",
                        f"--seed={options['seed']}",
                        f"--scale={bench.SCALE}",
                        f"--seed-record={record_path}",
                    ],
                    url,
                )
                measured = self._ask(url)
            return {
                "database": url.rsplit("/", 1)[-1],
                "scale": bench.SCALE,
                "councils": measured["councils"],
                "rows": measured["rows"],
                "seed": bench.read_seed_record(record_path),
                "indicators_seconds": round(measured["indicators_seconds"], 3),
                "indicator_cells_by_period_kind": measured["cells_by_period_kind"],
                "scale_growth": round(measured["indicators_seconds"] / indicators_seconds, 2)
                if indicators_seconds
                else None,
            }

        return scale_run

    def _ask(self, url: str) -> dict[str, Any]:
        output = bench.run_manage(["bench", "--indicators-only"], url)
        answer = json.loads(output.strip().splitlines()[-1])
        assert isinstance(answer, dict)
        return answer
