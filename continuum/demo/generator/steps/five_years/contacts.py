"""The history's front-door contacts: each contact with its referrer, consent or lawful
basis, children and adult, its status changes (draft, submitted, screening, perhaps
waiting for information, decided, closed), the decision with one indicator at the level
the outcome fits, and ``is_repeat`` as the services work it out."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.utils import timezone

from continuum.accounts.models import User
from continuum.demo.generator.fitting import fits_someone
from continuum.demo.generator.steps.five_years.builder import HistoryBuilder, Made
from continuum.demo.generator.steps.five_years.kin import Kin
from continuum.demo.generator.steps.front_door.referrers import HOW_RECEIVED, REFERRER_ROLES
from continuum.demo.generator.world import DemoPerson
from continuum.early_help.models import StepUp
from continuum.front_door.choices import (
    ContactStatus,
    FamilyAgreement,
    HowReceived,
    LawfulBasis,
    NotSoughtReason,
    Outcome,
)
from continuum.front_door.models import (
    Contact,
    ContactAdult,
    ContactChild,
    ContactDecision,
    ContactStatusChange,
)
from continuum.front_door.services import REPEAT_WINDOW_DAYS
from continuum.organisations.models import Organisation
from continuum.timescales.working_days import (
    add_working_days,
    assessment_due_date,
    decision_due_date,
    is_working_day,
)

RATIONALE: dict[str, str] = {
    Outcome.NO_FURTHER_ACTION: "Needs are met by universal services; no further action.",
    Outcome.INFORMATION_AND_ADVICE: "Advice given to the referrer and the family.",
    Outcome.SIGNPOSTING: "Family signposted to universal and community services.",
    Outcome.EARLY_HELP_SINGLE: "Needs one agency can meet: early help, single agency.",
    Outcome.EARLY_HELP_MULTI: "Needs across several areas: a Team Around the Family.",
    Outcome.SOCIAL_CARE_ASSESSMENT: "The child may be in need: social work assessment (s17).",
    Outcome.STRATEGY_DISCUSSION: "Reasonable cause to suspect significant harm: strategy "
    "discussion (s47).",
}
OUTCOME_LEVEL: dict[str, int] = {
    Outcome.EARLY_HELP_SINGLE: 2,
    Outcome.EARLY_HELP_MULTI: 3,
    Outcome.SOCIAL_CARE_ASSESSMENT: 4,
    Outcome.STRATEGY_DISCUSSION: 4,
}
REFERRAL_OUTCOMES = (Outcome.SOCIAL_CARE_ASSESSMENT, Outcome.STRATEGY_DISCUSSION)
EARLY_HELP = (Outcome.EARLY_HELP_SINGLE, Outcome.EARLY_HELP_MULTI)
# Sources (a neighbour, a member of the public, anonymous) who do not seek the family's
# agreement.
NOT_ASKED = ("1B", "1D", "9")

Timeline = list[tuple[str, datetime, User]]


def referrer(
    builder: HistoryBuilder, key: str, source: str
) -> tuple[str, str, Organisation | None, str]:
    """A few named referrers for each council and kind of source, used again and again."""
    pool = builder.referrers.get((key, source))
    if pool is None:
        local = builder.world.local.get(key, {})
        by_source: dict[str, list[Organisation | None]] = {
            "2A": [*local.get("primary", []), *local.get("secondary", [])],
            "3A": [*local.get("gp_practice", [])],
            "3B": [builder.world.organisations.get("health-visiting")],
            "6": [builder.world.organisations.get("police")],
            "8": [*local.get("voluntary", [])],
            "4": [*local.get("housing", [])],
        }
        organisations = by_source.get(source, [None])
        pool = []
        for _ in range(6):
            organisation = builder.rng.choice(organisations or [None])
            role = builder.rng.choice(REFERRER_ROLES.get(source, ("Referrer",)))
            name = f"{builder.faker.first_name()} {builder.faker.last_name()}"
            pool.append((name, role, organisation, organisation.name if organisation else ""))
        builder.referrers[(key, source)] = pool
    return builder.rng.choice(pool)


def contact(
    builder: HistoryBuilder,
    key: str,
    kin: Kin,
    children: list[DemoPerson],
    day: date,
    source: str,
    kind: str,
    step_up: StepUp | None = None,
    *,
    received: datetime | None = None,
    submitted: datetime | None = None,
    how: str | None = None,
    by: User | None = None,
) -> Made:
    """A contact received on ``day`` (or at ``received``) and taken as far as the as-of
    date; ``submitted``, ``how`` and ``by`` are joint triage's, ``step_up`` the agreed
    step-up whose contact this is."""
    rng, world = builder.rng, builder.world
    worker = rng.choice(builder.team_staff(key)["front_door"])
    received = _received_at(builder, day, received)
    name, role, organisation, organisation_name = referrer(builder, key, source)
    if step_up is not None:
        name, role = str(step_up.requested_by), "Lead professional"
        organisation = step_up.requested_by.organisation
        organisation_name = organisation.name if organisation else ""
    row = Contact(
        id=world.new_uuid(),
        council=world.councils[key],
        team=world.teams.get(f"{key}:front-door") if how is None else None,
        received_at=received,
        how_received=how or rng.choice(HOW_RECEIVED.get(source, (HowReceived.PHONE,))),
        referral_source=source,
        referrer_name=name,
        referrer_organisation=organisation,
        referrer_organisation_name=organisation_name,
        referrer_role=role,
        concerns="Concerns described by the referrer (synthetic history).",
        created_by=by or worker,
    )
    severity = rng.random() + (0.15 if source == "6" else 0.0) + (0.3 if kind == "step_up" else 0)
    if how is not None:
        _shared_for_triage(row)
    else:
        _consent(builder, row, source, name, day)
    events, screened = _submission(builder, row, worker, received, submitted, step_up)
    decided_at = _decision_time(builder, events, worker, received, screened)
    row.created_at = events[0][1]
    if step_up is not None:
        step_up.contact = row
    m = Made(row, kin, children, kind, severity)
    m.decided_on = timezone.localtime(decided_at).date() if decided_at else None
    row.decided_at = decided_at
    builder.timelines[id(row)] = (events, worker)
    _people_on(builder, row, kin, children)
    return m


def _received_at(builder: HistoryBuilder, day: date, received: datetime | None) -> datetime:
    """When the contact came in: office hours mostly, now and then evening or weekend."""
    rng = builder.rng
    if received is None:
        hour = (
            rng.randint(8, 16)
            if is_working_day(day) and rng.random() > 0.1
            else rng.choice((7, 18, 20, 22))
        )
        received = builder.at(day, hour, rng.randint(0, 59))
    return min(received, builder.cutoff - timedelta(minutes=rng.randint(5, 120)))


def _shared_for_triage(row: Contact) -> None:
    """The lawful basis on which joint triage passes a police notification on."""
    row.family_agreement = FamilyAgreement.NOT_SOUGHT
    row.lawful_basis = LawfulBasis.PUBLIC_TASK
    row.not_agreed_reason = NotSoughtReason.SIGNIFICANT_HARM
    row.sharing_justification = (
        "Police notification of domestic abuse with children in the household, shared "
        "for joint triage to safeguard the children."
    )


def _consent(builder: HistoryBuilder, row: Contact, source: str, name: str, day: date) -> None:
    """The family's agreement (mostly given), or the lawful basis and why."""
    rng = builder.rng
    if rng.random() < 0.84 and source not in NOT_ASKED:
        row.family_agreement = FamilyAgreement.AGREED
        row.agreement_obtained_by = name
        row.agreement_obtained_on = day - timedelta(days=rng.choice((0, 0, 1)))
        return
    row.family_agreement = (
        FamilyAgreement.DECLINED if rng.random() < 0.3 else FamilyAgreement.NOT_SOUGHT
    )
    row.lawful_basis = LawfulBasis.PUBLIC_TASK
    row.not_agreed_reason = (
        NotSoughtReason.OTHER if source in NOT_ASKED else NotSoughtReason.SIGNIFICANT_HARM
    )
    row.sharing_justification = (
        "The concerns are serious enough that the front door needs to know; the "
        "family will be told the referral was made and why."
    )


def _submission(
    builder: HistoryBuilder,
    row: Contact,
    worker: User,
    received: datetime,
    submitted: datetime | None,
    step_up: StepUp | None,
) -> tuple[Timeline, datetime]:
    """The timeline's start (a draft, then submitted; joint triage's contacts are submitted
    at once) and when screening begins."""
    events: Timeline = []
    if submitted is None:
        events.append((ContactStatus.DRAFT, received, worker))
        submitted = received + timedelta(minutes=0 if step_up else builder.rng.randint(2, 25))
        events.append((ContactStatus.SUBMITTED, submitted, worker))
        screened = builder.office(submitted, 5, 150)
    else:
        events.append((ContactStatus.SUBMITTED, submitted, row.created_by))
        screened = submitted
    row.submitted_at = submitted
    return events, screened


def _decision_time(
    builder: HistoryBuilder,
    events: Timeline,
    worker: User,
    received: datetime,
    screened: datetime,
) -> datetime | None:
    """Screening, perhaps waiting for information, and when it is decided: mostly within
    the day due, some late; None while still open at the as-of date."""
    rng, cutoff = builder.rng, builder.cutoff
    if screened > cutoff:
        return None
    events.append((ContactStatus.IN_SCREENING, screened, worker))
    last_at = screened
    waiting = rng.random() < 0.12
    if waiting:
        last_at = builder.office(screened, 20, 180)
        if last_at <= cutoff:
            events.append((ContactStatus.AWAITING_INFORMATION, last_at, worker))
    due = decision_due_date(timezone.localtime(received).date())
    if rng.random() < 0.08:
        late = add_working_days(due, rng.randint(1, 3))
        decided_at = builder.at(late, rng.randint(9, 16), rng.randint(0, 59))
    else:
        decided_at = builder.office(last_at, 15, 240)
        if timezone.localtime(decided_at).date() > due:
            decided_at = builder.at(due, 16, rng.randint(0, 50))
    decided_at = max(decided_at, last_at + timedelta(minutes=5))
    if decided_at > cutoff or (waiting and last_at > cutoff):
        return None
    return decided_at


def _people_on(builder: HistoryBuilder, row: Contact, kin: Kin, children: list[DemoPerson]) -> None:
    """The children the contact is about, and the first adult at home."""
    for child in children:
        builder.add(ContactChild(contact=row, person=child.person))
    if kin.carers:
        carer = kin.carers[0]
        builder.add(
            ContactAdult(
                contact=row,
                person=carer.person,
                relationship=carer.role.replace("_", " ").capitalize(),
            )
        )


def decide(builder: HistoryBuilder, key: str, m: Made) -> None:
    """The decision, at a level the outcome fits, with one indicator at that level."""
    rng, row = builder.rng, m.contact
    events, worker = builder.timelines.pop(id(row))
    level = OUTCOME_LEVEL.get(m.outcome) or (1 if rng.random() < 0.5 else 2)
    m.level = level
    decided_on = timezone.localtime(row.decided_at).date() if row.decided_at else builder.as_of
    ages = [c.age_on(decided_on) for c in m.children]
    indicator = rng.choice(
        [i for i in builder.indicators[level] if fits_someone(i.code, ages)]
        or builder.indicators[level]
    )
    suggestion = builder.suggestions[indicator.pk]
    decided_at = row.decided_at
    assert decided_at is not None
    decision = ContactDecision(
        contact=row,
        level=level,
        suggested_level=suggestion.level,
        suggestion_reasons="\n".join(suggestion.reasons),
        outcome=m.outcome,
        rationale=RATIONALE[m.outcome],
        decided_by=worker,
        decided_at=decided_at,
    )
    if m.outcome == Outcome.SOCIAL_CARE_ASSESSMENT:
        decision.assessment_due_date = assessment_due_date(timezone.localtime(decided_at).date())
    builder.add(decision)
    builder.add(ContactDecision.indicators.through(contactdecision=decision, indicator=indicator))
    events.append((ContactStatus.DECIDED, decided_at, worker))
    closed = builder.office(decided_at, 60 * 6, 60 * 24 * 8)
    if closed <= builder.cutoff:
        events.append((ContactStatus.CLOSED, closed, worker))
    _write_timeline(builder, row, events)
    m.decision = decision


def _write_timeline(builder: HistoryBuilder, row: Contact, events: Timeline) -> None:
    """A status change for each event, and the contact at its last status."""
    previous = "" if events[0][0] == ContactStatus.DRAFT else ContactStatus.DRAFT
    for status, at, by in events:
        builder.add(
            ContactStatusChange(
                contact=row,
                from_status=previous,
                to_status=status,
                changed_by=by,
                changed_at=at,
            )
        )
        previous = status
    row.status = events[-1][0]
    row.version = len(events) if events[0][0] == ContactStatus.DRAFT else len(events) - 1
    builder.add(row)


def finish_open(builder: HistoryBuilder) -> None:
    """Contacts still open at the as-of date: their status changes so far."""
    for m in builder.made:
        if m.decided_on is None and id(m.contact) in builder.timelines:
            events, _ = builder.timelines.pop(id(m.contact))
            _write_timeline(builder, m.contact, events)


def mark_repeats(builder: HistoryBuilder) -> None:
    """``is_repeat`` as the services work it out: a child on the contact had a submitted
    contact received in the 12 months before (the history's children are its own). Each
    contact is named in ``world.history_ids``."""
    window = timedelta(days=REPEAT_WINDOW_DAYS)
    seen: dict[object, list[datetime]] = defaultdict(list)
    contacts = sorted(
        (m for m in builder.made if m.kind != "untriaged"), key=lambda m: m.contact.received_at
    )
    for m in contacts:
        at = m.contact.received_at
        pks = [c.person.pk for c in m.children]
        m.contact.is_repeat = any(
            (times := seen[pk]) and at - window <= times[-1] < at for pk in pks
        )
        for pk in pks:
            seen[pk].append(at)
        builder.world.history_ids.add(m.contact.pk)
