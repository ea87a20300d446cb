"""Writing the history: the contacts still open at the as-of date, ``is_repeat``, the
families, then every queued row in bulk (PostgreSQL COPY), each table after the tables it
points at and statutory parts after their referrals."""

from __future__ import annotations

from typing import Any

from continuum.access.models import Involvement
from continuum.consent.models import ConsentRecord, ConsentWithdrawal
from continuum.demo.generator.copying import insert
from continuum.demo.generator.historic import explicit_times
from continuum.demo.generator.steps.five_years.builder import HistoryBuilder, StatutoryParts
from continuum.demo.generator.steps.five_years.contacts import finish_open, mark_repeats
from continuum.early_help.models import (
    AllocationPanel,
    Assessment,
    ChildVoice,
    Closure,
    Episode,
    Need,
    NeedClosureOutcome,
    NeedScore,
    Plan,
    PlanAction,
    PlanOutcome,
    Review,
    StepUp,
    SustainedOutcomeCheck,
    TafAttendee,
    TafMeeting,
    TafMember,
)
from continuum.front_door.models import (
    Contact,
    ContactAdult,
    ContactChild,
    ContactDecision,
    ContactStatusChange,
    DomesticAbuseNotification,
    NotificationChild,
    TriageAttendance,
    TriageMeeting,
    TriageOutcome,
)
from continuum.programmes.models import Participation
from continuum.statutory.models import ProtectionPlanReview, StatutoryInvolvement


def save(builder: HistoryBuilder) -> None:
    """Everything the history made, written in one go; every queued row is written."""
    finish_open(builder)
    mark_repeats(builder)
    for _, episode, _, _ in builder.episodes:
        builder.world.history_ids.add(episode.pk)
    builder.kin.save()
    order: list[Any] = [
        Contact,
        ContactChild,
        ContactAdult,
        ContactStatusChange,
        ContactDecision,
        ContactDecision.indicators.through,
        DomesticAbuseNotification,
        NotificationChild,
        TriageMeeting,
        TriageAttendance,
        TriageOutcome,
        AllocationPanel,
        AllocationPanel.agencies_present.through,
        Episode,
        Episode.children.through,
        Assessment,
        ChildVoice,
        Need,
        Need.outcome_areas.through,
        Plan,
        PlanOutcome,
        PlanAction,
        Review,
        NeedScore,
        TafMember,
        TafMeeting,
        TafAttendee,
        StepUp,
        Closure,
        NeedClosureOutcome,
        SustainedOutcomeCheck,
        Participation,
        Involvement,
        ConsentRecord,
        ConsentWithdrawal,
        StatutoryInvolvement,
        StatutoryParts,
        ProtectionPlanReview,
    ]
    size = builder.world.preset.batch_size
    advance = builder.world.counting("rows written", sum(len(v) for v in builder.rows.values()))
    for model in order:
        objs = builder.rows.pop(model, [])
        if not objs:
            continue
        target = StatutoryInvolvement if model is StatutoryParts else model
        with explicit_times(target):
            insert(target, objs, batch_size=size)
        advance(len(objs))
    if builder.rows:
        raise ValueError(f"Rows left unwritten: {', '.join(m.__name__ for m in builder.rows)}")
