"""``python manage.py rebuild_figures [--council CODE] [--no-progress]``: recompute the
maintained figures from the source tables (``engine.facts``, docs/figures.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from continuum.organisations.models import Council
from continuum.performance.engine import facts
from continuum.progress import bars, enabled_by


class Command(BaseCommand):
    help = "Recompute the maintained figures (every council, or one) from the source tables."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--council",
            action="append",
            default=[],
            metavar="CODE",
            help="A council's ONS or DfE LA code; repeat for several. Default: every council.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bars.")

    def handle(self, *args: Any, **options: Any) -> None:
        councils = None
        codes = options["council"]
        if codes:
            found: dict[str, Council] = {}
            for council in Council.objects.filter(Q(ons_code__in=codes) | Q(dfe_la_code__in=codes)):
                found[council.ons_code] = found[council.dfe_la_code] = council
            unknown = [code for code in codes if code not in found]
            if unknown:
                known = ", ".join(
                    f"{c.ons_code} ({c.dfe_la_code}, {c.name})"
                    for c in Council.objects.order_by("name")
                )
                raise CommandError(
                    f"No council has the code {', '.join(unknown)}. Known codes: {known or 'none'}."
                )
            councils = list({found[code].pk: found[code] for code in codes}.values())
        with bars(enabled=enabled_by(options)) as step:
            done = facts.rebuild(councils=councils, step=step)
        self.stdout.write(
            f"Rebuilt the figures of {done['councils']} council(s): "
            f"{done['rows']:,} rows in {done['seconds']:.1f} s."
        )
