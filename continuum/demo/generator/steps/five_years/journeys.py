"""Five years of each council's front door, early help and statutory involvement, month by
month, simulated family by family and written in bulk.

Each council-month gets the contacts its targets call for (less those the detailed front
door step already made that month): families coming back (after no further action, after
early help, after social care) and families new to the front door, a police domestic-abuse
notification behind some of them. Referrals to social care are shared out so each month
has its target; every decided contact goes on: to a referral and the child's statutory
journey (``statutory.referral_journey``), to an early help episode (allocation, assessment,
needs, TAF, plan, reviews, closure, six-month checks, step-up), or to nothing - and then,
perhaps, back to the front door.

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

import calendar
import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Model
from django.utils import timezone

from continuum.access.models import Involvement, InvolvementReason
from continuum.accounts.models import Role, User
from continuum.demo.generator.copying import insert
from continuum.demo.generator.historic import explicit_times
from continuum.demo.generator.steps.five_years.kin import Kin, KinMaker
from continuum.demo.generator.steps.five_years.statutory import Journey, referral_journey
from continuum.demo.generator.steps.five_years.targets import CouncilTargets
from continuum.demo.generator.steps.front_door.figures import SOURCE_WEIGHTS
from continuum.demo.generator.steps.front_door.referrers import HOW_RECEIVED, REFERRER_ROLES
from continuum.demo.generator.world import DemoPerson, World
from continuum.early_help.choices import (
    ActionStatus,
    AgencyKind,
    ClosureReason,
    EpisodeOrigin,
    EpisodeStatus,
    NeedOutcome,
    ScoreStage,
    StepUpDecision,
    SustainedResult,
)
from continuum.early_help.models import (
    AllocationPanel,
    Assessment,
    ChildVoice,
    Closure,
    Episode,
    Need,
    NeedClosureOutcome,
    NeedScore,
    Plan,
    PlanAction,
    PlanOutcome,
    Review,
    StepUp,
    SupportingFamiliesOutcome,
    SustainedOutcomeCheck,
    TafAttendee,
    TafMeeting,
    TafMember,
)
from continuum.front_door.choices import (
    ContactStatus,
    DashRisk,
    FamilyAgreement,
    HowReceived,
    LawfulBasis,
    MaracBasis,
    NotificationStatus,
    NotSoughtReason,
    Outcome,
    ReferralSource,
    TriageAgency,
)
from continuum.front_door.models import (
    Contact,
    ContactAdult,
    ContactChild,
    ContactDecision,
    ContactStatusChange,
    DomesticAbuseNotification,
    NotificationChild,
    TriageAttendance,
    TriageMeeting,
    TriageOutcome,
)
from continuum.front_door.services import REPEAT_WINDOW_DAYS
from continuum.organisations.models import Organisation
from continuum.statutory.choices import RecordSource
from continuum.statutory.models import StatutoryInvolvement
from continuum.thresholds.models import Domain, Indicator
from continuum.thresholds.rules import IndicatorFacts, suggest_level
from continuum.thresholds.selectors import current_version
from continuum.timescales.months import add_months
from continuum.timescales.working_days import (
    add_working_days,
    assessment_due_date,
    decision_due_date,
    first_working_day_on_or_after,
    is_working_day,
)

YEAR = 365.25
CHILDREN_ON_A_CONTACT = 1.35
# Chances of coming back to the front door within 12 months (see the module docstring).
BACK_AFTER_NFA = 0.30
BACK_AFTER_DISENGAGED = 0.45
BACK_AFTER_STEP_DOWN = 0.20
BACK_AFTER_SHORT_REFERRAL = 0.7  # closed within three months: many are re-referred
BACK_AFTER_LONG_REFERRAL = 0.22
REFERRED_IF_BACK = 0.40
REFERRED_IF_BACK_AFTER_REFERRAL = 0.85
# Front-door outcomes other than a referral, in the detailed step's proportions.
OTHER_OUTCOMES = {
    Outcome.NO_FURTHER_ACTION: 21,
    Outcome.INFORMATION_AND_ADVICE: 13,
    Outcome.SIGNPOSTING: 11,
    Outcome.EARLY_HELP_SINGLE: 17,
    Outcome.EARLY_HELP_MULTI: 15,
}
CLOSURE_WEIGHTS = {
    ClosureReason.NEEDS_MET: 56,
    ClosureReason.DECLINED: 15,
    ClosureReason.STEPPED_UP: 8,
    ClosureReason.STEPPED_DOWN: 11,
    ClosureReason.MOVED_AWAY: 5,
    ClosureReason.OTHER: 5,
}
NEED_OUTCOMES = {
    ClosureReason.NEEDS_MET: {NeedOutcome.ACHIEVED: 80, NeedOutcome.PARTLY: 20},
    ClosureReason.STEPPED_DOWN: {NeedOutcome.ACHIEVED: 60, NeedOutcome.PARTLY: 40},
    ClosureReason.DECLINED: {NeedOutcome.PARTLY: 35, NeedOutcome.NOT_ACHIEVED: 65},
    ClosureReason.STEPPED_UP: {NeedOutcome.PARTLY: 20, NeedOutcome.NOT_ACHIEVED: 80},
    ClosureReason.MOVED_AWAY: {NeedOutcome.PARTLY: 50, NeedOutcome.NOT_ACHIEVED: 50},
    ClosureReason.OTHER: {NeedOutcome.PARTLY: 60, NeedOutcome.NOT_ACHIEVED: 40},
}
LEAD_AGENCIES = {"council": 55, "school": 20, "health": 12, "voluntary": 13}
AGENCY_KIND = {
    "council": AgencyKind.COUNCIL,
    "school": AgencyKind.SCHOOL,
    "health": AgencyKind.HEALTH,
    "voluntary": AgencyKind.VOLUNTARY,
}
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


def pick(rng: Any, weights: Mapping[Any, float]) -> Any:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def months_between(first: date, end: date) -> list[tuple[date, date]]:
    """(first day, last day) of every month from ``first``'s to the day before ``end``."""
    months, day = [], first.replace(day=1)
    while day < end:
        last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        months.append((max(day, first), min(last, end - timedelta(days=1))))
        day = last + timedelta(days=1)
    return months


@dataclass(order=True)
class Return:
    """A family coming back to the front door."""

    day: date
    seq: int
    kin: Kin = field(compare=False)
    children: list[DemoPerson] = field(compare=False)
    kind: str = field(
        compare=False
    )  # after_nfa, after_eh_met, after_eh_other, after_referral, step_up
    step_up: StepUp | None = field(default=None, compare=False)


@dataclass(eq=False)
class Made:
    """A contact made in the history, with what the figures need."""

    contact: Contact
    kin: Kin
    children: list[DemoPerson]
    kind: str  # new, notification, or the Return kind
    severity: float
    outcome: str = ""
    level: int = 0
    decided_on: date | None = None
    decision: ContactDecision | None = None


class HistoryBuilder:
    def __init__(self, world: World) -> None:
        self.world = world
        self.rng = world.rng
        self.faker = world.faker
        self.as_of = world.as_of
        self.cutoff = world.moment(world.as_of, hour=0) - timedelta(minutes=1)
        self.first = date(self.as_of.year - world.preset.years, self.as_of.month, 1)
        self.months = months_between(self.first, self.as_of)
        self.kin = KinMaker(world)
        self.rows: dict[type[Model], list[Model]] = defaultdict(list)
        self.seq = 0
        version = current_version()
        if version is None:
            raise LookupError("The threshold framework has no current version.")
        indicators = list(Indicator.objects.filter(version=version).select_related("domain"))
        indicators.sort(key=lambda i: i.code)
        self.indicators = {
            level: [i for i in indicators if i.level == level] for level in (1, 2, 3, 4)
        }
        self.suggestions = {
            i.pk: suggest_level(
                [IndicatorFacts(code=i.code, title=i.title, level=i.level, domain=i.domain.code)]
            )
            for i in indicators
        }
        self.domains = list(Domain.objects.order_by("code"))
        self.areas = list(SupportingFamiliesOutcome.objects.order_by("code"))
        self.police = world.users["police.cleveland"]
        self.staff: dict[str, dict[str, list[User]]] = {}
        self.panels: dict[tuple[Any, date], AllocationPanel] = {}
        self.meetings: dict[tuple[str, date], TriageMeeting] = {}
        self.referrers: dict[tuple[str, str], list[tuple[str, str, Organisation | None, str]]] = {}
        # What the summary and tests count.
        self.made: list[Made] = []
        self.referrals: list[tuple[str, DemoPerson, Journey, Contact | None]] = []
        self.episodes: list[tuple[str, Episode, str, date | None]] = []  # key, row, reason, closed
        self._events: dict[int, tuple[list[tuple[str, datetime, User]], User]] = {}
        self.pending: dict[int, list[Return]] = defaultdict(list)
        self.free: dict[str, list[tuple[date, Kin]]] = defaultdict(list)
        self.current = -1

    # --- people ------------------------------------------------------------------------

    def team_staff(self, key: str) -> dict[str, list[User]]:
        if key not in self.staff:
            staff = sorted(self.world.staff.get(key, []), key=lambda u: u.username)
            front_door = [u for u in staff if u.role == Role.FRONT_DOOR_WORKER]
            managers = (
                list(
                    User.objects.filter(
                        role=Role.TEAM_MANAGER,
                        organisation=self.world.organisations.get(f"council:{key}"),
                    ).order_by("username")
                )
                or front_door
            )
            practitioners = [u for u in staff if u.role == Role.EARLY_HELP_PRACTITIONER]
            partners = {
                kind: list(
                    User.objects.filter(username__startswith=f"{key}.{kind}.").order_by("username")
                )
                for kind in ("school", "health", "voluntary")
            }
            self.staff[key] = {
                "front_door": front_door or managers,
                "managers": managers,
                "council": practitioners or front_door,
                **{k: v or practitioners or front_door for k, v in partners.items()},
            }
        return self.staff[key]

    def referrer(self, key: str, source: str) -> tuple[str, str, Organisation | None, str]:
        """A few named referrers for each council and kind of source, used again and again."""
        pool = self.referrers.get((key, source))
        if pool is None:
            local = self.world.local.get(key, {})
            by_source: dict[str, list[Organisation | None]] = {
                "2A": [*local.get("primary", []), *local.get("secondary", [])],
                "3A": [*local.get("gp_practice", [])],
                "3B": [self.world.organisations.get("health-visiting")],
                "6": [self.world.organisations.get("police")],
                "8": [*local.get("voluntary", [])],
                "4": [*local.get("housing", [])],
            }
            organisations = by_source.get(source, [None])
            pool = []
            for _ in range(6):
                organisation = self.rng.choice(organisations or [None])
                role = self.rng.choice(REFERRER_ROLES.get(source, ("Referrer",)))
                name = f"{self.faker.first_name()} {self.faker.last_name()}"
                pool.append((name, role, organisation, organisation.name if organisation else ""))
            self.referrers[(key, source)] = pool
        return self.rng.choice(pool)

    # --- time --------------------------------------------------------------------------

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return self.world.moment(day, hour=hour, minute=minute)

    def office(self, after: datetime, low: int, high: int) -> datetime:
        """``low`` to ``high`` minutes after ``after``, moved on to office hours."""
        moment = timezone.localtime(after) + timedelta(minutes=self.rng.randint(low, high))
        day = moment.date()
        if is_working_day(day) and 8 <= moment.hour < 17:
            return moment
        if not (is_working_day(day) and moment.hour < 8):
            day = first_working_day_on_or_after(day + timedelta(days=1))
        return self.at(day, 9, self.rng.randint(0, 45))

    def day_in(self, first: date, last: date) -> date:
        span = (last - first).days
        while True:
            day = first + timedelta(days=self.rng.randint(0, span))
            if is_working_day(day) or self.rng.random() < 0.3:
                return day

    # --- the simulation ----------------------------------------------------------------

    def council(
        self, key: str, targets: CouncilTargets, children: int, detailed: Counter[Any]
    ) -> None:
        """Every month of one council's history; ``children`` is its child population."""
        rng, per = self.rng, children / 10_000
        self.targets = targets
        self.pending = defaultdict(list)
        self.current = -1
        self.burn_in(key, targets, per)
        self.partner_episodes(key, targets.referrals * per * 0.12)
        for index, (first, last) in enumerate(self.months):
            self.current = index
            share = ((last - first).days + 1) / YEAR
            season = 1 + 0.08 * math.cos((first.month - 10) / 12 * 2 * math.pi)
            expected = targets.referrals * targets.contacts_per_referral * per * share * season
            expected /= CHILDREN_ON_A_CONTACT
            wanted = max(1, round(expected + rng.gauss(0, math.sqrt(expected) * 0.5)))
            wanted -= detailed[(key, first.year, first.month)]
            returns = sorted(self.pending.pop(index, []))
            forced = [r for r in returns if r.kind == "step_up"]
            others = [r for r in returns if r.kind != "step_up"]
            fresh = max(0, wanted - len(forced) - len(others))
            notifications = min(fresh, round(targets.notifications * per * share + rng.random()))
            referral_children = targets.referrals * per * share * season
            referral_children -= detailed[("r:" + key, first.year, first.month)]
            self.month(
                key, index, first, last, forced + others, fresh, notifications, referral_children
            )

    def burn_in(self, key: str, targets: CouncilTargets, per: float) -> None:
        """The children already in need when the history begins: referrals over the years
        before it, of which only those still open on its first day are written."""
        rng = self.rng
        years = 8
        day = self.first - timedelta(days=int(years * YEAR))
        yearly = targets.referrals * per
        while day < self.first:
            day += timedelta(days=max(1, int(rng.expovariate(yearly / YEAR))))
            if day >= self.first:
                break
            age = rng.uniform(0, 17.9)
            born = day - timedelta(days=int(age * YEAR))
            journey = referral_journey(rng, targets, day, born)
            if journey.end is not None and journey.end < self.first:
                continue
            kin = self.kin.family(key, day)
            kids = kin.children_on(day)
            if not kids:
                continue
            child = rng.choice(kids)
            child_born = child.person.date_of_birth
            assert child_born is not None
            journey = referral_journey(rng, targets, day, child_born, highest=journey.highest)
            if journey.end is None or journey.end >= self.first:
                self.statutory(key, child, journey, None, "")

    def month(  # noqa: C901 - one record's life, step by step
        self,
        key: str,
        index: int,
        first: date,
        last: date,
        returns: list[Return],
        fresh: int,
        notifications: int,
        referral_children: float,
    ) -> None:
        rng = self.rng
        made: list[Made] = []
        for r in returns:
            if r.step_up is not None:  # the agreed step-up's contact, as the service makes it
                made.append(
                    self.contact(
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
                    self.contact(key, r.kin, children, r.day, pick(rng, SOURCE_WEIGHTS), r.kind)
                )
        for n in range(fresh):
            day = self.day_in(first, last)
            kin = self.known_again(key, day) or self.kin.family(key, day)
            kids = kin.children_on(day)
            children = kids[:3] if rng.random() < 0.35 else [rng.choice(kids)]
            if n < notifications:
                made.append(self.notification(key, kin, children, day))
            else:
                made.append(self.contact(key, kin, children, day, pick(rng, SOURCE_WEIGHTS), "new"))
        decided = [m for m in made if m.decided_on is not None]
        # Outcomes: step-ups are referrals; those coming back are referred as often as
        # chance has it; new families take up the rest of the month's referrals, the most
        # serious first.
        quota = referral_children
        for m in decided:
            if m.kind == "step_up":
                m.outcome = Outcome.SOCIAL_CARE_ASSESSMENT
            elif m.kind not in ("new", "notification"):
                chance = (
                    REFERRED_IF_BACK_AFTER_REFERRAL
                    if m.kind == "after_referral"
                    else REFERRED_IF_BACK
                )
                if rng.random() < chance:
                    m.outcome = Outcome.SOCIAL_CARE_ASSESSMENT
            if m.outcome:
                quota -= len(m.children)
        newcomers = sorted((m for m in decided if not m.outcome), key=lambda m: -m.severity)
        for m in newcomers:
            if quota >= len(m.children) / 2:
                m.outcome = Outcome.SOCIAL_CARE_ASSESSMENT
                quota -= len(m.children)
            else:
                m.outcome = pick(rng, OTHER_OUTCOMES)
        for m in decided:
            if m.outcome == Outcome.SOCIAL_CARE_ASSESSMENT and (
                m.severity > 1.2 or rng.random() < 0.15
            ):
                m.outcome = Outcome.STRATEGY_DISCUSSION
            self.decide(key, m)
        self.made += made
        for m in decided:
            self.consequences(key, index, m)

    def known_again(self, key: str, day: date) -> Kin | None:
        """Now and then a family the front door last heard of over a year ago."""
        free = self.free[key]
        if not free or self.rng.random() >= 0.35:
            return None
        for _ in range(3):
            n = self.rng.randrange(len(free))
            since, kin = free[n]
            if since < day and kin.children_on(day):
                free[n] = free[-1]
                free.pop()
                return kin
        return None

    # --- contacts ----------------------------------------------------------------------

    def contact(  # noqa: C901 - one record's life, step by step
        self,
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
        rng, world = self.rng, self.world
        staff = self.team_staff(key)
        worker = rng.choice(staff["front_door"])
        if received is None:
            hour = (
                rng.randint(8, 16)
                if is_working_day(day) and rng.random() > 0.1
                else rng.choice((7, 18, 20, 22))
            )
            received = self.at(day, hour, rng.randint(0, 59))
        received = min(received, self.cutoff - timedelta(minutes=rng.randint(5, 120)))
        name, role, organisation, organisation_name = self.referrer(key, source)
        if step_up is not None:
            name, role = str(step_up.requested_by), "Lead professional"
            organisation = step_up.requested_by.organisation
            organisation_name = organisation.name if organisation else ""
        contact = Contact(
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
        severity = (
            rng.random() + (0.15 if source == "6" else 0.0) + (0.3 if kind == "step_up" else 0)
        )
        if how is not None:  # from joint triage
            contact.family_agreement = FamilyAgreement.NOT_SOUGHT
            contact.lawful_basis = LawfulBasis.PUBLIC_TASK
            contact.not_agreed_reason = NotSoughtReason.SIGNIFICANT_HARM
            contact.sharing_justification = (
                "Police notification of domestic abuse with children in the household, shared "
                "for joint triage to safeguard the children."
            )
        elif rng.random() < 0.84 and source not in ("1B", "1D", "9"):
            contact.family_agreement = FamilyAgreement.AGREED
            contact.agreement_obtained_by = name
            contact.agreement_obtained_on = day - timedelta(days=rng.choice((0, 0, 1)))
        else:
            contact.family_agreement = (
                FamilyAgreement.DECLINED if rng.random() < 0.3 else FamilyAgreement.NOT_SOUGHT
            )
            contact.lawful_basis = LawfulBasis.PUBLIC_TASK
            contact.not_agreed_reason = (
                NotSoughtReason.OTHER
                if source in ("1B", "1D", "9")
                else NotSoughtReason.SIGNIFICANT_HARM
            )
            contact.sharing_justification = (
                "The concerns are serious enough that the front door needs to know; the "
                "family will be told the referral was made and why."
            )
        # The timeline: draft, submitted, screening, perhaps waiting, decided, closed.
        events: list[tuple[str, datetime, User]] = []
        if submitted is None:
            events.append((ContactStatus.DRAFT, received, worker))
            submitted = received + timedelta(minutes=0 if step_up else rng.randint(2, 25))
            events.append((ContactStatus.SUBMITTED, submitted, worker))
            screened = self.office(submitted, 5, 150)
        else:
            events.append((ContactStatus.SUBMITTED, submitted, contact.created_by))
            screened = submitted
        contact.submitted_at = submitted
        decided_at = None
        if screened <= self.cutoff:
            events.append((ContactStatus.IN_SCREENING, screened, worker))
            last_at = screened
            waiting = rng.random() < 0.12
            if waiting:
                last_at = self.office(screened, 20, 180)
                if last_at <= self.cutoff:
                    events.append((ContactStatus.AWAITING_INFORMATION, last_at, worker))
            due = decision_due_date(timezone.localtime(received).date())
            if rng.random() < 0.08:
                late = add_working_days(due, rng.randint(1, 3))
                decided_at = self.at(late, rng.randint(9, 16), rng.randint(0, 59))
            else:
                decided_at = self.office(last_at, 15, 240)
                if timezone.localtime(decided_at).date() > due:
                    decided_at = self.at(due, 16, rng.randint(0, 50))
            decided_at = max(decided_at, last_at + timedelta(minutes=5))
            if decided_at > self.cutoff or (waiting and last_at > self.cutoff):
                decided_at = None
        contact.created_at = events[0][1]
        if step_up is not None:
            step_up.contact = contact
        m = Made(contact, kin, children, kind, severity)
        m.decided_on = timezone.localtime(decided_at).date() if decided_at else None
        contact.decided_at = decided_at
        self._events[id(contact)] = (events, worker)
        for child in children:
            self.add(ContactChild(contact=contact, person=child.person))
        if kin.carers:
            carer = kin.carers[0]
            self.add(
                ContactAdult(
                    contact=contact,
                    person=carer.person,
                    relationship=carer.role.replace("_", " ").capitalize(),
                )
            )
        return m

    def decide(self, key: str, m: Made) -> None:
        """The decision, at a level the outcome fits, with one indicator at that level."""
        rng, contact = self.rng, m.contact
        events, worker = self._events.pop(id(contact))
        level = OUTCOME_LEVEL.get(m.outcome) or (1 if rng.random() < 0.5 else 2)
        m.level = level
        indicator = rng.choice(self.indicators[level])
        suggestion = self.suggestions[indicator.pk]
        decided_at = contact.decided_at
        assert decided_at is not None
        decision = ContactDecision(
            contact=contact,
            level=level,
            suggested_level=suggestion.level,
            suggestion_reasons="\n".join(suggestion.reasons),
            outcome=m.outcome,
            rationale=RATIONALE[m.outcome],
            decided_by=worker,
            decided_at=decided_at,
        )
        if m.outcome == Outcome.SOCIAL_CARE_ASSESSMENT:
            decision.assessment_due_date = assessment_due_date(
                timezone.localtime(decided_at).date()
            )
        self.add(decision)
        self.add(ContactDecision.indicators.through(contactdecision=decision, indicator=indicator))
        events.append((ContactStatus.DECIDED, decided_at, worker))
        closed = self.office(decided_at, 60 * 6, 60 * 24 * 8)
        if closed <= self.cutoff:
            events.append((ContactStatus.CLOSED, closed, worker))
        self._finish(contact, events)
        m.decision = decision

    def _finish(self, contact: Contact, events: list[tuple[str, datetime, User]]) -> None:
        previous = "" if events[0][0] == ContactStatus.DRAFT else ContactStatus.DRAFT
        for status, at, by in events:
            self.add(
                ContactStatusChange(
                    contact=contact,
                    from_status=previous,
                    to_status=status,
                    changed_by=by,
                    changed_at=at,
                )
            )
            previous = status
        contact.status = events[-1][0]
        contact.version = len(events) if events[0][0] == ContactStatus.DRAFT else len(events) - 1
        self.add(contact)

    def finish_open(self) -> None:
        """Contacts still open at the as-of date: their status changes so far."""
        for m in self.made:
            if m.decided_on is None and id(m.contact) in self._events:
                events, _ = self._events.pop(id(m.contact))
                self._finish(m.contact, events)

    # --- police notifications and joint triage -----------------------------------------

    def police_chair(self, key: str) -> User:
        return self.rng.choice(
            self.team_staff(key)["managers"] + self.team_staff(key)["front_door"]
        )

    def notification(self, key: str, kin: Kin, children: list[DemoPerson], day: date) -> Made:
        rng, world = self.rng, self.world
        risk = pick(rng, {DashRisk.STANDARD: 50, DashRisk.MEDIUM: 30, DashRisk.HIGH: 20})
        ticks = (
            rng.randint(0, 9) if risk == DashRisk.STANDARD
            else rng.randint(6, 13) if risk == DashRisk.MEDIUM
            else rng.randint(14, 22) if rng.random() < 0.8 else rng.randint(10, 13)
        )  # fmt: skip
        women = [c for c in kin.carers if c.person.sex == "F" and c.person.kind == "adult"]
        men = [c for c in kin.carers if c.person.sex == "M"]
        victim = (women or kin.carers)[0]
        incident = self.at(day, rng.choice((0, 1, 19, 20, 21, 22, 23)), rng.randint(0, 59))
        received = incident + timedelta(hours=rng.randint(3, 14))
        received = min(received, self.cutoff - timedelta(hours=1))
        incident = min(incident, received - timedelta(hours=1))
        # Joint triage each working morning at ten; one in ten waits for the next meeting.
        meeting_day = timezone.localtime(received).date()
        if timezone.localtime(received).hour >= 10 or not is_working_day(meeting_day):
            meeting_day += timedelta(days=1)
        meeting_day = first_working_day_on_or_after(meeting_day)
        if rng.random() < 0.1:
            meeting_day = first_working_day_on_or_after(meeting_day + timedelta(days=1))
        held_at = self.at(meeting_day, 10)
        triaged_at = held_at + timedelta(minutes=rng.randint(10, 90))
        row = DomesticAbuseNotification(
            id=world.new_uuid(),
            council=world.councils[key],
            incident_at=incident,
            received_at=received,
            victim=victim.person,
            alleged_perpetrator=men[0].person if men and men[0] is not victim else None,
            alleged_perpetrator_description=""
            if men and men[0] is not victim
            else "Ex-partner, named to officers",
            dash_risk=risk,
            dash_ticks=ticks,
            repeat_incidents_12_months=rng.choices((0, 1, 2, 3, 4), (45, 25, 15, 10, 5))[0],
            reporting_officer=f"PC {self.faker.last_name()}",
            reporting_officer_number=str(rng.randint(1000, 9999)),
            summary="Domestic-abuse incident with children in the household (synthetic history).",
            status=NotificationStatus.TRIAGED
            if triaged_at <= self.cutoff
            else NotificationStatus.AWAITING_TRIAGE,
            created_by=self.police,
            created_at=received,
            version=2 if triaged_at <= self.cutoff else 1,
        )
        self.add(row)
        for child in children:
            self.add(
                NotificationChild(
                    notification=row, person=child.person, was_present=rng.random() < 0.6
                )
            )
        if triaged_at > self.cutoff:
            return Made(Contact(), kin, children, "untriaged", 0.0)  # no contact yet
        meeting = self.meeting(key, meeting_day, held_at)
        m = self.contact(
            key,
            kin,
            children,
            timezone.localtime(received).date(),
            ReferralSource.POLICE,
            "notification",
            received=received,
            submitted=triaged_at,
            how=HowReceived.DOMESTIC_ABUSE_NOTIFICATION,
            by=meeting.chaired_by,
        )
        m.severity += {DashRisk.STANDARD: 0.0, DashRisk.MEDIUM: 0.3, DashRisk.HIGH: 0.7}[risk]
        referral = risk == DashRisk.HIGH and rng.random() > 0.02
        basis = ""
        if referral:
            basis = (
                MaracBasis.VISIBLE_HIGH_RISK if ticks >= 14 else MaracBasis.PROFESSIONAL_JUDGEMENT
            )
        elif risk != DashRisk.HIGH and row.repeat_incidents_12_months >= 3 and rng.random() < 0.5:
            referral, basis = True, MaracBasis.ESCALATION
        self.add(
            TriageOutcome(
                notification=row,
                meeting=meeting,
                safety_planning="IDVA service to offer support and safety planning; schools told.",
                marac_referral=referral,
                marac_basis=basis,
                no_marac_reason=(
                    "Heard at MARAC recently for the same relationship; the IDVA will update the "
                    "coordinator instead."
                    if risk == DashRisk.HIGH and not referral
                    else ""
                ),
                children_contact=m.contact,
                recorded_by=meeting.chaired_by,
                recorded_at=triaged_at,
            )
        )
        return m

    def meeting(self, key: str, day: date, held_at: datetime) -> TriageMeeting:
        meeting = self.meetings.get((key, day))
        if meeting is None:
            chair = self.police_chair(key)
            meeting = TriageMeeting(
                council=self.world.councils[key],
                held_at=held_at,
                chaired_by=chair,
                created_at=held_at,
            )
            self.meetings[(key, day)] = meeting
            self.add(meeting)
            rng = self.rng
            attendance = [
                (TriageAgency.POLICE, self.world.organisations.get("police"), "DS on duty"),
                (TriageAgency.IDVA, None, "IDVA on duty"),
                (
                    TriageAgency.CHILDRENS_SERVICES,
                    self.world.organisations.get(f"council:{key}"),
                    chair.get_full_name(),
                ),
            ]
            if rng.random() < 0.9:
                attendance.append((TriageAgency.HEALTH, None, "Safeguarding nurse"))
            if rng.random() < 0.8:
                attendance.append((TriageAgency.EDUCATION, None, "Education safeguarding officer"))
            for agency, organisation, name in attendance:
                self.add(
                    TriageAttendance(
                        meeting=meeting, agency=agency, organisation=organisation, name=name
                    )
                )
        return meeting

    # --- what follows a decision ---------------------------------------------------------

    def later(
        self,
        kin: Kin,
        children: list[DemoPerson],
        day: date,
        kind: str,
        step_up: StepUp | None = None,
    ) -> None:
        """The family comes back to the front door on ``day`` (if before the as-of date)."""
        index = (day.year - self.first.year) * 12 + day.month - self.first.month
        if index <= self.current:  # this month is done: early next month instead
            index = self.current + 1
            if index < len(self.months):
                day = self.months[index][0] + timedelta(days=self.rng.randint(0, 6))
        if step_up is not None:
            if day >= self.as_of:  # still waiting for the manager at the as-of date
                step_up.decision, step_up.decided_by, step_up.decided_at = (
                    StepUpDecision.PENDING,
                    None,
                    None,
                )
                return
            step_up.decided_at = self.at(day, 16, self.rng.randint(0, 50))
        if day >= self.as_of or day < self.first:
            return
        self.seq += 1
        self.pending[index].append(Return(day, self.seq, kin, children, kind, step_up))

    def maybe_back(
        self, kin: Kin, children: list[DemoPerson], after: date, chance: float, kind: str
    ) -> None:
        """Back within 12 months with ``chance``; a few more later."""
        rng = self.rng
        roll = rng.random()
        if roll < chance:
            self.later(kin, children, after + timedelta(days=rng.randint(21, 360)), kind)
        elif roll < chance + 0.08:
            self.later(kin, children, after + timedelta(days=rng.randint(370, 900)), kind)
        else:  # the front door may hear of them again, as new, over a year later
            self.free[kin.key].append((after + timedelta(days=400), kin))

    def consequences(self, key: str, index: int, m: Made) -> None:
        assert m.decided_on is not None
        if m.outcome in REFERRAL_OUTCOMES:
            ends: list[date | None] = []
            for child in m.children:
                born = child.person.date_of_birth
                assert born is not None
                journey = referral_journey(self.rng, self.targets, m.decided_on, born)
                self.statutory(key, child, journey, m.contact, m.contact.referral_source)
                ends.append(journey.end)
                if journey.step_down and journey.end is not None and child is m.children[0]:
                    self.episode(key, m.kin, m.children, journey.end, EpisodeOrigin.STEP_DOWN)
            if all(e is not None for e in ends):
                end = max(e for e in ends if e is not None)
                short = (end - m.decided_on).days < 92
                chance = BACK_AFTER_SHORT_REFERRAL if short else BACK_AFTER_LONG_REFERRAL
                self.maybe_back(m.kin, m.children, end, chance, "after_referral")
        elif m.outcome in EARLY_HELP:
            start = m.decided_on + timedelta(days=self.rng.randint(0, 3))
            self.episode(key, m.kin, m.children, start, EpisodeOrigin.FRONT_DOOR, m)
        else:
            self.maybe_back(m.kin, m.children, m.decided_on, BACK_AFTER_NFA, "after_nfa")

    def statutory(
        self, key: str, child: DemoPerson, journey: Journey, contact: Contact | None, source: str
    ) -> None:
        world = self.world
        open_end = journey.end if journey.end is not None and journey.end < self.as_of else None
        referral = StatutoryInvolvement(
            id=world.new_uuid(),
            person=child.person,
            council=world.councils[key],
            kind="referral",
            start_date=journey.start,
            end_date=open_end,
            referral_source=source or pick(self.rng, SOURCE_WEIGHTS),
            contact=contact,
            closure_reason=journey.closure_reason if open_end else "",
            source=RecordSource.CENSUS,
            created_at=self.at(journey.start, 12),
        )
        self.add(referral)
        for part in journey.parts:
            if part.start >= self.as_of:
                continue
            end = part.end if part.end is not None and part.end < self.as_of else None
            self.add(
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
                    source=RecordSource.CENSUS,
                    created_at=self.at(part.start, 12),
                ),
                after=StatutoryInvolvement,
            )
        self.referrals.append((key, child, journey, contact))

    # --- early help --------------------------------------------------------------------

    def panel(self, key: str, kin: Kin, after: date) -> AllocationPanel:
        """The locality's weekly panel (Tuesdays) on or after ``after``."""
        day = after + timedelta(days=(1 - after.weekday()) % 7)
        day = first_working_day_on_or_after(day)
        panel = self.panels.get((kin.locality.pk, day))
        if panel is None:
            staff = self.team_staff(key)
            panel = AllocationPanel(
                council=self.world.councils[key],
                locality=kin.locality,
                held_on=day,
                chaired_by=staff["managers"][0],
                created_at=self.at(day, 14),
            )
            self.panels[(kin.locality.pk, day)] = panel
            self.add(panel)
            present = [
                self.world.organisations.get(f"council:{key}"),
                self.world.organisations.get("health-visiting"),
            ]
            local = self.world.local.get(key, {})
            present += local.get("secondary", [])[:1] + local.get("voluntary", [])[:1]
            for organisation in present:
                if organisation is not None:
                    self.add(
                        AllocationPanel.agencies_present.through(
                            allocationpanel=panel, organisation=organisation
                        )
                    )
        return panel

    def episode(  # noqa: C901 - one record's life, step by step
        self,
        key: str,
        kin: Kin,
        children: list[DemoPerson],
        start: date,
        origin: str,
        m: Made | None = None,
    ) -> None:
        """One episode's whole life, as far as the as-of date."""
        rng, world, as_of = self.rng, self.world, self.as_of
        if start >= as_of:
            return
        children = [c for c in children if c in kin.children_on(start)]
        if not children:
            return
        staff = self.team_staff(key)
        level = (
            3
            if (m and m.outcome == Outcome.EARLY_HELP_MULTI) or (not m and rng.random() < 0.5)
            else 2
        )
        agency = (
            pick(rng, LEAD_AGENCIES)
            if origin != EpisodeOrigin.PARTNER
            else rng.choice(("school", "health", "voluntary"))
        )
        lead = rng.choice(staff[agency])
        localities = world.localities[key]
        number = [x.pk for x in localities].index(kin.locality.pk) + 1
        episode = Episode(
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
        for child in children:
            self.add(Episode.children.through(episode=episode, person=child.person))
        status = EpisodeStatus.AWAITING_ALLOCATION
        closed: date | None = None
        reason = ""

        def done(day: date) -> bool:
            return day < as_of

        # Allocation: a partner's own episode at once; otherwise at the locality panel,
        # most within the ten working days' target.
        if origin == EpisodeOrigin.PARTNER:
            allocated_on = start
        else:
            allocated_on = self.panel(key, kin, start + timedelta(days=1)).held_on
            if rng.random() < 0.15:
                allocated_on = self.panel(
                    key, kin, allocated_on + timedelta(days=rng.choice((7, 14)))
                ).held_on
        if done(allocated_on):
            status = EpisodeStatus.ALLOCATED
            episode.panel = (
                None if origin == EpisodeOrigin.PARTNER else self.panel(key, kin, allocated_on)
            )
            episode.lead_professional = lead
            episode.lead_professional_organisation = lead.organisation
            episode.allocation_reason = f"{AGENCY_KIND[agency].label} best placed to lead."
            episode.allocated_at = self.at(
                allocated_on, 15 if origin != EpisodeOrigin.PARTNER else 10
            )
        plan_day: date | None = None
        needs: list[Need] = []
        need_areas: dict[int, list[SupportingFamiliesOutcome]] = {}
        if status == EpisodeStatus.ALLOCATED and done(
            started := allocated_on + timedelta(days=rng.randint(0, 4))
        ):
            status = EpisodeStatus.ASSESSMENT
            due = add_working_days(allocated_on, 20)
            finish = (
                due - timedelta(days=rng.randint(0, 12))
                if rng.random() < 0.8
                else add_working_days(due, rng.randint(1, 15))
            )
            finish = max(finish, started)
            assessment = Assessment(episode=episode, started_on=started, due_date=due)
            self.add(assessment)
            if done(finish):
                assessment.completed_on = finish
                assessment.completed_by = lead
                assessment.family_view = "The family's view, in their words (synthetic history)."
                assessment.summary = "Strengths and needs across the family."
                for child in children:
                    age = child.age_on(finish) or 0
                    heard = age >= 3 and rng.random() < 0.85
                    self.add(
                        ChildVoice(
                            assessment=assessment,
                            child=child.person,
                            what_the_child_said="What the child said (synthetic)." if heard else "",
                            how_gathered="Talked with the child at home." if heard else "",
                            not_gathered_reason=""
                            if heard
                            else "Too young, or did not want to talk yet.",
                            what_was_observed="" if heard else "Observed at home with the family.",
                        )
                    )
                for number in range(1, rng.choice((1, 2, 2, 3)) + 1):
                    need = Need(
                        episode=episode,
                        person=rng.choice(children).person,
                        domain=rng.choice(self.domains),
                        description=f"Need {number} identified at assessment.",
                    )
                    self.add(need)
                    need_areas[id(need)] = rng.sample(self.areas, rng.choice((1, 1, 2)))
                    for area in need_areas[id(need)]:
                        self.add(
                            Need.outcome_areas.through(need=need, supportingfamiliesoutcome=area)
                        )
                    self.add(
                        NeedScore(
                            need=need,
                            stage=ScoreStage.ASSESSMENT,
                            score=rng.randint(2, 5),
                            recorded_on=finish,
                        )
                    )
                    needs.append(need)
                plan_day = finish + timedelta(days=rng.randint(0, 3))
        reviews: list[date] = []
        outcomes: list[PlanOutcome] = []
        actions: list[PlanAction] = []
        if plan_day is not None and done(plan_day):
            status = EpisodeStatus.PLAN
            plan = Plan(
                episode=episode, created_on=plan_day, next_review_due=plan_day + timedelta(weeks=6)
            )
            self.add(plan)
            for need in needs:
                outcome = PlanOutcome(plan=plan, need=need, description="What will be different.")
                self.add(outcome)
                outcomes.append(outcome)
                owners = rng.sample(("council", "family", "school", "health"), rng.choice((1, 2)))
                for k, owner in enumerate(owners):
                    actions.append(
                        self.add(
                            PlanAction(
                                outcome=outcome,
                                description=f"Action {k + 1} ({owner}) towards: {need.description}",
                                owner_name=lead.get_full_name()
                                if owner == "council"
                                else owner.capitalize(),
                                owner_agency=AgencyKind.FAMILY
                                if owner == "family"
                                else AGENCY_KIND[owner],
                                due_date=plan_day + timedelta(days=rng.randint(14, 90)),
                            )
                        )
                    )
            # The life ahead: reviews every six weeks (most on time) until closure.
            reason = pick(rng, CLOSURE_WEIGHTS)
            count = {
                ClosureReason.NEEDS_MET: rng.randint(2, 5),
                ClosureReason.DECLINED: rng.randint(0, 2),
            }.get(reason, rng.randint(1, 3))
            day = plan_day
            for _ in range(count):
                day = (
                    day
                    + timedelta(weeks=6)
                    + timedelta(days=0 if rng.random() < 0.8 else rng.randint(3, 20))
                )
                reviews.append(day)
            closing = (reviews[-1] if reviews else plan_day) + timedelta(days=rng.randint(7, 40))
            score = {n.pk: 4 for n in needs}
            for held in reviews:
                if not done(held):
                    break
                status = EpisodeStatus.REVIEW
                review = Review(
                    episode=episode,
                    held_on=held,
                    summary="Progress reviewed with the family.",
                    recorded_by=lead,
                )
                self.add(review)
                for need in needs:
                    score[need.pk] = min(10, max(1, score[need.pk] + rng.choice((-1, 0, 1, 1, 2))))
                    self.add(
                        NeedScore(
                            need=need,
                            stage=ScoreStage.REVIEW,
                            review=review,
                            score=score[need.pk],
                            recorded_on=held,
                        )
                    )
                if level == 3:
                    self.taf_meeting(episode, kin, lead, held)
            if level == 3:
                self.taf(key, episode, lead, plan_day, closing if done(closing) else None)
                self.taf_meeting(episode, kin, lead, plan_day)
            if reason == ClosureReason.STEPPED_UP and done(closing):
                up = self.add(
                    StepUp(
                        episode=episode,
                        reason="Concerns have grown despite the plan.",
                        requested_on=closing,
                        requested_by=lead,
                        family_agreement=FamilyAgreement.AGREED,
                        decision=StepUpDecision.AGREED,
                        decided_by=staff["managers"][0],
                        decided_at=self.at(closing, 16),
                    )
                )
                self.later(kin, children, closing + timedelta(days=1), "step_up", up)
            if done(closing):
                closed = closing
                status = EpisodeStatus.CLOSED
                closure = self.add(
                    Closure(
                        episode=episode,
                        closed_on=closing,
                        reason=reason,
                        summary="Closed (synthetic history).",
                        closed_by=lead,
                        open_actions_resolution="Open actions passed to universal services.",
                    )
                )
                improved: list[SupportingFamiliesOutcome] = []
                for need in needs:
                    result = pick(rng, NEED_OUTCOMES[reason])
                    self.add(NeedClosureOutcome(closure=closure, need=need, outcome=result))
                    final = score[need.pk] + (
                        2
                        if result == NeedOutcome.ACHIEVED
                        else 1
                        if result == NeedOutcome.PARTLY
                        else -1
                    )
                    self.add(
                        NeedScore(
                            need=need,
                            stage=ScoreStage.CLOSURE,
                            score=min(10, max(1, final)),
                            recorded_on=closing,
                        )
                    )
                    if result != NeedOutcome.NOT_ACHIEVED:
                        improved += need_areas[id(need)]
                seen = []
                for area in improved:
                    if area.pk in seen:
                        continue
                    seen.append(area.pk)
                    follow = add_months(closing, 6)
                    check = SustainedOutcomeCheck(
                        closure=closure, outcome_area=area, follow_up_due=follow
                    )
                    checked = follow + timedelta(days=rng.randint(0, 25))
                    if done(checked) and rng.random() < 0.85:
                        check.result = pick(
                            rng,
                            {
                                SustainedResult.SUSTAINED: 78
                                if reason == ClosureReason.NEEDS_MET
                                else 55,
                                SustainedResult.NOT_SUSTAINED: 15,
                                SustainedResult.UNKNOWN: 7,
                            },
                        )
                        check.checked_on, check.checked_by = checked, lead
                    self.add(check)
            for action in actions:
                if closed is not None:
                    if action.due_date <= closed and rng.random() < 0.8:
                        action.status, action.completed_on = (
                            ActionStatus.DONE,
                            min(action.due_date, closed),
                        )
                    else:
                        action.status = ActionStatus.CARRIED_FORWARD
                elif done(action.due_date) and rng.random() < 0.7:
                    action.status, action.completed_on = ActionStatus.DONE, action.due_date
            # What the family does next: the effect of early help is here.
            effect = self.targets.early_help_effect
            if closed is not None:
                if reason == ClosureReason.NEEDS_MET:
                    self.maybe_back(
                        kin, children, closed, BACK_AFTER_NFA * (1 - effect), "after_eh_met"
                    )
                elif reason in (ClosureReason.DECLINED, ClosureReason.OTHER):
                    self.maybe_back(kin, children, closed, BACK_AFTER_DISENGAGED, "after_eh_other")
                elif reason == ClosureReason.STEPPED_DOWN:
                    self.maybe_back(kin, children, closed, BACK_AFTER_STEP_DOWN, "after_eh_other")
        episode.status = status
        episode.end_date = closed
        self.add(episode)
        if closed is None and episode.lead_professional is not None:
            for child in children:
                self.add(
                    Involvement(
                        user=lead,
                        person=child.person,
                        reason=InvolvementReason.LEAD_PROFESSIONAL,
                        source=f"early_help.episode:{episode.pk}",
                        starts_at=episode.allocated_at or self.at(start, 9),
                    )
                )
        self.episodes.append((key, episode, reason, closed))

    def taf(self, key: str, episode: Episode, lead: User, joined: date, left: date | None) -> None:
        staff = self.team_staff(key)
        for kind in self.rng.sample(("school", "health", "voluntary"), 2):
            user = self.rng.choice(staff[kind])
            if user is lead or user.organisation is None:
                continue
            self.add(
                TafMember(
                    episode=episode,
                    user=user,
                    organisation=user.organisation,
                    role_in_taf=kind.capitalize(),
                    joined_on=joined,
                    left_on=left,
                )
            )

    def taf_meeting(self, episode: Episode, kin: Kin, lead: User, held: date) -> None:
        meeting = self.add(
            TafMeeting(
                episode=episode, held_on=held, decisions="Agreed the next steps.", recorded_by=lead
            )
        )
        self.add(
            TafAttendee(
                meeting=meeting,
                name=lead.get_full_name(),
                user=lead,
                organisation=lead.organisation,
                agency=AgencyKind.COUNCIL,
            )
        )
        if kin.carers:
            carer = kin.carers[0]
            self.add(
                TafAttendee(
                    meeting=meeting,
                    name=carer.person.given_name,
                    person=carer.person,
                    agency=AgencyKind.FAMILY,
                )
            )
        for agency in (AgencyKind.SCHOOL, AgencyKind.HEALTH):
            self.add(
                TafAttendee(
                    meeting=meeting,
                    name=f"{agency.label} representative",
                    agency=agency,
                    attended=self.rng.random() < 0.8,
                )
            )

    # --- partners' own episodes --------------------------------------------------------

    def partner_episodes(self, key: str, per_year: float) -> None:
        for first, last in self.months:
            share = ((last - first).days + 1) / YEAR
            for _ in range(round(per_year * share + self.rng.random() - 0.5)):
                day = self.day_in(first, last)
                kin = self.kin.family(key, day)
                self.episode(key, kin, kin.children_on(day), day, EpisodeOrigin.PARTNER)

    # --- writing -----------------------------------------------------------------------

    def add(self, obj: Any, *, after: type[Model] | None = None) -> Any:
        """Queue a row; ``after`` puts a statutory part after the referrals."""
        self.rows[_Parts if after is not None else type(obj)].append(obj)
        return obj

    def repeats(self) -> None:
        """``is_repeat`` as the services work it out: a child on the contact had a submitted
        contact received in the 12 months before (the history's children are its own)."""
        window = timedelta(days=REPEAT_WINDOW_DAYS)
        seen: dict[object, list[datetime]] = defaultdict(list)
        contacts = sorted(
            (m for m in self.made if m.kind != "untriaged"), key=lambda m: m.contact.received_at
        )
        for m in contacts:
            at = m.contact.received_at
            pks = [c.person.pk for c in m.children]
            m.contact.is_repeat = any(
                (times := seen[pk]) and at - window <= times[-1] < at for pk in pks
            )
            for pk in pks:
                seen[pk].append(at)
            self.world.history_ids.add(m.contact.pk)
        for _, episode, _, _ in self.episodes:
            self.world.history_ids.add(episode.pk)

    def save(self) -> None:
        self.finish_open()
        self.repeats()
        self.kin.save()
        order: list[Any] = [
            Contact,
            ContactChild,
            ContactAdult,
            ContactStatusChange,
            ContactDecision,
            ContactDecision.indicators.through,
            DomesticAbuseNotification,
            NotificationChild,
            TriageMeeting,
            TriageAttendance,
            TriageOutcome,
            AllocationPanel,
            AllocationPanel.agencies_present.through,
            Episode,
            Episode.children.through,
            Assessment,
            ChildVoice,
            Need,
            Need.outcome_areas.through,
            Plan,
            PlanOutcome,
            PlanAction,
            Review,
            NeedScore,
            TafMember,
            TafMeeting,
            TafAttendee,
            StepUp,
            Closure,
            NeedClosureOutcome,
            SustainedOutcomeCheck,
            Involvement,
            StatutoryInvolvement,
            _Parts,
        ]
        size = self.world.preset.batch_size
        for model in order:
            objs = self.rows.pop(model, [])
            if not objs:
                continue
            target = StatutoryInvolvement if model is _Parts else model
            with explicit_times(target):
                insert(target, objs, batch_size=size)
        if self.rows:
            raise ValueError(f"Rows left unwritten: {', '.join(m.__name__ for m in self.rows)}")


class _Parts(Model):
    """A marker: statutory parts are written after the referrals they belong to."""

    class Meta:
        abstract = True
