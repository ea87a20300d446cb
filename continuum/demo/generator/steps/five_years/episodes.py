"""The history's early help episodes: each episode with its children, allocation at the
locality's weekly panel (with the agencies present) to a lead professional from the
council, a school, health or a voluntary organisation, the lead professional's
involvement while it is open, and partners' own episodes. Each episode's life goes on
through its casework (``casework``) to its end (``closures``), as far as the as-of date.
"""

from __future__ import annotations

from datetime import date, timedelta

from continuum.access.models import Involvement, InvolvementReason
from continuum.demo.generator.steps.early_help.consent import agreement_rows
from continuum.demo.generator.steps.five_years.builder import (
    YEAR,
    Casefile,
    HistoryBuilder,
    Made,
    pick,
)
from continuum.demo.generator.steps.five_years.casework import (
    AGENCY_KIND,
    assess,
    hold_reviews,
    make_plan,
    team_around_the_family,
)
from continuum.demo.generator.steps.five_years.closures import (
    close,
    schedule_closure,
    settle_actions,
    step_up,
    what_next,
)
from continuum.demo.generator.steps.five_years.contacts import RATIONALE
from continuum.demo.generator.steps.five_years.kin import Kin
from continuum.demo.generator.world import DemoPerson
from continuum.early_help.choices import ClosureReason, EpisodeOrigin, EpisodeStatus
from continuum.early_help.models import AllocationPanel, Episode
from continuum.front_door.choices import Outcome
from continuum.timescales.working_days import first_working_day_on_or_after

LEAD_AGENCIES = {"council": 55, "school": 20, "health": 12, "voluntary": 13}


def episode(
    builder: HistoryBuilder,
    key: str,
    kin: Kin,
    children: list[DemoPerson],
    start: date,
    origin: str,
    m: Made | None = None,
) -> None:
    """One episode's whole life, as far as the as-of date."""
    if start >= builder.as_of:
        return
    children = [c for c in children if c in kin.children_on(start)]
    if not children:
        return
    case = open_episode(builder, key, kin, children, start, origin, m)
    allocated_on = allocate(builder, case)
    if case.status == EpisodeStatus.ALLOCATED:
        assess(builder, case, allocated_on)
    if case.plan_day is not None and builder.happened(case.plan_day):
        _work_the_plan(builder, case, case.plan_day)
    _write_episode(builder, case)


def open_episode(
    builder: HistoryBuilder,
    key: str,
    kin: Kin,
    children: list[DemoPerson],
    start: date,
    origin: str,
    m: Made | None,
) -> Casefile:
    """The episode opened on ``start``: its level (the front door's decision's, if there is
    one), its children, and the lead professional it will have."""
    rng, world = builder.rng, builder.world
    staff = builder.team_staff(key)
    level = (
        3 if (m and m.outcome == Outcome.EARLY_HELP_MULTI) or (not m and rng.random() < 0.5) else 2
    )
    agency = (
        pick(rng, LEAD_AGENCIES)
        if origin != EpisodeOrigin.PARTNER
        else rng.choice(("school", "health", "voluntary"))
    )
    lead = rng.choice(staff[agency])
    localities = world.localities[key]
    number = [x.pk for x in localities].index(kin.locality.pk) + 1
    row = Episode(
        id=world.new_uuid(),
        council=world.councils[key],
        locality=kin.locality,
        team=world.teams[f"{key}:early-help:{number}"],
        household=kin.household,
        level=level,
        origin=origin,
        front_door_decision=m.decision if m else None,
        front_door_decided_at=m.contact.decided_at if m else None,
        social_care_history=(
            "Child in need plan closed; the family agreed to early help to keep things going."
            if origin == EpisodeOrigin.STEP_DOWN
            else ""
        ),
        reason_for_request=RATIONALE[m.outcome]
        if m
        else "Needs the family and the agency agreed on.",
        start_date=start,
        opened_by=lead if origin == EpisodeOrigin.PARTNER else rng.choice(staff["council"]),
    )
    # Opening needs the family's agreement, or a lawful basis (docs/consent-in-early-help.md).
    records, consent_fields = agreement_rows(
        new_id=world.new_uuid,
        family=[c.person for c in children] + [a.person for a in kin.carers],
        council=world.councils[key],
        by=row.opened_by,
        on=start,
        at=builder.at(start, 10),
    )
    for name, value in consent_fields.items():
        setattr(row, name, value)
    for record in records:
        builder.add(record)
    for child in children:
        builder.add(Episode.children.through(episode=row, person=child.person))
    return Casefile(key, kin, children, origin, start, row, level, agency, lead)


def allocate(builder: HistoryBuilder, case: Casefile) -> date:
    """The day of allocation: a partner's own episode at once; otherwise at the locality
    panel, most within the ten working days' target. Allocated if that day has come."""
    rng, key, kin, row = builder.rng, case.key, case.kin, case.episode
    partner = case.origin == EpisodeOrigin.PARTNER
    if partner:
        allocated_on = case.start
    else:
        allocated_on = panel(builder, key, kin, case.start + timedelta(days=1)).held_on
        if rng.random() < 0.15:
            allocated_on = panel(
                builder, key, kin, allocated_on + timedelta(days=rng.choice((7, 14)))
            ).held_on
    if builder.happened(allocated_on):
        case.status = EpisodeStatus.ALLOCATED
        row.panel = None if partner else panel(builder, key, kin, allocated_on)
        row.lead_professional = case.lead
        row.lead_professional_organisation = case.lead.organisation
        row.allocation_reason = f"{AGENCY_KIND[case.agency].label} best placed to lead."
        row.allocated_at = builder.at(allocated_on, 15 if not partner else 10)
    return allocated_on


def panel(builder: HistoryBuilder, key: str, kin: Kin, after: date) -> AllocationPanel:
    """The locality's weekly panel (Tuesdays) on or after ``after``, with the agencies
    present."""
    day = after + timedelta(days=(1 - after.weekday()) % 7)
    day = first_working_day_on_or_after(day)
    found = builder.panels.get((kin.locality.pk, day))
    if found is None:
        staff = builder.team_staff(key)
        found = AllocationPanel(
            council=builder.world.councils[key],
            locality=kin.locality,
            held_on=day,
            chaired_by=staff["managers"][0],
            created_at=builder.at(day, 14),
        )
        builder.panels[(kin.locality.pk, day)] = found
        builder.add(found)
        present = [
            builder.world.organisations.get(f"council:{key}"),
            builder.world.organisations.get("health-visiting"),
        ]
        local = builder.world.local.get(key, {})
        present += local.get("secondary", [])[:1] + local.get("voluntary", [])[:1]
        for organisation in present:
            if organisation is not None:
                builder.add(
                    AllocationPanel.agencies_present.through(
                        allocationpanel=found, organisation=organisation
                    )
                )
    return found


def _work_the_plan(builder: HistoryBuilder, case: Casefile, plan_day: date) -> None:
    """From the plan to the end: reviews, the Team Around the Family at level 3, a
    step-up or the closure once its day has come, the actions, and what the family does
    next."""
    make_plan(builder, case, plan_day)
    reviews, closing = schedule_closure(builder, case, plan_day)
    hold_reviews(builder, case, reviews)
    closes = builder.happened(closing)
    if case.level == 3:
        team_around_the_family(builder, case, plan_day, closing if closes else None)
    if closes:
        if case.reason == ClosureReason.STEPPED_UP:
            step_up(builder, case, closing)
        close(builder, case, closing)
    settle_actions(builder, case)
    what_next(builder, case)


def _write_episode(builder: HistoryBuilder, case: Casefile) -> None:
    """The episode at its state on the as-of date and, while it is open and allocated, the
    lead professional's involvement with each child."""
    row = case.episode
    row.status = case.status
    row.end_date = case.closed
    builder.add(row)
    if case.closed is None and row.lead_professional is not None:
        for child in case.children:
            builder.add(
                Involvement(
                    user=case.lead,
                    person=child.person,
                    reason=InvolvementReason.LEAD_PROFESSIONAL,
                    source=f"early_help.episode:{row.pk}",
                    starts_at=row.allocated_at or builder.at(case.start, 9),
                )
            )
    builder.episodes.append((case.key, row, case.reason, case.closed))


def partner_episodes(builder: HistoryBuilder, key: str, per_year: float) -> None:
    """Episodes partners open themselves (a school for a pupil's family, a voluntary
    organisation), ``per_year`` a year."""
    for first, last in builder.months:
        share = ((last - first).days + 1) / YEAR
        for _ in range(round(per_year * share + builder.rng.random() - 0.5)):
            day = builder.day_in(first, last)
            kin = builder.kin.family(key, day)
            episode(builder, key, kin, kin.children_on(day), day, EpisodeOrigin.PARTNER)
