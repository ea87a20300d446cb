"""A child's statutory involvement after a referral: the child in need episode and its
parts (assessment, plans, enquiries, conference, care), with realistic durations.

Plain Python: ``referral_journey`` returns the records as tuples; the builder writes them.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from continuum.demo.generator.steps.five_years.targets import CP_PLAN_MEAN_YEARS, CouncilTargets
from continuum.statutory.choices import AbuseCategory, AssessmentFactor, ReferralClosure

YEAR = 365.25
ABUSE_WEIGHTS: dict[str, float] = {
    AbuseCategory.NEGLECT: 50,
    AbuseCategory.EMOTIONAL: 36,
    AbuseCategory.PHYSICAL: 7,
    AbuseCategory.SEXUAL: 4,
    AbuseCategory.MULTIPLE: 3,
}
# Factors at the end of assessment, roughly as often as the census finds them.
FACTOR_WEIGHTS = {
    "3B": 30, "4B": 28, "3A": 22, "16A": 18, "17A": 16, "2B": 14, "1B": 12, "4A": 12,
    "15A": 6, "14A": 6, "5A": 5, "10A": 5, "6A": 4, "24A": 3, "11A": 3, "7A": 2, "21": 8,
}  # fmt: skip
assert set(FACTOR_WEIGHTS) <= set(AssessmentFactor.values)


@dataclass
class Part:
    kind: str
    start: date
    end: date | None
    factors: list[str] = field(default_factory=list)
    abuse_category: str = ""


@dataclass
class Journey:
    """One child's referral: start, end (None while open), closure reason and parts."""

    highest: str
    start: date
    end: date | None
    closure_reason: str
    parts: list[Part]
    step_down: bool = False  # closed after a plan, the family stepped down to early help


def _days(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(days=int(rng.uniform(low, high)))


def _pick(rng: random.Random, weights: Mapping[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


@dataclass
class Referral:
    """A referral as its journey is drawn: what every highest outcome shares (the start,
    the child's birthday, the assessment's dates and factors) and the parts so far."""

    rng: random.Random
    targets: CouncilTargets
    start: date
    born: date
    assessment_start: date
    assessment_end: date
    factors: list[str]
    parts: list[Part] = field(default_factory=list)

    def assessment(self) -> None:
        self.parts.append(
            Part("assessment", self.assessment_start, self.assessment_end, factors=self.factors)
        )

    def cin_plan(self, begin: date, years: float) -> date:
        finish = begin + _days(self.rng, 0.4 * years * YEAR, 1.6 * years * YEAR)
        self.parts.append(Part("cin_plan", begin, finish))
        return finish

    def enquiry(self) -> date:
        s47_start = self.start + _days(self.rng, 0, 4)
        s47_end = s47_start + _days(self.rng, 5, 20)
        self.parts.append(Part("section_47", s47_start, s47_end))
        return s47_end

    def conference(self, after: date) -> date:
        held = after + _days(self.rng, 5, 15)
        self.parts.append(Part("icpc", held, held))
        return held


# What a highest outcome makes of a referral: its parts, and the referral's end, closure
# reason and whether the family then steps down to early help.
Ending = tuple[date, str, bool]


def _no_further_action(r: Referral) -> Ending:
    return r.start + _days(r.rng, 1, 10), ReferralClosure.NO_FURTHER_ACTION, False


def _not_in_need(r: Referral) -> Ending:
    r.assessment()
    return r.assessment_end, ReferralClosure.NO_FURTHER_ACTION, False


def _child_in_need(r: Referral) -> Ending:
    r.assessment()
    end = r.cin_plan(r.assessment_end + _days(r.rng, 0, 10), r.targets.cin_plan_years)
    return end, ReferralClosure.SERVICES_CEASED, r.rng.random() < 0.3


def _section_47(r: Referral) -> Ending:
    r.enquiry()
    r.assessment()
    if r.rng.random() < 0.5:
        end = r.cin_plan(r.assessment_end + _days(r.rng, 0, 10), r.targets.cin_plan_years)
        return end, ReferralClosure.SERVICES_CEASED, r.rng.random() < 0.3
    return r.assessment_end, ReferralClosure.NO_FURTHER_ACTION, False


def _conference(r: Referral) -> Ending:
    held = r.conference(r.enquiry())
    r.assessment()
    end = r.cin_plan(max(held, r.assessment_end), r.targets.cin_plan_years)
    return end, ReferralClosure.SERVICES_CEASED, False


def _protection_plan(r: Referral) -> Ending:
    held = r.conference(r.enquiry())
    r.assessment()
    plan_end = held + _days(r.rng, 0.3 * CP_PLAN_MEAN_YEARS * YEAR, 1.7 * CP_PLAN_MEAN_YEARS * YEAR)
    category = _pick(r.rng, ABUSE_WEIGHTS)
    r.parts.append(Part("cp_plan", held, plan_end, abuse_category=category))
    end = r.cin_plan(plan_end, 0.35) if r.rng.random() < 0.75 else plan_end
    return end, ReferralClosure.SERVICES_CEASED, r.rng.random() < 0.25


def _looked_after(r: Referral) -> Ending:
    """Care: some after a conference and a plan, some straight away."""
    rng = r.rng
    r.assessment()
    if rng.random() < 0.45:
        held = r.conference(r.enquiry())
        plan_end = held + _days(rng, 60, 300)
        r.parts.append(Part("cp_plan", held, plan_end, abuse_category=_pick(rng, ABUSE_WEIGHTS)))
        care_start = plan_end
    else:
        care_start = r.start + _days(rng, 0, 20)
    care_end = care_start + _stay_in_care(rng)
    r.parts.append(Part("looked_after", care_start, care_end))
    reason = ReferralClosure.SERVICES_CEASED
    age = (care_end - r.born).days / YEAR
    if age < 6 and rng.random() < 0.4:
        reason = ReferralClosure.ADOPTED
    elif rng.random() < 0.3:
        reason = rng.choice(
            [ReferralClosure.CHILD_ARRANGEMENTS_ORDER, ReferralClosure.SPECIAL_GUARDIANSHIP_ORDER]
        )
    return care_end, reason, False


def _stay_in_care(rng: random.Random) -> timedelta:
    """A short stay, a few years, or most of a childhood."""
    roll = rng.random()
    if roll < 0.35:
        return _days(rng, 20, 300)
    if roll < 0.75:
        return _days(rng, 300, 4 * YEAR)
    return _days(rng, 4 * YEAR, 12 * YEAR)


# By highest outcome (any other is care, as ``_looked_after`` draws it).
ENDINGS: dict[str, Callable[[Referral], Ending]] = {
    "nfa": _no_further_action,
    "not_in_need": _not_in_need,
    "child_in_need": _child_in_need,
    "section_47": _section_47,
    "icpc": _conference,
    "cp": _protection_plan,
    "lac": _looked_after,
}


def referral_journey(
    rng: random.Random,
    targets: CouncilTargets,
    start: date,
    born: date,
    *,
    highest: str | None = None,
) -> Journey:
    """What happens after a referral on ``start`` for a child born on ``born`` (every end
    no later than the day before the 18th birthday)."""
    highest = highest or _pick(rng, targets.shares)
    assessment_start = start + _days(rng, 0, 3)
    assessment_end = assessment_start + _days(rng, 12, 60)
    factors = sorted(
        set(rng.choices(list(FACTOR_WEIGHTS), list(FACTOR_WEIGHTS.values()), k=rng.randint(1, 3)))
    )
    if "21" in factors:
        factors = ["21"]
    referral = Referral(rng, targets, start, born, assessment_start, assessment_end, factors)
    end, reason, step_down = ENDINGS.get(highest, _looked_after)(referral)
    if highest not in ("nfa", "not_in_need") and rng.random() < 0.03:
        reason = ReferralClosure.TRANSFERRED
    # Everything ends by the day before the 18th birthday.
    last = _day_before_18th(born)
    if end > last:
        end = max(last, start)
        if highest == "lac":
            reason = ReferralClosure.TRANSITION
    return Journey(highest, start, end, reason, _cut_at(referral.parts, end), step_down)


def _day_before_18th(born: date) -> date:
    try:
        adult = born.replace(year=born.year + 18)
    except ValueError:  # 29 February
        adult = date(born.year + 18, 3, 1)
    return adult - timedelta(days=1)


def _cut_at(parts: list[Part], end: date) -> list[Part]:
    """The parts begun by ``end``, none ending after it."""
    kept = []
    for part in parts:
        if part.start > end:
            continue
        if part.end is not None and part.end > end:
            part.end = end
        kept.append(part)
    return kept
