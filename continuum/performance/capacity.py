"""Early help capacity: caseloads against each council's norm, the waiting list, the time
from the front door's decision to allocation, and next quarter's projected demand.

Caseloads count open, allocated episodes (one episode is one family) by lead professional
and by the team that owns the episode. Workers are named only for the councils the user may
see in detail; the caller decides which (``detail`` below) and other councils get totals.
Every figure comes from a handful of grouped queries, whatever the number of episodes.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from continuum.accounts.models import User
from continuum.early_help.choices import OPEN_EPISODE_STATUSES, EpisodeStatus
from continuum.early_help.models import EarlyHelpSettings, Episode
from continuum.front_door.choices import ContactStatus
from continuum.front_door.models import Contact
from continuum.organisations.models import Council, Team
from continuum.performance.periods import month_start
from continuum.performance.stats.percentiles import percentile
from continuum.performance.stats.projection import Projection, project_quarter
from continuum.timescales.months import add_months

DEFAULT_NORM = int(EarlyHelpSettings._meta.get_field("caseload_norm").default)
# How long families on the waiting list have waited, in calendar days.
WAIT_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("Under 2 weeks", 0, 13),
    ("2 to 4 weeks", 14, 27),
    ("4 to 8 weeks", 28, 55),
    ("8 weeks or more", 56, None),
)
ALLOCATED_STATUSES = tuple(
    s for s in OPEN_EPISODE_STATUSES if s != EpisodeStatus.AWAITING_ALLOCATION
)


@dataclass(frozen=True)
class WorkerCaseload:
    name: str
    organisation: str
    teams: str
    open_episodes: int
    norm: int

    @property
    def over_norm(self) -> int:
        return max(0, self.open_episodes - self.norm)


@dataclass(frozen=True)
class TeamCaseload:
    name: str
    workers: int
    open_episodes: int
    workers_over_norm: int

    @property
    def average(self) -> float | None:
        return self.open_episodes / self.workers if self.workers else None


@dataclass(frozen=True)
class Waiting:
    families: int
    median_days: float | None
    longest_days: int | None
    bands: tuple[int, ...]  # families in each of WAIT_BANDS


@dataclass(frozen=True)
class AllocationMonth:
    month: date
    allocated: int
    median_days: float | None
    p90_days: float | None


@dataclass(frozen=True)
class Demand:
    what: str
    months: tuple[date, ...]
    counts: tuple[int, ...]
    projection: Projection


@dataclass
class CouncilCapacity:
    council: Council
    detail: bool
    norm: int
    open_episodes: int = 0
    workers: int = 0
    workers_over_norm: int = 0
    waiting: Waiting = field(default_factory=lambda: Waiting(0, None, None, (0,) * len(WAIT_BANDS)))
    waiting_by_team: list[tuple[str, Waiting]] = field(default_factory=list)
    teams: list[TeamCaseload] = field(default_factory=list)
    worker_rows: list[WorkerCaseload] = field(default_factory=list)
    allocation: list[AllocationMonth] = field(default_factory=list)
    allocation_overall: AllocationMonth | None = None
    demand: list[Demand] = field(default_factory=list)

    @property
    def average(self) -> float | None:
        return self.open_episodes / self.workers if self.workers else None

    @property
    def percent_over_norm(self) -> float | None:
        return 100 * self.workers_over_norm / self.workers if self.workers else None


@dataclass
class Capacity:
    as_of: date
    months: tuple[date, ...]  # the 12 complete months before as_of
    quarter: tuple[date, date]  # the projected quarter (first and last day)
    councils: list[CouncilCapacity]


def _median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def _waiting(days: Sequence[int]) -> Waiting:
    bands = tuple(
        sum(1 for d in days if d >= low and (high is None or d <= high))
        for _, low, high in WAIT_BANDS
    )
    return Waiting(len(days), _median(days), max(days) if days else None, bands)


def next_quarter(as_of: date) -> tuple[date, date]:
    """The financial quarter after the one ``as_of`` falls in (April to June is Q1)."""
    quarter_start = add_months(month_start(as_of), -((as_of.month - 4) % 3))
    first = add_months(quarter_start, 3)
    return first, add_months(first, 3) - timedelta(days=1)


def _local_date(value: datetime | None) -> date | None:
    return timezone.localtime(value).date() if value is not None else None


def compute_capacity(
    *, councils: Sequence[Council], detail: Sequence[Council], as_of: date | None = None
) -> Capacity:
    """Capacity for ``councils``; workers and teams only for those also in ``detail``."""
    as_of = as_of or timezone.localdate()
    ids = [c.pk for c in councils]
    detail_ids = {c.pk for c in detail}
    this_month = month_start(as_of)
    months = tuple(add_months(this_month, -12 + i) for i in range(12))
    quarter = next_quarter(as_of)

    norms = {c.pk: DEFAULT_NORM for c in councils}
    norms.update(
        EarlyHelpSettings.objects.filter(council_id__in=ids).values_list(
            "council_id", "caseload_norm"
        )
    )
    result = {c.pk: CouncilCapacity(c, c.pk in detail_ids, norms[c.pk]) for c in councils}

    # Caseloads: open, allocated episodes by council, team and lead professional.
    per_worker: Counter[tuple[int, int]] = Counter()
    worker_teams: defaultdict[tuple[int, int], set[int]] = defaultdict(set)
    per_team: Counter[tuple[int, int]] = Counter()
    team_workers: defaultdict[tuple[int, int], set[int]] = defaultdict(set)
    for council_id, team_id, worker_id, n in (
        Episode.objects.filter(
            council_id__in=ids, status__in=ALLOCATED_STATUSES, lead_professional__isnull=False
        )
        .values_list("council_id", "team_id", "lead_professional_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        per_worker[(council_id, worker_id)] += n
        worker_teams[(council_id, worker_id)].add(team_id)
        per_team[(council_id, team_id)] += n
        team_workers[(council_id, team_id)].add(worker_id)
    for (council_id, _), n in per_worker.items():
        row = result[council_id]
        row.open_episodes += n
        row.workers += 1
        row.workers_over_norm += n > row.norm

    # Waiting list: episodes still awaiting allocation, and how long each has waited.
    waits: defaultdict[int, list[int]] = defaultdict(list)
    team_waits: defaultdict[tuple[int, int], list[int]] = defaultdict(list)
    for council_id, team_id, start, decided_at in Episode.objects.filter(
        council_id__in=ids, status=EpisodeStatus.AWAITING_ALLOCATION
    ).values_list("council_id", "team_id", "start_date", "front_door_decided_at"):
        since = min(start, _local_date(decided_at) or start)
        days = max(0, (as_of - since).days)
        waits[council_id].append(days)
        team_waits[(council_id, team_id)].append(days)

    # Names, for the councils in detail only.
    team_ids = {t for (c, t) in list(per_team) + list(team_waits) if c in detail_ids}
    team_names = dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "name"))
    worker_ids = {w for (c, w) in per_worker if c in detail_ids}
    workers = {
        u.pk: u for u in User.objects.filter(pk__in=worker_ids).select_related("organisation")
    }

    for council_id, row in result.items():
        row.waiting = _waiting(waits[council_id])
        if not row.detail:
            continue
        row.teams = sorted(
            (
                TeamCaseload(
                    name=team_names.get(team_id, "No team"),
                    workers=len(team_workers[(c, team_id)]),
                    open_episodes=n,
                    workers_over_norm=sum(
                        1 for w in team_workers[(c, team_id)] if per_worker[(c, w)] > row.norm
                    ),
                )
                for (c, team_id), n in per_team.items()
                if c == council_id
            ),
            key=lambda t: t.name,
        )
        row.worker_rows = sorted(
            (
                WorkerCaseload(
                    name=str(workers[w]),
                    organisation=str(workers[w].organisation or ""),
                    teams=", ".join(
                        sorted(team_names.get(t, "No team") for t in worker_teams[(c, w)])
                    ),
                    open_episodes=n,
                    norm=row.norm,
                )
                for (c, w), n in per_worker.items()
                if c == council_id
            ),
            key=lambda r: (-r.open_episodes, r.name),
        )
        row.waiting_by_team = sorted(
            (team_names.get(t, "No team"), _waiting(days))
            for (c, t), days in team_waits.items()
            if c == council_id
        )

    # Time from the front door's decision to allocation, by month of allocation.
    first_day = timezone.make_aware(datetime.combine(months[0], time.min))
    end_day = timezone.make_aware(datetime.combine(this_month, time.min))
    allocation_days: defaultdict[tuple[int, date], list[int]] = defaultdict(list)
    for council_id, decided_at, allocated_at in Episode.objects.filter(
        council_id__in=ids,
        front_door_decided_at__isnull=False,
        allocated_at__gte=first_day,
        allocated_at__lt=end_day,
    ).values_list("council_id", "front_door_decided_at", "allocated_at"):
        decided, allocated = _local_date(decided_at), _local_date(allocated_at)
        assert decided is not None and allocated is not None
        allocation_days[(council_id, month_start(allocated))].append(
            max(0, (allocated - decided).days)
        )
    for council_id, row in result.items():
        everything: list[int] = []
        for month in months:
            in_month = allocation_days.get((council_id, month), [])
            everything += in_month
            row.allocation.append(
                AllocationMonth(month, len(in_month), _median(in_month), percentile(in_month, 0.9))
            )
        row.allocation_overall = AllocationMonth(
            months[0], len(everything), _median(everything), percentile(everything, 0.9)
        )

    # Demand: contacts received and episodes started each month, projected forward.
    contacts = _monthly(
        Contact.objects.filter(
            council_id__in=ids, received_at__gte=first_day, received_at__lt=end_day
        )
        .exclude(status=ContactStatus.DRAFT)
        .annotate(month=TruncMonth("received_at"))
        .values_list("council_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    starts = _monthly(
        Episode.objects.filter(
            council_id__in=ids, start_date__gte=months[0], start_date__lt=this_month
        )
        .annotate(month=TruncMonth("start_date"))
        .values_list("council_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    ahead = (quarter[0].year - months[-1].year) * 12 + quarter[0].month - months[-1].month
    for council_id, row in result.items():
        for what, counts in (
            ("Contacts received", contacts),
            ("Early help episodes started", starts),
        ):
            series = tuple(counts.get((council_id, m), 0) for m in months)
            row.demand.append(Demand(what, months, series, project_quarter(series, ahead)))
    return Capacity(as_of, months, quarter, list(result.values()))


def _monthly(rows: object) -> dict[tuple[int, date], int]:
    counts: dict[tuple[int, date], int] = {}
    for council_id, month, n in rows:  # type: ignore[attr-defined]
        day = month.date() if isinstance(month, datetime) else month
        if isinstance(month, datetime) and timezone.is_aware(month):
            day = timezone.localtime(month).date()
        counts[(council_id, day)] = counts.get((council_id, day), 0) + n
    return counts


def combined_demand(capacity: Capacity) -> list[Demand]:
    """The councils' demand added together, projected the same way."""
    totals: list[Demand] = []
    if not capacity.councils:
        return totals
    ahead = (
        (capacity.quarter[0].year - capacity.months[-1].year) * 12
        + capacity.quarter[0].month
        - capacity.months[-1].month
    )
    for index, first in enumerate(capacity.councils[0].demand):
        series = tuple(
            sum(row.demand[index].counts[i] for row in capacity.councils)
            for i in range(len(capacity.months))
        )
        totals.append(Demand(first.what, capacity.months, series, project_quarter(series, ahead)))
    return totals
