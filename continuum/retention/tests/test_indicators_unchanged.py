"""A disposal run leaves every indicator as it was: over the demo world, with a schedule
that makes nearly everything due at once, the whole catalogue for the council (every
month, with and without each dimension) is the same before and after the run, while the
words about families are gone."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from continuum.accounts.models import Role
from continuum.case_notes.models import CaseNote
from continuum.demo.generator import build
from continuum.documents.models import Document
from continuum.early_help.models import Episode
from continuum.front_door.models import Contact
from continuum.people.models import Address, Person
from continuum.performance import engine
from continuum.performance.catalogue import DIMENSIONS
from continuum.performance.periods import PeriodKind
from continuum.retention.choices import HeldKind, ItemOutcome, RecordKind, RunState
from continuum.retention.models import DisposalItem, DisposalRun, RetentionRule
from continuum.retention.services import (
    approve_run,
    cancel_run,
    carry_out,
    ensure_schedule,
    list_run,
    start_run,
)
from continuum.tests.builders import council_staff


def _figures(council: Any, as_of: date) -> list[Any]:
    first, last = date(as_of.year - 6, 1, 1), as_of.replace(day=1)
    out = []
    for dimension in [None, *DIMENSIONS]:
        result = engine.compute(
            councils=[council],
            period_kind=PeriodKind.MONTH,
            first=first,
            last=last,
            dimension=dimension,
            as_of=as_of,
        )
        out.append(sorted(_cell(c) for c in result.cells))
    return out


def _cell(cell: Any) -> tuple[Any, ...]:
    """A cell as published; sums of rates rounded to 9 places (the database may hand
    rows back in another order after an update, and floating-point sums follow it)."""

    def r(x: Any) -> Any:
        return None if x is None else round(x, 9)

    return (
        cell.indicator,
        cell.council_id,
        repr(cell.period),
        str(cell.category),
        r(cell.numerator),
        r(cell.denominator),
        r(cell.value),
        cell.suppressed,
    )


@pytest.mark.django_db(transaction=False)
def test_a_disposal_run_leaves_every_indicator_unchanged(settings: Any, tmp_path: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "continuum.documents.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    world = build(preset="small", seed=1)
    if connection.vendor == "postgresql":
        # The planner's statistics, from whatever the tables held when they were last
        # analysed (empty, after other tests), would make every query here a nested loop
        # over the whole world: minutes instead of seconds.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    council = world.councils["stockton"]
    ig = council_staff(council, username="ig.disposal", role=Role.INFORMATION_GOVERNANCE_LEAD)
    today = timezone.localdate()
    # Everything closed, decided or received is due at once.
    ensure_schedule(council)
    # The demo lists a run awaiting approval (and holds one child): a new run replaces it.
    for waiting in DisposalRun.objects.filter(council=council, state=RunState.AWAITING_APPROVAL):
        cancel_run(run=waiting, cancelled_by=ig)
    RetentionRule.objects.filter(schedule__council=council).exclude(
        kind__in=[RecordKind.CASE_NOTE, RecordKind.DOCUMENT, RecordKind.ACCESS_LOG]
    ).update(period_months=0)
    RetentionRule.objects.filter(schedule__council=council, kind=RecordKind.EPISODE).update(
        event="closure"
    )
    before = _figures(council, today)

    run = start_run(council=council, as_of=today, listed_by=ig, background=False)
    run = list_run(run_id=run.pk)
    assert run.state == RunState.AWAITING_APPROVAL
    kinds = set(run.items.values_list("record_kind", flat=True))
    assert {HeldKind.CONTACT, HeldKind.EPISODE, HeldKind.NOTIFICATION} <= kinds
    approve_run(run=run, approved_by=ig)
    run = carry_out(run_id=run.pk)
    assert run.state == RunState.COMPLETED, run.problem
    # People are due once their records have gone: a second run.
    second = start_run(council=council, as_of=today, listed_by=ig, background=False)
    second = list_run(run_id=second.pk)
    assert second.items.filter(record_kind=HeldKind.PERSON).exists()
    approve_run(run=second, approved_by=ig)
    assert carry_out(run_id=second.pk).state == RunState.COMPLETED

    assert _figures(council, today) == before

    disposed = DisposalItem.objects.filter(outcome=ItemOutcome.DISPOSED)
    episode_ids = list(
        disposed.filter(record_kind=HeldKind.EPISODE).values_list("record_id", flat=True)
    )
    assert (
        Episode.objects.filter(pk__in=episode_ids)
        .exclude(reason_for_request__in=["", "Removed"])
        .count()
        == 0
    )
    assert not CaseNote.objects.filter(episode_id__in=episode_ids).exists()
    assert not Document.objects.filter(episode_id__in=episode_ids).exists()
    contact_ids = list(
        disposed.filter(record_kind=HeldKind.CONTACT).values_list("record_id", flat=True)
    )
    assert (
        not Contact.objects.filter(pk__in=contact_ids)
        .exclude(concerns__in=["", "Removed"])
        .exists()
    )
    assert Contact.history.filter(id__in=contact_ids).count() == 0
    person_ids = list(
        disposed.filter(record_kind=HeldKind.PERSON).values_list("record_id", flat=True)
    )
    people = Person.objects.filter(pk__in=person_ids)
    assert people.exists()
    assert not people.exclude(family_name="Removed").exists()
    assert not people.filter(date_of_birth__day__gt=1).exists()
    assert not Address.objects.filter(person__in=people).exists()
    assert Person.history.filter(id__in=person_ids).count() == 0
    # Another council's records are untouched.
    assert Person.objects.exclude(council=council).exclude(family_name="Removed").exists()
