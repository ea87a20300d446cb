"""List what a council's retention schedule says is due for disposal into a run awaiting
its information governance lead's approval (run monthly from cron or a systemd timer;
docs/retention.md):

    python manage.py dispose --council 808 [--as-of 2026-04-30] [--user ig.stockton]

``--council`` is the council's DfE LA code or its name; ``--as-of`` defaults to today and
may not be in the future. Nothing is disposed of until the lead approves the run on its
page (or over the API); the worker (``manage.py db_worker``) then carries it out. Bad
input, or a run already open for the council, is refused with a message and changes
nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from continuum.accounts.models import User
from continuum.accounts.roles import INFORMATION_GOVERNANCE_ROLES
from continuum.errors import Refusal
from continuum.organisations.models import Council
from continuum.retention.choices import RunState
from continuum.retention.services import list_run, start_run


def find_council(text: str) -> Council:
    text = text.strip()
    council = (
        Council.objects.filter(dfe_la_code=text).first()
        or Council.objects.filter(name__iexact=text).first()
    )
    if council is None:
        raise CommandError(f"--council: no council has the DfE LA code or name {text[:60]!r}.")
    return council


def parse_day(text: str | None) -> date:
    if not text:
        return timezone.localdate()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of: {text[:20]!r} is not a date like 2026-04-30.") from None


class Command(BaseCommand):
    help = "List what a council's retention schedule says is due into a run awaiting approval."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--council", required=True, help="DfE LA code or council name.")
        parser.add_argument("--as-of", help="The day to dispose as of (YYYY-MM-DD; today).")
        parser.add_argument("--user", help="The information governance lead listing it.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        council = find_council(options["council"])
        as_of = parse_day(options.get("as_of"))
        user = None
        if options.get("user"):
            user = User.objects.filter(username=options["user"]).first()
            if (
                user is None
                or user.role not in INFORMATION_GOVERNANCE_ROLES
                or (user.council != council)
            ):
                raise CommandError(
                    f"--user: {options['user']!r} is not {council.name}'s information "
                    "governance lead."
                )
        try:
            run = start_run(council=council, as_of=as_of, listed_by=user, background=False)
        except ValidationError as exc:
            raise CommandError("--as-of: " + " ".join(exc.messages)) from exc
        except Refusal as exc:
            raise CommandError(str(exc)) from exc
        progress = Progress(
            TextColumn(f"Listing what is due for {council.name}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=Console(stderr=True),
            disable=options["no_progress"] or options["verbosity"] == 0,
            transient=True,
        )
        with progress:
            task = progress.add_task("list", total=None)
            run = list_run(
                run_id=run.pk,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
        if run.state != RunState.AWAITING_APPROVAL:
            raise CommandError(run.problem or "The run could not be listed.")
        counts = run.items.values_list("record_kind", flat=True)
        self.stdout.write(
            f"Disposal run {run.pk} for {council.name} as of {as_of.isoformat()}: "
            f"{len(counts)} record(s) due, awaiting approval by the information governance "
            "lead."
        )
