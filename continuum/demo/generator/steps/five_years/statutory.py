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
from continuum.statutory.choices import (
    AbuseCategory,
    AssessmentFactor,
    PrimaryNeed,
    ReferralClosure,
)
from continuum.timescales.months import add_months
from continuum.timescales.working_days import (
    add_working_days,
    first_working_day_on_or_after,
    is_working_day,
)

YEAR = 365.25
ABUSE_WEIGHTS: dict[str, float] = {
    AbuseCategory.NEGLECT: 50,
    AbuseCategory.EMOTIONAL: 36,
    AbuseCategory.PHYSICAL: 7,
    AbuseCategory.SEXUAL: 4,
    AbuseCategory.MULTIPLE: 3,
}
# Factors at the end of assessment, roughly as often as the census finds them. "21" (no
# factors identified) is drawn only for assessments that end the referral (RC8 or RC9),
# as the DfE's rule 8873Q expects.
FACTOR_WEIGHTS = {
    "3B": 30, "4B": 28, "3A": 22, "16A": 18, "17A": 16, "2B": 14, "1B": 12, "4A": 12,
    "15A": 6, "14A": 6, "5A": 5, "10A": 5, "6A": 4, "24A": 3, "11A": 3, "7A": 2,
    "18B": 3, "18C": 1, "19B": 1, "19C": 1, "4C": 2, "5B": 2, "6B": 2, "12A": 1, "13A": 1,
    "8E": 0.3, "9A": 0.5, "22A": 0.1, "23A": 0.1, "20": 2,
}  # fmt: skip
NO_FACTORS = AssessmentFactor.NONE.value
assert set(FACTOR_WEIGHTS) <= set(AssessmentFactor.values)
# The child's primary need at assessment, roughly as the census finds it (England).
PRIMARY_NEED_WEIGHTS: dict[str, float] = {
    PrimaryNeed.ABUSE_OR_NEGLECT: 57, PrimaryNeed.FAMILY_DYSFUNCTION: 14,
    PrimaryNeed.CHILD_DISABILITY: 10, PrimaryNeed.ACUTE_STRESS: 8,
    PrimaryNeed.ABSENT_PARENTING: 4, PrimaryNeed.PARENT_DISABILITY: 3,
    PrimaryNeed.BEHAVIOUR: 2, PrimaryNeed.NOT_IN_NEED: 1.7, PrimaryNeed.LOW_INCOME: 0.3,
}  # fmt: skip
# Share of initial conferences held within 15 working days of the strategy discussion.
ICPC_ON_TIME = 0.78
# Share of assessments closed with no further action whose family is referred to early
# help (RC9) instead.
ASSESSED_TO_EARLY_HELP = 0.35


def last_working_day_on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


@dataclass(eq=False)
class Part:
    kind: str
    start: date
    end: date | None
    factors: list[str] = field(default_factory=list)
    abuse_category: str = ""
    latest_abuse_category: str = ""
    # Section 47: the strategy discussion that started it, the conference's target date
    # (15 working days after it) and whether no conference was needed.
    strategy_discussion: date | None = None
    icpc_target: date | None = None
    icpc_not_required: bool = False
    # Initial conference: the enquiry it followed. Child protection plan: its reviews.
    enquiry: Part | None = None
    reviews: list[date] = field(default_factory=list)


@dataclass
class Journey:
    """One child's referral: start, end (None while open), closure reason and parts."""

    highest: str
    start: date
    end: date | None
    closure_reason: str
    parts: list[Part]
    step_down: bool = False  # closed to early help: the family steps down to early help
    primary_need: str = ""  # blank for a referral that went no further
    nfa: bool = False  # a referral with no further action (closed on the day, RC8)


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

    def assessment(self, *, closes_referral: bool = False) -> None:
        factors = self.factors
        if closes_referral and self.rng.random() < 0.3:
            factors = [NO_FACTORS]
        self.parts.append(
            Part("assessment", self.assessment_start, self.assessment_end, factors=factors)
        )

    def cin_plan(self, begin: date, years: float) -> date:
        finish = begin + _days(self.rng, 0.4 * years * YEAR, 1.6 * years * YEAR)
        self.parts.append(Part("cin_plan", begin, finish))
        return finish

    def enquiry(self, *, conference: bool) -> date:
        """A strategy discussion on a working day, the section 47 enquiry it starts and,
        with ``conference``, the initial conference on a working day (most within 15
        working days of the discussion); returns the day the enquiry ended."""
        rng = self.rng
        discussion = first_working_day_on_or_after(self.start + _days(rng, 0, 3))
        s47_start = discussion + _days(rng, 0, 2)
        enquiry = Part(
            "section_47",
            s47_start,
            None,
            strategy_discussion=discussion,
            icpc_target=add_working_days(discussion, 15),
            icpc_not_required=not conference,
        )
        self.parts.append(enquiry)
        if not conference:
            enquiry.end = s47_start + _days(rng, 5, 20)
            return enquiry.end
        late = rng.random() >= ICPC_ON_TIME
        held = add_working_days(discussion, rng.randint(16, 30) if late else rng.randint(6, 15))
        enquiry.end = held
        self.parts.append(Part("icpc", held, held, enquiry=enquiry))
        return held

    def protection_plan(self, held: date, end: date) -> None:
        """A plan from the conference on ``held`` to ``end``, reviewed within three months
        and then at least every six, each review on a working day before the plan ends."""
        rng = self.rng
        category = _pick(rng, ABUSE_WEIGHTS)
        latest = category
        if rng.random() < 0.15:
            latest = rng.choice([c for c in AbuseCategory.values if c != category])
        reviews: list[date] = []
        due = add_months(held, 3)
        while True:
            review = last_working_day_on_or_before(due - _days(rng, 0, 14))
            if review <= held or review >= end:
                break
            reviews.append(review)
            due = add_months(review, 6)
        self.parts.append(
            Part(
                "cp_plan",
                held,
                end,
                abuse_category=category,
                latest_abuse_category=latest,
                reviews=reviews,
            )
        )


# What a highest outcome makes of a referral: its parts, and the referral's end, closure
# reason and whether the family then steps down to early help.
Ending = tuple[date, str, bool]


def _no_further_action(r: Referral) -> Ending:
    """No further action on the referral itself: closed the day it came, reason RC8."""
    return r.start, ReferralClosure.NO_FURTHER_ACTION, False


def _not_in_need(r: Referral) -> Ending:
    """Assessed, then closed: no further action (RC8) or referred to early help (RC9)."""
    r.assessment(closes_referral=True)
    if r.rng.random() < ASSESSED_TO_EARLY_HELP:
        return r.assessment_end, ReferralClosure.STEP_DOWN, True
    return r.assessment_end, ReferralClosure.NO_FURTHER_ACTION, False


# After a plan or an enquiry the census allows neither RC8 nor RC9 (its rule 2990): the
# case closes with RC7 (services ceased), and a family stepping down to early help then is
# seen in early help's own records.


def _child_in_need(r: Referral) -> Ending:
    r.assessment()
    end = r.cin_plan(r.assessment_end + _days(r.rng, 0, 10), r.targets.cin_plan_years)
    return end, ReferralClosure.SERVICES_CEASED, r.rng.random() < 0.3


def _section_47(r: Referral) -> Ending:
    r.enquiry(conference=False)
    r.assessment()
    if r.rng.random() < 0.5:
        end = r.cin_plan(r.assessment_end + _days(r.rng, 0, 10), r.targets.cin_plan_years)
        return end, ReferralClosure.SERVICES_CEASED, r.rng.random() < 0.3
    return r.assessment_end, ReferralClosure.SERVICES_CEASED, False


def _conference(r: Referral) -> Ending:
    held = r.enquiry(conference=True)
    r.assessment()
    end = r.cin_plan(max(held, r.assessment_end), r.targets.cin_plan_years)
    return end, ReferralClosure.SERVICES_CEASED, False


def _protection_plan(r: Referral) -> Ending:
    held = r.enquiry(conference=True)
    r.assessment()
    plan_end = held + _days(r.rng, 0.3 * CP_PLAN_MEAN_YEARS * YEAR, 1.7 * CP_PLAN_MEAN_YEARS * YEAR)
    r.protection_plan(held, plan_end)
    end = r.cin_plan(plan_end, 0.35) if r.rng.random() < 0.75 else plan_end
    return end, ReferralClosure.SERVICES_CEASED, r.rng.random() < 0.25


def _looked_after(r: Referral) -> Ending:
    """Care: some after a conference and a plan, some straight away."""
    rng = r.rng
    r.assessment()
    if rng.random() < 0.45:
        held = r.enquiry(conference=True)
        plan_end = held + _days(rng, 60, 300)
        r.protection_plan(held, plan_end)
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
    referral = Referral(rng, targets, start, born, assessment_start, assessment_end, factors)
    end, reason, step_down = ENDINGS.get(highest, _looked_after)(referral)
    nfa = highest == "nfa"
    need = "" if nfa else _pick(rng, PRIMARY_NEED_WEIGHTS)
    if highest not in ("nfa", "not_in_need") and rng.random() < 0.03:
        reason = ReferralClosure.TRANSFERRED
    # Everything ends by the day before the 18th birthday.
    last = _day_before_18th(born)
    if end > last:
        end = max(last, start)
        if highest == "lac":
            reason = ReferralClosure.TRANSITION
        elif reason in (ReferralClosure.NO_FURTHER_ACTION, ReferralClosure.STEP_DOWN):
            reason, step_down = ReferralClosure.SERVICES_CEASED, False
            # Its assessment no longer ends the case, so it names its factors ("21",
            # no factors, only on assessments that end it).
            for part in referral.parts:
                if part.kind == "assessment" and part.factors == [NO_FACTORS]:
                    part.factors = factors
    parts = cut_at(referral.parts, end)
    return Journey(highest, start, end, reason, parts, step_down, need, nfa)


def _day_before_18th(born: date) -> date:
    try:
        adult = born.replace(year=born.year + 18)
    except ValueError:  # 29 February
        adult = date(born.year + 18, 3, 1)
    return adult - timedelta(days=1)


def cut_at(parts: list[Part], end: date) -> list[Part]:
    """The parts begun by ``end``, none ending after it: a plan must last a day, an
    enquiry whose conference is cut off needed none, and reviews are before the end."""
    kept = []
    for part in parts:
        if part.start > end or (part.kind == "cp_plan" and part.start >= end):
            continue
        if part.end is not None and part.end > end:
            part.end = end
        part.reviews = [day for day in part.reviews if day < end]
        kept.append(part)
    held = {id(p.enquiry) for p in kept if p.kind == "icpc"}
    for part in kept:
        if part.kind == "section_47" and not part.icpc_not_required and id(part) not in held:
            part.icpc_not_required = True
    return kept
