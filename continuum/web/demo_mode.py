"""Demo mode must never run with production settings (issue 10, finding 16).

Demo mode (``CONTINUUM_DEMO``) turns off Secure cookies and HSTS, allows the built-in
SECRET_KEY and lets the demo sign-ins use a published password, so it refuses to start
when the settings look like a real deployment:

- a SECRET_KEY of its own (a demo uses the built-in one; a real key means production);
- ALLOWED_HOSTS naming anything but this machine (a demo is for the person running it);
- a PostgreSQL (or any non-SQLite) database whose name does not say ``demo``, e.g.
  ``postgres://.../continuum_demo`` is a demo database, ``.../continuum`` is not.

Pure: ``settings.py`` calls it before Django starts, with plain values.
"""

from __future__ import annotations

from collections.abc import Iterable

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]", "testserver"})


def production_settings(
    *,
    secret_key: str,
    insecure_secret_key: str,
    allowed_hosts: Iterable[str],
    database_engine: str,
    database_name: str,
) -> list[str]:
    """What makes these settings look like production; empty if demo mode may run."""
    problems = []
    if secret_key != insecure_secret_key:
        problems.append("SECRET_KEY is set (a demo uses the built-in key only)")
    public = sorted(set(allowed_hosts) - LOCAL_HOSTS)
    if public:
        problems.append(
            f"ALLOWED_HOSTS names {', '.join(public)} (a demo answers this machine only)"
        )
    if not database_engine.endswith("sqlite3") and "demo" not in database_name.lower():
        problems.append(
            f"the database {database_name!r} is not a demo database "
            "(a demo database's name contains 'demo')"
        )
    return problems
