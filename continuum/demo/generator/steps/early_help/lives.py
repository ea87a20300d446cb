"""The dates an early help episode reaches each step, worked out before anything is written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from continuum.demo.generator.steps.front_door.records import (
    local,
)
from continuum.demo.generator.world import World
from continuum.early_help.choices import (
    ClosureReason,
    EpisodeOrigin,
    EpisodeStatus,
)
from continuum.timescales.working_days import add_working_days, first_working_day_on_or_after

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


class Lives:
    """When each step of an episode happens: from opening, through allocation at the
    locality's weekly panel, assessment, plan and reviews, to closure."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.rng = world.rng
        self.as_of = world.as_of
        # Everything happened before the as-of date began (it may be today).
        self.last_day = world.as_of - timedelta(days=1)
        self.cutoff = world.moment(world.as_of, hour=0) - timedelta(minutes=1)

    def moment(self, day: date, low: int = 9, high: int = 16) -> datetime:
        """A time that day in working hours (never after the as-of date began)."""
        hour, minute = self.rng.randint(low, high), self.rng.randint(0, 59)
        return min(self.world.moment(day, hour=hour, minute=minute), self.cutoff)

    def day_between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

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
