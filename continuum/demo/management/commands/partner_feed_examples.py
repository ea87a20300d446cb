"""python manage.py partner_feed_examples: write the example partner files (the police
force's daily file of domestic-abuse notifications, the attendance service's file) from the
demo world in this database, into ``docs/examples/`` (or ``--out``).

Run after ``seed_demo --preset small --seed 1`` (the files shipped in the repository come
from that); the same database gives the same files. Synthetic people only.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from continuum.demo.generator import DEFAULT_AS_OF
from continuum.demo.generator.examples import police_notifications_csv, school_attendance_csv
from continuum.organisations.models import Council
from continuum.people.models import Person


class Command(BaseCommand):
    help = "Write docs/examples/police-notifications.csv and school-attendance.csv from the demo."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out", default=str(Path(settings.BASE_DIR) / "docs" / "examples"), help="Folder."
        )
        parser.add_argument(
            "--council", default="Stockton-on-Tees", help="The council the files are for."
        )
        parser.add_argument(
            "--as-of",
            default=DEFAULT_AS_OF.isoformat(),
            help="The demo's as-of date (YYYY-MM-DD), as given to seed_demo.",
        )
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        if not Person.objects.exists():
            raise CommandError("There is no demo data: run `manage.py seed_demo` first.")
        try:
            as_of = date.fromisoformat(options["as_of"])
        except ValueError as exc:
            raise CommandError("Give --as-of as a date, like 2026-11-01.") from exc
        council = Council.objects.filter(name=options["council"]).first()
        if council is None:
            raise CommandError(f"No council is called {options['council']!r}.")
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        files = {
            "police-notifications.csv": police_notifications_csv(
                council=council, as_of=as_of, seed=options["seed"]
            ),
            "school-attendance.csv": school_attendance_csv(council=council, as_of=as_of),
        }
        for name, text in files.items():
            (out / name).write_text(text, encoding="utf-8", newline="")
            rows = text.count("\r\n") - 1
            self.stdout.write(f"{out / name}: {rows} rows")
