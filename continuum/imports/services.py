"""Taking a file in: ``start_import`` records it and has it run in the background;
``run_import`` (the task's body, and the command line's) checks the whole file, then writes
what it holds in one transaction, recording where it got to and what it did.

A file that does not fit is refused whole with every problem listed, and nothing is saved.
A dry run checks the file and works out what it would do, then saves nothing. The same file
imported again for the same kind and council, when it is the last one imported, is
recorded and changes nothing.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.imports.choices import ImportState
from continuum.imports.models import ImportRun
from continuum.imports.registry import Counts, FileRefused, Importer, Progress, importer
from continuum.organisations.models import Council
from continuum.ui.dates import govuk_datetime

logger = logging.getLogger(__name__)

# Progress is written at most this often (seconds), so a large file is not slowed by it.
PROGRESS_EVERY = 0.5
PROGRESS_UPDATE = (
    "UPDATE imports_importrun SET progress_done = %s, progress_total = %s WHERE id = %s"
)


def megabytes(size: int) -> str:
    return f"{size / 1_048_576:.0f} MB" if size >= 1_048_576 else f"{size / 1024:.0f} KB"


def too_large_message(found: Importer) -> str:
    return f"The file is too large: a {found.label} may be at most {megabytes(found.max_bytes)}."


def check_upload(found: Importer, *, file_name: str, size: int) -> None:
    """Refuse, keyed by field, a file of the wrong kind or size before it is read."""
    if size > found.max_bytes:
        raise ValidationError({"file": too_large_message(found)})
    if not found.allows(file_name):
        raise ValidationError(
            {"file": f"The file must be a {' or '.join(found.extensions)} file ({found.label})."}
        )
    if size == 0:
        raise ValidationError({"file": "The file is empty."})


@transaction.atomic
def start_import(
    *,
    user: User,
    kind: str,
    council: Council,
    file_name: str,
    data: bytes,
    dry_run: bool = False,
) -> ImportRun:
    """Record the file for ``council`` and have it imported in the background. Refuses a
    user who may not import this kind of file for the council (``NotPermitted``), an
    unknown kind (404), and a file too large, empty or of the wrong kind (``ValidationError``
    on ``file``)."""
    found = importer(kind)
    policy.require(
        user, found.action, council, message=f"You may not import files for {council.name}."
    )
    run = record_import(
        kind=kind, council=council, file_name=file_name, data=data, dry_run=dry_run, user=user
    )
    from continuum.imports.tasks import run_import_task

    # The task is written in this transaction (the database backend): it exists exactly
    # when the run does.
    run_import_task.enqueue(str(run.pk))
    return run


@transaction.atomic
def record_import(
    *,
    kind: str,
    council: Council,
    file_name: str,
    data: bytes,
    dry_run: bool = False,
    user: User | None = None,
) -> ImportRun:
    """Record a file to import without asking the policy: the command line, run by whoever
    runs the server, calls it directly (``start_import`` for everyone else)."""
    found = importer(kind)
    check_upload(found, file_name=file_name, size=len(data))
    return ImportRun.objects.create(
        kind=kind,
        council=council,
        uploaded_by=user,
        file_name=file_name[-255:],
        file_sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        data=data,
        dry_run=dry_run,
    )


def _save(run: ImportRun, **fields: object) -> None:
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=list(fields))


def run_import(*, run_id: uuid.UUID, progress: Progress | None = None) -> ImportRun:
    """Check the run's file whole, then import it (or, for a dry run, work out what it would
    do and save nothing). Records the state, progress, counts and problems as it goes.
    ``progress`` is told too (the command line's progress bar)."""
    run = ImportRun.objects.get(pk=run_id)
    if run.state != ImportState.QUEUED:
        return run  # already run (a task may be delivered twice)
    found = importer(run.kind)
    _save(run, state=ImportState.CHECKING, started_at=timezone.now())
    try:
        checked = found.check(bytes(run.data), run)
    except FileRefused as refused:
        return _refuse(run, refused)
    except Exception:
        logger.exception("Checking import %s failed", run.pk)
        return _fail(run, "The file could not be checked because of an error in Continuum.")
    run.refresh_from_db(fields=["summary"])  # the check may describe the file
    previous = _same_file_imported_last(run)
    if previous is not None and not run.dry_run:
        earlier = previous.counts
        _save(
            run,
            state=ImportState.DONE,
            unchanged=earlier.created + earlier.updated + earlier.unchanged,
            note=(
                "This file was imported before (on "
                f"{govuk_datetime(timezone.localtime(previous.uploaded_at))}) and is the last "
                "one imported: nothing changed."
            ),
            finished_at=timezone.now(),
        )
        return run
    _save(run, state=ImportState.IMPORTING)
    writer = _ProgressWriter(run, progress)
    try:
        with transaction.atomic():
            counts = found.apply(checked, run, writer)
            if run.dry_run:
                transaction.set_rollback(True)
    except FileRefused as refused:
        return _refuse(run, refused)
    except Exception:
        logger.exception("Import %s failed", run.pk)
        return _fail(run, "The file could not be imported because of an error in Continuum.")
    finally:
        writer.close()
    total = max(writer.total, writer.done)
    run.set_counts(counts)
    # ``apply`` may leave a note on the run (what a person should know of the result).
    dry = "A dry run: this is what the file would do. Nothing was saved." if run.dry_run else ""
    note = " ".join(part for part in (dry, run.note) if part)
    _save(
        run,
        state=ImportState.DONE,
        progress_done=total,
        progress_total=total,
        created=counts.created,
        updated=counts.updated,
        unchanged=counts.unchanged,
        refused=counts.refused,
        ended=counts.ended,
        note=note,
        # Rows to look at in a file that was imported (a UPN that matched nobody): an
        # importer's counts may carry them as ``notes``.
        problems=[problem.as_json() for problem in getattr(counts, "notes", [])],
        finished_at=timezone.now(),
    )
    return run


def _refuse(run: ImportRun, refused: FileRefused) -> ImportRun:
    _save(
        run,
        state=ImportState.REFUSED,
        problems=[problem.as_json() for problem in refused.problems],
        note="The file was refused whole: nothing was saved.",
        finished_at=timezone.now(),
    )
    return run


def _fail(run: ImportRun, note: str) -> ImportRun:
    _save(
        run, state=ImportState.FAILED, note=f"{note} Nothing was saved.", finished_at=timezone.now()
    )
    return run


def _same_file_imported_last(run: ImportRun) -> ImportRun | None:
    """The last import done of this kind for this council, if it was this same file."""
    last = (
        ImportRun.objects.filter(
            kind=run.kind, council=run.council, state=ImportState.DONE, dry_run=False
        )
        .exclude(pk=run.pk)
        .defer("data")
        .order_by("-uploaded_at")
        .first()
    )
    return last if last is not None and last.file_sha256 == run.file_sha256 else None


class _ProgressWriter:
    """Reports an import's progress while its transaction is open. On PostgreSQL it writes
    through a connection of its own, so the progress page sees it before the import
    commits; elsewhere (SQLite allows one writer) only the end is recorded."""

    def __init__(self, run: ImportRun, also: Callable[[int, int], None] | None) -> None:
        self.run_id = run.pk
        self.also = also
        self.done = 0
        self.total = 0
        self.written_at = 0.0
        self.own: BaseDatabaseWrapper | None = None

    def close(self) -> None:
        if self.own is not None:
            self.own.close()
            self.own = None

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        if self.also is not None:
            self.also(done, total)
        now = time.monotonic()
        if now - self.written_at < PROGRESS_EVERY and done < total:
            return
        self.written_at = now
        if connection.vendor != "postgresql":
            return
        try:
            if self.own is None:
                self.own = connections.create_connection("default")
                with self.own.cursor() as cursor:
                    cursor.execute("SET lock_timeout = '1s'")
            with self.own.cursor() as cursor:
                cursor.execute(PROGRESS_UPDATE, [done, total, self.run_id])
        except DatabaseError:  # progress is for show: never stop an import for it
            logger.warning("Could not record the progress of import %s", self.run_id)


def counts_total(counts: Counts) -> int:
    return counts.created + counts.updated + counts.unchanged + counts.refused + counts.ended
