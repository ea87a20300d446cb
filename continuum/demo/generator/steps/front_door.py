"""The front door: a month of contacts and police domestic-abuse notifications for each
council, with joint triage, and earlier contacts going back 20 months.

Every record is one the front door's services would have written, with the times it
happened (counted back from the as-of date) rather than the clock:

- consent is complete on every submitted contact (agreed, or a lawful basis, a reason and
  a justification); a few drafts are still without it;
- each decision's indicators come from the current threshold framework, its suggested
  level is worked out by ``thresholds.rules.suggest_level`` and a level that differs from
  the suggestion says why; the outcome fits the level (``OUTCOME_LEVELS``); no further
  action on a contact with a level 3 or 4 indicator is signed off by a team manager;
- each transition has its status-change row; ``is_repeat`` is true exactly when a child
  had a submitted contact in the 12 months before; the referrer's involvement, the
  children's chronology, the triage outcome's contact and the MARAC rule follow the
  services.

Sources come in DfE Children in Need census proportions (police and schools the largest);
about a fifth of decisions are no further action. Most contacts are decided within one
working day; some are decided late, and a few are still open past their due date.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from continuum.access.models import Involvement, InvolvementReason
from continuum.accounts.models import Role, User
from continuum.demo.generator.historic import Rows, Version, chronology, involve
from continuum.demo.generator.places import POST_TOWNS
from continuum.demo.generator.registry import step
from continuum.demo.generator.steps.users import _account
from continuum.demo.generator.world import DemoContact, DemoPerson, World
from continuum.front_door.choices import (
    OUTCOME_LEVELS,
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
    SharingDecision,
    TriageAttendance,
    TriageMeeting,
    TriageOutcome,
)
from continuum.front_door.services import (
    HIGH_RISK_TICKS,
    REFERRER_INVOLVEMENT_AFTER_DECISION,
    REPEAT_WINDOW_DAYS,
)
from continuum.organisations.models import Organisation
from continuum.people.choices import ChronologyCategory, PersonKind
from continuum.people.models import ChronologyEvent, Household
from continuum.thresholds.models import Indicator
from continuum.thresholds.rules import IndicatorFacts, Suggestion, suggest_level
from continuum.thresholds.selectors import current_version
from continuum.timescales.working_days import (
    add_working_days,
    assessment_due_date,
    decision_due_date,
    first_working_day_on_or_after,
    is_working_day,
    triage_due_date,
)

# DfE Children in Need census referral sources, in roughly national proportions: police
# and schools the largest, then health, local authority services and individuals.
SOURCE_WEIGHTS: dict[str, float] = {
    "6": 28, "2A": 20, "2B": 2,
    "3A": 3, "3B": 4, "3C": 2, "3D": 1, "3E": 3, "3F": 2,
    "1A": 5, "1B": 1, "1C": 1, "1D": 1,
    "5A": 3, "5B": 4, "5C": 1, "5D": 4,
    "4": 2, "7": 2, "8": 6, "9": 1,
}  # fmt: skip
SOURCE_GROUPS: dict[str, str] = {
    "6": "police", "2A": "schools", "2B": "education services", "4": "housing",
    "7": "legal agencies", "8": "voluntary and other", "9": "anonymous", "10": "unknown",
    **{code: "health" for code in ("3A", "3B", "3C", "3D", "3E", "3F")},
    **{code: "individuals" for code in ("1A", "1B", "1C", "1D")},
    **{code: "local authority services" for code in ("5A", "5B", "5C", "5D")},
}  # fmt: skip
# About a fifth end in no further action; the rest across the levels.
OUTCOME_WEIGHTS: dict[str, float] = {
    Outcome.NO_FURTHER_ACTION: 21,
    Outcome.INFORMATION_AND_ADVICE: 13,
    Outcome.SIGNPOSTING: 11,
    Outcome.EARLY_HELP_SINGLE: 17,
    Outcome.EARLY_HELP_MULTI: 15,
    Outcome.SOCIAL_CARE_ASSESSMENT: 16,
    Outcome.STRATEGY_DISCUSSION: 7,
}
SEVERITY = list(OUTCOME_WEIGHTS)  # least to most serious
EARLY_HELP_OUTCOMES = (Outcome.EARLY_HELP_SINGLE, Outcome.EARLY_HELP_MULTI)
# How much more serious contacts from a source tend to be (added to a random draw).
SOURCE_SEVERITY = {"6": 0.15, "3E": 0.25, "1C": 0.1, "7": 0.1, "9": -0.1, "5D": 0.2}
DASH_WEIGHTS: dict[str, float] = {DashRisk.STANDARD: 50, DashRisk.MEDIUM: 30, DashRisk.HIGH: 20}
DASH_SEVERITY: dict[str, float] = {
    DashRisk.STANDARD: 0.0,
    DashRisk.MEDIUM: 0.3,
    DashRisk.HIGH: 0.7,
}

MONTH_DAYS = 30
EARLIER_DAYS = (MONTH_DAYS + 1, 620)
OFFICE_OPENS, OFFICE_CLOSES = time(8, 30), time(17, 30)
SOURCE_PREFIX = "front_door.contact:"

# Threshold indicators a referrer from each kind of source tends to describe.
PREFERRED_INDICATORS: dict[str, tuple[str, ...]] = {
    "schools": ("DEV-1-02", "DEV-2-01", "DEV-2-03", "DEV-2-04", "DEV-3-01", "DEV-3-02",
                "DEV-4-01", "PAR-2-04", "FAM-2-05", "FAM-3-03"),
    "health": ("DEV-1-01", "DEV-2-02", "DEV-2-05", "PAR-2-02", "PAR-2-03", "PAR-3-01",
               "PAR-3-03", "DEV-3-03", "DEV-4-02", "DEV-4-04"),
    "police": ("FAM-1-02", "FAM-2-04", "FAM-3-01", "FAM-3-04", "DEV-3-04", "FAM-4-01",
               "FAM-4-02", "DEV-4-03", "PAR-4-02", "PAR-4-03"),
    "individuals": ("PAR-1-02", "PAR-2-01", "FAM-2-04", "DEV-2-04", "PAR-3-02", "PAR-3-04",
                    "PAR-4-01"),
    "local authority services": ("FAM-2-01", "FAM-2-02", "FAM-3-02", "PAR-3-01", "PAR-2-02",
                                 "FAM-4-03"),
    "housing": ("FAM-1-01", "FAM-2-01", "FAM-2-02", "FAM-3-02", "FAM-4-03"),
    "domestic abuse": ("FAM-1-02", "FAM-2-04", "FAM-3-01", "FAM-4-01"),
}  # fmt: skip
SCHOOL_AGE_INDICATORS = {"DEV-1-02", "DEV-2-01", "DEV-3-01", "DEV-3-02", "FAM-2-05", "FAM-3-03"}

AWAITING_NOTES = (
    "Waiting for the school to confirm attendance this term and any recent concerns.",
    "Asked the GP practice to share its recent contact with the family.",
    "Asked the police for previous call-outs to the address.",
    "Waiting for the health visitor's notes from the last home visit.",
    "Waiting for the referrer to confirm the family's current address.",
)
CONTEXT_SENTENCES: dict[str, tuple[str, ...]] = {
    "schools": (
        "Staff have noticed a change over the last half term.",
        "The family has been offered support by the school's pastoral team before.",
        "Mum told the class teacher that things have been difficult at home.",
    ),
    "health": (
        "Seen at a routine appointment; the parent was open about how they are coping.",
        "The family missed the last two appointments.",
        "The parent asked for help and agreed to this referral.",
    ),
    "police": (
        "Officers attended the address after a call from a neighbour.",
        "Police were called to the home late at night.",
        "The child was found by officers away from home in the early hours.",
    ),
    "individuals": (
        "The caller is worried and says the family needs more help than they are getting.",
        "The caller says the parents are struggling since a recent separation.",
    ),
    "other": (
        "The worker knows the family well and is worried things are getting worse.",
        "The family has asked for help with money and housing.",
    ),
}
SHARED_WITH = (
    ("the family's GP practice", "Recent health contacts", "To check the children's health needs"),
    ("the school nurse", "The concerns in this referral", "So school nursing can offer support"),
    ("the health visitor", "The outcome of screening", "So the health visitor can follow up"),
)
NOT_SHARED = (
    (
        "The mother's own health history",
        "the school",
        "To explain the family's circumstances",
        "Not needed for the school's part: the relevant concern is already known and the "
        "mother asked that her health is not shared.",
    ),
    (
        "The address the family moved to",
        "the children's father",
        "Contact arrangements",
        "Sharing could put the mother and children at risk; the father is the alleged "
        "perpetrator of domestic abuse.",
    ),
)
INVENTED_COUNCILS = ("Northshire County Council", "Westdale Borough Council")
TRUSTS = {
    "hartlepool": "nhs:north-tees",
    "stockton": "nhs:north-tees",
    "middlesbrough": "nhs:south-tees",
    "redcar": "nhs:south-tees",
}
_PHONE, _EMAIL, _ONLINE = HowReceived.PHONE, HowReceived.EMAIL, HowReceived.ONLINE
HOW_RECEIVED: dict[str, tuple[str, ...]] = {
    "6": (_EMAIL, _EMAIL, HowReceived.API, _PHONE),
    "2A": (_ONLINE, _ONLINE, _PHONE, _EMAIL),
    "2B": (_EMAIL,),
    "3A": (_ONLINE, _PHONE),
    "3B": (_ONLINE, _PHONE),
    "3C": (_ONLINE, _PHONE),
    "3E": (_PHONE,),
    "4": (_EMAIL,),
    "7": (_EMAIL, _EMAIL, _EMAIL, HowReceived.LETTER),
    "8": (_ONLINE, _PHONE),
    **{code: (_PHONE, _PHONE, _PHONE, HowReceived.IN_PERSON) for code in ("1A", "1B", "1C", "1D")},
}
REFERRER_ROLES: dict[str, tuple[str, ...]] = {
    "1A": ("Grandparent", "Aunt", "Uncle"),
    "1B": ("Neighbour",),
    "1C": ("The young person themselves",),
    "1D": ("Member of the public",),
    "2A": ("Designated safeguarding lead", "Deputy safeguarding lead", "Head of year"),
    "2B": ("Education welfare officer",),
    "3A": ("GP",),
    "3B": ("Health visitor",),
    "3C": ("School nurse",),
    "3D": ("Community paediatric nurse",),
    "3E": ("Paediatric liaison nurse, emergency department",),
    "3F": ("Community midwife", "Children and young people's mental health practitioner"),
    "4": ("Tenancy support officer",),
    "5A": ("Social worker (adults)",),
    "5B": ("Housing options officer",),
    "5C": ("Social worker",),
    "5D": ("Family support worker",),
    "6": ("Police constable",),
    "7": ("Case manager",),
    "8": ("Family worker",),
}


def quota(weights: dict[str, float], n: int) -> list[str]:
    """``n`` keys in proportion to ``weights`` (largest remainder), most frequent first."""
    total = sum(weights.values())
    exact = {k: n * w / total for k, w in weights.items()}
    counts = {k: int(v) for k, v in exact.items()}
    rest = sorted(exact, key=lambda k: (counts[k] - exact[k], list(weights).index(k)))
    for k in rest[: n - sum(counts.values())]:
        counts[k] += 1
    return [k for k in sorted(counts, key=lambda k: -counts[k]) for _ in range(counts[k])]


def share_out(total: int, sizes: dict[str, int], minimum: int) -> dict[str, int]:
    """``total`` shared out in proportion to ``sizes``, at least ``minimum`` each."""
    whole = sum(sizes.values()) or 1
    return {k: max(minimum, round(total * size / whole)) for k, size in sizes.items()}


def local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def phone_number(rng: random.Random) -> str:
    """A number from Ofcom's ranges kept for drama (never a real line)."""
    if rng.random() < 0.5:
        return f"01632 960{rng.randint(0, 999):03d}"
    return f"07700 900{rng.randint(0, 999):03d}"


def email_for(name: str, organisation: str) -> str:
    user = ".".join(name.lower().replace("'", "").split()[-2:]) or "referrer"
    domain = "".join(ch for ch in organisation.lower() if ch.isalnum())[:24] or "referrer"
    return f"{user}@{domain}.example.org"


def first_names(people: Sequence[DemoPerson]) -> str:
    names = [p.person.given_name for p in people]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


# --- what is planned before anything is written ------------------------------------------


@dataclass(eq=False)  # compared by identity: each is one record
class Family:
    """A household the front door may hear about: its children and adults."""

    key: str
    household: Household
    children: list[DemoPerson]
    adults: list[DemoPerson]

    def children_on(self, day: date) -> list[DemoPerson]:
        return [
            c
            for c in self.children
            if c.person.date_of_birth is not None
            and c.person.date_of_birth < day
            and (c.age_on(day) or 0) < 18
        ]


@dataclass
class Referrer:
    name: str
    role: str = ""
    organisation: Organisation | None = None
    organisation_name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(eq=False)  # compared by identity: each is one record
class Notification:
    """A police domestic-abuse notification, planned, and what joint triage made of it."""

    family: Family
    victim: DemoPerson
    perpetrator: DemoPerson | None
    perpetrator_description: str
    children: list[tuple[DemoPerson, bool]]
    incident_at: datetime
    received_at: datetime
    risk: str
    ticks: int
    repeats: int
    officer: str
    collar: str
    summary: str
    hold_back: bool = False  # missed by the joint triage meetings: still waiting, overdue
    miss_first: bool = False  # missed at the first meeting, triaged (late) at the next
    no_marac_exception: bool = False  # high risk, no MARAC referral, with the reason
    triaged_at: datetime | None = None
    chair: User | None = None
    contact: Planned | None = None
    row: DomesticAbuseNotification | None = None


@dataclass
class StepUpReferral:
    """An early help step-up a manager agreed: it reaches the front door as a contact
    carrying the family, the reason and the consent the lead professional recorded."""

    requester: User
    manager: User
    reason: str
    family_agreement: str
    sharing_justification: str
    requested_on: date


@dataclass(eq=False)  # compared by identity: each is one record
class Planned:
    """One contact, planned: who it is about, where it came from and how it goes."""

    family: Family
    children: list[DemoPerson]
    received_at: datetime
    source: str
    earlier: bool = False
    partner: User | None = None  # a partner demo sign-in who made it themselves
    notification: Notification | None = None
    step_up: StepUpReferral | None = None
    draft: bool = False
    outcome: str = ""
    severity: float = 0.0
    # Where the contact stays at the as-of date, if not where its timeline takes it.
    stays: str = ""
    awaiting: bool = False
    late_days: int = 0
    sign_off: bool = False  # no further action with a level 3 indicator
    hold_sign_off: bool = False  # ... still waiting for the manager
    is_repeat: bool = False
    created_by: User | None = None
    # Worked out while writing.
    submitted_at: datetime | None = None
    decided_at: datetime | None = None
    events: list[tuple[str, datetime, User, str]] = field(default_factory=list)
    row: Contact | None = None
    decision: ContactDecision | None = None

    @property
    def key(self) -> str:
        return self.family.key

    @property
    def received_on(self) -> date:
        return local(self.received_at).date()

    @property
    def status(self) -> str:
        return self.events[-1][0] if self.events else ContactStatus.DRAFT


# --- planning --------------------------------------------------------------------------------


class FrontDoorPlanner:
    """Decides, for each council, which families the front door hears about, when, from
    whom and with what outcome. Nothing is written here."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.rng = world.rng
        self.faker = world.faker
        self.as_of = world.as_of
        # Everything happened before the as-of date began (it may be today).
        self.cutoff = world.moment(world.as_of, hour=0) - timedelta(minutes=1)
        self.month_start = world.as_of - timedelta(days=MONTH_DAYS)
        self.yesterday = world.as_of - timedelta(days=1)
        self.families = self._families()
        self.workers: dict[str, list[User]] = {}
        self.managers: dict[str, User] = {}
        self.contacts: list[Planned] = []
        self.notifications: list[Notification] = []
        self.meetings: list[tuple[TriageMeeting, list[Notification]]] = []

    def _families(self) -> dict[str, list[Family]]:
        by_household: dict[str, list[DemoPerson]] = {}
        for who in self.world.people:
            by_household.setdefault(str(who.household.pk), []).append(who)
        families: dict[str, list[Family]] = {key: [] for key in self.world.council_keys()}
        for members in by_household.values():
            if any(m.person.is_restricted for m in members):
                continue  # restricted records are left to their access lists
            children = [m for m in members if m.role == "child" and not m.is_unborn]
            adults = [m for m in members if m.person.kind == PersonKind.ADULT]
            if children and adults:
                key = members[0].council_key
                families[key].append(Family(key, members[0].household, children, adults))
        return families

    # --- staff ---------------------------------------------------------------------------

    def staff(self) -> None:
        """Front-door workers and a team manager in each council: Stockton's manager is the
        demo sign-in ``manager.stockton``; the others are named workers who cannot sign in
        (``<council>.manager``), in the front door and early help teams."""
        for key in self.world.council_keys():
            workers = [u for u in self.world.staff[key] if u.role == Role.FRONT_DOOR_WORKER]
            if key == "stockton":
                workers = [self.world.users["frontdoor.stockton"], *workers]
                self.managers[key] = self.world.users["manager.stockton"]
            else:
                teams = [
                    team
                    for name, team in self.world.teams.items()
                    if name.startswith(f"{key}:") and not name.endswith("quality-assurance")
                ]
                female = self.rng.random() < 0.6
                manager = _account(
                    username=f"{key}.manager",
                    role=Role.TEAM_MANAGER,
                    organisation=self.world.organisations[f"council:{key}"],
                    teams=teams,
                    first_name=(
                        self.faker.first_name_female() if female else self.faker.first_name_male()
                    ),
                    last_name=self.faker.last_name(),
                    job_title="Front door and early help team manager",
                    is_demo_account=False,
                )
                self.world.staff[key].append(manager)
                self.managers[key] = manager
            self.workers[key] = workers

    def known_staff(self) -> None:
        """The front-door workers and managers ``staff`` made, for a later step."""
        for key in self.world.council_keys():
            staff = self.world.staff[key]
            self.workers[key] = [u for u in staff if u.role == Role.FRONT_DOOR_WORKER]
            managers = [u for u in staff if u.role == Role.TEAM_MANAGER]
            if key == "stockton":
                self.workers[key].insert(0, self.world.users["frontdoor.stockton"])
                managers = [self.world.users["manager.stockton"]]
            self.managers[key] = managers[0]

    def worker(self, key: str) -> User:
        return self.rng.choice(self.workers[key])

    # --- times ---------------------------------------------------------------------------

    def office_time(self, after: datetime, low: int, high: int) -> datetime:
        """``low`` to ``high`` minutes after ``after``, moved on to office hours."""
        moment = local(after) + timedelta(minutes=self.rng.randint(low, high))
        day = moment.date()
        if is_working_day(day) and OFFICE_OPENS <= moment.time() <= OFFICE_CLOSES:
            return moment
        if not (is_working_day(day) and moment.time() < OFFICE_OPENS):
            day = first_working_day_on_or_after(day + timedelta(days=1))
        return self.world.moment(day, hour=9, minute=self.rng.randint(0, 45))

    def received_moment(self, day: date, *, out_of_hours: float) -> datetime:
        if not is_working_day(day) or self.rng.random() < out_of_hours:
            hour = self.rng.choice((7, 18, 19, 20, 21, 22, 23))
        else:
            hour = self.rng.randint(8, 16)
        moment = self.world.moment(day, hour=hour, minute=self.rng.randint(0, 59))
        return min(moment, self.cutoff - timedelta(minutes=self.rng.randint(5, 120)))

    def day_in(self, first: date, last: date) -> date:
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        weights = [1.0 if is_working_day(d) else 0.3 for d in days]
        return self.rng.choices(days, weights)[0]

    # --- who, when, where from -----------------------------------------------------------

    def plan(self) -> None:
        self.staff()
        sizes = {key: len(families) for key, families in self.families.items()}
        preset = self.world.preset
        month = share_out(preset.contacts_per_month, sizes, 12)
        earlier = share_out(preset.earlier_contacts, sizes, 8)
        notifications = share_out(preset.notifications_per_month, sizes, 3)
        for key in self.world.council_keys():
            families = self.families[key]
            known = self.rng.sample(families, max(1, round(len(families) * 0.35)))
            fresh = [f for f in families if f not in known]
            self.rng.shuffle(fresh)
            self.plan_earlier(known, earlier[key])
            made = self.plan_notifications(key, known, fresh, notifications[key])
            self.plan_triage(key, made)
            triaged = [n.contact for n in made if n.contact is not None]
            self.plan_month(key, known, fresh, month[key], triaged)
        self.contacts.sort(key=lambda p: p.received_at)
        self.plan_marac_exception()
        self.plan_timeliness()
        for p in self.contacts:
            p.created_by = self.creator(p)
            self.timeline(p)
        self.plan_outcomes()
        self.plan_sign_offs()
        self.plan_repeats()

    def creator(self, p: Planned) -> User:
        """Who recorded it: the partner themselves, the chair of the joint triage meeting,
        or a front-door worker taking it by phone, email or from the online form."""
        if p.partner is not None:
            return p.partner
        if p.notification is not None:
            assert p.notification.chair is not None
            return p.notification.chair
        return self.worker(p.key)

    def pick_children(self, family: Family, day: date) -> list[DemoPerson]:
        children = family.children_on(day)
        if len(children) > 1 and self.rng.random() < 0.35:
            return [self.rng.choice(children)]
        return children

    def plan_earlier(self, known: list[Family], count: int) -> None:
        """Earlier contacts, about the families the front door already knows."""
        sources = quota(SOURCE_WEIGHTS, count)
        self.rng.shuffle(sources)
        first, last = (self.as_of - timedelta(days=d) for d in reversed(EARLIER_DAYS))
        for source in sources:
            day = self.day_in(first, last)
            family = self.rng.choice(known)
            children = self.pick_children(family, day)
            if not children or min(a.moved_in for a in family.adults) > day:
                continue
            self.contacts.append(
                Planned(
                    family=family,
                    children=children,
                    received_at=self.received_moment(day, out_of_hours=0.1),
                    source=source,
                    earlier=True,
                )
            )

    def plan_month(
        self,
        key: str,
        known: list[Family],
        fresh: list[Family],
        count: int,
        triaged: list[Planned],
    ) -> None:
        """The month's contacts: mostly about families new to the front door, about a
        fifth about families it heard about in the last year or so."""
        sources = quota(SOURCE_WEIGHTS, count)
        for _ in triaged:  # the contacts from joint triage are police contacts too
            if "6" in sources:
                sources.remove("6")
        planned = self.partner_contacts(key, sources)
        self.rng.shuffle(sources)
        # One or two in the last day or so: received out of hours, not yet screened.
        latest = {n for n in range(min(len(sources), 1 + count // 20))}
        for n, source in enumerate(sources):
            first = self.yesterday if n in latest else self.month_start
            day = self.day_in(first, self.yesterday)
            family = fresh.pop() if fresh and self.rng.random() >= 0.22 else self.rng.choice(known)
            children = self.pick_children(family, day)
            if not children:
                continue
            out_of_hours = 0.35 if source in ("6", "3E", "1A", "9") else 0.05
            planned.append(
                Planned(
                    family=family,
                    children=children,
                    received_at=self.received_moment(day, out_of_hours=out_of_hours),
                    source=source,
                )
            )
        self.contacts += planned + triaged
        self.plan_drafts(key)

    def partner_contacts(self, key: str, sources: list[str]) -> list[Planned]:
        """Contacts the partner demo sign-ins made themselves, so they see the outcomes."""
        users, count = self.world.users, max(3, self.world.preset.partner_caseload // 2)
        wanted: list[tuple[User, str, list[tuple[Family, DemoPerson]]]] = []
        if key == "middlesbrough":
            wanted.append((users["school.middlesbrough"], "2A", self.school_pupils(count)))
        if key == "redcar":
            wanted.append((users["healthvisitor.redcar"], "3B", self.under_fives(key, count)))
        if key == "stockton":
            wanted.append((users["vcs.stockton"], "8", self.any_children(key, count)))
        police = 2 if key == "stockton" else 1
        wanted.append((users["police.cleveland"], "6", self.any_children(key, police, police=True)))
        planned = []
        for user, source, chosen in wanted:
            for n, (family, child) in enumerate(chosen):
                if source in sources:
                    sources.remove(source)
                # Spread over the month: the earlier ones decided, the last one recent.
                first = self.month_start + timedelta(days=n * (MONTH_DAYS - 3) // len(chosen))
                day = self.day_in(first, min(first + timedelta(days=3), self.yesterday))
                planned.append(
                    Planned(
                        family=family,
                        children=[child],
                        received_at=self.received_moment(day, out_of_hours=0.0),
                        source=source,
                        partner=user,
                    )
                )
        return planned

    def school_pupils(self, count: int) -> list[tuple[Family, DemoPerson]]:
        """Pupils the school already refers (the access step's), so it sees no one new."""
        school = self.world.organisations["school:middlesbrough"]
        involved = set(
            Involvement.objects.filter(user=self.world.users["school.middlesbrough"]).values_list(
                "person_id", flat=True
            )
        )
        return [
            (family, child)
            for family in self.families["middlesbrough"]
            for child in family.children_on(self.month_start)
            if child.school == school and child.person.pk in involved
        ][:count]

    def under_fives(self, key: str, count: int) -> list[tuple[Family, DemoPerson]]:
        chosen = [
            (family, child)
            for family in self.families[key]
            for child in family.children_on(self.month_start)
            if (child.age_on(self.as_of) or 0) < 5
        ]
        return self.rng.sample(chosen, min(count, len(chosen)))

    def any_children(
        self, key: str, count: int, *, police: bool = False
    ) -> list[tuple[Family, DemoPerson]]:
        ended: set[object] = set()
        if police:  # the family whose police involvement has ended stays out of sight
            ended = set(
                Involvement.objects.filter(
                    user=self.world.users["police.cleveland"], ends_at__isnull=False
                ).values_list("person__household_members__household", flat=True)
            )
        chosen = [
            (family, child)
            for family in self.families[key]
            if family.household.pk not in ended
            for child in family.children_on(self.month_start)
        ]
        return self.rng.sample(chosen, min(count, len(chosen)))

    def plan_drafts(self, key: str) -> None:
        """A draft or two: a referrer saved a contact but has not submitted it yet."""
        makers: list[tuple[User | None, str, list[tuple[Family, DemoPerson]]]] = [
            (None, "2A", self.any_children(key, 1))
        ]
        if key == "stockton":
            makers.append((self.world.users["vcs.stockton"], "8", self.any_children(key, 1)))
        if key == "middlesbrough":
            makers.append((self.world.users["school.middlesbrough"], "2A", self.school_pupils(1)))
        for user, source, chosen in makers:
            for family, child in chosen:
                day = self.as_of - timedelta(days=self.rng.randint(1, 3))
                self.contacts.append(
                    Planned(
                        family=family,
                        children=[child],
                        received_at=self.received_moment(day, out_of_hours=0.0),
                        source=source,
                        partner=user,
                        draft=True,
                    )
                )

    # --- domestic-abuse notifications and joint triage -----------------------------------

    def plan_notifications(
        self, key: str, known: list[Family], fresh: list[Family], count: int
    ) -> list[Notification]:
        made = []
        risks = quota(DASH_WEIGHTS, count)
        self.rng.shuffle(risks)
        for n, risk in enumerate(risks):
            family = fresh.pop() if fresh and self.rng.random() >= 0.3 else self.rng.choice(known)
            # The last arrives the day before the as-of date, after the last meeting.
            last = n == count - 1
            first_day, last_day = self.month_start, self.as_of - timedelta(days=2)
            day = self.as_of - timedelta(days=1) if last else self.day_in(first_day, last_day)
            children = family.children_on(day)
            if children:
                made.append(self.notification(family, children, day, risk))
        made.sort(key=lambda n: n.received_at)
        if key in ("stockton", "middlesbrough"):
            # One the meetings missed: past its due date and still waiting.
            older = [n for n in made if triage_due_date(local(n.received_at).date()) < last_day]
            if older:
                older[-1].hold_back = True
        for planned in made:
            planned.miss_first = not planned.hold_back and self.rng.random() < 0.1
        self.notifications += made
        return made

    def notification(
        self, family: Family, children: list[DemoPerson], day: date, risk: str
    ) -> Notification:
        rng = self.rng
        women = [a for a in family.adults if a.person.sex == "F"]
        men = [a for a in family.adults if a.person.sex == "M"]
        male_victim = bool(men) and (not women or rng.random() < 0.1)
        victim = rng.choice(men if male_victim else women or family.adults)
        partners = [a for a in (women if male_victim else men) if a is not victim]
        elsewhere = [
            p
            for p in self.world.people
            if p.family == victim.family
            and p.household.pk != family.household.pk
            and p.person.kind == PersonKind.ADULT
            and not p.person.is_restricted
        ]
        perpetrator, description = None, ""
        if partners and rng.random() < 0.8:
            perpetrator = rng.choice(partners)
        elif elsewhere:
            perpetrator = rng.choice(elsewhere)
        else:
            description = rng.choice(
                (
                    "Ex-partner, not known to services; name given to officers",
                    "New partner of a few months; details being confirmed",
                )
            )
        if risk == DashRisk.STANDARD:
            ticks = rng.randint(0, 9)
        elif risk == DashRisk.MEDIUM:
            ticks = rng.randint(6, 13)
        else:  # 14 or more ticks is visible high risk; fewer, professional judgement
            ticks = rng.randint(14, 22) if rng.random() < 0.8 else rng.randint(10, 13)
        incident_at = self.world.moment(
            day, hour=rng.choice((0, 1, 14, 16, 18, 19, 20, 21, 22, 23)), minute=rng.randint(0, 59)
        )
        received_at = min(
            incident_at + timedelta(hours=rng.randint(3, 16), minutes=rng.randint(0, 59)),
            self.cutoff - timedelta(minutes=30),
        )
        incident_at = min(incident_at, received_at - timedelta(hours=1))
        present = [(child, rng.random() < 0.6) for child in children]
        where = "present" if any(p for _, p in present) else "asleep upstairs"
        summary = rng.choice(
            (
                f"An argument that became physical; the children were {where}.",
                f"Threats and damage to property reported; the children were {where}.",
                f"A neighbour called police after hearing shouting; the children were {where}.",
                f"Assault reported by the victim the next morning; the children were {where}.",
            )
        )
        return Notification(
            family=family,
            victim=victim,
            perpetrator=perpetrator,
            perpetrator_description=description,
            children=present,
            incident_at=incident_at,
            received_at=received_at,
            risk=risk,
            ticks=ticks,
            repeats=rng.choices((0, 1, 2, 3, 4), (45, 25, 15, 10, 5))[0],
            officer=f"PC {self.faker.first_name()} {self.faker.last_name()}",
            collar=str(rng.randint(1000, 9999)),
            summary=summary,
        )

    def plan_triage(self, key: str, notifications: list[Notification]) -> None:
        """A joint triage meeting each working morning there is something to triage."""
        waiting = [n for n in notifications if not n.hold_back]
        day = self.month_start
        while day <= self.as_of and waiting:
            held_at = self.world.moment(day, hour=10)
            day += timedelta(days=1)
            if not is_working_day(local(held_at).date()) or held_at > self.cutoff:
                continue
            ready = [n for n in waiting if n.received_at < held_at]
            today = [n for n in ready if not n.miss_first]
            for n in ready:
                n.miss_first = False
            if not today:
                continue
            chair = self.rng.choice([self.managers[key], *self.workers[key]])
            meeting = TriageMeeting(
                council=self.world.councils[key], held_at=held_at, chaired_by=chair
            )
            meeting.created_at = held_at
            self.meetings.append((meeting, today))
            for order, notification in enumerate(today):
                notification.triaged_at = held_at + timedelta(minutes=10 + 12 * order)
                notification.chair = chair
                notification.contact = Planned(
                    family=notification.family,
                    children=[c for c, _ in notification.children],
                    received_at=notification.received_at,
                    source=ReferralSource.POLICE,
                    notification=notification,
                    severity=DASH_SEVERITY[notification.risk],
                )
            waiting = [n for n in waiting if n not in today]

    def plan_marac_exception(self) -> None:
        """The odd high-risk notification with no MARAC referral, and the reason why."""
        high = [n for n in self.notifications if n.risk == DashRisk.HIGH and n.triaged_at]
        if high:
            self.rng.choice(high).no_marac_exception = True

    # --- outcomes, timeliness, repeats ---------------------------------------------------

    def plan_outcomes(self) -> None:
        """Outcomes in proportion for each council's month and its earlier contacts, the
        more serious outcomes to the contacts that look more serious."""
        pools: dict[tuple[str, bool, bool], list[Planned]] = {}
        for p in self.contacts:
            if not p.draft:
                pools.setdefault((p.key, p.earlier, p.decided_at is None), []).append(p)
        for pool in pools.values():
            if pool:
                for p in pool:
                    p.severity += self.rng.random() + SOURCE_SEVERITY.get(p.source, 0.0)
                outcomes = sorted(quota(OUTCOME_WEIGHTS, len(pool)), key=SEVERITY.index)
                ordered = sorted(pool, key=lambda p: p.severity)
                for p, outcome in zip(ordered, outcomes, strict=True):
                    p.outcome = outcome
        self.one_early_help_per_family()

    def one_early_help_per_family(self) -> None:
        """A family already sent to early help is not sent again: such an outcome swaps
        with a later contact's in the same council whose family has not been."""
        sent: set[object] = set()
        for n, p in enumerate(self.contacts):
            if p.outcome not in EARLY_HELP_OUTCOMES:
                continue
            if p.family.household.pk not in sent:
                sent.add(p.family.household.pk)
                continue
            swap = next(
                (
                    q
                    for q in self.contacts[n + 1 :]
                    if q.key == p.key
                    and q.earlier == p.earlier
                    and (q.decided_at is None) == (p.decided_at is None)
                    and q.outcome in (Outcome.INFORMATION_AND_ADVICE, Outcome.SIGNPOSTING)
                    and q.family.household.pk not in sent
                ),
                None,
            )
            if swap is None:
                p.outcome = Outcome.INFORMATION_AND_ADVICE
            else:
                p.outcome, swap.outcome = swap.outcome, p.outcome
                sent.add(swap.family.household.pk)

    def plan_timeliness(self) -> None:
        """Some waiting for information, some decided late, a few still open past their
        due date; Stockton's queue has every open status, overdue ones included."""
        rng = self.rng
        for p in self.contacts:
            if not p.draft:
                p.awaiting = rng.random() < 0.12
                p.late_days = rng.randint(1, 3) if rng.random() < 0.08 else 0
        for key in self.world.council_keys():
            month = [p for p in self.contacts if p.key == key and not p.earlier and not p.draft]
            recent = [p for p in month if p.received_on >= self.as_of - timedelta(days=9)]
            overdue = [p for p in recent if decision_due_date(p.received_on) < self.as_of]
            overdue = [p for p in overdue if p.partner is None]
            stays = [ContactStatus.IN_SCREENING, ContactStatus.AWAITING_INFORMATION]
            if key != "stockton":
                stays = [rng.choice(stays)]
            for p, status in zip(overdue[-len(stays) :], stays, strict=False):
                p.stays = status
            direct = [p for p in month if p.partner is None and p.notification is None]
            if key == "stockton" and direct:
                # Just arrived and not yet picked up: still submitted.
                direct[-1].stays = ContactStatus.SUBMITTED

    def plan_sign_offs(self) -> None:
        """One no-further-action with a level 3 indicator per council, signed off by the
        team manager; Stockton's latest still waiting for the sign-off."""
        for key in self.world.council_keys():
            nfa = [
                p
                for p in self.contacts
                if p.key == key
                and not p.earlier
                and p.outcome == Outcome.NO_FURTHER_ACTION
                and p.decided_at is not None
                and p.decided_at < self.cutoff - timedelta(days=3)
            ]
            chosen = nfa[-2:] if key == "stockton" else nfa[-1:]
            for p in chosen:
                p.sign_off = True
            if key == "stockton" and len(chosen) == 2:
                chosen[-1].hold_sign_off = True

    def plan_repeats(self) -> None:
        """``is_repeat`` exactly as the services work it out at submission: a child on the
        contact had a submitted contact received in the 12 months before."""
        window = timedelta(days=REPEAT_WINDOW_DAYS)
        seen: dict[object, list[datetime]] = {}
        for p in self.contacts:
            if p.draft:
                continue
            pks = [c.person.pk for c in p.children]
            p.is_repeat = any(
                p.received_at - window <= before < p.received_at
                for pk in pks
                for before in seen.get(pk, [])
            )
            for pk in pks:
                seen.setdefault(pk, []).append(p.received_at)

    # --- each contact's life: draft, submitted, screening, decision, closed -----------

    def timeline(self, p: Planned) -> None:
        """The transitions that happened by the as-of date, as (status, when, who, note),
        and when the decision was made (``decided_at``, None while still open)."""
        key, cut, events, created_by = p.key, self.cutoff, p.events, p.created_by
        assert created_by is not None
        if p.notification is not None:
            triaged = p.notification.triaged_at
            assert triaged is not None
            p.submitted_at = screened = triaged
            note = "From domestic-abuse joint triage."
            events.append((ContactStatus.SUBMITTED, triaged, created_by, note))
            events.append((ContactStatus.IN_SCREENING, triaged, created_by, note))
        else:
            events.append((ContactStatus.DRAFT, p.received_at, created_by, ""))
            if p.draft:
                return
            minutes = 0 if p.step_up else self.rng.randint(2, 25)  # a step-up goes straight in
            p.submitted_at = p.received_at + timedelta(minutes=minutes)
            events.append((ContactStatus.SUBMITTED, p.submitted_at, created_by, ""))
            screened = self.office_time(p.submitted_at, 5, 150)
            if screened > cut or p.stays == ContactStatus.SUBMITTED:
                return
            events.append((ContactStatus.IN_SCREENING, screened, self.worker(key), ""))
        if p.stays == ContactStatus.IN_SCREENING:
            return
        last = screened
        if p.awaiting or p.stays == ContactStatus.AWAITING_INFORMATION:
            asked = self.office_time(screened, 20, 180)
            if asked > cut:
                return
            note = self.rng.choice(AWAITING_NOTES)
            events.append((ContactStatus.AWAITING_INFORMATION, asked, self.worker(key), note))
            last = asked
        if p.stays:
            return
        due = decision_due_date(p.received_on)
        if p.late_days:
            day = add_working_days(due, p.late_days)
            hour, minute = self.rng.randint(9, 16), self.rng.randint(0, 59)
            decided = self.world.moment(day, hour=hour, minute=minute)
        else:
            decided = self.office_time(last, 15, 240)
            if local(decided).date() > due:
                decided = self.world.moment(due, hour=16, minute=self.rng.randint(0, 50))
        decided = max(decided, last + timedelta(minutes=5))
        if decided <= cut:
            p.decided_at = decided


# --- writing -----------------------------------------------------------------------------------


class FrontDoorWriter:
    """Turns the plan into the rows the front door's services would have written."""

    def __init__(self, world: World, planner: FrontDoorPlanner) -> None:
        self.world = world
        self.plan = planner
        self.rng = world.rng
        self.faker = world.faker
        self.rows = Rows(world)
        version = current_version()
        if version is None:
            raise LookupError("The threshold framework has no current version.")
        self.indicators = list(
            Indicator.objects.filter(version=version).select_related("domain").order_by("code")
        )
        self._rosters: dict[str, dict[str, Any]] = {}

    def write(self) -> None:
        for p in self.plan.contacts:
            self.contact(p)
        for n in self.plan.notifications:
            self.notification(n)
        for meeting, notifications in self.plan.meetings:
            self.meeting(meeting, notifications)
        self.rows.save(
            Contact,
            ContactChild,
            ContactAdult,
            Contact.presenting_indicators.through,
            ContactStatusChange,
            SharingDecision,
            ContactDecision,
            ContactDecision.indicators.through,
            DomesticAbuseNotification,
            NotificationChild,
            TriageMeeting,
            TriageAttendance,
            TriageOutcome,
            Involvement,
            ChronologyEvent,
        )

    # --- one contact ---------------------------------------------------------------------

    def contact(self, p: Planned) -> None:
        world, rng, key = self.world, self.rng, p.key
        referrer, how = self.referrer(p)
        created_by = p.created_by
        assert created_by is not None
        contact = Contact(
            id=world.new_uuid(),
            council=world.councils[key],
            team=(
                world.teams[f"{key}:front-door"]
                if created_by.role == Role.FRONT_DOOR_WORKER and p.notification is None
                else None
            ),
            received_at=p.received_at,
            how_received=how,
            referral_source=p.source,
            referrer_name=referrer.name,
            referrer_organisation=referrer.organisation,
            referrer_organisation_name=referrer.organisation_name,
            referrer_role=referrer.role,
            referrer_phone=referrer.phone,
            referrer_email=referrer.email,
            referrer_address=referrer.address,
            # As record_contact: the recorder is the referrer unless a front-door worker
            # took it (a triage contact is the front door's own).
            referrer_user=(
                created_by
                if created_by.role != Role.FRONT_DOOR_WORKER and p.notification is None
                else None
            ),
            created_by=created_by,
            is_repeat=p.is_repeat,
        )
        p.row = contact
        self.consent(p, referrer, contact)
        level, suggest = self.decision_level(p)
        indicators = self.indicators_for(p, level, suggest=suggest)
        if p.sign_off:
            level3 = [i for i in self.indicators if i.level == 3 and i not in indicators]
            indicators = sorted([*indicators, rng.choice(level3)], key=lambda i: i.code)
        contact.concerns = self.concerns(p, indicators)
        if p.step_up is not None:
            contact.referrer_view_of_level = 4
        elif not p.draft and rng.random() < 0.7:
            contact.referrer_view_of_level = max(1, min(4, level + rng.choice((-1, 0, 0, 0, 1))))
        presenting = indicators if rng.random() < 0.6 and p.step_up is None else []
        if p.decided_at is not None and not p.draft:
            self.decision(p, contact, level, indicators)
        contact.status = p.status
        contact.submitted_at = p.submitted_at
        contact.decided_at = p.decided_at
        contact.created_at = p.events[0][1]
        contact.version = len(p.events) if p.notification is None else len(p.events) - 1
        self.rows.add(contact, *self.contact_versions(p))
        self.status_changes(p, contact)
        for child in p.children:
            self.rows.add(ContactChild(contact=contact, person=child.person))
        for adult, relationship in self.adults_of(p):
            self.rows.add(
                ContactAdult(contact=contact, person=adult.person, relationship=relationship)
            )
        through = Contact.presenting_indicators.through
        for indicator in presenting:
            self.rows.add(through(contact=contact, indicator=indicator))
        if not p.draft:
            self.sharing(p, contact, created_by)
            self.submission(p, contact, created_by)

    def contact_versions(self, p: Planned) -> list[Version]:
        versions = []
        for status, at, by, _ in p.events:
            state: dict[str, object] = {"status": status}
            if status == ContactStatus.DRAFT:
                state.update(submitted_at=None, is_repeat=False)
            if status not in (ContactStatus.DECIDED, ContactStatus.CLOSED):
                state["decided_at"] = None
            versions.append(Version(at=at, by=by, state=state))
        if p.notification is not None:
            # Saved straight into screening, then its repeat flag (see the triage service).
            screening = versions[1]
            first = Version(screening.at, screening.by, {**screening.state, "is_repeat": False})
            versions = [first, *versions[1:]]
        return versions

    def status_changes(self, p: Planned, contact: Contact) -> None:
        previous = ContactStatus.DRAFT if p.notification is not None else ""
        for status, at, by, note in p.events:
            self.rows.add(
                ContactStatusChange(
                    contact=contact,
                    from_status=previous,
                    to_status=status,
                    changed_by=by,
                    changed_at=at,
                    note=note,
                )
            )
            previous = status

    def adults_of(self, p: Planned) -> list[tuple[DemoPerson, str]]:
        if p.notification is not None:
            n = p.notification
            adults = [(n.victim, "Victim")]
            if n.perpetrator is not None:
                adults.append((n.perpetrator, "Alleged perpetrator"))
            return adults
        names = {
            "mother": "Mother", "father": "Father", "step_father": "Stepfather",
            "grandmother": "Grandmother", "grandfather": "Grandfather",
        }  # fmt: skip
        return [(a, names.get(a.role, "Adult in the household")) for a in p.family.adults]

    def referrer(self, p: Planned) -> tuple[Referrer, str]:
        """Who referred, and how the contact came in."""
        rng = self.rng
        if p.partner is not None:
            user = p.partner
            assert user.organisation is not None
            referrer = Referrer(
                name=user.get_full_name(),
                role=user.job_title,
                organisation=user.organisation,
                organisation_name=user.organisation.name,
                phone=phone_number(rng),
                email=user.email,
            )
            return referrer, HowReceived.API if rng.random() < 0.2 else HowReceived.ONLINE
        if p.notification is not None:  # as services._contact_from_notification
            n, police = p.notification, self.world.organisations["police"]
            referrer = Referrer(
                name=f"{n.officer} ({n.collar})",
                role="Reporting officer",
                organisation=police,
                organisation_name=police.name,
            )
            return referrer, HowReceived.DOMESTIC_ABUSE_NOTIFICATION
        if p.step_up is not None:  # as early_help.services.decide_step_up
            requester = p.step_up.requester
            organisation = requester.organisation
            referrer = Referrer(
                name=requester.get_full_name() or requester.username,
                role="Lead professional (early help step-up)",
                organisation=organisation,
                organisation_name=organisation.name if organisation else "",
                email=requester.email,
            )
            return referrer, HowReceived.ONLINE
        if p.source == "9":
            return Referrer(name="Anonymous caller"), HowReceived.PHONE
        how = rng.choice(HOW_RECEIVED.get(p.source, (HowReceived.PHONE, HowReceived.EMAIL)))
        if p.source.startswith("1"):
            return self.individual(p), how
        return self.professional(p), how

    def professional(self, p: Planned) -> Referrer:
        """A referrer at work: their organisation (a record, or just its name) and role."""
        world, rng, faker, key, source = self.world, self.rng, self.faker, p.key, p.source
        council, places_of, child = world.councils[key].name, world.local[key], p.children[0]
        trust = world.organisations[TRUSTS[key]]
        organisations: dict[str, Organisation | None] = {
            "6": world.organisations["police"],
            "2A": child.school or rng.choice(places_of["primary"] + places_of["secondary"]),
            "3A": child.gp_practice or rng.choice(places_of["gp_practice"]),
            "3B": world.organisations["health-visiting"],
            "3C": world.organisations["health-visiting"],
            "3D": trust,
            "3E": trust,
            "3F": trust,
            "4": places_of["housing"][0],
            "5D": world.organisations[f"council:{key}"],
            "8": rng.choice(places_of["voluntary"] + places_of["early_years"]),
        }
        organisation = organisations.get(source)
        named = {
            "2B": f"{council} Education Welfare Service",
            "5A": f"{council} Adult Social Care",
            "5B": f"{council} Housing Options",
            "5C": f"Children's services, {rng.choice(INVENTED_COUNCILS)}",
            "7": rng.choice(("Probation Service", f"{council} Youth Justice Service")),
        }
        organisation_name = organisation.name if organisation else named[source]
        role = rng.choice(REFERRER_ROLES[source])
        if source == "8" and organisation is not None and organisation.kind != "voluntary":
            role = "Nursery manager"
        name = f"{faker.first_name()} {faker.last_name()}"
        name = {"6": f"PC {name}", "3A": f"Dr {faker.last_name()}"}.get(source, name)
        return Referrer(
            name=name,
            role=role,
            organisation=organisation,
            organisation_name=organisation_name,
            phone=phone_number(rng),
            email=email_for(name, organisation_name),
        )

    def individual(self, p: Planned) -> Referrer:
        """A member of the family, a neighbour, the young person: a letter tells them."""
        rng, source, child = self.rng, p.source, p.children[0]
        name = f"{self.faker.first_name()} {self.faker.last_name()}"
        role = rng.choice(REFERRER_ROLES[source])
        if source == "1A" and rng.random() < 0.6:
            name, role = rng.choice(p.family.adults).person.full_name, "Parent"
        if source == "1C":
            name = child.person.full_name
        district = child.postcode.split()[0]
        street = f"{rng.randint(1, 120)} {self.faker.street_name()}"
        return Referrer(
            name=name,
            role=role,
            phone=phone_number(rng),
            address=f"{street}\n{POST_TOWNS.get(district, '')}".strip(),
        )

    def consent(self, p: Planned, referrer: Referrer, contact: Contact) -> None:
        """The referrer's record of consent: agreed (who, when), or the lawful basis for
        sharing without it, the reason and why it is justified."""
        if p.notification is not None:  # as services._contact_from_notification
            contact.family_agreement = FamilyAgreement.NOT_SOUGHT
            contact.lawful_basis = LawfulBasis.PUBLIC_TASK
            contact.not_agreed_reason = NotSoughtReason.SIGNIFICANT_HARM
            contact.sharing_justification = (
                "Police notification of domestic abuse with children in the household, shared "
                "for joint triage to safeguard the children."
            )
            return
        if p.step_up is not None:  # the consent the lead professional recorded
            up = p.step_up
            contact.family_agreement = up.family_agreement
            contact.sharing_justification = up.sharing_justification
            if up.family_agreement == FamilyAgreement.AGREED:
                contact.agreement_obtained_by = str(up.requester)
                contact.agreement_obtained_on = up.requested_on
            else:
                contact.lawful_basis = LawfulBasis.PUBLIC_TASK
                contact.not_agreed_reason = NotSoughtReason.SIGNIFICANT_HARM
            return
        if p.draft:  # the referrer has not finished: consent is what stops it going in
            if self.rng.random() < 0.5:
                contact.family_agreement = FamilyAgreement.AGREED
            return
        contact.family_agreement = self.agreement(p)
        if contact.family_agreement == FamilyAgreement.AGREED:
            contact.agreement_obtained_by = referrer.name
            contact.agreement_obtained_on = p.received_on - timedelta(
                days=self.rng.choice((0, 0, 1, 2))
            )
        else:
            self.without_agreement(p, contact)

    def agreement(self, p: Planned) -> str:
        roll = self.rng.random()
        if p.source in ("1B", "1D", "9"):
            return FamilyAgreement.NOT_SOUGHT
        if p.source in ("1A", "1C"):
            return FamilyAgreement.AGREED
        if p.outcome == Outcome.STRATEGY_DISCUSSION or p.source == "6":
            return FamilyAgreement.NOT_SOUGHT if roll < 0.6 else FamilyAgreement.AGREED
        if roll < 0.86:
            return FamilyAgreement.AGREED
        return FamilyAgreement.DECLINED if roll < 0.94 else FamilyAgreement.NOT_SOUGHT

    def without_agreement(self, p: Planned, contact: Contact) -> None:
        names = first_names(p.children)
        contact.lawful_basis = LawfulBasis.PUBLIC_TASK
        reason, justification = (
            NotSoughtReason.SIGNIFICANT_HARM,
            (f"Asking the parents first could place {names} at risk of significant harm."),
        )
        if contact.family_agreement == FamilyAgreement.DECLINED:
            justification = (
                f"The parents declined a referral. The concerns about {names} are serious "
                "enough that the front door needs to know; the parents were told it would be "
                "made and why."
            )
        elif p.source in ("1B", "1D", "9"):
            reason = NotSoughtReason.OTHER
            justification = (
                "The caller is not part of the family and could not be asked to seek its "
                "agreement; the front door will speak to the parents."
            )
        elif p.source == "6":
            if self.rng.random() < 0.3:
                contact.lawful_basis = LawfulBasis.LEGAL_OBLIGATION
            reason = self.rng.choice((NotSoughtReason.CRIME, NotSoughtReason.SIGNIFICANT_HARM))
            justification = (
                "Seeking the family's agreement first could prejudice the police "
                f"investigation or put {names} at risk."
            )
        contact.not_agreed_reason = reason
        contact.sharing_justification = justification

    # --- the decision ----------------------------------------------------------------------

    def decision_level(self, p: Planned) -> tuple[int, int | None]:
        """(the worker's level, the level the indicators suggest when it differs)."""
        if p.draft:
            return 2, None
        levels = sorted(OUTCOME_LEVELS[p.outcome])
        level = levels[0] if len(levels) == 1 else (1 if self.rng.random() < 0.55 else 2)
        if p.notification is not None:
            level = max(level, 2)
        if self.rng.random() < 0.08:  # the worker's judgement differs from the suggestion
            if level in (1, 4):
                return level, 2 if level == 1 else 3
            return level, level + self.rng.choice((-1, 1))
        return level, None

    def indicators_for(self, p: Planned, level: int, *, suggest: int | None) -> list[Indicator]:
        """Indicators from the current framework whose suggested level is ``suggest`` (the
        level itself unless the worker's judgement differs), the kind the referrer would
        describe where there is a choice."""
        target, rng = suggest or level, self.rng
        group = "domestic abuse" if p.notification else SOURCE_GROUPS.get(p.source, "other")
        preferred = set(PREFERRED_INDICATORS.get(group, ()))
        young = all((c.age_on(p.received_on) or 0) < 4 for c in p.children)
        usable = [i for i in self.indicators if not (young and i.code in SCHOOL_AGE_INDICATORS)]

        def liked(candidates: list[Indicator]) -> list[Indicator]:
            return [i for i in candidates if i.code in preferred] or candidates

        level_2 = [i for i in usable if i.level == 2]
        if target == 3 and rng.random() < 0.25:
            # Several level 2 needs across domains: the framework suggests level 3.
            chosen = rng.sample(level_2, 3)
            if len({i.domain.code for i in chosen}) >= 2:
                return sorted(chosen, key=lambda i: i.code)
        chosen = [rng.choice(liked([i for i in usable if i.level == target]))]
        lower = liked([i for i in usable if i.level < target])
        chosen += rng.sample(lower, min(rng.choice((0, 1, 1, 2)), len(lower)))
        if target == 2:  # at most two level 2 needs, or the framework suggests level 3
            chosen = [i for i in chosen if i.level < 2] + [i for i in chosen if i.level == 2][:2]
        if suggestion_for(chosen).level != target:
            chosen = chosen[:1]
        return sorted(chosen, key=lambda i: i.code)

    def decision(
        self, p: Planned, contact: Contact, level: int, indicators: list[Indicator]
    ) -> None:
        """The threshold decision (and its sign-off) as ``decide_contact`` records it."""
        decided_at = p.decided_at
        assert decided_at is not None
        by = self.decider(p)
        suggestion = suggestion_for(indicators)
        needs_sign_off = p.outcome == Outcome.NO_FURTHER_ACTION and any(
            i.level >= 3 for i in indicators
        )
        decision = ContactDecision(
            contact=contact,
            level=level,
            suggested_level=suggestion.level,
            suggestion_reasons="\n".join(suggestion.reasons),
            difference_reason=(
                self.difference_reason(level, suggestion.level) if suggestion.level != level else ""
            ),
            outcome=p.outcome,
            rationale=self.rationale(p, indicators),
            decided_by=by,
            decided_at=decided_at,
            needs_manager_sign_off=needs_sign_off,
        )
        if p.outcome == Outcome.SOCIAL_CARE_ASSESSMENT:
            decision.assessment_due_date = assessment_due_date(local(decided_at).date())
        versions = [Version(at=decided_at, by=by)]
        finisher = by
        final: datetime | None = decided_at
        if needs_sign_off:
            manager = self.plan.managers[p.key]
            signed = decided_at if by == manager else self.plan.office_time(decided_at, 20, 300)
            if p.hold_sign_off or signed > self.plan.cutoff:
                final = None
            else:
                decision.signed_off_by, decision.signed_off_at = manager, signed
                finisher, final = manager, signed
                if signed != decided_at:
                    unsigned = {"signed_off_by": None, "signed_off_at": None}
                    versions = [Version(at=decided_at, by=by, state=unsigned)]
                    versions.append(Version(at=signed, by=manager))
        self.rows.add(decision, *versions)
        through = ContactDecision.indicators.through
        for indicator in indicators:
            self.rows.add(through(contactdecision=decision, indicator=indicator))
        p.decision = decision
        p.decided_at = final
        if final is None:  # waiting for the manager: still in screening
            return
        p.events.append((ContactStatus.DECIDED, final, finisher, ""))
        self.decision_chronology(p, decision, finisher, final)
        closed = self.plan.office_time(final, 60 * 6, 60 * 24 * 8)
        if closed <= self.plan.cutoff and (p.earlier or self.rng.random() < 0.6):
            p.events.append((ContactStatus.CLOSED, closed, self.plan.worker(p.key), ""))

    def decider(self, p: Planned) -> User:
        if p.outcome == Outcome.STRATEGY_DISCUSSION and self.rng.random() < 0.5:
            return self.plan.managers[p.key]
        return self.plan.worker(p.key)

    # --- what else the services write ------------------------------------------------------

    def submission(self, p: Planned, contact: Contact, created_by: User) -> None:
        """Submitting writes the children's chronology and, for a referrer with an
        account, their involvement, which ends 28 days after the decision (a triage
        contact's chronology event is the police incident)."""
        submitted = p.submitted_at
        assert submitted is not None
        source = f"{SOURCE_PREFIX}{contact.pk}"
        for child in p.children:
            if p.notification is not None:
                chronology(
                    self.rows,
                    person=child,
                    on=local(p.notification.incident_at).date(),
                    category=ChronologyCategory.POLICE,
                    title="Domestic-abuse incident notified by the police; joint triage held",
                    source=source,
                    by=created_by,
                    at=submitted,
                )
                continue
            chronology(
                self.rows,
                person=child,
                on=p.received_on,
                category=ChronologyCategory.CONTACT,
                title=f"Contact to the front door from {ReferralSource(p.source).label}",
                source=source,
                by=created_by,
                at=submitted,
            )
            if contact.referrer_user is not None:
                decided = p.decided_at
                involve(
                    self.rows,
                    user=contact.referrer_user,
                    person=child,
                    reason=InvolvementReason.REFERRER,
                    source=source,
                    starts_at=submitted,
                    ends_at=decided + REFERRER_INVOLVEMENT_AFTER_DECISION if decided else None,
                    ended_recorded_at=decided,
                )

    def decision_chronology(
        self, p: Planned, decision: ContactDecision, by: User, at: datetime
    ) -> None:
        assert p.row is not None
        title = f"Front-door decision: {Outcome(decision.outcome).label} (level {decision.level})"
        for child in p.children:
            chronology(
                self.rows,
                person=child,
                on=local(at).date(),
                category=ChronologyCategory.CONTACT,
                title=title,
                detail=decision.rationale,
                source=f"{SOURCE_PREFIX}{p.row.pk}",
                by=by,
                at=at,
            )

    def sharing(self, p: Planned, contact: Contact, created_by: User) -> None:
        """Now and then the referrer records a decision to share, or not to share."""
        if p.notification is not None or self.rng.random() >= 0.1:
            return
        at = p.received_at + timedelta(minutes=self.rng.randint(1, 20))
        if self.rng.random() < 0.6:
            with_whom, what, purpose = self.rng.choice(SHARED_WITH)
            lawful_basis, reason, shared = str(LawfulBasis.PUBLIC_TASK), "", True
        else:
            what, with_whom, purpose, reason = self.rng.choice(NOT_SHARED)
            lawful_basis, shared = "", False
        self.rows.add(
            SharingDecision(
                contact=contact,
                shared=shared,
                what=what,
                with_whom=with_whom,
                purpose=purpose,
                lawful_basis=lawful_basis,
                reason=reason,
                recorded_by=created_by,
                recorded_at=at,
            )
        )

    # --- notifications and triage ------------------------------------------------------------

    def notification(self, n: Notification) -> None:
        police = self.world.users["police.cleveland"]
        row = DomesticAbuseNotification(
            id=self.world.new_uuid(),
            council=self.world.councils[n.family.key],
            incident_at=n.incident_at,
            received_at=n.received_at,
            victim=n.victim.person,
            alleged_perpetrator=n.perpetrator.person if n.perpetrator else None,
            alleged_perpetrator_description=n.perpetrator_description,
            dash_risk=n.risk,
            dash_ticks=n.ticks,
            repeat_incidents_12_months=n.repeats,
            reporting_officer=n.officer,
            reporting_officer_number=n.collar,
            summary=n.summary,
            status=NotificationStatus.TRIAGED
            if n.triaged_at
            else NotificationStatus.AWAITING_TRIAGE,
            created_by=police,
            created_at=n.received_at,
            version=2 if n.triaged_at else 1,
        )
        # Triage changes the status with an update, which keeps no version.
        waiting = {"status": NotificationStatus.AWAITING_TRIAGE}
        self.rows.add(row, Version(at=n.received_at, by=police, state=waiting))
        for child, present in n.children:
            self.rows.add(
                NotificationChild(notification=row, person=child.person, was_present=present)
            )
        n.row = row

    def meeting(self, meeting: TriageMeeting, notifications: list[Notification]) -> None:
        rng, key = self.rng, notifications[0].family.key
        self.rows.add(meeting)
        roster = self.roster(key)
        attendance = [
            (TriageAgency.POLICE, self.world.organisations["police"], rng.choice(roster["police"])),
            (TriageAgency.IDVA, None, rng.choice(roster["idva"])),
            (
                TriageAgency.CHILDRENS_SERVICES,
                self.world.organisations[f"council:{key}"],
                meeting.chaired_by.get_full_name(),
            ),
        ]
        if rng.random() < 0.9:
            attendance.append((TriageAgency.HEALTH, roster["trust"], rng.choice(roster["health"])))
        if rng.random() < 0.8:
            attendance.append((TriageAgency.EDUCATION, None, rng.choice(roster["education"])))
        for agency, organisation, name in attendance:
            self.rows.add(
                TriageAttendance(
                    meeting=meeting, agency=agency, organisation=organisation, name=name
                )
            )
        for n in notifications:
            self.triage_outcome(meeting, n)

    def roster(self, key: str) -> dict[str, Any]:
        """The people who come to a council's joint triage, the same few each day."""
        if key not in self._rosters:
            faker = self.faker
            self._rosters[key] = {
                "police": [f"DS {faker.first_name()} {faker.last_name()}" for _ in range(2)],
                "idva": [f"{faker.first_name()} {faker.last_name()}" for _ in range(2)],
                "health": [f"{faker.first_name()} {faker.last_name()}" for _ in range(2)],
                "education": [f"{faker.first_name()} {faker.last_name()}"],
                "trust": self.world.organisations[TRUSTS[key]],
            }
        return self._rosters[key]

    def triage_outcome(self, meeting: TriageMeeting, n: Notification) -> None:
        """The safety-planning decision, the MARAC rule (expected for high risk unless a
        reason is given) and the children's contact."""
        assert n.triaged_at is not None and n.contact is not None and n.row is not None
        name = n.victim.person.given_name
        safety = {
            DashRisk.HIGH: (
                f"IDVA to contact {name} today to agree a safety plan; police to visit to "
                "review security at the home; the children's schools told the same day."
            ),
            DashRisk.MEDIUM: (
                f"IDVA service to offer {name} support and safety planning; the children's "
                "schools and health visitor told."
            ),
            DashRisk.STANDARD: (
                f"Police to give {name} details of local domestic abuse support; the "
                "children's schools told."
            ),
        }[DashRisk(n.risk)]
        referral, basis, reason = False, "", ""
        if n.risk == DashRisk.HIGH and n.no_marac_exception:
            reason = (
                f"{name} was heard at MARAC three weeks ago for the same relationship and the "
                "action plan is in place; the IDVA will tell the MARAC coordinator about this "
                "incident instead of a new referral."
            )
        elif n.risk == DashRisk.HIGH:
            referral = True
            basis = (
                MaracBasis.VISIBLE_HIGH_RISK
                if n.ticks >= HIGH_RISK_TICKS
                else MaracBasis.PROFESSIONAL_JUDGEMENT
            )
        elif n.repeats >= 3 and self.rng.random() < 0.5:
            referral, basis = True, MaracBasis.ESCALATION
        outcome = TriageOutcome(
            notification=n.row,
            meeting=meeting,
            safety_planning=safety,
            marac_referral=referral,
            marac_basis=basis,
            no_marac_reason=reason,
            children_contact=n.contact.row,
            recorded_by=meeting.chaired_by,
            recorded_at=n.triaged_at,
        )
        self.rows.add(outcome, Version(at=n.triaged_at, by=meeting.chaired_by))

    # --- words -------------------------------------------------------------------------------

    def concerns(self, p: Planned, indicators: Sequence[Indicator]) -> str:
        n = p.notification
        if n is not None:  # as services._contact_from_notification words it
            incident = local(n.incident_at)
            return (
                f"Domestic-abuse incident on {incident:%d %B %Y at %H:%M}. DASH risk "
                f"{DashRisk(n.risk).label.lower()} ({n.ticks} ticks); {n.repeats} "
                f"repeat incidents in the last 12 months.\n{n.summary}"
            ).strip()
        if p.step_up is not None:
            return f"Step-up from early help agreed by {p.step_up.manager}.\n{p.step_up.reason}"
        group = SOURCE_GROUPS.get(p.source, "other")
        context = self.rng.choice(CONTEXT_SENTENCES.get(group, CONTEXT_SENTENCES["other"]))
        worries = "; ".join(i.title[0].lower() + i.title[1:] for i in indicators)
        return f"Worried about {first_names(p.children)}: {worries}. {context}"

    def difference_reason(self, level: int, suggested: int | None) -> str:
        if suggested is not None and level < suggested:
            return self.rng.choice(
                (
                    "The family already has support from an agency it trusts, which is "
                    "enough for now; the indicators on their own overstate the need.",
                    "New information from the school and GP shows the concern is resolving; "
                    "a lower level is proportionate.",
                )
            )
        return self.rng.choice(
            (
                "Several agencies have raised concerns in a short time; taken together, the "
                "need is higher than any one indicator suggests.",
                "The child's age and the history of earlier contacts mean the need is higher "
                "than the indicators alone suggest.",
            )
        )

    def rationale(self, p: Planned, indicators: Sequence[Indicator]) -> str:
        names = first_names(p.children)
        main = max(indicators, key=lambda i: (i.level, i.code)).title
        main = main[0].lower() + main[1:]
        texts = {
            Outcome.NO_FURTHER_ACTION: (
                f"Checks with the school and GP show {names}'s needs are being met by "
                f"universal services ({main}). No further action by children's services; "
                "the referrer has been told."
            ),
            Outcome.INFORMATION_AND_ADVICE: (
                f"Advice given to the referrer and the family about {main}. The family knows "
                "how to come back to the front door if things change."
            ),
            Outcome.SIGNPOSTING: (
                f"The family has been signposted to the family hub and local parenting "
                f"support ({main})."
            ),
            Outcome.EARLY_HELP_SINGLE: (
                f"Level 2: {main}. One agency that knows {names} can meet the needs with "
                "early help support; an early help assessment will be offered."
            ),
            Outcome.EARLY_HELP_MULTI: (
                f"Level 3: {'; '.join(i.title.lower() for i in indicators)}. The needs call "
                "for a coordinated response: an early help assessment, a lead professional "
                "and a Team Around the Family."
            ),
            Outcome.SOCIAL_CARE_ASSESSMENT: (
                f"Level 4: {main}. {names} may be in need: a social care assessment "
                "(section 17) is opened and allocated to the assessment team."
            ),
            Outcome.STRATEGY_DISCUSSION: (
                f"Level 4: {main}. There is reasonable cause to suspect significant harm: a "
                "strategy discussion with police and health has been arranged (section 47)."
            ),
        }
        return texts[Outcome(p.outcome)]


def suggestion_for(indicators: Iterable[Indicator]) -> Suggestion:
    return suggest_level(
        [
            IndicatorFacts(code=i.code, title=i.title, level=i.level, domain=i.domain.code)
            for i in indicators
        ]
    )


# --- the step ------------------------------------------------------------------------------------


@step(order=700)
def contacts(world: World) -> None:
    planner = FrontDoorPlanner(world)
    planner.plan()
    FrontDoorWriter(world, planner).write()
    for p in planner.contacts:
        assert p.row is not None
        world.contacts.append(
            DemoContact(
                contact=p.row,
                children=p.children,
                household=p.family.household,
                decision=p.decision,
            )
        )
    for line in summary(world, planner):
        world.note(line)


def summary(world: World, planner: FrontDoorPlanner) -> list[str]:
    """The month's figures, as the front-door summary would count them on the as-of date."""
    as_of = world.as_of
    month = [p for p in planner.contacts if not p.earlier and not p.draft]
    drafts = sum(p.draft for p in planner.contacts)
    earlier = sum(p.earlier for p in planner.contacts)

    def figures(contacts: list[Planned]) -> tuple[int, int, int, int, int, int]:
        rows = [p.row for p in contacts if p.row is not None]
        decided = [p for p in contacts if p.decided_at is not None]
        nfa = sum(p.outcome == Outcome.NO_FURTHER_ACTION for p in decided)
        late = sum(r.is_overdue(as_of) for r in rows if r.decided_at is not None)
        still_open = sum(r.is_overdue(as_of) for r in rows if r.decided_at is None)
        repeats = sum(p.is_repeat for p in contacts)
        return len(decided), nfa, late, still_open, repeats, len(contacts) - len(decided)

    decided, nfa, late, still_open, repeats, waiting = figures(month)
    groups = Counter(SOURCE_GROUPS[p.source] for p in month)
    shares = ", ".join(f"{group} {n / len(month):.0%}" for group, n in groups.most_common())
    notifications = planner.notifications
    high = sum(n.risk == DashRisk.HIGH for n in notifications)
    awaiting = [n for n in notifications if n.triaged_at is None]
    overdue = sum(
        (local(n.triaged_at).date() if n.triaged_at else as_of)
        > triage_due_date(local(n.received_at).date())
        for n in notifications
    )
    lines = [
        f"Contacts received {planner.month_start:%-d %B} to {as_of:%-d %B %Y}: {len(month)} "
        f"submitted ({drafts} more still drafts); {earlier} earlier contacts over the 20 "
        "months before.",
        f"Sources: {shares}.",
        f"Decided: {decided}, no further action {nfa / max(decided, 1):.0%}; still open "
        f"{waiting}; overdue {late + still_open} ({late} decided late, {still_open} open past "
        f"their due date); repeats {repeats}.",
        f"Domestic-abuse notifications: {len(notifications)} ({high} high risk), "
        f"{len(planner.meetings)} joint triage meetings; {len(awaiting)} awaiting triage; "
        f"{overdue} triaged late or overdue.",
    ]
    for key, council in world.councils.items():
        d, n, lt, so, r, w = figures([p for p in month if p.key == key])
        count = sum(p.key == key for p in month)
        lines.append(
            f"  {council.name}: {count} contacts, {d} decided ({n} no further action), "
            f"{w} open, {lt + so} overdue, {r} repeats."
        )
    return lines
