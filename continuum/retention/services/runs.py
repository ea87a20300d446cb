"""Disposal runs: listed (from a page, the API or the ``dispose`` command), reviewed and
approved or cancelled by the council's information governance lead, then carried out in
the background, asking again at that moment whether a legal hold stands on each record.
Every run carried out leaves a certificate; erasure is a one-person run decided by the
rights register."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.accounts.models import User
from continuum.errors import InvalidState
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.retention.choices import (
    OPEN_RUN_STATES,
    HeldKind,
    ItemOutcome,
    RecordKind,
    RunPurpose,
    RunState,
)
from continuum.retention.due import goes_with, list_due, people_of
from continuum.retention.models import (
    DisposalCertificate,
    DisposalItem,
    DisposalRun,
    RetentionSchedule,
)
from continuum.retention.services.disposing import dispose_record
from continuum.retention.services.holds import Holds
from continuum.retention.services.schedule import ensure_schedule, schedule_snapshot

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


def as_of_errors(as_of: date | None) -> dict[str, list[str]]:
    if as_of is None:
        return {"as_of": ["Enter the date to dispose as of, for example 1 4 2026."]}
    if as_of > timezone.localdate():
        return {"as_of": ["The date to dispose as of must be today or in the past."]}
    return {}


def _lock_schedule(council: Council) -> RetentionSchedule:
    """The council's schedule row, locked: placing a hold and disposing of a record take
    it in turn, so a hold placed while a run is carried out is always seen."""
    ensure_schedule(council)
    return RetentionSchedule.objects.select_for_update().get(council=council)


@transaction.atomic
def start_run(
    *, council: Council, as_of: date | None, listed_by: User | None, background: bool = True
) -> DisposalRun:
    """Open a run for the council as of a day and list what is due (in the background, or
    by the caller with ``list_run``). One open run per council at a time."""
    errors = as_of_errors(as_of)
    if errors:
        raise ValidationError(errors)
    assert as_of is not None
    schedule = _lock_schedule(council)
    open_run = DisposalRun.objects.filter(council=council, state__in=OPEN_RUN_STATES).first()
    if open_run is not None:
        raise InvalidState(
            f"A disposal run for {council.name} is already open "
            f"({open_run.get_state_display().lower()}): approve or cancel it first."
        )
    run = DisposalRun.objects.create(
        council=council, as_of=as_of, listed_by=listed_by, schedule_version=schedule.version
    )
    if background:
        from continuum.retention.tasks import list_disposal_task

        list_disposal_task.enqueue(run.pk)
    return run


def list_run(*, run_id: int, progress: Progress | None = None) -> DisposalRun:
    """List what is due into the run, which then awaits approval."""
    run = DisposalRun.objects.select_related("council").get(pk=run_id)
    if run.state != RunState.LISTING:
        return run  # listed already (a task may come twice)

    def listed_so_far(done: int, total: int) -> None:
        DisposalRun.objects.filter(pk=run.pk).update(progress_done=done, progress_total=total)
        if progress:
            progress(done, total)

    try:
        due = list_due(run.council, run.as_of, progress=listed_so_far)
        with transaction.atomic():
            DisposalItem.objects.bulk_create(
                DisposalItem(run=run, record_kind=d.kind, record_id=d.record_id, due_on=d.due_on)
                for d in due
            )
            DisposalRun.objects.filter(pk=run.pk, state=RunState.LISTING).update(
                state=RunState.AWAITING_APPROVAL,
                progress_done=0,
                progress_total=len(due),
                listed_at=timezone.now(),
            )
    except Exception:
        logger.exception("Disposal run %s could not be listed", run_id)
        DisposalRun.objects.filter(pk=run.pk).update(
            state=RunState.FAILED,
            finished_at=timezone.now(),
            problem="What is due could not be listed. Start a new run; if it happens again, "
            "tell the service desk.",
        )
    run.refresh_from_db()
    return run


_NOT_AWAITING = {
    RunState.LISTING: "This run is still being listed: approve it once the list is ready.",
    RunState.CANCELLED: "This run was cancelled: list a new run instead.",
    RunState.APPROVED: "This run has already been approved.",
    RunState.CARRYING_OUT: "This run has already been approved and is being carried out.",
    RunState.COMPLETED: "This run has already been carried out.",
    RunState.FAILED: "This run failed: list a new run instead.",
}


@transaction.atomic
def approve_run(*, run: DisposalRun, approved_by: User) -> DisposalRun:
    """Approve the listed run; it is then carried out in the background."""
    run = DisposalRun.objects.select_for_update().get(pk=run.pk)
    if run.state != RunState.AWAITING_APPROVAL:
        raise InvalidState(_NOT_AWAITING[RunState(run.state)])
    schedule = RetentionSchedule.objects.get(council_id=run.council_id)
    if schedule.version != run.schedule_version:
        raise InvalidState(
            "The retention schedule has changed since this run was listed: cancel it and "
            "list a new run."
        )
    run.state = RunState.APPROVED
    run.approved_by = approved_by
    run.approved_at = timezone.now()
    run.save(update_fields=["state", "approved_by", "approved_at"])
    from continuum.retention.tasks import carry_out_disposal_task

    carry_out_disposal_task.enqueue(run.pk)
    return run


@transaction.atomic
def cancel_run(*, run: DisposalRun, cancelled_by: User) -> DisposalRun:
    run = DisposalRun.objects.select_for_update().get(pk=run.pk)
    if run.state != RunState.AWAITING_APPROVAL:
        if run.state == RunState.CANCELLED:
            raise InvalidState("This run has already been cancelled.")
        raise InvalidState("Only a run awaiting approval can be cancelled.")
    run.state = RunState.CANCELLED
    run.cancelled_by = cancelled_by
    run.cancelled_at = timezone.now()
    run.finished_at = run.cancelled_at
    run.save(update_fields=["state", "cancelled_by", "cancelled_at", "finished_at"])
    return run


def _dispose_item(item: DisposalItem, council: Council, counts: Counter[str]) -> bool:
    """Dispose of one listed record unless a hold now stands on it or another run has
    disposed of it; whether it was held."""
    with transaction.atomic():
        _lock_schedule(council)
        ids = [item.record_id]
        people = people_of(item.record_kind, ids).get(item.record_id, set())
        also = goes_with(item.record_kind, ids).get(item.record_id, [])
        if Holds(council).holds(item.record_kind, item.record_id, people, also):
            item.outcome = ItemOutcome.HELD
        elif DisposalItem.objects.filter(
            run__council=council,
            record_kind=item.record_kind,
            record_id=item.record_id,
            outcome=ItemOutcome.DISPOSED,
        ).exists():
            item.outcome = ItemOutcome.ALREADY
        else:
            counts.update(dispose_record(item.record_kind, item.record_id))
            item.outcome = ItemOutcome.DISPOSED
            item.disposed_at = timezone.now()
        item.save(update_fields=["outcome", "disposed_at"])
    return item.outcome == ItemOutcome.HELD


def _certificate(
    run: DisposalRun, counts: Counter[str], held: int, reason: str = ""
) -> DisposalCertificate:
    schedule = RetentionSchedule.objects.get(council_id=run.council_id)
    return DisposalCertificate.objects.create(
        run=run,
        council_id=run.council_id,
        purpose=run.purpose,
        as_of=run.as_of,
        counts={
            kind: counts.get(kind, 0) for kind in RecordKind.values if kind != RecordKind.ACCESS_LOG
        },
        kept_on_hold=held,
        schedule_version=run.schedule_version,
        schedule=schedule_snapshot(schedule),
        reason=reason,
        listed_by=run.listed_by,
        listed_at=run.listed_at,
        approved_by=run.approved_by,
        approved_at=run.approved_at,
        carried_out_by=run.approved_by,
        carried_out_at=timezone.now(),
    )


def carry_out(*, run_id: int, progress: Progress | None = None) -> DisposalRun:
    """Carry out an approved run, item by item, then leave its certificate."""
    claimed = DisposalRun.objects.filter(pk=run_id, state=RunState.APPROVED).update(
        state=RunState.CARRYING_OUT, progress_done=0
    )
    run = DisposalRun.objects.select_related("council").get(pk=run_id)
    if not claimed:
        return run
    items = list(run.items.filter(outcome=ItemOutcome.PENDING))
    counts: Counter[str] = Counter()
    held = 0
    try:
        for done, item in enumerate(items, start=1):
            held += _dispose_item(item, run.council, counts)
            DisposalRun.objects.filter(pk=run.pk).update(progress_done=done)
            if progress:
                progress(done, len(items))
        with transaction.atomic():
            run.refresh_from_db()
            _certificate(run, counts, held)
            DisposalRun.objects.filter(pk=run.pk).update(
                state=RunState.COMPLETED, finished_at=timezone.now()
            )
    except Exception:
        logger.exception("Disposal run %s could not be carried out", run_id)
        with transaction.atomic():
            run.refresh_from_db()
            if not DisposalCertificate.objects.filter(run=run).exists():
                # What was disposed of before it stopped is certified all the same.
                _certificate(run, counts, held)
            DisposalRun.objects.filter(pk=run.pk).update(
                state=RunState.FAILED,
                finished_at=timezone.now(),
                problem="The run stopped before the end: what was disposed of so far is on "
                "its certificate. List a new run for the rest; if it happens again, tell the "
                "service desk.",
            )
    run.refresh_from_db()
    return run


@transaction.atomic
def erase_person(*, person: Person, reason: str, decided_by: User) -> DisposalCertificate:
    """Erase one person now, as the rights register decided: their record is
    irreversibly anonymised (and documents on them deleted) as a one-person disposal
    with a certificate. Refused while a legal hold stands on them."""
    if not reason.strip():
        raise ValidationError({"reason": ["Enter the register's decision to erase."]})
    council = person.council
    schedule = _lock_schedule(council)
    key = str(person.pk)
    if Holds(council).holds(HeldKind.PERSON, key, [key]):
        raise InvalidState(
            "A legal hold stands on this person: their records cannot be erased until it is lifted."
        )
    now = timezone.now()
    run = DisposalRun.objects.create(
        council=council,
        purpose=RunPurpose.ERASURE,
        as_of=timezone.localdate(),
        state=RunState.CARRYING_OUT,
        schedule_version=schedule.version,
        listed_by=decided_by,
        listed_at=now,
        approved_by=decided_by,
        approved_at=now,
        progress_total=1,
    )
    item = DisposalItem.objects.create(
        run=run, record_kind=HeldKind.PERSON, record_id=key, due_on=run.as_of
    )
    counts = dispose_record(HeldKind.PERSON, key)
    item.outcome = ItemOutcome.DISPOSED
    item.disposed_at = now
    item.save(update_fields=["outcome", "disposed_at"])
    certificate = _certificate(run, counts, 0, reason=reason.strip())
    DisposalRun.objects.filter(pk=run.pk).update(
        state=RunState.COMPLETED, progress_done=1, finished_at=timezone.now()
    )
    return certificate
