"""make load: the front door under load (issue 16), on this machine only.

Serves the app with gunicorn and the task worker on 127.0.0.1, runs Locust headless against
it (``load/locustfile.py``), stops everything itself, then checks that no write was lost and
writes ``var/bench/load.json``. Needs DATABASE_URL naming a PostgreSQL database seeded with
the tees preset (``make bench`` seeds one). It writes to that database (the contacts and
notes the test makes; a password and authenticator app for the run on the tees world's demo
accounts, withdrawn after: ``load/accounts.py``): use a copy.

Environment: LOAD_USERS (50), LOAD_SPAWN_RATE (5), LOAD_TIME (5m), LOAD_PORT (8765),
LOAD_GUNICORN (the server command, below), LOAD_OUT (var/bench/load.json).
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The production server: the project's configuration (deploy/gunicorn.conf.py, from the
# deploy branch) when it is there, with 3 workers x 4 threads unless GUNICORN_WORKERS /
# GUNICORN_THREADS say otherwise; until then the same settings as flags. LOAD_GUNICORN
# replaces the command ({port} is filled in). Keep-alive is longer than Locust's longest
# wait (4 s): with gunicorn's default 2 s a client may reuse a connection the server is
# closing, and a POST then fails with "connection reset" (seen in a trial run).
CONFIG = ROOT / "deploy/gunicorn.conf.py"
WITH_CONFIG = f"gunicorn -c {CONFIG} continuum.wsgi"
WITH_FLAGS = (
    "gunicorn continuum.wsgi --bind 127.0.0.1:{port} --workers 3 --threads 4 "
    "--worker-class gthread --timeout 60"
)
GUNICORN = os.environ.get("LOAD_GUNICORN", WITH_CONFIG if CONFIG.exists() else WITH_FLAGS)
USERS = int(os.environ.get("LOAD_USERS", "50"))
SPAWN_RATE = os.environ.get("LOAD_SPAWN_RATE", "5")
RUN_TIME = os.environ.get("LOAD_TIME", "5m")
PORT = int(os.environ.get("LOAD_PORT", "8765"))
OUT = Path(os.environ.get("LOAD_OUT", str(ROOT / "var/bench/load.json")))
WORK = ROOT / "var/bench/load"
BIN = Path(sys.executable).parent


def seconds(spec: str) -> int:
    """Locust's run time ("90s", "5m", "1h30m") in seconds."""
    total, number = 0, ""
    for ch in spec.strip():
        if ch.isdigit():
            number += ch
        else:
            total += int(number or 0) * {"s": 1, "m": 60, "h": 3600}[ch]
            number = ""
    return total + int(number or 0)


def fail(message: str) -> None:
    print(f"make load: {message}", file=sys.stderr)
    raise SystemExit(2)


def _terminated(signum: int, _frame: Any) -> None:
    raise SystemExit(f"make load: stopped by signal {signum}")  # runs the clean-up below


def main() -> None:
    signal.signal(signal.SIGTERM, _terminated)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        fail(
            "DATABASE_URL must name a PostgreSQL database seeded with the tees preset, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/continuum_bench (make bench "
            "seeds one; use a copy: the test writes to it)."
        )
    # Production settings (demo mode off), served over plain HTTP on 127.0.0.1: cookies
    # without the Secure flag (in production TLS ends in front of the app). The per-address
    # API limit is raised because every simulated person here comes from 127.0.0.1; the
    # per-user limit stays.
    os.environ.pop("CONTINUUM_DEMO", None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="continuum.settings",
        SECURE_COOKIES="false",
        API_RATE_PER_ADDRESS=os.environ.get("LOAD_API_RATE_PER_ADDRESS", "100000/min"),
    )
    import django

    django.setup()
    from django.db import connection

    from continuum.accounts.models import User
    from load import accounts, results, sampler

    if not User.objects.filter(is_demo_account=True, username="frontdoor.stockton").exists():
        fail("this database has no tees demo sign-ins: seed it with the tees preset first.")
    WORK.mkdir(parents=True, exist_ok=True)
    run_id = uuid.uuid4().hex[:12]
    journal = WORK / "journal.jsonl"
    journal.unlink(missing_ok=True)
    names = sampler.family_names(200)
    (WORK / "names.json").write_text(__import__("json").dumps(names), encoding="utf-8")
    password, totp_secret = accounts.provision(accounts.EVERYONE)
    connection.close()

    env = dict(
        os.environ,
        GUNICORN_BIND=f"127.0.0.1:{PORT}",
        GUNICORN_WORKERS=os.environ.get("GUNICORN_WORKERS", "3"),
        GUNICORN_THREADS=os.environ.get("GUNICORN_THREADS", "4"),
        GUNICORN_CMD_ARGS=os.environ.get("GUNICORN_CMD_ARGS", "--keep-alive 10"),
        PYTHONPATH=str(ROOT),
    )
    server_cmd = GUNICORN.format(port=PORT)
    started: list[subprocess.Popen[bytes]] = []
    logs = WORK / "server.log"
    with logs.open("wb") as log:
        try:
            server = _start(server_cmd, env, log, started)
            _start(
                f"{sys.executable} manage.py db_worker --no-startup-delay --no-reload "
                "--skip-checks",
                env,
                log,
                started,
            )
            _wait_until_up(f"http://127.0.0.1:{PORT}/accounts/sign-in", server)
            watch = sampler.Sampler(server_pid=server.pid, started=started)
            watch.start()
            began = time.monotonic()
            locust_env = dict(
                env,
                LOAD_RUN_ID=run_id,
                LOAD_JOURNAL=str(journal),
                LOAD_NAMES=str(WORK / "names.json"),
                LOAD_PASSWORD=password,
                LOAD_TOTP_SECRET=totp_secret,
            )
            locust = subprocess.Popen(  # noqa: S603 (our own command line)
                [
                    str(BIN / "locust"),
                    "-f", str(ROOT / "load/locustfile.py"),
                    "--headless", "-u", str(USERS), "-r", SPAWN_RATE,
                    "--run-time", RUN_TIME, "--stop-timeout", "10",
                    "--host", f"http://127.0.0.1:{PORT}",
                    "--csv", str(WORK / "locust"), "--only-summary",
                ],
                cwd=ROOT,
                env=locust_env,
                start_new_session=True,
            )  # fmt: skip
            started.append(locust)
            watch.locust_pid = locust.pid
            try:
                locust.wait(timeout=seconds(RUN_TIME) + 120)
            except subprocess.TimeoutExpired:
                print("make load: Locust overran its time; stopping it.", file=sys.stderr)
            duration = time.monotonic() - began
            watch.stop()
        finally:
            _stop_all(started)
            accounts.withdraw(accounts.EVERYONE)

    lost = results.writes_lost(results.read_journal(journal), f"LOADTEST:{run_id}:")
    report = results.build_report(
        users=USERS,
        duration_seconds=duration,
        stats=results.locust_stats(WORK / "locust"),
        lost=lost,
        samples=watch.samples,
        machine=sampler.machine(watch.samples),
        server=server_cmd,
    )
    report["run_id"] = run_id
    results.write_report(report, OUT)
    _print(report)


def _start(
    command: str, env: dict[str, str], log: Any, started: list[subprocess.Popen[bytes]]
) -> subprocess.Popen[bytes]:
    args = shlex.split(command)
    if not Path(args[0]).is_absolute() and (BIN / args[0]).exists():
        args[0] = str(BIN / args[0])
    process = subprocess.Popen(  # noqa: S603 (the runner's own or LOAD_GUNICORN)
        args, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
    )
    started.append(process)
    return process


def _wait_until_up(url: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            fail(f"the server stopped (exit {server.returncode}); see var/bench/load/server.log")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (127.0.0.1)
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    fail(f"the server did not answer {url} within {timeout:.0f} s")


def _stop_all(started: list[subprocess.Popen[bytes]]) -> None:
    """Stop every process this run started (each in its own process group), politely first."""
    for process in reversed(started):
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
    for process in reversed(started):
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _print(report: dict[str, Any]) -> None:
    t = report["targets"]
    w = report["writes"]
    rate = t["error_rate"]
    print()
    print(f"Load: {report['users']} users for {report['duration_seconds']} s")
    print(f"  requests/s: {report['requests_per_second']}")
    print(f"  error rate: {rate:.4%}" if rate is not None else "  error rate: no requests")
    for kind, p95 in t["p95_ms"].items():
        print(f"  p95 {kind}: {p95} ms")
    print(
        f"  writes: {w['acknowledged_201']} acknowledged, {w['found_exactly_once']} found "
        f"once, {w['writes_lost']} lost, {w['duplicates']} duplicated"
    )
    print(f"  load average: {report['machine']['load_average']}")
    print(f"  saturation: {report['saturation']['verdict']}")
    print(f"  report: {OUT}")


if __name__ == "__main__":
    main()
