"""Annex A made in the background: the page and the API start a build, the worker makes
the workbook, and whoever may see the build downloads it (decision 0013: long work never
holds a web request).

- ``start_annex_a_build`` asks the policy, checks the period and queues the build (nothing
  is queued when either refuses). It also clears the workbooks of builds finished more
  than ``DOWNLOADABLE_FOR`` ago, so no return of children's records lies about.
- ``run_annex_a_build`` (the task) reads the lists and writes the workbook, saving its
  progress as it goes; an error fails the build with a message, never half a workbook.
- ``download_annex_a_build`` answers the workbook and writes the access-log row, one per
  download (``audit.services.log_export``), as the synchronous export did.
"""

from __future__ import annotations

import io
import logging
import uuid
from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.audit.services import log_export
from continuum.errors import InvalidState
from continuum.organisations.models import Council
from continuum.returns.annex_a import LIST_NUMBERS, build_annex_a, check_period
from continuum.returns.choices import BuildState
from continuum.returns.exports import terms_of
from continuum.returns.models import DOWNLOADABLE_FOR, AnnexABuild
from continuum.returns.policies import ReturnsAction
from continuum.returns.workbook import write_annex_a

logger = logging.getLogger(__name__)

# Each list read, then each list's sheet written.
STEPS = 2 * len(LIST_NUMBERS)


def clear_old_builds() -> int:
    """Forget the workbooks (and the children they list) of builds finished more than
    ``DOWNLOADABLE_FOR`` ago; the record of the build stays. Answers how many."""
    cutoff = timezone.now() - DOWNLOADABLE_FOR
    return AnnexABuild.objects.filter(finished_at__lt=cutoff, size__gt=0).update(
        workbook=b"", size=0, person_ids=[]
    )


@transaction.atomic
def start_annex_a_build(
    *, user: User, council: Council, first: date | None, last: date | None
) -> AnnexABuild:
    """Queue the making of ``council``'s Annex A from ``first`` to ``last`` for ``user``.

    Refuses with ``NotPermitted`` a user who may not export the council's returns, and
    with ``ValidationError`` (keyed ``first``/``last``) a period that is not one; then
    nothing is queued."""
    policy.require(
        user,
        ReturnsAction.EXPORT_ANNEX_A,
        council,
        message="You may not export this council's Annex A.",
    )
    first, last = check_period(first=first, last=last)
    clear_old_builds()
    build = AnnexABuild.objects.create(
        council=council, first=first, last=last, requested_by=user, progress_total=STEPS
    )
    from continuum.returns.tasks import build_annex_a_task

    # Written in this transaction (the database backend): the task exists exactly when
    # the build does.
    build_annex_a_task.enqueue(str(build.pk))
    return build


def _save(build_id: uuid.UUID, **fields: Any) -> None:
    AnnexABuild.objects.filter(pk=build_id).update(**fields)


def run_annex_a_build(*, build_id: uuid.UUID) -> AnnexABuild:
    """Make the build's workbook, saving progress as each list is read and written."""
    claimed = AnnexABuild.objects.filter(pk=build_id, state=BuildState.QUEUED).update(
        state=BuildState.BUILDING, progress_done=0, progress_total=STEPS
    )
    build = AnnexABuild.objects.select_related("council").get(pk=build_id)
    if not claimed:
        return build  # already made (a task may be delivered twice)
    done = 0

    def step(_: object) -> None:
        nonlocal done
        done += 1
        _save(build_id, progress_done=done)

    try:
        annex = build_annex_a(
            council=build.council, first=build.first, last=build.last, progress=step
        )
        buffer = io.BytesIO()
        write_annex_a(annex, buffer, sheet_written=step)
    except Exception:
        logger.exception("Making Annex A build %s failed", build_id)
        _save(
            build_id,
            state=BuildState.FAILED,
            error="The workbook could not be made because of an error in Continuum. "
            "Try again; if it fails again, tell your system administrator.",
            finished_at=timezone.now(),
        )
    else:
        content = buffer.getvalue()
        _save(
            build_id,
            state=BuildState.DONE,
            progress_done=STEPS,
            workbook=content,
            size=len(content),
            person_ids=[str(pk) for pk in annex.person_ids],
            row_counts={str(number): rows for number, rows in annex.row_counts.items()},
            finished_at=timezone.now(),
        )
    build.refresh_from_db()
    return build


def download_annex_a_build(
    *, user: User, build: AnnexABuild, request: HttpRequest | None = None
) -> bytes:
    """The build's workbook for ``user``, logged as one export of the children it lists.

    Refuses with ``NotPermitted`` a user who may not download it and with
    ``InvalidState`` a build not finished, failed, or finished too long ago."""
    policy.require(
        user,
        ReturnsAction.DOWNLOAD_ANNEX_A,
        build,
        message="You may not download this Annex A.",
    )
    if build.running:
        raise InvalidState("The workbook is not ready yet.")
    if build.state == BuildState.FAILED:
        raise InvalidState("The workbook could not be made: ask for it again.")
    if build.expired:
        hours = int(DOWNLOADABLE_FOR.total_seconds() // 3600)
        raise InvalidState(
            f"The workbook was made more than {hours} hours ago and is no longer kept: "
            "ask for it again."
        )
    counts = {int(n): rows for n, rows in sorted(build.row_counts.items(), key=lambda i: int(i[0]))}
    log_export(
        request=request,
        user=user,
        terms=terms_of(build.council, build.first, build.last, counts),
        row_count=build.rows,
        subject_ids=[uuid.UUID(pk) for pk in build.person_ids],
    )
    return bytes(build.workbook)
