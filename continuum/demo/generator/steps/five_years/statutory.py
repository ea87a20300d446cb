"""A child's statutory involvement after a referral: the child in need episode and its
parts (assessment, plans, enquiries, conference, care), with realistic durations.

Plain Python: ``referral_journey`` returns the records as tuples; the builder writes them.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
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


def referral_journey(  # noqa: C901 - one branch per highest outcome
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
    parts: list[Part] = []
    assessment_start = start + _days(rng, 0, 3)
    assessment_end = assessment_start + _days(rng, 12, 60)
    factors = sorted(
        set(rng.choices(list(FACTOR_WEIGHTS), list(FACTOR_WEIGHTS.values()), k=rng.randint(1, 3)))
    )
    if "21" in factors:
        factors = ["21"]
    end: date
    reason = ReferralClosure.CASE_CLOSED
    step_down = False

    def assessment() -> None:
        parts.append(Part("assessment", assessment_start, assessment_end, factors=factors))

    def cin_plan(begin: date, years: float) -> date:
        finish = begin + _days(rng, 0.4 * years * YEAR, 1.6 * years * YEAR)
        parts.append(Part("cin_plan", begin, finish))
        return finish

    def enquiry() -> date:
        s47_start = start + _days(rng, 0, 4)
        s47_end = s47_start + _days(rng, 5, 20)
        parts.append(Part("section_47", s47_start, s47_end))
        return s47_end

    def conference(after: date) -> date:
        held = after + _days(rng, 5, 15)
        parts.append(Part("icpc", held, held))
        return held

    if highest == "nfa":
        end, reason = start + _days(rng, 1, 10), ReferralClosure.SERVICES_CEASED
    elif highest == "not_in_need":
        assessment()
        end, reason = assessment_end, ReferralClosure.NOT_IN_NEED
    elif highest == "child_in_need":
        assessment()
        end = cin_plan(assessment_end + _days(rng, 0, 10), targets.cin_plan_years)
        step_down = rng.random() < 0.3
    elif highest == "section_47":
        enquiry()
        assessment()
        if rng.random() < 0.5:
            end = cin_plan(assessment_end + _days(rng, 0, 10), targets.cin_plan_years)
            step_down = rng.random() < 0.3
        else:
            end, reason = assessment_end, ReferralClosure.NOT_IN_NEED
    elif highest == "icpc":
        held = conference(enquiry())
        assessment()
        end = cin_plan(max(held, assessment_end), targets.cin_plan_years)
    elif highest == "cp":
        held = conference(enquiry())
        assessment()
        plan_end = held + _days(
            rng, 0.3 * CP_PLAN_MEAN_YEARS * YEAR, 1.7 * CP_PLAN_MEAN_YEARS * YEAR
        )
        category = _pick(rng, ABUSE_WEIGHTS)
        parts.append(Part("cp_plan", held, plan_end, abuse_category=category))
        end = cin_plan(plan_end, 0.35) if rng.random() < 0.75 else plan_end
        step_down = rng.random() < 0.25
    else:  # looked after: some after a conference and a plan, some straight away
        assessment()
        if rng.random() < 0.45:
            held = conference(enquiry())
            plan_end = held + _days(rng, 60, 300)
            parts.append(Part("cp_plan", held, plan_end, abuse_category=_pick(rng, ABUSE_WEIGHTS)))
            care_start = plan_end
        else:
            care_start = start + _days(rng, 0, 20)
        roll = rng.random()
        if roll < 0.35:
            stay = _days(rng, 20, 300)
        elif roll < 0.75:
            stay = _days(rng, 300, 4 * YEAR)
        else:
            stay = _days(rng, 4 * YEAR, 12 * YEAR)
        care_end = care_start + stay
        parts.append(Part("looked_after", care_start, care_end))
        end = care_end
        age = (care_end - born).days / YEAR
        if age < 6 and rng.random() < 0.4:
            reason = ReferralClosure.ADOPTED
        elif rng.random() < 0.3:
            reason = ReferralClosure.RESIDENCE_ORDER
    if highest not in ("nfa", "not_in_need") and rng.random() < 0.03:
        reason = ReferralClosure.TRANSFERRED
    # Everything ends by the day before the 18th birthday.
    try:
        adult = born.replace(year=born.year + 18)
    except ValueError:  # 29 February
        adult = date(born.year + 18, 3, 1)
    last = adult - timedelta(days=1)
    if end > last:
        end = max(last, start)
        if highest == "lac":
            reason = ReferralClosure.TRANSITION
    kept = []
    for part in parts:
        if part.start > end:
            continue
        if part.end is not None and part.end > end:
            part.end = end
        kept.append(part)
    return Journey(highest, start, end, reason, kept, step_down)
