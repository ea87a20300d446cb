"""The load test's sign-ins: the tees world's demo accounts, given for the run a password
and an authenticator app of their own (new random secrets each run, withdrawn after), as an
administrator would provision test accounts. They then sign in exactly as anyone does: the
sign-in page, then a code from the authenticator app. Nothing in the app is weakened, and
demo mode stays off. Needs Django set up."""

from __future__ import annotations

import base64
import secrets

LOAD_DEVICE = "Load test authenticator"

# The councils' DfE LA codes.
HARTLEPOOL, MIDDLESBROUGH, REDCAR, STOCKTON = "805", "806", "807", "808"
# Who does what (load/locustfile.py): the tees world's demo sign-ins.
PARTNERS = {  # username -> (councils it refers to, CIN referral source)
    "school.middlesbrough": ([MIDDLESBROUGH], "2A"),
    "healthvisitor.redcar": ([REDCAR], "3B"),
    "police.cleveland": ([HARTLEPOOL, MIDDLESBROUGH, REDCAR, STOCKTON], "5A"),
}
FRONT_DOORS = ["frontdoor.stockton", "frontdoor.hartlepool", "frontdoor.middlesbrough",
               "frontdoor.redcar", "hub.worker"]  # fmt: skip
EARLY_HELP = ["ehworker.stockton", "ehworker.hartlepool", "ehworker.middlesbrough",
              "ehworker.redcar"]  # fmt: skip
MANAGERS = ["manager.stockton", "manager.hartlepool", "manager.middlesbrough",
            "manager.redcar", "analyst.tees"]  # fmt: skip
EVERYONE = [*PARTNERS, *FRONT_DOORS, *EARLY_HELP, *MANAGERS]


def provision(usernames: list[str]) -> tuple[str, str]:
    """Answers the password and the authenticator app's secret (base 32) for the run."""
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from continuum.accounts.models import User

    password = secrets.token_urlsafe(18)
    key = secrets.token_bytes(20)
    with transaction.atomic():
        users = list(User.objects.filter(username__in=usernames, is_active=True))
        missing = set(usernames) - {user.username for user in users}
        if missing:
            raise LookupError(f"No such active sign-ins: {', '.join(sorted(missing))}")
        for user in users:
            user.set_password(password)
            user.save(update_fields=["password"])
            TOTPDevice.objects.filter(user=user, name=LOAD_DEVICE).delete()
            TOTPDevice.objects.create(user=user, name=LOAD_DEVICE, key=key.hex(), confirmed=True)
    return password, base64.b32encode(key).decode()


def withdraw(usernames: list[str]) -> None:
    """The run's password and authenticator app taken away again."""
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from continuum.accounts.models import User

    with transaction.atomic():
        TOTPDevice.objects.filter(user__username__in=usernames, name=LOAD_DEVICE).delete()
        for user in User.objects.filter(username__in=usernames):
            user.set_unusable_password()
            user.save(update_fields=["password"])
