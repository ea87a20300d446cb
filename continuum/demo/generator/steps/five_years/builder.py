"""The history's builder: what it has made so far, the council's staff, the clock, and the
rows it queues (``writing.save`` writes them in bulk at the end).

The records the other modules pass between them live here too: ``Made`` (a contact and
what the figures need of it), ``Return`` (a family due back at the front door) and
``Casefile`` (an early help episode as its life is drawn).
"""

from __future__ import annotations

import calendar
import random
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Model
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.demo.generator.steps.five_years.kin import Kin, KinMaker
from continuum.demo.generator.steps.five_years.statutory import Journey
from continuum.demo.generator.steps.five_years.targets import CouncilTargets
from continuum.demo.generator.world import DemoPerson, World
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import (
    AllocationPanel,
    Episode,
    Need,
    PlanAction,
    StepUp,
    SupportingFamiliesOutcome,
)
from continuum.front_door.models import Contact, ContactDecision, TriageMeeting
from continuum.organisations.models import Organisation
from continuum.thresholds.models import Domain, Indicator
from continuum.thresholds.rules import IndicatorFacts, suggest_level
from continuum.thresholds.selectors import current_version
from continuum.timescales.working_days import first_working_day_on_or_after, is_working_day

YEAR = 365.25


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


@dataclass(eq=False)
class Casefile:
    """One early help episode as its life is drawn: the row, the family, who leads it and
    what the casework has made so far."""

    key: str
    kin: Kin
    children: list[DemoPerson]
    origin: str
    start: date
    episode: Episode
    level: int
    agency: str  # the lead professional's: council, school, health or voluntary
    lead: User
    status: str = EpisodeStatus.AWAITING_ALLOCATION
    plan_day: date | None = None
    needs: list[Need] = field(default_factory=list)
    need_areas: dict[int, list[SupportingFamiliesOutcome]] = field(default_factory=dict)
    actions: list[PlanAction] = field(default_factory=list)
    # Each need's latest score, by the need's ``pk`` (not yet saved, so None for every need:
    # the needs of an episode share one running score).
    scores: dict[Any, int] = field(default_factory=dict)
    reason: str = ""  # why it closes (or will)
    closed: date | None = None


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
        # Each child's referrals written so far, by council: (start, end or None while
        # open, the referral, its journey).
        self.spans: dict[tuple[str, Any], list[tuple[date, date | None, Any, Any]]] = defaultdict(
            list
        )
        self.episodes: list[tuple[str, Episode, str, date | None]] = []  # key, row, reason, closed
        # Every episode's casefile, for the consent its family gave (``consent``).
        self.cases: list[Casefile] = []
        # Each undecided contact's status changes so far, and the worker deciding it.
        self.timelines: dict[int, tuple[list[tuple[str, datetime, User]], User]] = {}
        self.pending: dict[int, list[Return]] = defaultdict(list)
        self.free: dict[str, list[tuple[date, Kin]]] = defaultdict(list)
        self.current = -1
        self.targets: CouncilTargets  # the council being simulated
        # Local programmes by council key, with their built-in effect, and their own stream
        # (``programmes``), so who takes part moves no other draw.
        self.programmes: dict[str, tuple[Any, float]] = {}
        self.programme_rng = random.Random(f"{world.seed}:programmes")

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
                    )
                    # The hub's sign-ins (issue 15) work in the hub, not the history: adding
                    # them moves none of the history's draws.
                    .exclude(username__startswith="hub.")
                    .order_by("username")
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

    # --- time --------------------------------------------------------------------------

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return self.world.moment(day, hour=hour, minute=minute)

    def happened(self, day: date) -> bool:
        """Whether ``day`` is before the as-of date."""
        return day < self.as_of

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

    # --- rows --------------------------------------------------------------------------

    def add(self, obj: Any, *, after: type[Model] | None = None) -> Any:
        """Queue a row; ``after`` puts a statutory part after the referrals."""
        self.rows[StatutoryParts if after is not None else type(obj)].append(obj)
        return obj


class StatutoryParts(Model):
    """A marker: statutory parts are written after the referrals they belong to."""

    class Meta:
        abstract = True
