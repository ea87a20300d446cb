"""Each council's history, month by month: how many contacts the targets call for (less
those the detailed front-door step already made that month), from families coming back
(after no further action, after early help, after social care, step-ups) and families new
to the front door, a police notification behind some of them; which are referred to
social care, so each month has its target; and what follows each decision - a referral
and the child's statutory journey, an early help episode, or nothing (and then, perhaps,
the front door again)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from continuum.demo.generator.steps.five_years.builder import (
    YEAR,
    HistoryBuilder,
    Made,
    Return,
    pick,
)
from continuum.demo.generator.steps.five_years.contacts import (
    EARLY_HELP,
    REFERRAL_OUTCOMES,
    contact,
    decide,
)
from continuum.demo.generator.steps.five_years.episodes import episode, partner_episodes
from continuum.demo.generator.steps.five_years.referrals import already_in_need, refer
from continuum.demo.generator.steps.five_years.returns import (
    BACK_AFTER_NFA,
    REFERRED_IF_BACK,
    REFERRED_IF_BACK_AFTER_REFERRAL,
    known_again,
    maybe_back,
)
from continuum.demo.generator.steps.five_years.targets import CouncilTargets
from continuum.demo.generator.steps.five_years.triage import notification
from continuum.demo.generator.steps.front_door.figures import SOURCE_WEIGHTS
from continuum.early_help.choices import EpisodeOrigin
from continuum.front_door.choices import Outcome

CHILDREN_ON_A_CONTACT = 1.35
# Front-door outcomes other than a referral, in the detailed step's proportions.
OTHER_OUTCOMES = {
    Outcome.NO_FURTHER_ACTION: 21,
    Outcome.INFORMATION_AND_ADVICE: 13,
    Outcome.SIGNPOSTING: 11,
    Outcome.EARLY_HELP_SINGLE: 17,
    Outcome.EARLY_HELP_MULTI: 15,
}


def simulate_council(
    builder: HistoryBuilder,
    key: str,
    targets: CouncilTargets,
    children: int,
    detailed: Counter[Any],
) -> None:
    """Every month of one council's history; ``children`` is its child population."""
    rng, per = builder.rng, children / 10_000
    builder.targets = targets
    builder.pending = defaultdict(list)
    builder.current = -1
    already_in_need(builder, key, targets, per)
    partner_episodes(builder, key, targets.referrals * per * 0.12)
    for index, (first, last) in enumerate(builder.months):
        builder.current = index
        share = ((last - first).days + 1) / YEAR
        season = 1 + 0.08 * math.cos((first.month - 10) / 12 * 2 * math.pi)
        expected = targets.referrals * targets.contacts_per_referral * per * share * season
        expected /= CHILDREN_ON_A_CONTACT
        wanted = max(1, round(expected + rng.gauss(0, math.sqrt(expected) * 0.5)))
        made_here = detailed[(key, first.year, first.month)]
        wanted -= made_here
        returns = sorted(builder.pending.pop(index, []))
        forced = [r for r in returns if r.kind == "step_up"]
        others = [r for r in returns if r.kind != "step_up"]
        if made_here:
            # The detailed step's contacts already fill the month: families coming back
            # only to make up the rest, or the month stands out (issue 12).
            others = others[: max(0, wanted - len(forced))]
        fresh = max(0, wanted - len(forced) - len(others))
        notifications = min(fresh, round(targets.notifications * per * share + rng.random()))
        referral_children = targets.referrals * per * share * season
        referral_children -= detailed[("r:" + key, first.year, first.month)]
        month(builder, key, first, last, forced + others, fresh, notifications, referral_children)


def month(
    builder: HistoryBuilder,
    key: str,
    first: date,
    last: date,
    returns: list[Return],
    fresh: int,
    notifications: int,
    referral_children: float,
) -> None:
    """One council-month: the contacts, their outcomes and decisions, and what follows."""
    made = returning(builder, key, returns)
    made += newcomers(builder, key, first, last, fresh, notifications)
    decided = [m for m in made if m.decided_on is not None]
    share_out_referrals(builder, decided, referral_children)
    for m in decided:
        if m.outcome == Outcome.SOCIAL_CARE_ASSESSMENT and (
            m.severity > 1.2 or builder.rng.random() < 0.15
        ):
            m.outcome = Outcome.STRATEGY_DISCUSSION
        decide(builder, key, m)
    builder.made += made
    for m in decided:
        follow_decision(builder, key, m)


def returning(builder: HistoryBuilder, key: str, returns: list[Return]) -> list[Made]:
    """The contacts of families coming back: an agreed step-up's, as the service makes it,
    and the others' from any source (for the children still children)."""
    made: list[Made] = []
    for r in returns:
        if r.step_up is not None:
            made.append(
                contact(
                    builder,
                    key,
                    r.kin,
                    r.children,
                    r.day,
                    "5D",
                    r.kind,
                    r.step_up,
                    received=r.step_up.decided_at,
                )
            )
            continue
        children = [c for c in r.children if c in r.kin.children_on(r.day)]
        if children:
            made.append(
                contact(
                    builder, key, r.kin, children, r.day, pick(builder.rng, SOURCE_WEIGHTS), r.kind
                )
            )
    return made


def newcomers(
    builder: HistoryBuilder, key: str, first: date, last: date, fresh: int, notifications: int
) -> list[Made]:
    """``fresh`` contacts about families new to the front door (or not heard of for over a
    year), the first ``notifications`` of them police notifications."""
    rng = builder.rng
    made: list[Made] = []
    for n in range(fresh):
        day = builder.day_in(first, last)
        kin = known_again(builder, key, day) or builder.kin.family(key, day)
        kids = kin.children_on(day)
        children = kids[:3] if rng.random() < 0.35 else [rng.choice(kids)]
        if n < notifications:
            made.append(notification(builder, key, kin, children, day))
        else:
            made.append(contact(builder, key, kin, children, day, pick(rng, SOURCE_WEIGHTS), "new"))
    return made


def share_out_referrals(builder: HistoryBuilder, decided: list[Made], quota: float) -> None:
    """Outcomes: step-ups are referrals; those coming back are referred as often as chance
    has it; new families take up the rest of the month's ``quota`` of referred children,
    the most serious first, and the others get another outcome."""
    rng = builder.rng
    for m in decided:
        if m.kind == "step_up":
            m.outcome = Outcome.SOCIAL_CARE_ASSESSMENT
        elif m.kind not in ("new", "notification"):
            chance = (
                REFERRED_IF_BACK_AFTER_REFERRAL if m.kind == "after_referral" else REFERRED_IF_BACK
            )
            if rng.random() < chance:
                m.outcome = Outcome.SOCIAL_CARE_ASSESSMENT
        if m.outcome:
            quota -= len(m.children)
    waiting = sorted((m for m in decided if not m.outcome), key=lambda m: -m.severity)
    for m in waiting:
        if quota >= len(m.children) / 2:
            m.outcome = Outcome.SOCIAL_CARE_ASSESSMENT
            quota -= len(m.children)
        else:
            m.outcome = pick(rng, OTHER_OUTCOMES)


def follow_decision(builder: HistoryBuilder, key: str, m: Made) -> None:
    """What follows a decision: a referral, an early help episode within days, or nothing
    (and perhaps the front door again)."""
    decided_on = m.decided_on
    assert decided_on is not None
    if m.outcome in REFERRAL_OUTCOMES:
        refer(builder, key, m)
    elif m.outcome in EARLY_HELP:
        start = decided_on + timedelta(days=builder.rng.randint(0, 3))
        episode(builder, key, m.kin, m.children, start, EpisodeOrigin.FRONT_DOOR, m)
    else:
        maybe_back(builder, m.kin, m.children, decided_on, BACK_AFTER_NFA, "after_nfa")
