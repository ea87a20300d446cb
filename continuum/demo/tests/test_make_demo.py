"""What `make demo` runs, as a new user would: another port, starting again with fresh
data, and the sign-ins printed last, right above the server's log."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from continuum.accounts.models import Role
from continuum.people.models import Person

ROOT = Path(django_settings.BASE_DIR)


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def make_dry_run(*args: str, **env: str) -> str:
    """The commands `make` would run (``make -n``), without running them."""
    completed = subprocess.run(  # noqa: S603 - make, this project's Makefile
        ["make", "--no-print-directory", "-n", *args],  # noqa: S607
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.replace("\\\n", " ")  # one shell line per command


def demo_commands(*args: str, **env: str) -> list[str]:
    # -o: take the installation as done (make -n would otherwise list pip and npm).
    output = make_dry_run("-o", ".venv/.installed", "-o", "node_modules/.installed", *args, **env)
    return [line for line in output.splitlines() if "manage.py" in line]


def test_make_demo_serves_8000_unless_port_says_otherwise() -> None:
    default = "\n".join(demo_commands("demo"))
    assert "runserver 127.0.0.1:8000" in default
    assert "demo_sign_ins --port 8000" in default
    other = "\n".join(demo_commands("demo", "PORT=8123"))
    assert "runserver 127.0.0.1:8123" in other
    assert "demo_sign_ins --port 8123" in other
    assert "http://localhost:8123" in other  # security keys bound to the same origin
    assert "8000" not in other


def test_make_demo_prints_the_sign_ins_after_seeding_and_right_before_the_server() -> None:
    commands = demo_commands("demo")
    seeding = next(n for n, line in enumerate(commands) if "seed_demo" in line)
    sign_ins = next(n for n, line in enumerate(commands) if "demo_sign_ins" in line)
    server = next(n for n, line in enumerate(commands) if "runserver" in line)
    assert seeding < sign_ins <= server
    # One shell line: the worker, then the sign-ins, then the server (nothing between).
    line = commands[server]
    assert line.index("db_worker") < line.index("demo_sign_ins") < line.index("runserver")
    assert "--if-empty" in commands[seeding]


@pytest.mark.parametrize("args", [("demo-fresh",), ("demo", "FRESH=1")])
def test_make_demo_fresh_seeds_a_fresh_database(args: tuple[str, ...]) -> None:
    output = make_dry_run("-o", ".venv/.installed", "-o", "node_modules/.installed", *args)
    seeding = [line for line in output.splitlines() if "seed_demo" in line]
    assert len(seeding) == 1
    assert "--fresh" in seeding[0]
    assert "--if-empty" not in seeding[0]


def test_make_demo_refuses_a_port_that_is_not_a_number() -> None:
    completed = subprocess.run(  # noqa: S603
        ["make", "--no-print-directory", "-o", ".venv/.installed", "-o",  # noqa: S607
         "node_modules/.installed", "demo", "PORT=eighty"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert completed.returncode != 0
    assert "PORT must be a port number" in completed.stdout + completed.stderr


@pytest.mark.django_db
def test_demo_sign_ins_name_the_address_with_its_port(
    settings: Any, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.CONTINUUM_DEMO = True
    make_user(Role.FRONT_DOOR_WORKER, username="frontdoor.stockton", is_demo_account=True)
    assert "sign in at http://127.0.0.1:8000" in run("demo_sign_ins")
    assert "sign in at http://127.0.0.1:8123" in run("demo_sign_ins", "--port", "8123")
    monkeypatch.setenv("PORT", "8124")
    assert "sign in at http://127.0.0.1:8124" in run("demo_sign_ins")
    monkeypatch.setenv("PORT", "eighty")
    with pytest.raises(CommandError, match="not a port number"):
        run("demo_sign_ins")
    with pytest.raises(CommandError, match="1 to 65535"):
        run("demo_sign_ins", "--port", "70000")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("demo", "args", "message"),
    [
        (False, [], "only in demo mode"),
        (True, ["--if-empty"], "not both"),
        (True, ["--years", "0"], "at least one year"),
        (True, ["--as-of", "2999-01-01"], "today or earlier"),
    ],
)
def test_seed_demo_fresh_refuses_before_touching_the_database(
    settings: Any, make_user: Any, demo: bool, args: list[str], message: str
) -> None:
    settings.CONTINUUM_DEMO = demo
    make_user(Role.FRONT_DOOR_WORKER, username="someone")
    from continuum.testing.factories import PersonFactory

    PersonFactory()
    with pytest.raises(CommandError, match=message):
        run("seed_demo", "--fresh", *args)
    assert Person.objects.count() == 1


def people_in(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {str(row[0]) for row in db.execute("SELECT id FROM people_person")}


def test_seed_demo_fresh_starts_again_with_fresh_data(tmp_path: Path) -> None:
    """The README's "start again": a demo database with data in it is thrown away, migrated
    and seeded again (here with another seed, so the people differ). About 40 seconds."""
    path = tmp_path / "demo.sqlite3"
    env = {
        **os.environ,
        "CONTINUUM_DEMO": "1",
        "DATABASE_URL": f"sqlite:///{path}",
        "PYTHONPATH": str(ROOT),
    }

    def seed(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - this interpreter, this project's manage.py
            [sys.executable, str(ROOT / "manage.py"), "seed_demo", "--preset", "small",
             "--years", "1", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )  # fmt: skip

    first = seed("--seed", "1", "--fresh")  # no database at all yet
    assert first.returncode == 0, first.stderr[-2000:]
    assert "Demo data loaded." in first.stdout
    people = people_in(path)
    assert len(people) > 200

    again = seed("--seed", "1")  # without --fresh: refused, data kept
    assert again.returncode != 0
    assert "--fresh" in again.stderr
    assert people_in(path) == people

    fresh = seed("--seed", "2", "--fresh")
    assert fresh.returncode == 0, fresh.stderr[-2000:]
    assert "Started again" in fresh.stdout
    assert "Demo data loaded." in fresh.stdout
    again_people = people_in(path)
    assert len(again_people) > 200
    assert not again_people & people  # new people (another seed): nothing left from before
