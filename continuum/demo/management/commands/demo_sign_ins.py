"""python manage.py demo_sign_ins: the table `make demo` prints."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from continuum.accounts.models import User
from continuum.demo.sign_ins import DEMO_USERNAMES

DEMO_URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = "List the demo sign-ins: username, role and organisation, with the demo password."

    def handle(self, *args: Any, **options: Any) -> None:
        users = {
            user.username: user
            for user in User.objects.filter(is_demo_account=True).select_related("organisation")
        }
        if not users:
            raise CommandError("There are no demo sign-ins: run `manage.py seed_demo` first.")
        order = {username: n for n, username in enumerate(DEMO_USERNAMES)}
        rows = [("Username", "Role", "Organisation")] + [
            (user.username, user.get_role_display(), str(user.organisation or ""))
            for user in sorted(
                users.values(), key=lambda u: (order.get(u.username, len(order)), u.username)
            )
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("")
        self.stdout.write(f"Continuum demo: sign in at {DEMO_URL}")
        self.stdout.write(f"Password for every demo sign-in: {settings.DEMO_PASSWORD}")
        self.stdout.write("")
        for n, row in enumerate(rows):
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
            if n == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        self.stdout.write("")
        if not settings.CONTINUUM_DEMO:
            self.stdout.write(
                self.style.WARNING(
                    "Demo mode is off (CONTINUUM_DEMO is not set): the demo password will not "
                    "work until it is on."
                )
            )
