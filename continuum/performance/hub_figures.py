"""Front-door indicators by hub (issue 15): a hub's figure for a month is its councils'
figures for the months a data-sharing agreement in force had the hub run each council's
front door; and, for each council that joined a hub part way through, its front door in
the months before and after it joined.

A council's month belongs to the hub whose agreement (signed off by every council, as
``hubs.reach.in_force_on`` asks) covers any day of the month, so a council that joined part
way through a month counts from that month; if two agreements cover one month (one ends,
the next begins), the later one has it. Months under no agreement are "Not in a hub".

The figures are the engine's council x month cells regrouped (``engine.regroup``, decision
0017): counts add up, rates are recomputed from the summed numerators and denominators,
and everything passes disclosure control together (``disclosure.compute_grouped``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef

from continuum.hubs.models import AgreementCouncil
from continuum.organisations.models import Council
from continuum.performance import catalogue, disclosure
from continuum.performance.catalogue import IndicatorDefinition
from continuum.performance.engine import Cell, Result
from continuum.performance.periods import Period, PeriodKind, month_end, months_in
from continuum.performance.stats import spc
from continuum.timescales.months import add_months

DIMENSION = "hub"
NOT_IN_A_HUB = "Not in a hub"
# The front door's headline indicators, shown for every hub (the catalogue's own).
INDICATORS: tuple[str, ...] = (
    "fd_contacts_per_10k",
    "fd_repeat_contacts_pct",
    "fd_decided_within_1wd_pct",
    "fd_outcome_eh_single_pct",
    "fd_outcome_eh_multi_pct",
    "fd_outcome_s17_pct",
    "fd_outcome_s47_pct",
)
BEFORE_AFTER_MONTHS = 12


@dataclass(frozen=True)
class Hub:
    label: str  # the hub's name, or NOT_IN_A_HUB
    hub_id: int | None  # the hub organisation; None for NOT_IN_A_HUB


@dataclass(frozen=True)
class Joining:
    """A council whose front door a hub began to run part way through the period."""

    council: Council
    hub: str
    month: date  # the first month counted under the hub


@dataclass
class BeforeAfter:
    """One indicator for one council, the months before it joined a hub and after."""

    joining: Joining
    definition: IndicatorDefinition
    cells: list[Cell]  # the council's months from N before joining to N-1 after, oldest first
    before: list[Cell]  # those before joining with a value
    after: list[Cell]  # those from the joining month on with a value
    before_months: int  # months of the window before joining (N, fewer if the data starts later)
    after_months: int
    before_mean: float | None
    after_mean: float | None
    chart: spc.XmR | None  # limits from the months before; None with fewer than 2 before

    @property
    def difference(self) -> float | None:
        if self.before_mean is None or self.after_mean is None:
            return None
        return self.after_mean - self.before_mean


@dataclass
class HubFigures:
    councils: list[Council]
    months: list[date]
    result: Result  # published: hub cells (council None) and council cells by hub
    membership: dict[tuple[int, date], str]
    hubs: list[Hub]
    joinings: list[Joining] = field(default_factory=list)

    def hub_cell(self, code: str, hub: str, month: date) -> Cell | None:
        return self.result.get(code, None, month_period(month), hub)

    def council_cell(self, code: str, council: Council, month: date) -> Cell | None:
        period = month_period(month)
        return self.result.get(code, council.pk, period, self.membership.get((council.pk, month)))

    def councils_of(self, hub: str) -> list[Council]:
        """The councils counted under ``hub`` in any month of the period, by name."""
        ids = {council for (council, _), label in self.membership.items() if label == hub}
        return [c for c in self.councils if c.pk in ids]

    def council_series(self, code: str, council: Council) -> list[Cell]:
        """The council's own monthly cells (under whichever hub it was in), oldest first."""
        return sorted(
            (c for c in self.result.cells if c.indicator == code and c.council_id == council.pk),
            key=lambda c: c.period,
        )


def month_period(month: date) -> Period:
    return Period(PeriodKind.MONTH, month, month_end(month))


def hub_months(councils: Sequence[Council], months: Sequence[date]) -> dict[tuple[int, date], Hub]:
    """Each council's hub in each month (``NOT_IN_A_HUB`` outside any), from one query."""
    unsigned = AgreementCouncil.objects.filter(
        agreement=OuterRef("agreement"), signed_off_on__isnull=True
    )
    rows = list(
        AgreementCouncil.objects.filter(council__in=[c.pk for c in councils])
        .exclude(Exists(unsigned))
        .values_list(
            "council_id",
            "agreement__hub_id",
            "agreement__hub__name",
            "agreement__starts_on",
            "agreement__ends_on",
        )
    )
    outside = Hub(NOT_IN_A_HUB, None)
    found: dict[tuple[int, date], Hub] = {}
    for council in councils:
        mine = sorted((r for r in rows if r[0] == council.pk), key=lambda r: r[3])
        for month in months:
            last_day = month_end(month)
            hub = outside
            for _, hub_id, name, starts_on, ends_on in mine:
                if starts_on <= last_day and (ends_on is None or ends_on >= month):
                    hub = Hub(name, hub_id)  # the latest starting wins
            found[(council.pk, month)] = hub
    return found


def hub_figures(
    *,
    councils: Sequence[Council],
    first: date,
    last: date,
    indicators: Sequence[str] = INDICATORS,
    as_of: date | None = None,
) -> HubFigures:
    """The hubs' and their councils' monthly figures from ``first`` to ``last``, published."""
    councils = sorted(councils, key=lambda c: c.name)
    months = months_in(first, last)
    by_month = hub_months(councils, months)
    membership = {key: hub.label for key, hub in by_month.items()}
    result = disclosure.compute_grouped(
        councils=councils,
        first=first,
        last=last,
        group_of=lambda council_id, month: membership.get((council_id, month)),
        dimension=DIMENSION,
        indicators=list(indicators),
        as_of=as_of,
    )
    hubs = sorted(
        {hub for hub in by_month.values()},
        key=lambda h: (h.label == NOT_IN_A_HUB, h.label),
    )
    return HubFigures(
        councils, months, result, membership, hubs, _joinings(councils, months, membership)
    )


def _joinings(
    councils: Sequence[Council], months: Sequence[date], membership: dict[tuple[int, date], str]
) -> list[Joining]:
    """Councils outside any hub at some month of the period and in one at a later month:
    the first such month is when it joined."""
    joinings = []
    for council in councils:
        previous = None
        for month in months:
            label = membership[(council.pk, month)]
            if previous == NOT_IN_A_HUB and label != NOT_IN_A_HUB:
                joinings.append(Joining(council, label, month))
                break
            previous = label
    return joinings


def before_after(
    figures: HubFigures, joining: Joining, code: str, *, months: int = BEFORE_AFTER_MONTHS
) -> BeforeAfter:
    """The indicator's monthly values for the council in the ``months`` months before it
    joined and the ``months`` from the joining month on (fewer where the period starts
    later or ends sooner): the mean of each, and the XmR chart with its limits from the
    months before, so the months after show whether the front door changed."""
    definition = catalogue.get(code)
    start = add_months(joining.month, -months)
    stop = add_months(joining.month, months)
    cells = [
        c for c in figures.council_series(code, joining.council) if start <= c.period.start < stop
    ]
    before_window = [c for c in cells if c.period.start < joining.month]
    after_window = [c for c in cells if c.period.start >= joining.month]
    before = [c for c in before_window if c.value is not None]
    after = [c for c in after_window if c.value is not None]
    chart = None
    if len(before) >= 2 and after:
        values = [float(c.value) for c in (*before, *after) if c.value is not None]
        chart = spc.xmr(values, polarity=definition.polarity, baseline=len(before))
    return BeforeAfter(
        joining,
        definition,
        cells,
        before,
        after,
        len(before_window),
        len(after_window),
        _mean(before),
        _mean(after),
        chart,
    )


def _mean(cells: Sequence[Cell]) -> float | None:
    values = [c.value for c in cells if c.value is not None]
    return sum(values) / len(values) if values else None
