"""The sign-in and second-factor permission matrix (permission_matrix_second_factor.csv): who
reaches which page before and after the second factor, and the admin site's addresses."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from continuum.accounts import second_factor
from continuum.accounts.models import Role
from continuum.accounts.second_factor import SECOND_FACTOR_SESSION_KEY
from continuum.testing.second_factor import TEST_PASSWORD, authenticator_app

MATRIX = Path(__file__).with_name("permission_matrix_second_factor.csv")
ROWS = [
    row
    for row in csv.DictReader(
        line for line in MATRIX.read_text().splitlines() if line and not line.startswith("#")
    )
]
STAFF_ROLES = {"system_administrator"}
# Where each kind of session connects from (the rest: 10.1.2.3, inside the admin list).
CONNECTIONS: dict[str, dict[str, Any]] = {
    "from_elsewhere": {"REMOTE_ADDR": "192.0.2.50"},
    "spoofed_forwarded_for": {"REMOTE_ADDR": "192.0.2.50", "HTTP_X_FORWARDED_FOR": "10.1.2.3"},
    "proxied_from_elsewhere": {"REMOTE_ADDR": "10.9.9.9", "HTTP_X_FORWARDED_FOR": "192.0.2.50"},
    "proxied_from_inside": {"REMOTE_ADDR": "192.0.2.1", "HTTP_X_FORWARDED_FOR": "10.1.2.3"},
}


def _approve_a_reset_of(user, council, make_user) -> None:
    asker, approver = (
        make_user(Role.SYSTEM_ADMINISTRATOR, council=council, username=f"matrix.{name}")
        for name in ("asker", "approver")
    )
    reset = second_factor.request_reset(
        requested_by=asker, user=user, reason="Their phone was lost today."
    )
    second_factor.decide_reset(reset_id=reset.pk, decided_by=approver, approve=True)


def _url(page: str, child) -> str:
    return {
        "home": "/",
        "person": reverse("people:detail", args=[child.pk]),
        "api": "/api/v1/people",
        "second_factor": reverse("accounts:second-factor"),
        "set_up_app": reverse("accounts:set-up-authenticator-app"),
        "set_up_key": reverse("accounts:set-up-security-key"),
        "manage": reverse("accounts:second-factors"),
        "resets": reverse("web:second-factor-resets"),
        "admin": "/reference-data/",
        "admin_login": "/reference-data/login/",
        "live": reverse("web:live"),
        "ready": reverse("web:ready"),
    }[page]


def _outcome(response) -> str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("accounts:second-factor")):
            return "second_factor"
        if location.startswith(reverse("accounts:sign-in")):
            return "sign_in"
        return f"302 to {location}"
    if response.status_code == 200:
        return "allow"
    return str(response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=[f"{r['role']}-{r['session']}-{r['page']}" for r in ROWS])
def test_sign_in_matrix(row, make_user, stockton, child, settings):
    settings.ADMIN_ALLOWED_ADDRESSES = ["10.0.0.0/8"]
    settings.NINJA_NUM_PROXIES = 1 if row["session"].startswith("proxied_") else 0
    client = Client(**CONNECTIONS.get(row["session"], {"REMOTE_ADDR": "10.1.2.3"}))
    if row["role"] != "anonymous":
        user = make_user(
            "" if row["role"] == "none" else row["role"],
            council=stockton,
            username=f"matrix.{row['role']}",
            is_staff=row["role"] in STAFF_ROLES,
        )
        if row["page"] != "set_up_app":
            authenticator_app(user)
        response = client.post(
            reverse("accounts:sign-in"), {"username": user.username, "password": TEST_PASSWORD}
        )
        assert response.status_code == 302
        if row["session"] not in {"anonymous", "password_only"}:
            session = client.session
            session[SECOND_FACTOR_SESSION_KEY] = "totp"
            session.save()
        if row["session"] == "after_reset":
            assert client.get(reverse("accounts:second-factors")).status_code == 200
            _approve_a_reset_of(user, stockton, make_user)
    response = client.get(_url(row["page"], child))
    if response.status_code == 302 and response["Location"].startswith("/reference-data/login/"):
        response = client.get(response["Location"])  # the admin site's sign-in: the app's
    assert _outcome(response) == row["expect"]
