"""python manage.py demo_sign_ins: the table `make demo` prints. Demo mode only.

Every demo sign-in uses the published demo password, except administrators: each run gives
them a new random password of their own, printed here (issue 10, finding 16). Each demo
sign-in's second factor is the published demo authenticator-app secret, or one of the
demo recovery codes this run makes; both work in demo mode only."""

from __future__ import annotations

import argparse
import os
import secrets
from base64 import b32decode
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from continuum.accounts import second_factor
from continuum.accounts.backends import is_administrator
from continuum.accounts.models import User
from continuum.demo.sign_ins import DEMO_USERNAMES

DEMO_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def _port(value: str) -> int:
    try:
        number = int(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number.") from exc
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError("A port is a number from 1 to 65535.")
    return number


class Command(BaseCommand):
    help = "List the demo sign-ins: username, role and organisation, with the demo password."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--port",
            type=_port,
            default=None,
            help=f"The port the demo serves (default: $PORT, else {DEFAULT_PORT}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.CONTINUUM_DEMO:
            raise CommandError(
                "Demo mode is off (CONTINUUM_DEMO is not set): demo sign-ins exist only in "
                "demo mode. Run `make demo`."
            )
        users = {
            user.username: user
            for user in User.objects.filter(is_demo_account=True).select_related("organisation")
        }
        if not users:
            raise CommandError("There are no demo sign-ins: run `manage.py seed_demo` first.")
        order = {username: n for n, username in enumerate(DEMO_USERNAMES)}
        ordered = sorted(
            users.values(), key=lambda u: (order.get(u.username, len(order)), u.username)
        )
        passwords = {user.username: self._password(user) for user in ordered}
        secret_hex = b32decode(settings.DEMO_TOTP_SECRET).hex()
        recovery = {
            user.username: second_factor.give_demo_second_factor(user, secret_hex=secret_hex)
            for user in ordered
        }
        rows = [("Username", "Password", "Recovery codes", "Role", "Organisation")] + [
            (
                user.username,
                passwords[user.username],
                " ".join(recovery[user.username]),
                user.get_role_display(),
                str(user.organisation or ""),
            )
            for user in ordered
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        self.stdout.write("")
        port = options.get("port")
        if port is None:
            try:
                port = _port(os.environ.get("PORT") or str(DEFAULT_PORT))
            except argparse.ArgumentTypeError as exc:
                raise CommandError(f"PORT: {exc}") from exc
        self.stdout.write(f"Continuum demo: sign in at http://{DEMO_HOST}:{port}")
        self.stdout.write(
            f"Password for every demo sign-in: {settings.DEMO_PASSWORD} "
            "(administrators: their own, new each time this runs)"
        )
        self.stdout.write(
            "Second factor for every demo sign-in: add this secret to an authenticator app "
            f"(a time-based key): {settings.DEMO_TOTP_SECRET}"
        )
        self.stdout.write(f"  or scan/open: {self._otpauth_url()}")
        self.stdout.write(
            f"  (its code now is {self._current_code(secret_hex)}; or use one of the "
            "sign-in's recovery codes below, each once)"
        )
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

    @staticmethod
    def _otpauth_url() -> str:
        return (
            f"otpauth://totp/Continuum%20demo?secret={settings.DEMO_TOTP_SECRET}&issuer=Continuum"
        )

    @staticmethod
    def _current_code(secret_hex: str) -> str:
        return f"{totp(bytes.fromhex(secret_hex)):06d}"

    def _password(self, user: User) -> str:
        if not is_administrator(user):
            return str(settings.DEMO_PASSWORD)
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save(update_fields=["password"])
        return password
