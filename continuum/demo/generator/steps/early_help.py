"""Early help: episodes for each council in every state, from the front door's decisions
for early help, opened directly by partners, and stepped down from social care.

Each episode lives through the steps the early help services take it through, with the
dates they happened on (counted back from the as-of date): waiting for allocation, a
locality panel with the agencies present, a lead professional from the council, a school,
health visiting or a voluntary organisation, the whole-family assessment with the child's
own voice, needs tagged with Supporting Families outcome areas and scored, the Team Around
the Family and its meetings, a plan of SMART actions, reviews showing distance travelled,
step-ups to social care (an agreed one reaches the front door as a contact) and closure
with per-need outcomes and the six-month sustained-outcome checks. Nothing comes before
what the services require first (no review before the assessment is complete; no open
action on a closed episode), and involvement follows the lead professional and the TAF
members until the episode closes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from continuum.access.models import Involvement, InvolvementReason
from continuum.accounts.models import Role, User
from continuum.demo.generator.historic import Rows, Version, chronology, involve
from continuum.demo.generator.registry import step
from continuum.demo.generator.steps.front_door import (
    Family,
    FrontDoorPlanner,
    FrontDoorWriter,
    Planned,
    StepUpReferral,
    local,
)
from continuum.demo.generator.steps.users import _account
from continuum.demo.generator.world import DemoContact, DemoPerson, World
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
    PersonAssessment,
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
from continuum.early_help.selectors import agency_of
from continuum.early_help.services import (
    EARLY_HELP_OUTCOME_LEVELS,
    SUSTAINED_AFTER_MONTHS,
    add_months,
    settings_for,
)
from continuum.front_door.choices import FamilyAgreement, Outcome
from continuum.front_door.models import (
    Contact,
    ContactAdult,
    ContactChild,
    ContactDecision,
    ContactStatusChange,
    SharingDecision,
)
from continuum.front_door.services import REPEAT_WINDOW_DAYS
from continuum.organisations.models import OrganisationKind
from continuum.people.choices import ChronologyCategory, PersonKind
from continuum.people.models import ChronologyEvent
from continuum.thresholds.models import Domain
from continuum.timescales.working_days import add_working_days, first_working_day_on_or_after

SOURCE_PREFIX = "early_help.episode:"
# Days before the as-of date an episode opened directly (by a partner, or stepping down)
# starts, by the state it should have reached by the as-of date.
START_DAYS: dict[str, tuple[int, int]] = {
    EpisodeStatus.AWAITING_ALLOCATION: (0, 9),
    EpisodeStatus.ALLOCATED: (6, 30),
    EpisodeStatus.ASSESSMENT: (15, 50),
    EpisodeStatus.PLAN: (35, 90),
    EpisodeStatus.REVIEW: (80, 220),
    EpisodeStatus.CLOSED: (150, 560),
}
WORKING_STATUSES = (EpisodeStatus.ASSESSMENT, EpisodeStatus.PLAN, EpisodeStatus.REVIEW)
# Actions still open at closure go on with the next service, or are cancelled.
CARRY_FORWARD = (ClosureReason.STEPPED_UP, ClosureReason.STEPPED_DOWN, ClosureReason.MOVED_AWAY)
TAF_ROLES: dict[str, str] = {
    OrganisationKind.COUNCIL_CHILDRENS_SERVICES: "Early help practitioner",
    OrganisationKind.SCHOOL: "School pastoral lead",
    OrganisationKind.NHS_TRUST: "Health visiting",
    OrganisationKind.VOLUNTARY: "Family worker",
}


@dataclass(frozen=True)
class NeedKind:
    """A need an early help assessment commonly finds, and what the plan does about it."""

    domain: str
    about: str  # "child", "parent" or "family"
    description: str  # {name} is the child or parent it is about
    outcome_areas: tuple[str, ...]
    will_be_different: str
    actions: tuple[tuple[str, str], ...]  # (what, who: "lead", "school", "health", "family")
    min_age: int = 0
    max_age: int = 18


NEEDS: dict[str, NeedKind] = {
    "attendance": NeedKind(
        "developmental-needs", "child", "{name}'s attendance has dropped below 90% this term.",
        ("SF01",), "{name} is in school every day and on time.",
        (("Agree a morning routine with the family and check in each week", "lead"),
         ("Meet {name} each Monday to plan the week and celebrate attendance", "school")),
        min_age=5,
    ),
    "behaviour": NeedKind(
        "developmental-needs", "child",
        "{name}'s behaviour in class has led to two suspensions and a reduced timetable.",
        ("SF01", "SF07"), "{name} is back on a full timetable with no suspensions.",
        (("Set up a pastoral support plan with a key adult in school", "school"),
         ("Refer {name} to the youth service's mentoring project", "lead")),
        min_age=8,
    ),
    "wellbeing": NeedKind(
        "developmental-needs", "child",
        "{name} is anxious, sleeping badly and worried about things at home.",
        ("SF03",), "{name} feels calmer and has a trusted adult to talk to.",
        (("Six sessions of the school's emotional wellbeing programme", "school"),
         ("Talk with the GP about a referral to the mental health support team", "health")),
        min_age=6,
    ),
    "speech": NeedKind(
        "developmental-needs", "child",
        "{name}'s speech and language are behind what is expected for their age.",
        ("SF02",), "{name} is using more words and joining in at nursery.",
        (("Refer {name} to speech and language therapy", "health"),
         ("Join the family hub's Chatter Matters group each week", "family")),
        max_age=5,
    ),
    "health": NeedKind(
        "developmental-needs", "child",
        "{name} has missed health checks and immunisations.",
        ("SF02", "SF03"), "{name}'s health checks and immunisations are up to date.",
        (("Book the missed immunisations and go with the family", "health"),),
        max_age=11,
    ),
    "routines": NeedKind(
        "parenting-capacity", "parent",
        "{name} is finding routines and boundaries hard to keep since the baby was born.",
        ("SF05",), "The family has calm bedtime and morning routines most days.",
        (("Complete the Family Links parenting programme", "family"),
         ("Visit weekly to practise the new routines together", "lead")),
    ),
    "parent_mental_health": NeedKind(
        "parenting-capacity", "parent",
        "{name}'s low mood is affecting the care of the children.",
        ("SF03",), "{name} has support for their mental health and feels able to cope.",
        (("Self-refer to talking therapies, with support to make the call", "family"),
         ("See the GP about a medication review", "health")),
    ),
    "substance_use": NeedKind(
        "parenting-capacity", "parent",
        "{name}'s drinking is affecting the children's care at weekends.",
        ("SF04",), "{name} is engaging with the recovery service and drinking less.",
        (("Attend an assessment at the community recovery service", "family"),),
    ),
    "domestic_abuse": NeedKind(
        "family-environment", "parent",
        "{name} has experienced domestic abuse from a former partner.",
        ("SF08", "SF06"), "{name} and the children feel safe at home.",
        (("Safety plan reviewed with the IDVA service", "lead"),
         ("Join the Freedom Programme", "family")),
    ),
    "conflict": NeedKind(
        "family-environment", "family",
        "Conflict between the parents since they separated is upsetting the children.",
        ("SF05",), "The parents agree arrangements for the children without arguments.",
        (("Reducing parental conflict sessions for both parents", "lead"),),
    ),
    "debt": NeedKind(
        "family-environment", "family", "Rent arrears and debts are causing the family stress.",
        ("SF10",), "The family has a plan for its debts and the rent is paid on time.",
        (("Appointment with the debt advice service", "lead"),
         ("Check the family's benefit entitlement", "lead")),
    ),
    "housing": NeedKind(
        "family-environment", "family",
        "The home is damp and overcrowded, and the family is at risk of losing it.",
        ("SF09",), "The family is in safe, suitable housing.",
        (("Support the family's housing application", "lead"),
         ("Landlord to repair the damp in the children's bedroom", "family")),
    ),
    "work": NeedKind(
        "family-environment", "parent",
        "{name} would like to work but has been out of work for two years.",
        ("SF10",), "{name} is in training or work.",
        (("Referral to the employment support service", "lead"),),
    ),
    "young_carer": NeedKind(
        "family-environment", "child",
        "{name} looks after a parent most evenings and is falling behind at school.",
        ("SF01", "SF05"), "{name} has time for school and friends, with help at home.",
        (("Young carer's assessment and a place at the young carers' group", "lead"),),
        min_age=8,
    ),
}  # fmt: skip
# The need an indicator from the front-door decision points to.
NEED_OF_INDICATOR: dict[str, str] = {
    "DEV-2-01": "attendance", "DEV-3-01": "attendance", "DEV-1-02": "attendance",
    "DEV-2-03": "behaviour", "DEV-3-02": "behaviour", "DEV-3-04": "behaviour",
    "DEV-2-04": "wellbeing", "DEV-3-03": "wellbeing", "DEV-2-02": "speech",
    "DEV-2-05": "health", "PAR-2-01": "routines", "PAR-3-02": "routines",
    "PAR-2-03": "routines", "PAR-2-02": "parent_mental_health",
    "PAR-3-01": "parent_mental_health", "FAM-3-01": "domestic_abuse",
    "FAM-4-01": "domestic_abuse", "FAM-2-04": "conflict", "FAM-2-01": "debt",
    "FAM-2-02": "housing", "FAM-3-02": "housing", "FAM-2-05": "young_carer",
    "FAM-3-03": "young_carer", "FAM-3-04": "behaviour",
}  # fmt: skip

STRENGTHS = (
    "Loving and warm with the children; wants things to be better.",
    "Has kept going through a hard year and asks for help when needed.",
    "Close to grandparents, who help with school runs.",
    "Proud of the children and knows what they are good at.",
)
CHILD_STRENGTHS = (
    "Kind to younger brothers and sisters; enjoys football.",
    "Has a good friend in class and likes art.",
    "Curious and chatty; loves books at bedtime.",
    "Works hard in lessons they enjoy, especially science.",
)
SAID = (
    "I want Mum and Dad to stop shouting. I like it when we go to the park.",
    "School is OK but I get worried about Mum when I am there.",
    "I want to stay at my school and see my friends.",
    "I wish I could sleep in my own bed and not be tired at school.",
    "I like my key worker. I want my brother to stop taking my things.",
)
HOW_GATHERED = (
    "Talked with the lead professional at school, using a three houses worksheet.",
    "In a one-to-one session at home with drawing and a feelings scale.",
    "A walk and talk with the lead professional after school.",
    "Through the school's pastoral worker, who knows them well.",
)
OBSERVED = (
    "Settled and smiling with Mum, reaching for her when unsure; feeding and sleeping well.",
    "Babbling and playing with toys on the floor; looked to Dad for comfort when a visitor "
    "arrived.",
    "Alert and content; Mum responded quickly when they cried.",
)
FAMILY_VIEWS = (
    "We want the children to be happy and settled. We need help with money and with "
    "getting them to school.",
    "Things got on top of us after the separation. We want to be a calmer family.",
    "Mum says she is ready to make changes and wants someone to help her stick to them.",
    "The family agrees there is a problem and wants help, but not too many professionals "
    "coming to the house.",
)
REVIEW_SUMMARIES = (
    "Good progress: the family is keeping to the routines and school reports a better "
    "month. Plan continues.",
    "Some progress, but attendance has dipped again; actions refreshed with the family.",
    "The family has engaged well; the TAF agreed most actions are done.",
    "Little change this period; the lead professional will visit weekly until the next review.",
)
TAF_DECISIONS = (
    "Plan agreed with the family. The school will lead on attendance; the lead "
    "professional will visit weekly.",
    "Actions reviewed; the health visitor will follow up the missed checks; next meeting "
    "in six weeks.",
    "The family is making progress; the TAF agreed to step down to single agency support "
    "if this continues.",
    "Housing and debt advice referrals made; the family asked to meet at school.",
)
CLOSURE_SUMMARIES: dict[str, str] = {
    ClosureReason.NEEDS_MET: "The plan's outcomes are met and the family feels confident "
    "to carry on without early help.",
    ClosureReason.STEPPED_UP: "Stepped up to children's social care; the lead professional "
    "has handed over.",
    ClosureReason.STEPPED_DOWN: "Needs now met by universal services: the school and "
    "health visitor will keep in touch with the family.",
    ClosureReason.DECLINED: "The family no longer wants early help and has not engaged "
    "since the last review; they know how to ask again.",
    ClosureReason.MOVED_AWAY: "The family has moved out of the area; information shared "
    "with the new council's early help service with their agreement.",
    ClosureReason.OTHER: "Closed after the family's circumstances changed; the school "
    "continues to offer support.",
}
STEP_UP_REASONS = (
    "The children have disclosed that their mother's partner hit them; the TAF's safety "
    "plan is not enough.",
    "Despite the plan, the home conditions have got worse and the youngest child has been "
    "left alone twice.",
    "The parent's drinking has increased and the children are caring for themselves most evenings.",
)
SOCIAL_CARE_HISTORIES = (
    "Child in need plan after a social care assessment (section 17), closed with the "
    "family's agreement to early help: {detail}",
    "Child protection plan for neglect, ended after nine months; then a child in need plan. "
    "{detail}",
    "Social care assessment after a domestic abuse incident; no further statutory work, "
    "stepped down for support. {detail}",
)


@dataclass
class Life:
    """The dates an episode reached each step (some may be after the as-of date)."""

    opened: datetime
    panel_day: date | None = None
    allocated: datetime | None = None
    assessment_started: date | None = None
    assessment_completed: date | None = None
    plan_created: date | None = None
    reviews: list[date] = field(default_factory=list)
    closed: date | None = None
    closure_reason: str = ""
    step_up_requested: date | None = None
    step_up_decided: datetime | None = None
    step_up_agreed: bool = False

    def status_on(self, day: date) -> str:
        if self.closed is not None and self.closed <= day:
            return EpisodeStatus.CLOSED
        if self.reviews and self.reviews[0] <= day:
            return EpisodeStatus.REVIEW
        if self.plan_created is not None and self.plan_created <= day:
            return EpisodeStatus.PLAN
        if self.assessment_started is not None and self.assessment_started <= day:
            return EpisodeStatus.ASSESSMENT
        if self.allocated is not None and local(self.allocated).date() <= day:
            return EpisodeStatus.ALLOCATED
        return EpisodeStatus.AWAITING_ALLOCATION


@dataclass(eq=False)  # compared by identity: each is one record
class PlannedEpisode:
    key: str
    family: Family
    children: list[DemoPerson]
    level: int
    origin: str
    opened_by: User
    life: Life
    reason: str
    locality_index: int
    contact: DemoContact | None = None
    lead: User | None = None
    social_care_history: str = ""
    out_of_area: bool = False
    row: Episode | None = None
    open_at_closure: int = 0
    actions: list[PlanAction] = field(default_factory=list)


@dataclass(eq=False)  # compared by identity: each is one record
class ScoredNeed:
    """A need found at assessment and its scores so far (assessment, reviews)."""

    need: Need
    kind: NeedKind
    person: DemoPerson | None
    scores: list[int]


class EarlyHelpWriter:
    def __init__(self, world: World) -> None:
        self.world = world
        self.rng = world.rng
        self.faker = world.faker
        self.as_of = world.as_of
        # Everything happened before the as-of date began (it may be today).
        self.last_day = world.as_of - timedelta(days=1)
        self.cutoff = world.moment(world.as_of, hour=0) - timedelta(minutes=1)
        self.rows = Rows(world)
        self.front_door = FrontDoorPlanner(world)
        self.front_door.known_staff()
        self.contact_writer = FrontDoorWriter(world, self.front_door)
        self.contact_writer.rows = self.rows
        self.domains = {d.code: d for d in Domain.objects.all()}
        self.outcome_areas = {a.code: a for a in SupportingFamiliesOutcome.objects.all()}
        self.settings = {key: settings_for(c) for key, c in world.councils.items()}
        self.households: dict[object, list[DemoPerson]] = {}
        for who in world.people:
            self.households.setdefault(who.household.pk, []).append(who)
        self.busy: dict[object, list[tuple[date, date]]] = {}
        self.panels: dict[tuple[str, int, date], AllocationPanel] = {}
        self.episodes: list[PlannedEpisode] = []
        self.partners: dict[str, dict[str, list[User]]] = {}
        self.practitioners: dict[str, list[list[User]]] = {}
        self.repeats_seen: dict[object, list[datetime]] = {}
        self.step_up_contacts = 0
        self._moved_from_stockton = False

    # --- people ------------------------------------------------------------------------

    def staff(self) -> None:
        """The council's early help practitioners by locality team, and named partner
        practitioners who can lead or join a TAF: a school's pastoral lead, a community
        nursery nurse in health visiting, a voluntary organisation's family worker."""
        world, faker, rng = self.world, self.faker, self.rng
        for key in world.council_keys():
            teams = len(world.localities[key])
            self.practitioners[key] = [
                [u for u in world.staff[key] if u.username.startswith(f"{key}.early-help-{n}.")]
                for n in range(1, teams + 1)
            ]
            if key == "hartlepool":
                self.practitioners[key][0].insert(0, world.users["ehworker.hartlepool"])
            local_orgs = world.local[key]
            kinds = {
                "school": (local_orgs["secondary"][0], Role.PARTNER_PRACTITIONER, "Pastoral lead",
                           None),
                "health": (world.organisations["health-visiting"], Role.PARTNER_PRACTITIONER,
                           "Community nursery nurse", world.teams[f"health-visiting:{key}"]),
                "voluntary": (local_orgs["voluntary"][-1], Role.EARLY_HELP_PRACTITIONER,
                              "Family worker", None),
            }  # fmt: skip
            self.partners[key] = {}
            for kind, (organisation, role, title, team) in kinds.items():
                made = []
                for n in range(1, world.preset.staff_per_team + 1):
                    female = rng.random() < 0.75
                    made.append(
                        _account(
                            username=f"{key}.{kind}.{n}",
                            role=role,
                            organisation=organisation,
                            teams=[team] if team else [],
                            first_name=(
                                faker.first_name_female() if female else faker.first_name_male()
                            ),
                            last_name=faker.last_name(),
                            job_title=title,
                            is_demo_account=False,
                        )
                    )
                self.partners[key][kind] = made
            if key == "stockton":
                self.partners[key]["voluntary"].insert(0, world.users["vcs.stockton"])

    def manager(self, key: str) -> User:
        return self.front_door.managers[key]

    def practitioner(self, key: str, locality_index: int) -> User:
        team = self.practitioners[key][locality_index] or [
            u for team in self.practitioners[key] for u in team
        ]
        return self.rng.choice(team)

    def family_of(self, household: Any) -> list[DemoPerson]:
        return self.households.get(household, [])

    # --- when things happen ----------------------------------------------------------------

    def moment(self, day: date, low: int = 9, high: int = 16) -> datetime:
        """A time that day in working hours (never after the as-of date began)."""
        hour, minute = self.rng.randint(low, high), self.rng.randint(0, 59)
        return min(self.world.moment(day, hour=hour, minute=minute), self.cutoff)

    def panel_day(self, key: str, locality_index: int, after: date) -> date:
        """The locality's weekly panel (Tuesday, Wednesday or Thursday) on or after."""
        weekday = 1 + locality_index % 3
        day = after + timedelta(days=(weekday - after.weekday()) % 7)
        return first_working_day_on_or_after(day)

    def live(self, key: str, locality_index: int, opened: datetime, origin: str) -> Life:
        """How an episode goes from ``opened``: every step, whether or not it is past."""
        rng = self.rng
        life = Life(opened=opened)
        start = local(opened).date()
        if origin == EpisodeOrigin.PARTNER:
            life.allocated = opened
            allocated_on = start
        else:
            day = self.panel_day(key, locality_index, start + timedelta(days=3))
            for _ in range(rng.choices((0, 1, 2), (45, 35, 20))[0]):  # no slot at that panel
                day = self.panel_day(key, locality_index, day + timedelta(days=1))
            life.panel_day = day
            life.allocated = self.world.moment(day, hour=11, minute=rng.randint(0, 50))
            allocated_on = day
        life.assessment_started = add_working_days(allocated_on, rng.randint(2, 10))
        life.assessment_completed = add_working_days(
            life.assessment_started, rng.choice((8, 10, 12, 14, 16, 18, 22, 28))
        )
        early_exit = rng.random()
        if early_exit < 0.05:
            life.closed = life.assessment_completed - timedelta(days=rng.randint(1, 5))
            life.closed = max(life.closed, life.assessment_started)
            life.assessment_completed = None
            life.closure_reason = ClosureReason.DECLINED
            return life
        life.plan_created = add_working_days(life.assessment_completed, rng.randint(0, 5))
        count = rng.choices((1, 2, 3, 4), (25, 35, 25, 15))[0]
        day = life.plan_created
        for _ in range(count):
            late = rng.randint(14, 28) if rng.random() < 0.1 else rng.randint(-5, 7)
            day = first_working_day_on_or_after(day + timedelta(weeks=6, days=late))
            life.reviews.append(day)
        if early_exit < 0.15:
            life.reviews = life.reviews[:1]
            life.closure_reason = rng.choice(
                (ClosureReason.DECLINED, ClosureReason.DECLINED, ClosureReason.MOVED_AWAY)
            )
        else:
            life.closure_reason = rng.choices(
                (ClosureReason.NEEDS_MET, ClosureReason.STEPPED_DOWN, ClosureReason.DECLINED,
                 ClosureReason.MOVED_AWAY, ClosureReason.OTHER),
                (68, 14, 8, 5, 5),
            )[0]  # fmt: skip
        life.closed = first_working_day_on_or_after(
            life.reviews[-1] + timedelta(days=rng.randint(0, 14))
        )
        return life

    def plan_step_ups(self, key: str, episodes: list[PlannedEpisode]) -> None:
        """About one in ten episodes with a plan asks to step up to social care; in each
        council at least one, agreed, so its contact reaches the front door."""
        rng = self.rng
        latest = self.as_of - timedelta(days=7)
        candidates = [
            e
            for e in episodes
            if e.life.plan_created is not None and e.life.plan_created < latest - timedelta(days=10)
        ]
        rng.shuffle(candidates)
        wanted = max(1, round(len(episodes) * 0.1))
        agreed = True  # the first; then most
        for episode in candidates:
            if self.step_up_life(episode.life, self.allow_step_up(episode.children), agreed):
                wanted -= 1
                agreed = rng.random() < 0.6
            if not wanted:
                return

    def step_up_life(self, life: Life, allowed: Callable[[date], bool], agreed: bool) -> bool:
        assert life.plan_created is not None and life.closed is not None
        latest = min(life.closed - timedelta(days=1), self.as_of - timedelta(days=7))
        if latest <= life.plan_created + timedelta(days=10):
            return False
        requested = self.day_between(life.plan_created + timedelta(days=10), latest)
        if not allowed(requested):
            return False
        decided = add_working_days(requested, self.rng.randint(1, 4))
        life.step_up_requested = requested
        life.step_up_decided = self.moment(decided, 10, 15)
        life.step_up_agreed = agreed
        if agreed:
            life.closed = first_working_day_on_or_after(
                decided + timedelta(days=self.rng.randint(3, 14))
            )
            life.closure_reason = ClosureReason.STEPPED_UP
            life.reviews = [r for r in life.reviews if r < life.closed]
        return True

    def cut(self, life: Life) -> Life:
        """Forget what has not happened by the as-of date."""
        day = self.last_day
        if life.allocated is not None and life.allocated > self.cutoff:
            life.allocated = life.panel_day = None
        if life.allocated is None or (life.assessment_started or day) > day:
            life.assessment_started = None
        if life.assessment_started is None or (life.assessment_completed or day) > day:
            life.assessment_completed = None
        if life.assessment_completed is None or (life.plan_created or day) > day:
            life.plan_created = None
        life.reviews = [r for r in life.reviews if r <= day and life.plan_created]
        if life.closed is not None and life.closed > day:
            life.closed, life.closure_reason = None, ""
        if life.step_up_requested is not None and life.step_up_requested > day:
            life.step_up_requested = life.step_up_decided = None
            life.step_up_agreed = False
        if life.step_up_decided is not None and life.step_up_decided > self.cutoff:
            life.step_up_decided, life.step_up_agreed = None, False
        return life

    # --- which episodes --------------------------------------------------------------------

    def choose(self) -> None:
        self.staff()
        for key in self.world.council_keys():
            self.from_front_door(key)
            self.opened_directly(key)
        self.episodes.sort(key=lambda e: e.life.opened)
        for episode in self.episodes:
            episode.lead = self.choose_lead(episode)
        self.give_caseload("hartlepool", self.world.users["ehworker.hartlepool"])
        self.give_caseload("stockton", self.world.users["vcs.stockton"])

    def give_caseload(self, key: str, user: User, wanted: int = 2) -> None:
        """Make sure a demo sign-in leads a few open episodes allocated at panel."""
        open_ones = [
            e
            for e in self.episodes
            if e.key == key
            and e.origin != EpisodeOrigin.PARTNER
            and not e.out_of_area
            and e.life.allocated is not None
            and e.life.closed is None
        ]
        led = sum(e.lead == user for e in open_ones)
        for episode in open_ones:
            if led >= wanted:
                return
            if episode.lead != user:
                episode.lead = user
                led += 1

    def family(self, key: str, household: Any) -> Family:
        members = self.family_of(household)
        children = [m for m in members if m.role == "child" and not m.is_unborn]
        adults = [m for m in members if m.person.kind == PersonKind.ADULT]
        return Family(key, members[0].household, children, adults)

    def locality_index(self, key: str, who: DemoPerson) -> int:
        return [loc.pk for loc in self.world.localities[key]].index(who.locality.pk)

    def free(self, household: Any, start: date, end: date | None) -> bool:
        """No other episode for the household overlaps this one."""
        last = end or date.max
        return all(last < begun or start > ended for begun, ended in self.busy.get(household, []))

    def occupy(self, household: Any, life: Life) -> None:
        end = life.closed or date.max
        self.busy.setdefault(household, []).append((local(life.opened).date(), end))

    def allow_step_up(self, children: Sequence[DemoPerson]) -> Callable[[date], bool]:
        """A step-up's contact may not come before a front-door contact already made about
        the same children (their repeat flags were worked out without it)."""
        pks = {c.person.pk for c in children}
        later = [
            local(c.contact.received_at).date()
            for c in self.world.contacts
            if pks & {child.person.pk for child in c.children}
        ]
        return lambda day: all(received < day for received in later)

    def from_front_door(self, key: str) -> None:
        """An episode for each final decision for early help, opened within a couple of
        days (the latest may still be waiting to be opened)."""
        council = self.world.councils[key]
        made_here: list[PlannedEpisode] = []
        for made in self.world.contacts:
            contact, decision = made.contact, made.decision
            if (
                contact.council_id != council.pk
                or decision is None
                or contact.decided_at is None
                or decision.outcome not in EARLY_HELP_OUTCOME_LEVELS
            ):
                continue
            opened = self.front_door.office_time(contact.decided_at, 30, 60 * 24 * 2)
            if opened > self.cutoff:
                continue  # on the list of decisions waiting for an episode
            family = self.family(key, made.household.pk)
            where = self.locality_index(key, made.children[0])
            life = self.live(key, where, opened, EpisodeOrigin.FRONT_DOOR)
            made_here.append(
                PlannedEpisode(
                    key=key,
                    family=family,
                    children=made.children,
                    level=EARLY_HELP_OUTCOME_LEVELS[decision.outcome],
                    origin=EpisodeOrigin.FRONT_DOOR,
                    opened_by=self.rng.choice([self.manager(key), self.practitioner(key, where)]),
                    life=life,
                    reason=decision.rationale,
                    locality_index=where,
                    contact=made,
                )
            )
        self.plan_step_ups(key, made_here)
        for episode in made_here:
            self.cut(episode.life)
            self.occupy(episode.family.household.pk, episode.life)
        self.episodes += made_here

    def opened_directly(self, key: str) -> None:
        """Episodes opened by partners and step-downs from social care: in the states the
        front door's episodes have not reached, then in any."""
        present = {e.life.status_on(self.as_of) for e in self.episodes if e.key == key}
        missing = [s for s in EpisodeStatus.values if s not in present]
        preset, rng = self.world.preset, self.rng
        partner_targets = [s for s in missing if s != EpisodeStatus.AWAITING_ALLOCATION]
        partner_targets = partner_targets[: preset.partner_episodes_per_council]
        missing = [s for s in missing if s not in partner_targets]
        while len(partner_targets) < preset.partner_episodes_per_council:
            partner_targets.append(rng.choice(WORKING_STATUSES + (EpisodeStatus.CLOSED,)))
        # The first partner episode stays open, so its lead professional sees it.
        if partner_targets and partner_targets[0] not in WORKING_STATUSES:
            partner_targets.append(partner_targets[0])
            partner_targets[0] = rng.choice(WORKING_STATUSES)
        step_targets = missing[:]
        while len(step_targets) < preset.step_downs_per_council:
            step_targets.append(rng.choice(EpisodeStatus.values))
        for n, target in enumerate(partner_targets):
            opener, children_of = self.partner_opener(key, n)
            self.direct(key, EpisodeOrigin.PARTNER, target, opener, children_of)
        for target in step_targets:
            opener = rng.choice([self.manager(key), *self.front_door.workers[key]])
            self.direct(key, EpisodeOrigin.STEP_DOWN, target, opener, None)

    def partner_opener(
        self, key: str, n: int
    ) -> tuple[User, Callable[[Family], list[DemoPerson]] | None]:
        """Who opens the council's ``n``th partner episode, and which children it is for:
        the demo school opens one for a pupil it refers; Larkspur opens one in Stockton; a
        nursery nurse opens one for under-fives; otherwise a school or a charity."""
        users = self.world.users
        if key == "middlesbrough" and n == 0:
            teacher = users["school.middlesbrough"]
            referred = set(
                Involvement.objects.filter(
                    user=teacher, reason=InvolvementReason.REFERRER, ends_at__isnull=True
                ).values_list("person_id", flat=True)
            )
            return teacher, lambda f: [c for c in f.children if c.person.pk in referred]
        if key == "stockton" and n == 0:
            return users["vcs.stockton"], None
        kind = ("health", "school", "voluntary")[n % 3]
        opener = self.rng.choice(self.partners[key][kind])
        if kind == "health":
            return opener, lambda f: [c for c in f.children if (c.age_on(self.as_of) or 0) < 5]
        if kind == "school":
            school = opener.organisation
            return (
                opener,
                lambda f: (
                    [c for c in f.children if c.school == school]
                    or [c for c in f.children if (c.age_on(self.as_of) or 0) >= 11]
                ),
            )
        return opener, None

    def direct(
        self,
        key: str,
        origin: str,
        target: str,
        opener: User,
        children_of: Callable[[Family], list[DemoPerson]] | None,
    ) -> None:
        rng = self.rng
        candidates = [self.family(key, f.household.pk) for f in self.front_door.families[key]]
        stepped = self.social_care_families(key) if origin == EpisodeOrigin.STEP_DOWN else {}
        preferred = [f for f in candidates if f.household.pk in stepped] or candidates
        for attempt in range(60):
            family = rng.choice(preferred if attempt < 20 else candidates)
            low, high = START_DAYS[target]
            day = self.last_day - timedelta(days=rng.randint(low, high))
            start = first_working_day_on_or_after(day)
            if start > self.last_day:
                start = day
            children = children_of(family) if children_of else family.children_on(start)
            present = {id(c) for c in family.children_on(start)}
            children = [c for c in children if id(c) in present]
            if not children:
                continue
            where = self.locality_index(key, children[0])
            opened = self.moment(start, 9, 15)
            if opened > self.cutoff:
                opened = self.cutoff - timedelta(hours=2)
            life = self.cut(self.live(key, where, opened, origin))
            if life.status_on(self.as_of) != target and attempt < 50:
                continue
            if not self.free(family.household.pk, start, life.closed):
                continue
            self.occupy(family.household.pk, life)
            history = ""
            if origin == EpisodeOrigin.STEP_DOWN:
                history = self.social_care_history(stepped.get(family.household.pk), start)
            self.episodes.append(
                PlannedEpisode(
                    key=key,
                    family=family,
                    children=children,
                    level=2 if origin == EpisodeOrigin.PARTNER else rng.choice((2, 3, 3)),
                    origin=origin,
                    opened_by=opener,
                    life=life,
                    reason=self.direct_reason(origin, opener, children),
                    locality_index=where,
                    social_care_history=history,
                )
            )
            return

    def social_care_families(self, key: str) -> dict[object, DemoContact]:
        """Families whose earlier contact went to social care, by household."""
        council = self.world.councils[key]
        return {
            c.household.pk: c
            for c in self.world.contacts
            if c.contact.council_id == council.pk
            and c.decision is not None
            and c.contact.decided_at is not None
            and c.decision.outcome in (Outcome.SOCIAL_CARE_ASSESSMENT, Outcome.STRATEGY_DISCUSSION)
        }

    def social_care_history(self, contact: DemoContact | None, start: date) -> str:
        if contact is not None and contact.contact.decided_at is not None:
            decided = local(contact.contact.decided_at).date()
            if decided < start - timedelta(days=60):
                detail = (
                    f"referred by the front door on {decided:%-d %B %Y} "
                    f"({Outcome(contact.decision.outcome).label.lower()})."  # type: ignore[union-attr]
                )
                return self.rng.choice(SOCIAL_CARE_HISTORIES).format(detail=detail)
        months = self.rng.randint(4, 14)
        detail = f"the social worker's involvement lasted {months} months."
        return self.rng.choice(SOCIAL_CARE_HISTORIES).format(detail=detail)

    def direct_reason(self, origin: str, opener: User, children: list[DemoPerson]) -> str:
        names = ", ".join(c.person.given_name for c in children)
        if origin == EpisodeOrigin.STEP_DOWN:
            return (
                f"Social care's work with the family is ending; {names} still need support "
                "to keep the changes going."
            )
        organisation = opener.organisation.name if opener.organisation else "The partner"
        return (
            f"{organisation} is starting single-agency early help for {names} and is telling "
            "the council, as agreed at the locality panel."
        )

    def choose_lead(self, ep: PlannedEpisode) -> User | None:
        """The lead professional: the partner who opened it, or one chosen at panel from
        the council's practitioners, a school, health visiting or a charity."""
        if ep.origin == EpisodeOrigin.PARTNER:
            return ep.opened_by
        if ep.life.allocated is None:
            return None
        rng, key = self.rng, ep.key
        ages = [c.age_on(self.as_of) or 0 for c in ep.children]
        options: list[tuple[list[User], float]] = [
            ([self.practitioner(key, ep.locality_index)], 55),
            (self.partners[key]["voluntary"], 18),
        ]
        if any(age >= 5 for age in ages):
            options.append((self.partners[key]["school"], 14))
        if all(age < 5 for age in ages):
            options.append((self.partners[key]["health"], 18))
        if (
            key == "hartlepool"
            and not self._moved_from_stockton
            and ep.life.status_on(self.as_of) in WORKING_STATUSES
        ):
            # A family who moved from Stockton keeps its key worker there for a while.
            self._moved_from_stockton = True
            ep.out_of_area = True
            return self.partners["stockton"]["voluntary"][-1]
        pool = rng.choices([o for o, _ in options], [w for _, w in options])[0]
        return rng.choice(pool)

    # --- writing -----------------------------------------------------------------------------

    def write(self) -> None:
        self.repeats_seen = self.contact_times()
        for episode in self.episodes:
            self.episode(episode)
        self.rows.save(
            Contact,
            ContactChild,
            ContactAdult,
            Contact.presenting_indicators.through,
            ContactStatusChange,
            SharingDecision,
            ContactDecision,
            ContactDecision.indicators.through,
            AllocationPanel,
            AllocationPanel.agencies_present.through,
            Episode,
            Episode.children.through,
            Assessment,
            PersonAssessment,
            ChildVoice,
            Need,
            Need.outcome_areas.through,
            TafMember,
            TafMeeting,
            TafAttendee,
            Plan,
            PlanOutcome,
            PlanAction,
            Review,
            NeedScore,
            StepUp,
            Closure,
            NeedClosureOutcome,
            SustainedOutcomeCheck,
            Involvement,
            ChronologyEvent,
        )

    def contact_times(self) -> dict[object, list[datetime]]:
        seen: dict[object, list[datetime]] = {}
        for made in self.world.contacts:
            if made.is_submitted:
                for child in made.children:
                    seen.setdefault(child.person.pk, []).append(made.contact.received_at)
        return seen

    def whole_family(self, ep: PlannedEpisode) -> list[DemoPerson]:
        """The children the episode is for and everyone in their household."""
        people = {id(c): c for c in ep.children}
        for who in self.family_of(ep.family.household.pk):
            people.setdefault(id(who), who)
        return list(people.values())

    def event(self, ep: PlannedEpisode, day: date, title: str, by: User, detail: str = "") -> None:
        """A chronology event for each child, as early help's services write them."""
        assert ep.row is not None
        at = self.moment(day, 10, 17)
        for child in ep.children:
            chronology(
                self.rows,
                person=child,
                on=min(day, self.last_day),
                category=ChronologyCategory.EARLY_HELP,
                title=title,
                detail=detail,
                source=f"{SOURCE_PREFIX}{ep.row.pk}",
                by=by,
                at=min(at, self.cutoff),
            )

    def episode(self, ep: PlannedEpisode) -> None:
        world, life, key = self.world, ep.life, ep.key
        locality = world.localities[key][ep.locality_index]
        lead = ep.lead
        opened_on = local(life.opened).date()
        decision = ep.contact.decision if ep.contact else None
        episode = Episode(
            id=world.new_uuid(),
            council=world.councils[key],
            locality=locality,
            team=world.teams[f"{key}:early-help:{ep.locality_index + 1}"],
            household=ep.family.household,
            level=ep.level,
            status=life.status_on(self.as_of),
            origin=ep.origin,
            front_door_decision=decision,
            front_door_decided_at=ep.contact.contact.decided_at if ep.contact else None,
            social_care_history=ep.social_care_history,
            reason_for_request=ep.reason,
            start_date=opened_on,
            end_date=life.closed,
            opened_by=ep.opened_by,
        )
        ep.row = episode
        for child in ep.children:
            self.rows.add(Episode.children.through(episode=episode, person=child.person))
        titles: dict[str, str] = {
            EpisodeOrigin.FRONT_DOOR: "Early help episode opened from the front door",
            EpisodeOrigin.STEP_DOWN: "Stepped down from social care to early help",
        }
        opened_title = titles.get(ep.origin, f"Early help started by {ep.opened_by.organisation}")
        self.event(ep, opened_on, opened_title, ep.opened_by, ep.social_care_history)
        versions = [Version(at=life.opened, by=ep.opened_by, state=self.unallocated(ep))]
        if life.allocated is not None and lead is not None:
            self.allocate(ep, episode, lead, versions)
        stages = [
            (life.assessment_started, EpisodeStatus.ASSESSMENT),
            (life.plan_created, EpisodeStatus.PLAN),
            *((day, EpisodeStatus.REVIEW) for day in life.reviews),
        ]
        for day, status in stages:
            if day is not None:
                state = {"status": status, "end_date": None}
                versions.append(Version(at=self.moment(day, 10, 16), by=lead, state=state))
        if life.closed is not None:
            versions.append(Version(at=self.moment(life.closed, 14, 16), by=lead))
        episode.version = len(versions)
        self.rows.add(episode, *versions)
        if lead is None or life.assessment_started is None:
            return
        needs = self.assessment(ep, episode, lead)
        members = self.taf(ep, episode, lead)
        if life.plan_created is not None:
            self.plan(ep, episode, lead, needs, members)
            self.reviews(ep, episode, lead, needs, members)
        self.step_up(ep, episode, lead)
        if life.closed is not None:
            self.closure(ep, episode, lead, needs)

    def unallocated(self, ep: PlannedEpisode) -> dict[str, Any]:
        if ep.origin == EpisodeOrigin.PARTNER:
            return {"status": EpisodeStatus.ALLOCATED, "end_date": None}
        return {
            "status": EpisodeStatus.AWAITING_ALLOCATION,
            "panel": None,
            "lead_professional": None,
            "lead_professional_organisation": None,
            "allocation_reason": "",
            "out_of_area_reason": "",
            "allocated_at": None,
            "end_date": None,
        }

    def allocate(
        self, ep: PlannedEpisode, episode: Episode, lead: User, versions: list[Version]
    ) -> None:
        """Allocation at the locality panel (a partner who opened it leads it already),
        and the lead professional's involvement with the whole family."""
        life, key = ep.life, ep.key
        assert life.allocated is not None and lead.organisation is not None
        organisation = lead.organisation
        episode.lead_professional = lead
        episode.lead_professional_organisation = organisation
        episode.allocated_at = life.allocated
        if ep.origin == EpisodeOrigin.PARTNER:
            episode.allocation_reason = (
                f"{organisation.name} is delivering single-agency early help."
            )
        else:
            assert life.panel_day is not None
            episode.panel = self.panel(key, ep.locality_index, life.panel_day)
            episode.allocation_reason = self.allocation_reason(ep, lead)
            if ep.out_of_area:
                episode.out_of_area_reason = (
                    f"The family moved from Stockton-on-Tees last month; {organisation.name} "
                    "has worked with them for a year and will lead until the family is settled."
                )
            manager = self.manager(key)
            versions.append(
                Version(
                    at=life.allocated,
                    by=manager,
                    state={"status": EpisodeStatus.ALLOCATED, "end_date": None},
                )
            )
            self.event(
                ep,
                life.panel_day,
                f"Early help allocated: lead professional from {organisation.name}",
                manager,
            )
        for person in self.whole_family(ep):
            self.involve_until_closed(
                ep, lead, person, InvolvementReason.LEAD_PROFESSIONAL, life.allocated
            )

    def involve_until_closed(
        self,
        ep: PlannedEpisode,
        user: User,
        person: DemoPerson,
        reason: str,
        starts: datetime,
        ends: datetime | None = None,
    ) -> None:
        assert ep.row is not None
        if ends is None and ep.life.closed is not None:
            ends = self.world.moment(ep.life.closed, hour=16)
        involve(
            self.rows,
            user=user,
            person=person,
            reason=reason,
            source=f"{SOURCE_PREFIX}{ep.row.pk}",
            starts_at=starts,
            ends_at=ends,
        )

    def panel(self, key: str, locality_index: int, day: date) -> AllocationPanel:
        """The locality's panel that day, with the agencies present."""
        found = self.panels.get((key, locality_index, day))
        if found is not None:
            return found
        world, rng = self.world, self.rng
        panel = AllocationPanel(
            council=world.councils[key],
            locality=world.localities[key][locality_index],
            held_on=day,
            chaired_by=self.manager(key),
            created_at=world.moment(day, hour=10),
        )
        self.rows.add(panel)
        local_orgs = world.local[key]
        present = [
            world.organisations[f"council:{key}"],
            world.organisations["health-visiting"],
            rng.choice(local_orgs["primary"]),
            rng.choice(local_orgs["secondary"]),
            rng.choice(local_orgs["voluntary"]),
        ]
        if rng.random() < 0.6:
            present.append(world.organisations["police"])
        if rng.random() < 0.5:
            present.append(local_orgs["housing"][0])
        through = AllocationPanel.agencies_present.through
        for organisation in dict.fromkeys(present):
            self.rows.add(through(allocationpanel=panel, organisation=organisation))
        self.panels[(key, locality_index, day)] = panel
        return panel

    def allocation_reason(self, ep: PlannedEpisode, lead: User) -> str:
        organisation = lead.organisation
        reasons: dict[str, str] = {
            OrganisationKind.SCHOOL: f"The children's school knows the family best and "
            f"{lead.get_full_name()} already sees them each week.",
            OrganisationKind.NHS_TRUST: "The needs are mostly about the youngest child's "
            "health and development; health visiting knows the family.",
            OrganisationKind.VOLUNTARY: f"{organisation} works with families like this in "
            "the area and the parents asked for support outside the council.",
        }
        return reasons.get(
            organisation.kind if organisation else "",
            "The family needs a coordinated, multi-agency response from the council's early "
            "help team.",
        )

    # --- the assessment ----------------------------------------------------------------------

    def day_between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def assessment(self, ep: PlannedEpisode, episode: Episode, lead: User) -> list[ScoredNeed]:
        """The whole-family assessment: the family's view, strengths and needs of each
        member, each child's own voice, and the needs, tagged and scored. One still in
        progress has some of these."""
        life, rng = ep.life, self.rng
        started, completed = life.assessment_started, life.assessment_completed
        assert started is not None and life.allocated is not None
        end = completed or min(life.closed or self.last_day, self.last_day)
        done = completed is not None
        due = add_working_days(
            local(life.allocated).date(), self.settings[ep.key].assessment_working_days
        )
        assessment = Assessment(
            episode=episode,
            started_on=started,
            due_date=due,
            completed_on=completed,
            completed_by=lead if done else None,
            family_view=rng.choice(FAMILY_VIEWS),
            summary=(
                f"A {'multi' if ep.level == 3 else 'single'}-agency early help assessment of "
                "the whole family; needs and strengths agreed with the parents."
            ),
        )
        blank = {"completed_on": None, "completed_by": None, "family_view": "", "summary": ""}
        versions = [Version(at=self.moment(started), by=lead, state=blank)]
        entries = 1
        if done or rng.random() < 0.6:
            view = self.day_between(started, end)
            state = {"completed_on": None, "completed_by": None}
            versions.append(Version(at=self.moment(view), by=lead, state=state))
        else:
            assessment.family_view = assessment.summary = ""
        for who in self.whole_family(ep):
            if who.is_unborn or not (done or rng.random() < 0.5):
                continue
            is_child = who.person.kind == PersonKind.CHILD
            entry = PersonAssessment(
                assessment=assessment,
                person=who.person,
                strengths=rng.choice(CHILD_STRENGTHS if is_child else STRENGTHS),
                needs=self.needs_text(ep, who),
            )
            self.rows.add(entry, Version(at=self.moment(self.day_between(started, end)), by=lead))
            entries += 1
        for child in ep.children:
            if done or rng.random() < 0.5:
                self.rows.add(
                    self.voice(assessment, child, started),
                    Version(at=self.moment(self.day_between(started, end)), by=lead),
                )
                entries += 1
        needs = self.needs(ep, episode, lead, started, end, done)
        if done:
            assert completed is not None
            versions.append(Version(at=self.moment(completed, 14, 16), by=lead))
            self.event(ep, completed, "Early help assessment completed", lead)
        assessment.version = entries + len(versions)
        self.rows.add(assessment, *versions)
        return needs

    def needs_text(self, ep: PlannedEpisode, who: DemoPerson) -> str:
        if who.person.kind == PersonKind.CHILD:
            return self.rng.choice(
                (
                    "Needs a settled routine and help to be in school every day.",
                    "Worried about home; needs a trusted adult to talk to.",
                    "Needs support with speech and play at home.",
                )
            )
        return self.rng.choice(
            (
                "Needs support with routines and boundaries, and time for themselves.",
                "Needs help with money worries and the rent.",
                "Would like help with low mood and to get back into work.",
            )
        )

    def voice(self, assessment: Assessment, child: DemoPerson, started: date) -> ChildVoice:
        """What the child said and how; for a baby or toddler, why not and what was seen."""
        rng = self.rng
        if (child.age_on(started) or 0) >= 3:
            return ChildVoice(
                assessment=assessment,
                child=child.person,
                what_the_child_said=rng.choice(SAID),
                how_gathered=rng.choice(HOW_GATHERED),
            )
        return ChildVoice(
            assessment=assessment,
            child=child.person,
            not_gathered_reason=f"{child.person.given_name} is too young to put their views "
            "into words.",
            what_was_observed=rng.choice(OBSERVED),
        )

    def needs(
        self,
        ep: PlannedEpisode,
        episode: Episode,
        lead: User,
        started: date,
        end: date,
        done: bool,
    ) -> list[ScoredNeed]:
        """The needs found: those the front-door decision pointed to first, then others
        that fit the family; each tagged with outcome areas and a baseline score."""
        rng = self.rng
        wanted = rng.randint(1, 2) if ep.level == 2 else rng.randint(2, 4)
        kinds: list[str] = []
        if ep.contact is not None and ep.contact.decision is not None:
            codes = ep.contact.decision.indicators.order_by("code").values_list("code", flat=True)
            kinds += [NEED_OF_INDICATOR[c] for c in codes if c in NEED_OF_INDICATOR]
        ages = [c.age_on(started) or 0 for c in ep.children]
        fitting = [
            name
            for name, kind in NEEDS.items()
            if kind.about != "child" or any(kind.min_age <= a <= kind.max_age for a in ages)
        ]
        kinds = list(dict.fromkeys(k for k in kinds if k in fitting))
        while len(kinds) < wanted:
            kinds = list(dict.fromkeys([*kinds, rng.choice(fitting)]))
        kinds = kinds[:wanted] if done else kinds[: rng.randint(1, wanted)]
        made = []
        for name in kinds:
            kind = NEEDS[name]
            person = self.need_person(ep, kind, started)
            day = self.day_between(started, end)
            need = Need(
                episode=episode,
                person=person.person if person else None,
                domain=self.domains[kind.domain],
                description=kind.description.format(
                    name=person.person.given_name if person else "The family"
                ),
            )
            self.rows.add(need, Version(at=self.moment(day), by=lead))
            for code in kind.outcome_areas:
                self.rows.add(
                    Need.outcome_areas.through(
                        need=need, supportingfamiliesoutcome=self.outcome_areas[code]
                    )
                )
            baseline = rng.randint(2, 5)
            self.rows.add(
                NeedScore(need=need, stage=ScoreStage.ASSESSMENT, score=baseline, recorded_on=day)
            )
            made.append(ScoredNeed(need, kind, person, [baseline]))
        return made

    def need_person(self, ep: PlannedEpisode, kind: NeedKind, day: date) -> DemoPerson | None:
        if kind.about == "family":
            return None
        if kind.about == "parent":
            mothers = [a for a in ep.family.adults if a.role == "mother"]
            return (mothers or ep.family.adults)[0]
        fits = [c for c in ep.children if kind.min_age <= (c.age_on(day) or 0) <= kind.max_age]
        return self.rng.choice(fits or ep.children)

    # --- the Team Around the Family ----------------------------------------------------------

    def taf(self, ep: PlannedEpisode, episode: Episode, lead: User) -> list[TafMember]:
        """The lead professional and practitioners from other agencies, for a level 3
        episode (and some level 2). Membership, and so sight of the children, lasts until
        the member leaves or the episode closes."""
        life, rng = ep.life, self.rng
        assert life.allocated is not None
        others = self.taf_partners(ep, lead)
        if not others:
            return []
        first = local(life.allocated).date()
        last = min(life.closed or self.last_day, self.last_day)
        members = []
        for user in dict.fromkeys([lead, *others]):
            assert user.organisation is not None
            joined = self.day_between(first, min(first + timedelta(days=10), last))
            left = life.closed
            if user != lead and life.reviews and rng.random() < 0.1:
                left = life.reviews[0]  # no longer needed after the first review
            member = TafMember(
                episode=episode,
                user=user,
                organisation=user.organisation,
                role_in_taf="Lead professional"
                if user == lead
                else TAF_ROLES.get(user.organisation.kind, "Practitioner"),
                joined_on=joined,
                left_on=left,
            )
            versions = [Version(at=self.moment(joined), by=lead, state={"left_on": None})]
            if left is not None:
                versions.append(Version(at=self.moment(left, 15, 16), by=lead))
            self.rows.add(member, *versions)
            ends = self.world.moment(left, hour=16) if left is not None else None
            for child in ep.children:
                self.involve_until_closed(
                    ep, user, child, InvolvementReason.TAF_MEMBER, self.moment(joined), ends
                )
            members.append(member)
        return members

    def taf_partners(self, ep: PlannedEpisode, lead: User) -> list[User]:
        """Who joins the lead professional: the council, the school, health visiting, a
        charity, as the children's ages and the lead's own agency suggest. In Redcar the
        demo health visitor joins the TAF of open episodes for under-fives."""
        rng, key = self.rng, ep.key
        ages = [c.age_on(self.as_of) or 0 for c in ep.children]
        lead_kind = lead.organisation.kind if lead.organisation else ""
        others: list[User] = []
        if ep.level == 3 or rng.random() < 0.3:
            if lead_kind != OrganisationKind.COUNCIL_CHILDRENS_SERVICES:
                others.append(self.practitioner(key, ep.locality_index))
            if any(a >= 5 for a in ages) and lead_kind != OrganisationKind.SCHOOL:
                others.append(rng.choice(self.partners[key]["school"]))
            if any(a < 5 for a in ages) and lead_kind != OrganisationKind.NHS_TRUST:
                others.append(rng.choice(self.partners[key]["health"]))
            if lead_kind != OrganisationKind.VOLUNTARY and rng.random() < 0.35:
                others.append(rng.choice(self.partners[key]["voluntary"]))
            if ep.level == 2:
                others = others[:1]
        if key == "redcar" and all(a < 5 for a in ages) and ep.life.closed is None:
            others.append(self.world.users["healthvisitor.redcar"])
        return others

    def taf_meeting(
        self, ep: PlannedEpisode, episode: Episode, lead: User, day: date, members: list[TafMember]
    ) -> None:
        """A TAF meeting: who came from which agency, the family, and what was decided."""
        rng = self.rng
        meeting = TafMeeting(
            episode=episode, held_on=day, decisions=rng.choice(TAF_DECISIONS), recorded_by=lead
        )
        self.rows.add(meeting, Version(at=self.moment(day, 12, 16), by=lead))
        for member in members:
            if member.joined_on > day or (member.left_on is not None and member.left_on < day):
                continue
            self.rows.add(
                TafAttendee(
                    meeting=meeting,
                    name=member.user.get_full_name(),
                    user=member.user,
                    organisation=member.organisation,
                    agency=agency_of(member.organisation),
                    attended=member.user == lead or rng.random() < 0.88,
                )
            )
        for adult in ep.family.adults[: rng.randint(1, 2)]:
            self.rows.add(
                TafAttendee(
                    meeting=meeting,
                    name=adult.person.full_name,
                    person=adult.person,
                    agency=AgencyKind.FAMILY,
                )
            )
        if rng.random() < 0.2:
            police = self.world.organisations["police"]
            name = f"PCSO {self.faker.first_name()} {self.faker.last_name()}"
            self.rows.add(
                TafAttendee(
                    meeting=meeting, name=name, organisation=police, agency=AgencyKind.POLICE
                )
            )
        self.event(ep, day, "Team Around the Family meeting", lead)

    # --- the plan, reviews, step-up and closure -------------------------------------------

    def plan(
        self,
        ep: PlannedEpisode,
        episode: Episode,
        lead: User,
        needs: list[ScoredNeed],
        members: list[TafMember],
    ) -> None:
        """Outcomes for each need and SMART actions with an owner (person and agency) and
        a due date. Done, cancelled or still open by the as-of date; those still open at
        closure are carried forward or cancelled."""
        life, rng = ep.life, self.rng
        created = life.plan_created
        assert created is not None
        weeks = self.settings[ep.key].review_interval_weeks
        last = life.reviews[-1] if life.reviews else created
        plan = Plan(
            episode=episode, created_on=created, next_review_due=last + timedelta(weeks=weeks)
        )
        if len(members) >= 2:
            self.taf_meeting(ep, episode, lead, created, members)
        end = min(life.closed or self.last_day, self.last_day)
        become = (
            ActionStatus.CARRIED_FORWARD
            if life.closure_reason in CARRY_FORWARD
            else ActionStatus.CANCELLED
        )
        actions = []
        for scored in needs:
            name = scored.person.person.given_name if scored.person else "The family"
            outcome = PlanOutcome(
                plan=plan,
                need=scored.need,
                description=scored.kind.will_be_different.format(name=name),
            )
            self.rows.add(outcome, Version(at=self.moment(created), by=lead))
            for what, who in scored.kind.actions[: rng.randint(1, 2)]:
                action = self.action(ep, outcome, lead, members, what.format(name=name), who)
                action.due_date = created + timedelta(days=rng.randint(14, 70))
                versions, open_at_closure = self.action_life(
                    action, created, end, life.closed, become, lead
                )
                ep.open_at_closure += open_at_closure
                self.rows.add(action, *versions)
                actions.append(action)
        ep.actions = actions
        plan.version = 1 + len(needs) + 2 * len(actions)
        self.rows.add(plan, Version(at=self.moment(created, 12, 16), by=lead))

    def action(
        self,
        ep: PlannedEpisode,
        outcome: PlanOutcome,
        lead: User,
        members: list[TafMember],
        what: str,
        who: str,
    ) -> PlanAction:
        kinds = {"school": OrganisationKind.SCHOOL, "health": OrganisationKind.NHS_TRUST}
        owner = next((m.user for m in members if m.organisation.kind == kinds.get(who)), None)
        if who == "lead" or owner is not None:
            owner = owner or lead
            return PlanAction(
                outcome=outcome,
                description=what,
                owner_name=owner.get_full_name(),
                owner_user=owner,
                owner_agency=agency_of(owner.organisation),
                owner_organisation=owner.organisation,
            )
        child = ep.children[0]
        organisation = {
            "school": child.school or child.early_years,
            "health": child.gp_practice,
        }.get(who)
        if who == "family" or organisation is None:
            parent = ep.family.adults[0]
            return PlanAction(
                outcome=outcome,
                description=what,
                owner_name=parent.person.full_name,
                owner_agency=AgencyKind.FAMILY,
            )
        return PlanAction(
            outcome=outcome,
            description=what,
            owner_name="Class teacher" if who == "school" else "Practice nurse",
            owner_agency=agency_of(organisation),
            owner_organisation=organisation,
        )

    def action_life(
        self,
        action: PlanAction,
        created: date,
        end: date,
        closed: date | None,
        become: str,
        lead: User,
    ) -> tuple[list[Version], bool]:
        """Whether the action was done (and when) by ``end``; what closure made of it
        (and whether it was still open then)."""
        rng = self.rng
        opened = Version(
            at=self.moment(created),
            by=lead,
            state={"status": ActionStatus.OPEN, "completed_on": None},
        )
        roll = rng.random()
        if roll < 0.05:
            action.status = ActionStatus.CANCELLED
            day = self.day_between(created, end)
        elif (action.due_date <= end and roll < 0.72) or roll < 0.3:
            action.status = ActionStatus.DONE
            day = min(max(created, action.due_date - timedelta(days=rng.randint(0, 14))), end)
            action.completed_on = day
        elif closed is not None:
            action.status = become  # still open when the episode closed
            return [opened, Version(at=self.moment(closed, 14, 15), by=lead)], True
        else:
            return [opened], False  # open; overdue once its due date has passed
        return [opened, Version(at=self.moment(day, 12, 16), by=lead)], False

    def reviews(
        self,
        ep: PlannedEpisode,
        episode: Episode,
        lead: User,
        needs: list[ScoredNeed],
        members: list[TafMember],
    ) -> None:
        """Each review scores every need again: distance travelled, mostly upwards."""
        rng = self.rng
        for day in ep.life.reviews:
            review = Review(
                episode=episode, held_on=day, summary=rng.choice(REVIEW_SUMMARIES), recorded_by=lead
            )
            self.rows.add(review, Version(at=self.moment(day, 12, 16), by=lead))
            for scored in needs:
                score = max(1, min(10, scored.scores[-1] + rng.choice((-1, 0, 1, 1, 2, 2))))
                scored.scores.append(score)
                self.rows.add(
                    NeedScore(
                        need=scored.need,
                        stage=ScoreStage.REVIEW,
                        review=review,
                        score=score,
                        recorded_on=day,
                    )
                )
            if len(members) >= 2:
                self.taf_meeting(ep, episode, lead, day, members)
            self.event(ep, day, "Early help plan reviewed", lead)

    def step_up(self, ep: PlannedEpisode, episode: Episode, lead: User) -> None:
        """A request to step up to social care and the manager's decision; an agreed one
        becomes a front-door contact carrying the family, the reason and the consent."""
        life, rng = ep.life, self.rng
        if life.step_up_requested is None:
            return
        manager = self.manager(ep.key)
        agreed_by_family = rng.random() < 0.7
        up = StepUp(
            episode=episode,
            reason=rng.choice(STEP_UP_REASONS),
            requested_on=life.step_up_requested,
            requested_by=lead,
            family_agreement=FamilyAgreement.AGREED
            if agreed_by_family
            else FamilyAgreement.DECLINED,
            sharing_justification=""
            if agreed_by_family
            else "The parents do not agree, but the children are at risk of significant harm "
            "and social care needs to know now.",
        )
        pending = {
            "decision": StepUpDecision.PENDING,
            "decided_by": None,
            "decided_at": None,
            "decision_note": "",
            "contact": None,
        }
        versions = [Version(at=self.moment(life.step_up_requested), by=lead, state=pending)]
        decided = life.step_up_decided
        if decided is not None:
            up.decided_by, up.decided_at = manager, decided
            if life.step_up_agreed:
                up.decision = StepUpDecision.AGREED
                up.contact = self.step_up_contact(ep, up, manager, decided)
                self.event(
                    ep, local(decided).date(), "Stepped up from early help to social care",
                    manager, up.reason,
                )  # fmt: skip
            else:
                up.decision = StepUpDecision.DECLINED
                up.decision_note = (
                    "Not at the threshold for social care yet: the TAF will add weekly visits "
                    "and review in four weeks."
                )
            versions.append(Version(at=decided, by=manager))
        self.rows.add(up, *versions)

    def step_up_contact(
        self, ep: PlannedEpisode, up: StepUp, manager: User, decided: datetime
    ) -> Contact:
        referral = StepUpReferral(
            requester=up.requested_by,
            manager=manager,
            reason=up.reason,
            family_agreement=up.family_agreement,
            sharing_justification=up.sharing_justification,
            requested_on=up.requested_on,
        )
        p = Planned(
            family=ep.family,
            children=ep.children,
            received_at=decided,
            source="5D",
            step_up=referral,
            created_by=manager,
            outcome=Outcome.SOCIAL_CARE_ASSESSMENT
            if self.rng.random() < 0.8
            else Outcome.STRATEGY_DISCUSSION,
        )
        window = timedelta(days=REPEAT_WINDOW_DAYS)
        p.is_repeat = any(
            decided - window <= before < decided
            for child in ep.children
            for before in self.repeats_seen.get(child.person.pk, [])
        )
        for child in ep.children:
            self.repeats_seen.setdefault(child.person.pk, []).append(decided)
        self.front_door.timeline(p)
        self.contact_writer.contact(p)
        assert p.row is not None
        self.world.contacts.append(DemoContact(p.row, p.children, ep.family.household, p.decision))
        self.step_up_contacts += 1
        return p.row

    def closure(
        self, ep: PlannedEpisode, episode: Episode, lead: User, needs: list[ScoredNeed]
    ) -> None:
        """The reason, each need's outcome and score at closure, and the six-month
        Supporting Families checks on the outcome areas that improved."""
        life, rng = ep.life, self.rng
        closed = life.closed
        assert closed is not None
        resolution = ""
        if ep.open_at_closure:
            resolution = (
                "Open actions handed to the new service with the family's plan."
                if life.closure_reason in CARRY_FORWARD
                else "Open actions no longer needed: cancelled with the family's agreement."
            )
        closure = Closure(
            episode=episode,
            closed_on=closed,
            reason=life.closure_reason,
            summary=CLOSURE_SUMMARIES[life.closure_reason],
            open_actions_resolution=resolution,
            closed_by=lead,
        )
        self.rows.add(closure, Version(at=self.moment(closed, 14, 16), by=lead))
        shifts: dict[str, tuple[int, ...]] = {
            ClosureReason.NEEDS_MET: (1, 2, 2, 3),
            ClosureReason.STEPPED_DOWN: (0, 1, 2),
            ClosureReason.DECLINED: (-2, -1, 0),
            ClosureReason.MOVED_AWAY: (-1, 0, 1),
            ClosureReason.STEPPED_UP: (-3, -2, -1),
        }
        shift = shifts.get(life.closure_reason, (0, 1))
        improved: dict[str, SupportingFamiliesOutcome] = {}
        for scored in needs:
            final = max(1, min(10, scored.scores[-1] + rng.choice(shift)))
            outcome = (
                NeedOutcome.ACHIEVED
                if final >= 7
                else NeedOutcome.PARTLY
                if final >= 4
                else NeedOutcome.NOT_ACHIEVED
            )
            self.rows.add(NeedClosureOutcome(closure=closure, need=scored.need, outcome=outcome))
            self.rows.add(
                NeedScore(
                    need=scored.need, stage=ScoreStage.CLOSURE, score=final, recorded_on=closed
                )
            )
            if outcome != NeedOutcome.NOT_ACHIEVED:
                for code in scored.kind.outcome_areas:
                    improved[code] = self.outcome_areas[code]
        for area in improved.values():
            self.sustained_check(ep, closure, area, closed, lead)
        self.event(
            ep, closed, f"Early help closed: {ClosureReason(life.closure_reason).label}", lead
        )

    def sustained_check(
        self,
        ep: PlannedEpisode,
        closure: Closure,
        area: SupportingFamiliesOutcome,
        closed: date,
        lead: User,
    ) -> None:
        """Was the outcome sustained six months on? Recorded by the council's early help
        staff for most of those due; the rest are due and waiting."""
        rng = self.rng
        due = add_months(closed, SUSTAINED_AFTER_MONTHS)
        check = SustainedOutcomeCheck(closure=closure, outcome_area=area, follow_up_due=due)
        unchecked = {"result": "", "checked_on": None, "checked_by": None}
        versions = [Version(at=self.moment(closed, 14, 16), by=lead, state=unchecked)]
        if due <= self.last_day and rng.random() < 0.75:
            check.result = rng.choices(
                (SustainedResult.SUSTAINED, SustainedResult.NOT_SUSTAINED, SustainedResult.UNKNOWN),
                (65, 25, 10),
            )[0]
            check.checked_on = min(due + timedelta(days=rng.randint(0, 30)), self.last_day)
            check.checked_by = self.practitioner(ep.key, ep.locality_index)
            versions.append(Version(at=self.moment(check.checked_on), by=check.checked_by))
        self.rows.add(check, *versions)


# --- the step --------------------------------------------------------------------------------


@step(order=800)
def episodes(world: World) -> None:
    writer = EarlyHelpWriter(world)
    writer.choose()
    writer.write()
    world.contacts.sort(key=lambda c: c.contact.received_at)
    for line in summary(world, writer):
        world.note(line)


def summary(world: World, writer: EarlyHelpWriter) -> list[str]:
    """Episodes by state and origin, who leads them, and what is due or overdue."""
    as_of = world.as_of
    episodes = [e.row for e in writer.episodes if e.row is not None]
    states = Counter(e.status for e in episodes)
    origins = Counter(e.origin for e in episodes)
    leads = Counter(
        str(OrganisationKind(e.lead_professional_organisation.kind).label)
        for e in episodes
        if e.lead_professional_organisation is not None
    )
    actions = [a for e in writer.episodes for a in e.actions]
    overdue = sum(a.status == ActionStatus.OPEN and a.due_date < as_of for a in actions)
    lines = [
        f"Episodes: {len(episodes)} ("
        + ", ".join(f"{EpisodeStatus(s).label.lower()} {states[s]}" for s in EpisodeStatus.values)
        + f"); from the front door {origins[EpisodeOrigin.FRONT_DOOR]}, opened by partners "
        f"{origins[EpisodeOrigin.PARTNER]}, step-downs {origins[EpisodeOrigin.STEP_DOWN]}.",
        "Lead professionals: "
        + ", ".join(f"{kind} {n}" for kind, n in leads.most_common())
        + f"; {len(writer.panels)} allocation panels.",
        f"Plans: {len(actions)} actions ({overdue} open past their due date); "
        f"{writer.step_up_contacts} step-ups agreed and sent to the front door.",
    ]
    for council in world.councils.values():
        by_state = Counter(e.status for e in episodes if e.council_id == council.pk)
        lines.append(
            f"  {council.name}: "
            + ", ".join(
                f"{EpisodeStatus(s).label.lower()} {by_state[s]}" for s in EpisodeStatus.values
            )
        )
    return lines
