"""How an early help episode ends in the history: why and when it will close (and so how
many reviews it has), an agreed step-up to social care, the closure with each need's
outcome and final score, six-month sustained-outcome checks, the plan's actions done or
carried forward, and whether the family comes back to the front door (where the effect of
early help is built in: see ``returns``)."""

from __future__ import annotations

from datetime import date, timedelta

from continuum.demo.generator.steps.five_years.builder import Casefile, HistoryBuilder, pick
from continuum.demo.generator.steps.five_years.programmes import take_part
from continuum.demo.generator.steps.five_years.returns import (
    BACK_AFTER_DISENGAGED,
    BACK_AFTER_NFA,
    BACK_AFTER_STEP_DOWN,
    later,
    maybe_back,
)
from continuum.early_help.choices import (
    ActionStatus,
    ClosureReason,
    EpisodeStatus,
    NeedOutcome,
    ScoreStage,
    StepUpDecision,
    SustainedResult,
)
from continuum.early_help.models import (
    Closure,
    NeedClosureOutcome,
    NeedScore,
    StepUp,
    SupportingFamiliesOutcome,
    SustainedOutcomeCheck,
)
from continuum.front_door.choices import FamilyAgreement
from continuum.timescales.months import add_months

CLOSURE_WEIGHTS = {
    ClosureReason.NEEDS_MET: 56,
    ClosureReason.DECLINED: 15,
    ClosureReason.STEPPED_UP: 8,
    ClosureReason.STEPPED_DOWN: 11,
    ClosureReason.MOVED_AWAY: 5,
    ClosureReason.OTHER: 5,
}
NEED_OUTCOMES: dict[str, dict[str, float]] = {
    ClosureReason.NEEDS_MET: {NeedOutcome.ACHIEVED: 80, NeedOutcome.PARTLY: 20},
    ClosureReason.STEPPED_DOWN: {NeedOutcome.ACHIEVED: 60, NeedOutcome.PARTLY: 40},
    ClosureReason.DECLINED: {NeedOutcome.PARTLY: 35, NeedOutcome.NOT_ACHIEVED: 65},
    ClosureReason.STEPPED_UP: {NeedOutcome.PARTLY: 20, NeedOutcome.NOT_ACHIEVED: 80},
    ClosureReason.MOVED_AWAY: {NeedOutcome.PARTLY: 50, NeedOutcome.NOT_ACHIEVED: 50},
    ClosureReason.OTHER: {NeedOutcome.PARTLY: 60, NeedOutcome.NOT_ACHIEVED: 40},
}
# A need's score at closure: its last score moved by the need's outcome.
CLOSING_SCORE_CHANGE: dict[str, int] = {NeedOutcome.ACHIEVED: 2, NeedOutcome.PARTLY: 1}


def schedule_closure(
    builder: HistoryBuilder, case: Casefile, plan_day: date
) -> tuple[list[date], date]:
    """The life ahead from the plan's day: why the episode will close, its reviews every
    six weeks (most on time) and the day it closes."""
    rng = builder.rng
    case.reason = pick(rng, CLOSURE_WEIGHTS)
    # How many reviews: a count is drawn for every reason, whichever the episode's.
    counts: dict[str, int] = {
        ClosureReason.NEEDS_MET: rng.randint(2, 5),
        ClosureReason.DECLINED: rng.randint(0, 2),
    }
    count = counts.get(case.reason, rng.randint(1, 3))
    reviews: list[date] = []
    day = plan_day
    for _ in range(count):
        day = (
            day
            + timedelta(weeks=6)
            + timedelta(days=0 if rng.random() < 0.8 else rng.randint(3, 20))
        )
        reviews.append(day)
    closing = (reviews[-1] if reviews else plan_day) + timedelta(days=rng.randint(7, 40))
    return reviews, closing


def step_up(builder: HistoryBuilder, case: Casefile, closing: date) -> None:
    """Concerns grew despite the plan: a step-up the manager agrees, whose contact reaches
    the front door the next day."""
    up = builder.add(
        StepUp(
            episode=case.episode,
            reason="Concerns have grown despite the plan.",
            requested_on=closing,
            requested_by=case.lead,
            family_agreement=FamilyAgreement.AGREED,
            decision=StepUpDecision.AGREED,
            decided_by=builder.team_staff(case.key)["managers"][0],
            decided_at=builder.at(closing, 16),
        )
    )
    later(builder, case.kin, case.children, closing + timedelta(days=1), "step_up", up)


def close(builder: HistoryBuilder, case: Casefile, closing: date) -> None:
    """The closure, each need's outcome and final score, and a sustained-outcome check for
    each outcome area a need improved in."""
    case.closed = closing
    case.status = EpisodeStatus.CLOSED
    closure = builder.add(
        Closure(
            episode=case.episode,
            closed_on=closing,
            reason=case.reason,
            summary="Closed (synthetic history).",
            closed_by=case.lead,
            open_actions_resolution="Open actions passed to universal services.",
        )
    )
    improved: list[SupportingFamiliesOutcome] = []
    for need in case.needs:
        result = pick(builder.rng, NEED_OUTCOMES[case.reason])
        builder.add(NeedClosureOutcome(closure=closure, need=need, outcome=result))
        final = case.scores[need.pk] + CLOSING_SCORE_CHANGE.get(result, -1)
        builder.add(
            NeedScore(
                need=need,
                stage=ScoreStage.CLOSURE,
                score=min(10, max(1, final)),
                recorded_on=closing,
            )
        )
        if result != NeedOutcome.NOT_ACHIEVED:
            improved += case.need_areas[id(need)]
    _sustained_checks(builder, case, closure, closing, improved)


def _sustained_checks(
    builder: HistoryBuilder,
    case: Casefile,
    closure: Closure,
    closing: date,
    improved: list[SupportingFamiliesOutcome],
) -> None:
    """Six months on, each improved area checked (most of those due, by the lead)."""
    rng = builder.rng
    seen = []
    for area in improved:
        if area.pk in seen:
            continue
        seen.append(area.pk)
        follow = add_months(closing, 6)
        check = SustainedOutcomeCheck(closure=closure, outcome_area=area, follow_up_due=follow)
        checked = follow + timedelta(days=rng.randint(0, 25))
        if builder.happened(checked) and rng.random() < 0.85:
            check.result = pick(
                rng,
                {
                    SustainedResult.SUSTAINED: 78 if case.reason == ClosureReason.NEEDS_MET else 55,
                    SustainedResult.NOT_SUSTAINED: 15,
                    SustainedResult.UNKNOWN: 7,
                },
            )
            check.checked_on, check.checked_by = checked, case.lead
        builder.add(check)


def settle_actions(builder: HistoryBuilder, case: Casefile) -> None:
    """The plan's actions: most done by their due date; at closure the rest carried
    forward."""
    rng, closed = builder.rng, case.closed
    for action in case.actions:
        if closed is not None:
            if action.due_date <= closed and rng.random() < 0.8:
                action.status, action.completed_on = (
                    ActionStatus.DONE,
                    min(action.due_date, closed),
                )
            else:
                action.status = ActionStatus.CARRIED_FORWARD
        elif builder.happened(action.due_date) and rng.random() < 0.7:
            action.status, action.completed_on = ActionStatus.DONE, action.due_date


def what_next(builder: HistoryBuilder, case: Casefile) -> None:
    """What the family does after closure: the effect of early help is here."""
    lower = take_part(builder, case)  # a local programme's effect (``programmes``)
    closed = case.closed
    if closed is None:
        return
    effect = builder.targets.early_help_effect
    kin, children = case.kin, case.children
    if case.reason == ClosureReason.NEEDS_MET:
        chance, kind = BACK_AFTER_NFA * (1 - effect), "after_eh_met"
    elif case.reason in (ClosureReason.DECLINED, ClosureReason.OTHER):
        chance, kind = BACK_AFTER_DISENGAGED, "after_eh_other"
    elif case.reason == ClosureReason.STEPPED_DOWN:
        chance, kind = BACK_AFTER_STEP_DOWN, "after_eh_other"
    else:
        return
    maybe_back(builder, kin, children, closed, chance, kind, lower_by=lower)
