"""The history's referrals to social care: each referred child's statutory involvement
(the referral and its parts, from ``statutory.referral_journey``), the children already
in need when the history begins, and what follows a referral (a step-down to early help
after a plan; perhaps, later, the front door again)."""

from __future__ import annotations

from datetime import date, timedelta

from continuum.demo.generator.steps.five_years.builder import YEAR, HistoryBuilder, Made, pick
from continuum.demo.generator.steps.five_years.episodes import episode
from continuum.demo.generator.steps.five_years.returns import (
    BACK_AFTER_LONG_REFERRAL,
    BACK_AFTER_SHORT_REFERRAL,
    maybe_back,
)
from continuum.demo.generator.steps.five_years.statutory import Journey, referral_journey
from continuum.demo.generator.steps.five_years.targets import CouncilTargets
from continuum.demo.generator.steps.front_door.figures import SOURCE_WEIGHTS
from continuum.demo.generator.world import DemoPerson
from continuum.early_help.choices import EpisodeOrigin
from continuum.front_door.models import Contact
from continuum.statutory.choices import RecordSource
from continuum.statutory.models import StatutoryInvolvement


def write_statutory(
    builder: HistoryBuilder,
    key: str,
    child: DemoPerson,
    journey: Journey,
    contact: Contact | None,
    source: str,
) -> None:
    """The child's referral and the parts of it begun before the as-of date (what ends
    later is still open)."""
    world = builder.world
    open_end = journey.end if journey.end is not None and journey.end < builder.as_of else None
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
        source=RecordSource.CENSUS,
        created_at=builder.at(journey.start, 12),
    )
    builder.add(referral)
    for part in journey.parts:
        if part.start >= builder.as_of:
            continue
        end = part.end if part.end is not None and part.end < builder.as_of else None
        builder.add(
            StatutoryInvolvement(
                id=world.new_uuid(),
                person=child.person,
                council=world.councils[key],
                kind=part.kind,
                referral=referral,
                start_date=part.start,
                end_date=end,
                factors=part.factors,
                abuse_category=part.abuse_category,
                icpc_not_required=part.icpc_not_required,
                source=RecordSource.CENSUS,
                created_at=builder.at(part.start, 12),
            ),
            after=StatutoryInvolvement,
        )
    builder.referrals.append((key, child, journey, contact))


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
        write_statutory(builder, key, child, journey, m.contact, m.contact.referral_source)
        ends.append(journey.end)
        if journey.step_down and journey.end is not None and child is m.children[0]:
            episode(builder, key, m.kin, m.children, journey.end, EpisodeOrigin.STEP_DOWN)
    if all(e is not None for e in ends):
        end = max(e for e in ends if e is not None)
        short = (end - decided_on).days < 92
        chance = BACK_AFTER_SHORT_REFERRAL if short else BACK_AFTER_LONG_REFERRAL
        maybe_back(builder, m.kin, m.children, end, chance, "after_referral")
