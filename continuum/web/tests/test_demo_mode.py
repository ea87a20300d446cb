"""Issue 10, finding 16: demo mode refuses to start with production settings, never gives an
administrator the published password, and says loudly that it is on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.urls import reverse

from continuum.accounts.models import Role
from continuum.web.checks import demo_mode_is_announced
from continuum.web.demo_mode import production_settings

ROOT = Path(__file__).resolve().parents[3]
INSECURE = "insecure"
DEMO_DEFAULTS: dict[str, Any] = {
    "secret_key": INSECURE,
    "insecure_secret_key": INSECURE,
    "allowed_hosts": ["127.0.0.1", "localhost", "testserver"],
    "database_engine": "django.db.backends.sqlite3",
    "database_name": "/srv/continuum/var/demo.sqlite3",
}


def start(**env: str) -> subprocess.CompletedProcess[str]:
    """``manage.py check`` as a fresh process with these environment variables."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DEBUG"}
    }
    environment.update({"CONTINUUM_DEMO": "1", **env})
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_demo_as_make_demo_runs_it_is_not_production():
    assert production_settings(**DEMO_DEFAULTS) == []


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"secret_key": "a-real-production-key"}, "SECRET_KEY is set"),
        ({"allowed_hosts": ["localhost", "continuum.example.gov.uk"]}, "continuum.example.gov.uk"),
        (
            {"database_engine": "django.db.backends.postgresql", "database_name": "continuum"},
            "not a demo database",
        ),
    ],
)
def test_production_settings_are_recognised(change, says):
    problems = production_settings(**{**DEMO_DEFAULTS, **change})
    assert len(problems) == 1
    assert says in problems[0]


def test_a_postgresql_database_named_as_a_demo_is_allowed():
    settings = {
        **DEMO_DEFAULTS,
        "database_engine": "django.db.backends.postgresql",
        "database_name": "continuum_demo",
    }
    assert production_settings(**settings) == []


def test_demo_mode_refuses_to_start_with_a_real_secret_key():
    result = start(SECRET_KEY="a-real-production-key-" + "x" * 40)
    assert result.returncode != 0
    assert "refuses to start with production settings" in result.stderr
    assert "SECRET_KEY is set" in result.stderr


def test_demo_mode_refuses_to_start_with_a_production_database():
    result = start(DATABASE_URL="postgres://continuum@db.internal:5432/continuum")
    assert result.returncode != 0
    assert "not a demo database" in result.stderr


def test_demo_mode_starts_and_warns_loudly_that_it_is_on(tmp_path):
    result = start(DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    assert result.returncode == 0, result.stderr
    assert "DEMO MODE IS ON" in result.stdout + result.stderr


def test_the_warning_is_only_given_in_demo_mode(settings):
    settings.CONTINUUM_DEMO = False
    assert demo_mode_is_announced(None) == []
    settings.CONTINUUM_DEMO = True
    assert [m.id for m in demo_mode_is_announced(None)] == ["continuum.W001"]


@pytest.mark.django_db
def test_every_page_says_demo_mode_is_on(client, settings, worker):
    settings.CONTINUUM_DEMO = True
    assert "Demo mode is on" in client.get(reverse("accounts:sign-in")).content.decode()
    client.force_login(worker)
    assert "Demo mode is on" in client.get(reverse("web:home")).content.decode()
    settings.CONTINUUM_DEMO = False
    assert "Demo mode is on" not in client.get(reverse("web:home")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "admin_fields",
    [
        {"role": Role.SYSTEM_ADMINISTRATOR},
        {"role": Role.FRONT_DOOR_WORKER, "is_staff": True},
        {"role": Role.FRONT_DOOR_WORKER, "is_superuser": True},
    ],
)
def test_the_demo_password_never_signs_in_an_administrator(make_user, settings, admin_fields):
    settings.CONTINUUM_DEMO = True
    role = admin_fields.pop("role")
    user = make_user(role, username="admin", is_demo_account=True, **admin_fields)
    assert authenticate(username=user.username, password=settings.DEMO_PASSWORD) is None
