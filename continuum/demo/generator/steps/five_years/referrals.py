"""The history's referrals to social care: each referred child's statutory involvement
(the referral and its parts, from ``statutory.referral_journey``), the children already
in need when the history begins, and what follows a referral (a step-down to early help
after a plan; perhaps, later, the front door again)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

from continuum.demo.generator.steps.five_years.builder import (
    YEAR,
    HistoryBuilder,
    Made,
    StatutoryParts,
    pick,
)
from continuum.demo.generator.steps.five_years.episodes import episode
from continuum.demo.generator.steps.five_years.returns import (
    BACK_AFTER_LONG_REFERRAL,
    BACK_AFTER_SHORT_REFERRAL,
    maybe_back,
)
from continuum.demo.generator.steps.five_years.statutory import Journey, cut_at, referral_journey
from continuum.demo.generator.steps.five_years.targets import CouncilTargets
from continuum.demo.generator.steps.front_door.figures import SOURCE_WEIGHTS
from continuum.demo.generator.world import DemoPerson
from continuum.early_help.choices import EpisodeOrigin
from continuum.front_door.models import Contact
from continuum.statutory.choices import RecordSource, ReferralClosure
from continuum.statutory.models import ProtectionPlanReview, StatutoryInvolvement


def write_statutory(
    builder: HistoryBuilder,
    key: str,
    child: DemoPerson,
    journey: Journey,
    contact: Contact | None,
    source: str,
    *,
    replace: bool = False,
) -> bool:
    """The child's referral and the parts of it begun before the as-of date (what ends
    later is still open); none while the child's earlier referral to the council is open
    (the census has one child in need episode at a time: its rules 8815, 8816 and 8820),
    and false when so; with ``replace``, the earlier referral gives way instead."""
    world = builder.world
    open_end = journey.end if journey.end is not None and journey.end < builder.as_of else None
    spans = builder.spans[(key, child.person.pk)]
    clashes = [s for s in spans if _overlap((journey.start, open_end), (s[0], s[1]))]
    if clashes and not replace:
        return False
    for _, _, earlier, earlier_journey in clashes:
        spans.remove((earlier.start_date, earlier.end_date, earlier, earlier_journey))
        _unwrite(builder, earlier, earlier_journey)
        if earlier.start_date < journey.start:
            # The earlier referral closes the day the new one begins.
            _close_at(earlier_journey, journey.start)
            write_statutory(
                builder, key, child, earlier_journey, earlier.contact, earlier.referral_source
            )
    referral = StatutoryInvolvement(
        id=world.new_uuid(),
        person=child.person,
        council=world.councils[key],
        kind="referral",
        start_date=journey.start,
        end_date=open_end,
        referral_source=source or pick(builder.rng, SOURCE_WEIGHTS),
        contact=contact,
        closure_reason=journey.closure_reason if open_end else "",
        primary_need=journey.primary_need,
        referral_nfa=journey.nfa,
        source=RecordSource.CENSUS,
        created_at=builder.at(journey.start, 12),
    )
    builder.add(referral)
    spans.append((journey.start, open_end, referral, journey))
    written: dict[int, StatutoryInvolvement] = {}
    for part in journey.parts:
        if part.start >= builder.as_of:
            continue
        end = part.end if part.end is not None and part.end < builder.as_of else None
        record = StatutoryInvolvement(
            id=world.new_uuid(),
            person=child.person,
            council=world.councils[key],
            kind=part.kind,
            referral=referral,
            start_date=part.start,
            end_date=end,
            # Factors are identified when the assessment is authorised (its end).
            factors=part.factors if end is not None else [],
            abuse_category=part.abuse_category,
            latest_abuse_category=part.latest_abuse_category,
            strategy_discussion_date=part.strategy_discussion,
            icpc_target_date=part.icpc_target,
            icpc_not_required=part.icpc_not_required,
            enquiry=written.get(id(part.enquiry)) if part.enquiry is not None else None,
            source=RecordSource.CENSUS,
            created_at=builder.at(part.start, 12),
        )
        written[id(part)] = builder.add(record, after=StatutoryInvolvement)
        for day in part.reviews:
            if day < builder.as_of:
                builder.add(ProtectionPlanReview(id=world.new_uuid(), plan=record, review_date=day))
    builder.referrals.append((key, child, journey, contact))
    return True


def _unwrite(builder: HistoryBuilder, referral: StatutoryInvolvement, journey: Journey) -> None:
    """Take back a referral not yet saved, with its parts and reviews."""
    rows = builder.rows
    rows[StatutoryInvolvement] = [r for r in rows[StatutoryInvolvement] if r is not referral]
    parts = cast(list[StatutoryInvolvement], rows[StatutoryParts])
    gone = {id(p) for p in parts if p.referral is referral}
    rows[StatutoryParts] = [p for p in parts if id(p) not in gone]
    reviews = cast(list[ProtectionPlanReview], rows[ProtectionPlanReview])
    rows[ProtectionPlanReview] = [r for r in reviews if id(r.plan) not in gone]
    builder.referrals = [r for r in builder.referrals if r[2] is not journey]


def _close_at(journey: Journey, end: date) -> None:
    journey.end = end
    journey.parts = cut_at(journey.parts, end)
    journey.step_down = False
    if journey.closure_reason not in (ReferralClosure.NO_FURTHER_ACTION, ReferralClosure.STEP_DOWN):
        journey.closure_reason = ReferralClosure.SERVICES_CEASED


def _overlap(a: tuple[date, date | None], b: tuple[date, date | None]) -> bool:
    """Two referrals of one child overlap: one starts on the other's first day, or after
    it and before it closed (a referral closed on the day, with no further action, lasts
    no time at all)."""
    (a_start, a_end), (b_start, b_end) = a, b
    return (
        a_start == b_start
        or (b_start < a_start and (b_end is None or a_start < b_end))
        or (a_start < b_start and (a_end is None or b_start < a_end))
    )


def already_in_need(builder: HistoryBuilder, key: str, targets: CouncilTargets, per: float) -> None:
    """The children already in need when the history begins: referrals over the years
    before it, of which only those still open on its first day are written."""
    rng = builder.rng
    years = 8
    day = builder.first - timedelta(days=int(years * YEAR))
    yearly = targets.referrals * per
    while day < builder.first:
        day += timedelta(days=max(1, int(rng.expovariate(yearly / YEAR))))
        if day >= builder.first:
            break
        age = rng.uniform(0, 17.9)
        born = day - timedelta(days=int(age * YEAR))
        journey = referral_journey(rng, targets, day, born)
        if journey.end is not None and journey.end < builder.first:
            continue
        kin = builder.kin.family(key, day)
        kids = kin.children_on(day)
        if not kids:
            continue
        child = rng.choice(kids)
        child_born = child.person.date_of_birth
        assert child_born is not None
        journey = referral_journey(rng, targets, day, child_born, highest=journey.highest)
        if journey.end is None or journey.end >= builder.first:
            write_statutory(builder, key, child, journey, None, "")


def refer(builder: HistoryBuilder, key: str, m: Made) -> None:
    """A decision to refer: each child's journey and records, a step-down to early help
    when the first child's plan ends so, and, once every child's referral has closed, the
    family perhaps back at the front door (more likely after a short one)."""
    decided_on = m.decided_on
    assert decided_on is not None
    ends: list[date | None] = []
    for child in m.children:
        born = child.person.date_of_birth
        assert born is not None
        journey = referral_journey(builder.rng, builder.targets, decided_on, born)
        if not write_statutory(builder, key, child, journey, m.contact, m.contact.referral_source):
            continue
        ends.append(journey.end)
        if journey.step_down and journey.end is not None and child is m.children[0]:
            episode(builder, key, m.kin, m.children, journey.end, EpisodeOrigin.STEP_DOWN)
    if ends and all(e is not None for e in ends):
        end = max(e for e in ends if e is not None)
        short = (end - decided_on).days < 92
        chance = BACK_AFTER_SHORT_REFERRAL if short else BACK_AFTER_LONG_REFERRAL
        maybe_back(builder, m.kin, m.children, end, chance, "after_referral")
