"""Write a synthetic children in need census return (``continuum.demo.census_file``):

    python manage.py census_file --council 808 --year 2026 --children 5000 --seed 1 \\
        --output var/cin-808-2026.xml

Made-up children, the same for the same seed: to try the census import by hand (the
Imports page, the API or ``cin_census import``), and for the benchmark.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from continuum.demo.census_file import census_file


class Command(BaseCommand):
    help = "Write a synthetic CIN census return for a council and census year."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--council", required=True, help="The council's DfE LA code.")
        parser.add_argument("--year", required=True, type=int, help="The census year.")
        parser.add_argument("--children", type=int, default=100)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--id-prefix", default="C", help="Before each LA child ID.")
        parser.add_argument("--output", required=True, help="The file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["children"] < 1:
            raise CommandError("--children must be at least 1.")
        data = census_file(
            la_code=options["council"],
            year=options["year"],
            children=options["children"],
            seed=options["seed"],
            id_prefix=options["id_prefix"],
        )
        Path(options["output"]).write_bytes(data)
        self.stdout.write(f"Wrote {options['children']} synthetic children to {options['output']}.")
