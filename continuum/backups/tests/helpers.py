"""What the backup tests share: a handful of records made with the factories (access-log
rows through ``audit.services.log_access``, so the hash chain has something to prove), the
commands run as an operator runs them (``manage.py`` in a new process against any
database), each table's count and checksum read straight from a database, and a backup
file with its manifest changed."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.test import RequestFactory

from continuum.backups import checksums, engines
from continuum.backups.archive import MANIFEST


def fill() -> dict[str, int]:
    """A council's people, a contact, an episode, a note of who read whom (three access-log
    rows) and a break-glass grant: rows in many tables, of many column types."""
    from continuum.accounts.models import Role, User
    from continuum.audit.models import AccessAction
    from continuum.audit.services import log_access
    from continuum.testing import factories

    council = factories.tees_council("Stockton-on-Tees")
    worker = cast(
        User, factories.UserFactory(username="frontdoor.backups", role=Role.FRONT_DOOR_WORKER)
    )
    contact = factories.ContactFactory(council=council, created_by=worker)
    episode = factories.EpisodeFactory(council=council)
    grant = factories.BreakGlassGrantFactory(user=worker)
    people = [contact.children.get(), episode.children.get(), grant.person]
    for person in people:
        log_access(
            request=RequestFactory().get("/"),
            user=worker,
            subject_id=person.pk,
            action=AccessAction.VIEW_RECORD,
        )
    return {"people": len(people), "access_log": len(people)}


def manage(args: list[str], database_url: str) -> subprocess.CompletedProcess[str]:
    """``python manage.py ARGS`` against the database at ``database_url`` (without the
    system checks, which the rest of the suite runs, for speed)."""
    if args[0] != "shell":
        args = [args[0], "--skip-checks", *args[1:]]
    env = dict(os.environ, DATABASE_URL=database_url)
    return subprocess.run(  # noqa: S603 - this interpreter, this project's manage.py
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def sums(settings_dict: dict[str, Any]) -> dict[str, checksums.TableSum]:
    """Each table's rows and checksum, read from the database itself."""
    engine = engines.engine_of(settings_dict)
    with engines.reading(settings_dict) as db:
        return checksums.database_sums(db, engine)


def sqlite_settings(path: Path) -> dict[str, Any]:
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}


def read_manifest(path: Path) -> dict[str, Any]:
    with tarfile.open(path) as tar:
        source = tar.extractfile(MANIFEST)
        assert source is not None
        manifest: dict[str, Any] = json.load(source)
        return manifest


def with_manifest_changed(
    path: Path, output: Path, change: Callable[[dict[str, Any]], None]
) -> Path:
    """A copy of the backup at ``path`` whose manifest ``change`` has edited."""
    with tarfile.open(path) as source, tarfile.open(output, "w") as target:
        for member in source.getmembers():
            body = source.extractfile(member)
            assert body is not None
            data = body.read()
            if member.name == MANIFEST:
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    return output


def truncated(path: Path, output: Path) -> Path:
    """The first two thirds of the backup at ``path``, as a copy cut short would be."""
    data = path.read_bytes()
    output.write_bytes(data[: len(data) * 2 // 3])
    return output
