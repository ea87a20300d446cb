"""Early help spending compared like for like across councils and financial years (pure
reads, a handful of queries whatever the span; no one is named in a spending return).

For each chosen council and financial year:

- **by common category**: each amount under a council's own heading counted under the
  current classification's categories by the heading's shares (a heading split 60/40 counts
  60% of each amount under one category and 40% under the other); shares mapped to no
  category are *outside early help*, left out of the total and counted separately; a heading
  with no mapping in the current classification is *unmapped*, left out too and flagged;
- **by funding source**, and the **total**: what the council and its partners spent (the
  council, the Supporting Families grant, health, the police). The **voluntary sector's own
  resources** given in kind are shown beside it, never added in, as the voluntary sector
  asked; what councils commission from it is the "Voluntary-sector grants" category;
- in **cash**, or in **real terms**: multiplied by index(base year) / index(year) of the
  current GDP deflator series (``deflators.current_table``), named with its source and base
  year wherever the figures are shown;
- **denominators**: children aged 0 to 17 (the performance app's child population estimate
  for the year, else the council's own figure), **families helped** (early help episodes
  open at any time in the financial year), **families with a sustained outcome** (episodes
  with a six-month sustained-outcome check that found the outcome sustained, the check due
  in the year); counts of families of 1 to 4, and any figure per family over them, are
  shown as ``[c]`` (disclosure control).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone

from continuum.early_help.choices import SustainedResult
from continuum.early_help.models import Episode, SustainedOutcomeCheck
from continuum.organisations.models import Council
from continuum.performance import disclosure
from continuum.performance.engine.population import Population
from continuum.spending.choices import FundingSource, ReturnStatus
from continuum.spending.deflators import DeflatorTable, current_table, parse_year
from continuum.spending.models import (
    Category,
    CategoryMapping,
    SpendAmount,
    SpendingReturn,
    financial_year_label,
)

TOTAL = "total"
PER_CHILD = "per_child"
PER_FAMILY = "per_family"
PER_SUSTAINED = "per_sustained"
MEASURES: dict[str, str] = {
    TOTAL: "Total spend (£)",
    PER_CHILD: "Spend per child aged 0 to 17 (£)",
    PER_FAMILY: "Spend per family helped (£)",
    PER_SUSTAINED: "Spend per family with a sustained outcome (£)",
}
CASH = "cash"
REAL = "real"
PRICES: dict[str, str] = {CASH: "Cash (prices of each year)", REAL: "Real terms"}
# What the councils and their partners paid for; the voluntary sector's own resources are
# shown beside it.
PAID = tuple(s for s in FundingSource.values if s != FundingSource.VOLUNTARY_IN_KIND)
IN_KIND = str(FundingSource.VOLUNTARY_IN_KIND)
DEFAULT_YEARS = 5
MOST_YEARS = 10
HUNDRED = Decimal(100)

Shown = float | str | None  # a figure, the disclosure marker, or nothing to show


@dataclass
class CouncilYear:
    """One council's spending and denominators in one financial year (cash)."""

    council: Council
    year: int
    status: str | None = None  # None: no return
    categories: dict[str, Decimal] = field(default_factory=dict)
    sources: dict[str, Decimal] = field(default_factory=dict)
    outside: Decimal = Decimal(0)
    unmapped: Decimal = Decimal(0)
    unmapped_headings: set[str] = field(default_factory=set)
    children: float | None = None
    families: int = 0
    sustained: int = 0
    factor: Decimal | None = None  # to base-year prices

    @property
    def has_return(self) -> bool:
        """A return the council has submitted (signed off or not). A draft is the council's
        work in progress: other councils' readers do not see it, and it counts for nothing
        until submitted."""
        return self.status in (ReturnStatus.SUBMITTED, ReturnStatus.SIGNED_OFF)

    @property
    def total(self) -> Decimal:
        """Early help spending paid for by the council and its partners (in kind left out)."""
        return sum(self.categories.values(), Decimal(0))

    @property
    def in_kind(self) -> Decimal:
        return self.sources.get(IN_KIND, Decimal(0))

    def priced(self, amount: Decimal, prices: str) -> float | None:
        if prices == REAL:
            return None if self.factor is None else float(amount * self.factor)
        return float(amount)

    def denominator(self, measure: str) -> float | None:
        if measure == PER_CHILD:
            return self.children
        if measure == PER_FAMILY:
            return float(self.families)
        if measure == PER_SUSTAINED:
            return float(self.sustained)
        return None

    def figure(self, amount: Decimal, measure: str, prices: str) -> Shown:
        """``amount`` as ``measure`` in ``prices``: the marker when per family over 1 to 4
        families; None when there is nothing to divide by or no deflator for the year."""
        if not self.has_return:
            return None
        money = self.priced(amount, prices)
        if measure == TOTAL or money is None:
            return None if money is None else round(money, 2)
        if measure in (PER_FAMILY, PER_SUSTAINED) and disclosure.is_small(
            self.denominator(measure)
        ):
            return disclosure.MARKER
        per = self.denominator(measure)
        return round(money / per, 2) if per else None

    def count(self, measure: str) -> int | str:
        """A count of families, through disclosure control."""
        value = self.families if measure == PER_FAMILY else self.sustained
        return disclosure.MARKER if disclosure.is_small(value) else value


@dataclass
class Comparison:
    councils: list[Council]
    years: list[int]
    measure: str
    prices: str
    categories: list[tuple[str, str]]  # (code, name) of the current classification
    deflators: DeflatorTable | None
    cells: dict[tuple[int, int], CouncilYear]

    def cell(self, council: Council, year: int) -> CouncilYear:
        return self.cells[(council.pk, year)]

    def value(self, council: Council, year: int, category: str | None = None) -> Shown:
        cell = self.cell(council, year)
        amount = cell.total if category is None else cell.categories.get(category, Decimal(0))
        return cell.figure(amount, self.measure, self.prices)

    @property
    def measure_label(self) -> str:
        return MEASURES[self.measure]

    @property
    def prices_text(self) -> str:
        if self.prices == CASH:
            return "In cash: each year's amounts at that year's prices."
        if self.deflators is None:
            return "There is no deflator series, so no figure can be put in real terms."
        return self.deflators.described

    @property
    def year_labels(self) -> list[str]:
        return [financial_year_label(y) for y in self.years]

    @property
    def has_returns(self) -> bool:
        return any(c.has_return for c in self.cells.values())


class QueryError(ValidationError):
    """A query the comparison cannot answer, keyed by field."""


@dataclass(frozen=True)
class Query:
    councils: list[Council]
    years: list[int]
    measure: str = PER_CHILD
    prices: str = REAL


def parse_query(
    available: Sequence[Council],
    *,
    councils: Iterable[str] = (),
    years: Iterable[str] = (),
    measure: str | None = None,
    prices: str | None = None,
    today: date | None = None,
) -> Query:
    """The comparison asked for, from a page's or the API's query (strings); every problem
    raised at once, keyed by field (``councils``, ``years``, ``measure``, ``prices``)."""
    errors: dict[str, str] = {}
    by_id = {str(c.pk): c for c in available}
    council_texts = [t.strip() for t in councils if t.strip()]
    unknown = [t for t in council_texts if t not in by_id]
    if unknown:
        errors["councils"] = "Choose councils from the list."
    chosen = [c for c in available if str(c.pk) in council_texts] or list(available)
    year_list: list[int] = []
    last = (today or timezone.localdate()).year
    for text in (t for t in years if t.strip()):
        try:
            year = parse_year(text)
        except ValueError:
            errors["years"] = "Choose financial years like 2024-25."
            break
        if year > last:
            errors["years"] = f"Choose financial years up to {financial_year_label(last)}."
            break
        if year not in year_list:
            year_list.append(year)
    if len(year_list) > MOST_YEARS:
        errors["years"] = f"Choose at most {MOST_YEARS} financial years."
    measure = (measure or PER_CHILD).strip()
    if measure not in MEASURES:
        errors["measure"] = "Choose what to compare: total, per child, per family helped or "
        errors["measure"] += "per family with a sustained outcome."
    prices = (prices or REAL).strip()
    if prices not in PRICES:
        errors["prices"] = "Choose cash or real terms."
    if errors:
        raise QueryError(errors)
    if not year_list:
        year_list = default_years(chosen, today)
    return Query(councils=chosen, years=sorted(year_list), measure=measure, prices=prices)


def default_years(councils: Sequence[Council], today: date | None = None) -> list[int]:
    """The latest financial years with any return of the councils (at most five), else the
    five financial years before this one."""
    with_returns = sorted(
        set(
            SpendingReturn.objects.filter(council__in=councils).values_list(
                "financial_year", flat=True
            )
        )
    )
    if with_returns:
        return with_returns[-DEFAULT_YEARS:]
    day = today or timezone.localdate()
    this_year = day.year if day.month >= 4 else day.year - 1
    return list(range(this_year - DEFAULT_YEARS, this_year))


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 4, 1), date(year + 1, 3, 31)


def compare(query: Query) -> Comparison:
    """The comparison (about ten queries)."""
    councils, years = query.councils, query.years
    categories = list(
        Category.objects.filter(classification__is_current=True)
        .order_by("order", "code")
        .values_list("code", "name")
    )
    deflators = current_table()
    cells = {
        (c.pk, y): CouncilYear(
            council=c,
            year=y,
            categories={code: Decimal(0) for code, _ in categories},
            factor=deflators.factor(y) if deflators else None,
        )
        for c in councils
        for y in years
    }
    _read_returns(cells, councils, years)
    _read_denominators(cells, councils, years)
    return Comparison(
        councils=list(councils),
        years=list(years),
        measure=query.measure,
        prices=query.prices,
        categories=categories,
        deflators=deflators,
        cells=cells,
    )


def _read_returns(
    cells: dict[tuple[int, int], CouncilYear], councils: Sequence[Council], years: Sequence[int]
) -> None:
    for council_id, year, status in SpendingReturn.objects.filter(
        council__in=councils, financial_year__in=years
    ).values_list("council_id", "financial_year", "status"):
        cells[(council_id, year)].status = status
    amounts = list(
        SpendAmount.objects.filter(
            spending_return__council__in=councils, spending_return__financial_year__in=years
        )
        .exclude(spending_return__status=ReturnStatus.DRAFT)
        .values_list(
            "spending_return__council_id",
            "spending_return__financial_year",
            "council_category_id",
            "council_category__name",
            "funding_source",
            "amount",
        )
    )
    shares: dict[int, list[tuple[str | None, Decimal]]] = defaultdict(list)
    for heading_id, code, share in CategoryMapping.objects.filter(
        classification__is_current=True,
        council_category_id__in={row[2] for row in amounts},
    ).values_list("council_category_id", "category__code", "share"):
        shares[heading_id].append((code, share))
    for council_id, year, heading_id, heading_name, source, amount in amounts:
        cell = cells[(council_id, year)]
        mapped = shares.get(heading_id)
        if not mapped:
            cell.unmapped += amount
            cell.unmapped_headings.add(heading_name)
            continue
        for category, share in mapped:
            part = amount * share / HUNDRED
            if category is None or category not in cell.categories:
                cell.outside += part
                continue
            # By source: the early help part only; the voluntary sector's own resources
            # are kept beside the categories, never added to them.
            cell.sources[source] = cell.sources.get(source, Decimal(0)) + part
            if source != IN_KIND:
                cell.categories[category] += part


def _read_denominators(
    cells: dict[tuple[int, int], CouncilYear], councils: Sequence[Council], years: Sequence[int]
) -> None:
    population = Population(councils)
    for (council_id, year), cell in cells.items():
        cell.children = population.of(council_id, year)
    open_in: dict[str, Count] = {}
    sustained_in: dict[str, Count] = {}
    for year in years:
        first, last = year_bounds(year)
        open_in[f"y{year}"] = Count(
            "pk",
            filter=Q(start_date__lte=last) & (Q(end_date__isnull=True) | Q(end_date__gte=first)),
        )
        sustained_in[f"y{year}"] = Count(
            "closure__episode",
            distinct=True,
            filter=Q(follow_up_due__gte=first, follow_up_due__lte=last),
        )
    keys = list(open_in)
    episodes = (
        Episode.objects.filter(council__in=councils)
        .values("council_id")
        .annotate(**open_in)
        .values_list("council_id", *keys)
    )
    checks = (
        SustainedOutcomeCheck.objects.filter(
            closure__episode__council__in=councils, result=SustainedResult.SUSTAINED
        )
        .values("closure__episode__council_id")
        .annotate(**sustained_in)
        .values_list("closure__episode__council_id", *keys)
    )
    for council_id, *counts in episodes:
        for year, count in zip(years, counts, strict=True):
            cells[(council_id, year)].families = count
    for council_id, *counts in checks:
        for year, count in zip(years, counts, strict=True):
            cells[(council_id, year)].sustained = count


def signed_off(status: str | None) -> bool:
    return status == ReturnStatus.SIGNED_OFF


def councils_for(user: object) -> list[Council]:
    """The councils ``user`` may compare: those the partnership lead's partnership serves,
    or every council for those who see the performance dashboards."""
    from continuum.accounts.models import Role, User
    from continuum.performance.policies import councils_compared
    from continuum.spending.policies import served_councils

    if not isinstance(user, User):
        return []
    if user.role == Role.SAFEGUARDING_PARTNERSHIP_LEAD:
        return list(served_councils(user).order_by("name"))
    return list(councils_compared(user).order_by("name"))
