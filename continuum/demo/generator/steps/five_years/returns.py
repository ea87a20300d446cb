"""Families coming back to the front door: when, and how likely after what came before.

THE EFFECT OF EARLY HELP (built in, and different in each council): a family whose early
help closed with needs met comes back to the front door within 12 months with chance
``BACK_AFTER_NFA x (1 - early_help_effect)``, against ``BACK_AFTER_NFA`` (30%) after no
further action and ``BACK_AFTER_DISENGAGED`` (45%) after early help that ended without
engagement. A family that comes back is referred to social care as often whatever came
before, so the effect shows both in "back at the front door within 12 months of closure"
and in "stepped up to social care within 12 months". The effect is strong in Stockton
(0.75), moderate in Redcar and Cleveland (0.5) and Hartlepool (0.45), weak in
Middlesbrough (0.15): see ``continuum/demo/reference/targets.csv``.
"""

from __future__ import annotations

from datetime import date, timedelta

from continuum.demo.generator.steps.five_years.builder import HistoryBuilder, Return
from continuum.demo.generator.steps.five_years.kin import Kin
from continuum.demo.generator.steps.five_years.programmes import prevented
from continuum.demo.generator.world import DemoPerson
from continuum.early_help.choices import StepUpDecision
from continuum.early_help.models import StepUp

# Chances of coming back to the front door within 12 months (see the module docstring).
BACK_AFTER_NFA = 0.30
BACK_AFTER_DISENGAGED = 0.45
BACK_AFTER_STEP_DOWN = 0.20
BACK_AFTER_SHORT_REFERRAL = 0.7  # closed within three months: many are re-referred
BACK_AFTER_LONG_REFERRAL = 0.22
REFERRED_IF_BACK = 0.40
REFERRED_IF_BACK_AFTER_REFERRAL = 0.85


def later(
    builder: HistoryBuilder,
    kin: Kin,
    children: list[DemoPerson],
    day: date,
    kind: str,
    step_up: StepUp | None = None,
) -> None:
    """The family comes back to the front door on ``day`` (if before the as-of date)."""
    index = (day.year - builder.first.year) * 12 + day.month - builder.first.month
    if index <= builder.current:  # this month is done: early next month instead
        index = builder.current + 1
        if index < len(builder.months):
            day = builder.months[index][0] + timedelta(days=builder.rng.randint(0, 6))
    if step_up is not None:
        if day >= builder.as_of:  # still waiting for the manager at the as-of date
            step_up.decision, step_up.decided_by, step_up.decided_at = (
                StepUpDecision.PENDING,
                None,
                None,
            )
            return
        step_up.decided_at = builder.at(day, 16, builder.rng.randint(0, 50))
    if day >= builder.as_of or day < builder.first:
        return
    builder.seq += 1
    builder.pending[index].append(Return(day, builder.seq, kin, children, kind, step_up))


def maybe_back(
    builder: HistoryBuilder,
    kin: Kin,
    children: list[DemoPerson],
    after: date,
    chance: float,
    kind: str,
    *,
    lower_by: float = 0.0,
) -> None:
    """Back within 12 months with ``chance`` (less ``lower_by``, a local programme's
    effect: see ``programmes``); a few more later."""
    rng = builder.rng
    roll = rng.random()
    if roll < chance:
        day = after + timedelta(days=rng.randint(21, 360))
        if not prevented(builder, chance, lower_by):
            later(builder, kin, children, day, kind)
    elif roll < chance + 0.08:
        later(builder, kin, children, after + timedelta(days=rng.randint(370, 900)), kind)
    else:  # the front door may hear of them again, as new, over a year later
        builder.free[kin.key].append((after + timedelta(days=400), kin))


def known_again(builder: HistoryBuilder, key: str, day: date) -> Kin | None:
    """Now and then a family the front door last heard of over a year ago."""
    free = builder.free[key]
    if not free or builder.rng.random() >= 0.35:
        return None
    for _ in range(3):
        n = builder.rng.randrange(len(free))
        since, kin = free[n]
        if since < day and kin.children_on(day):
            free[n] = free[-1]
            free.pop()
            return kin
    return None
