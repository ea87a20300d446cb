"""Early help spending (issue 15): each council's own headings, mapped onto the common
classification, and five financial years of returns.

Each council records its spending under headings in its own words (``CouncilCategory``),
mapped explicitly onto the current version of the common classification (loaded by the
spending app's migration). Stockton's headings are the base and map one to one; the others
fit imperfectly, so the mapping and the gap flags have something to do:

- Hartlepool merges parenting into family support: one heading split 70/30 across family
  support and parenting.
- Middlesbrough has no domestic-abuse heading (a category with no spend while the others
  spend).
- Redcar and Cleveland splits youth work across two headings, and its inclusion and
  prevention heading is partly outside early help (a share mapped to no category).

Returns: the five financial years ending with the last complete one before the as-of date
(2021-22 to 2025-26 for an as-of date in 2026-27), per council, amounts by heading and
funding source and staff (FTE) by role. Totals of a few £ million a year for a council's
size (about £140 to £175 per child aged 0-17), drifting up year by year, the Supporting
Families grant faster; scaled by the preset's share of the councils' children as the
history is (the small preset's 2% slice spends 2% as much, so spend per child stays
realistic). Each return is submitted by the council's manager and signed off by its
strategic lead (``lead.<council>``), except Hartlepool's latest year (submitted, not yet
signed off) and Redcar and Cleveland's earliest year (missing).

Written with the models (order 920, after the history). Copies made by ``--scale`` take
their Tees council's headings and figures, with named accounts submitting and signing off.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from continuum.accounts.models import Role, User
from continuum.demo.generator import places
from continuum.demo.generator.registry import step
from continuum.demo.generator.steps.five_years import children_represented
from continuum.demo.generator.world import World
from continuum.organisations.models import Council
from continuum.spending.choices import FundingSource, ReturnStatus, StaffRole
from continuum.spending.models import (
    Category,
    CategoryMapping,
    Classification,
    CouncilCategory,
    SpendAmount,
    SpendingReturn,
    StaffLine,
    financial_year_label,
)

YEARS = 5
# The council whose latest return is submitted but not signed off, and the one whose
# earliest year is missing.
SUBMITTED_ONLY = "hartlepool"
MISSING_EARLIEST = "redcar"

# Each funding source's share of a heading, by the kind of heading.
SOURCES: dict[str, dict[str, float]] = {
    "key_work": {FundingSource.COUNCIL: 0.55, FundingSource.SUPPORTING_FAMILIES: 0.45},
    "hubs": {
        FundingSource.COUNCIL: 0.70,
        FundingSource.SUPPORTING_FAMILIES: 0.10,
        FundingSource.HEALTH: 0.10,
        FundingSource.VOLUNTARY_IN_KIND: 0.10,
    },
    "parenting": {
        FundingSource.COUNCIL: 0.60,
        FundingSource.SUPPORTING_FAMILIES: 0.30,
        FundingSource.VOLUNTARY_IN_KIND: 0.10,
    },
    "youth": {
        FundingSource.COUNCIL: 0.85,
        FundingSource.POLICE: 0.05,
        FundingSource.VOLUNTARY_IN_KIND: 0.10,
    },
    "school": {FundingSource.COUNCIL: 0.80, FundingSource.SUPPORTING_FAMILIES: 0.20},
    "health": {FundingSource.HEALTH: 0.80, FundingSource.COUNCIL: 0.20},
    "domestic_abuse": {
        FundingSource.COUNCIL: 0.50,
        FundingSource.POLICE: 0.30,
        FundingSource.SUPPORTING_FAMILIES: 0.10,
        FundingSource.VOLUNTARY_IN_KIND: 0.10,
    },
    "voluntary": {FundingSource.COUNCIL: 0.55, FundingSource.VOLUNTARY_IN_KIND: 0.45},
    "management": {FundingSource.COUNCIL: 0.85, FundingSource.SUPPORTING_FAMILIES: 0.15},
}
SOURCE_ORDER = [s.value for s in FundingSource]


@dataclass(frozen=True)
class Heading:
    code: str
    name: str
    weight: float  # share of the council's total
    sources: str  # a key of SOURCES
    maps_to: tuple[tuple[str | None, int], ...]  # (common category code or None, share %)
    note: str = ""


def _one(code: str, name: str, weight: float, sources: str, category: str) -> Heading:
    return Heading(code, name, weight, sources, ((category, 100),))


HEADINGS: dict[str, tuple[Heading, ...]] = {
    # The base: the one spreadsheet the review saw used Stockton's headings.
    "stockton": (
        _one("EH01", "Family support and key work", 0.30, "key_work", "family_support"),
        _one("EH02", "Family hubs", 0.20, "hubs", "family_hubs"),
        _one("EH03", "Parenting programmes", 0.06, "parenting", "parenting"),
        _one("EH04", "Youth service", 0.10, "youth", "youth"),
        _one("EH05", "Schools early help and inclusion", 0.07, "school", "school_based"),
        _one("EH06", "0-19 public health nursing (early help share)", 0.12, "health",
             "health_commissioned"),
        _one("EH07", "Domestic abuse support", 0.05, "domestic_abuse", "domestic_abuse"),
        _one("EH08", "Voluntary and community sector grants", 0.04, "voluntary",
             "voluntary_grants"),
        _one("EH09", "Early help management and business support", 0.06, "management",
             "management"),
    ),
    "hartlepool": (
        Heading("FAMSUP", "Family support and parenting", 0.36, "key_work",
                (("family_support", 70), ("parenting", 30)),
                "Hartlepool records parenting work with its family support: about 30% of the "
                "heading, by the parenting practitioners' share of its staff."),
        _one("CENTRES", "Children's centres and family hubs", 0.19, "hubs", "family_hubs"),
        _one("YOUTH", "Youth and community", 0.11, "youth", "youth"),
        _one("SCHOOLS", "School inclusion and attendance support", 0.07, "school",
             "school_based"),
        _one("HEALTH", "Health visiting contribution", 0.12, "health", "health_commissioned"),
        _one("DVA", "Domestic violence and abuse", 0.05, "domestic_abuse", "domestic_abuse"),
        _one("GRANTS", "Community grants", 0.04, "voluntary", "voluntary_grants"),
        _one("SUPPORT", "Service management and administration", 0.06, "management",
             "management"),
    ),
    # No domestic-abuse heading: Middlesbrough's is in community safety, outside children's
    # services' budget.
    "middlesbrough": (
        _one("EHT", "Early help teams", 0.33, "key_work", "family_support"),
        _one("FH", "Family hubs", 0.21, "hubs", "family_hubs"),
        _one("PAR", "Parenting", 0.06, "parenting", "parenting"),
        _one("YTH", "Youth provision", 0.10, "youth", "youth"),
        _one("SCH", "Schools' early help offer", 0.07, "school", "school_based"),
        _one("PH019", "Public health 0-19 (early help)", 0.13, "health", "health_commissioned"),
        _one("VCS", "Commissioned voluntary services", 0.04, "voluntary", "voluntary_grants"),
        _one("MGT", "Management and central support", 0.06, "management", "management"),
    ),
    "redcar": (
        _one("R-FSW", "Family support workers", 0.29, "key_work", "family_support"),
        _one("R-HUB", "Family hubs and children's centres", 0.19, "hubs", "family_hubs"),
        _one("R-PAR", "Parenting and family learning", 0.06, "parenting", "parenting"),
        _one("R-YU", "Universal youth clubs", 0.05, "youth", "youth"),
        _one("R-YT", "Targeted youth support", 0.06, "youth", "youth"),
        Heading("R-INC", "Inclusion and prevention service", 0.08, "school",
                (("school_based", 65), (None, 35)),
                "About 35% of the service is exclusions and alternative provision casework, "
                "outside early help."),
        _one("R-HV", "Health visiting (early help share)", 0.12, "health",
             "health_commissioned"),
        _one("R-DA", "Domestic abuse services", 0.05, "domestic_abuse", "domestic_abuse"),
        _one("R-VCS", "Voluntary sector grants", 0.04, "voluntary", "voluntary_grants"),
        _one("R-MGT", "Management and support", 0.06, "management", "management"),
    ),
}  # fmt: skip

# Spend per child aged 0-17 in the first year (full scale), by council.
PER_CHILD = {"stockton": 140.0, "hartlepool": 165.0, "middlesbrough": 175.0, "redcar": 150.0}

# Staff by role: the FTE each common category's spend pays for, shared out by role.
STAFF_ROLES: dict[str, tuple[tuple[str, float], ...]] = {
    "family_support": ((StaffRole.KEY_WORKER, 0.8), (StaffRole.LEAD_PRACTITIONER, 0.2)),
    "family_hubs": ((StaffRole.FAMILY_HUB, 1.0),),
    "parenting": ((StaffRole.PARENTING, 1.0),),
    "youth": ((StaffRole.YOUTH_WORKER, 1.0),),
    "school_based": ((StaffRole.SCHOOL_BASED, 1.0),),
    "domestic_abuse": ((StaffRole.DOMESTIC_ABUSE, 1.0),),
    "management": ((StaffRole.MANAGER, 0.5), (StaffRole.ADMINISTRATIVE, 0.5)),
}
STAFF_SHARE = 0.75  # of a heading's council-paid spend, on the council's own staff
COST_PER_FTE = 38_000.0  # in the first year, rising 3% a year


def financial_years(as_of: date) -> list[int]:
    """The five financial years (by their start) ending with the last complete one."""
    last = as_of.year - 1 if as_of > date(as_of.year, 3, 31) else as_of.year - 2
    return list(range(last - YEARS + 1, last + 1))


def _classification() -> tuple[Classification, dict[str, Category]]:
    classification = Classification.objects.filter(is_current=True).first()
    if classification is None:
        raise LookupError("The common classification of early help spending has no version.")
    return classification, {c.code: c for c in classification.categories.all()}


def _named(username: str, role: str, council_key: str, world: World, job_title: str) -> User:
    """A named account (not a sign-in) for a council without the demo sign-in."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            first_name=world.faker.first_name(),
            last_name=world.faker.last_name(),
            email=f"{username}@example.org",
            role=role,
            organisation=world.organisations.get(f"council:{council_key}"),
            job_title=job_title,
        )
        user.set_unusable_password()
        user.save()
    return user


def _people(world: World, key: str) -> tuple[User, User]:
    """Who submits the council's returns (its manager) and who signs them off (its
    strategic lead): the demo sign-ins, or named accounts for copies."""
    submitter = world.users.get(f"manager.{key}") or _named(
        f"{key}.performance-officer", Role.PERFORMANCE_ANALYST, key, world, "Performance officer"
    )
    lead = world.users.get(f"lead.{key}") or _named(
        f"{key}.strategic-lead", Role.STRATEGIC_LEAD, key, world, "Head of early help"
    )
    return submitter, lead


def _headings(
    world: World,
    key: str,
    council: Council,
    classification: Classification,
    categories: dict[str, Category],
    lead: User,
    first: date,
) -> list[tuple[Heading, CouncilCategory]]:
    made = []
    for heading in HEADINGS[places.base_key(key)]:
        own, _ = CouncilCategory.objects.update_or_create(
            council=council,
            code=heading.code,
            defaults={"name": heading.name, "description": heading.note},
        )
        for code, share in heading.maps_to:
            CategoryMapping.objects.update_or_create(
                classification=classification,
                council_category=own,
                category=categories[code] if code is not None else None,
                defaults={
                    "share": Decimal(share),
                    "note": heading.note,
                    "mapped_by": lead,
                    "mapped_at": world.moment(first, hour=11),
                },
            )
        made.append((heading, own))
    return made


def _pounds(value: float) -> Decimal:
    return Decimal(max(0, round(value)))


def _dates(world: World, year: int) -> tuple[date, date]:
    """When the return was submitted and signed off: a few months after the year ended,
    never after the as-of date."""
    ended = date(year + 1, 3, 31)
    latest = world.as_of - timedelta(days=1)
    submitted = min(ended + timedelta(days=world.rng.randint(50, 110)), latest)
    signed = max(submitted, min(submitted + timedelta(days=world.rng.randint(10, 40)), latest))
    return submitted, signed


@dataclass(frozen=True)
class Budget:
    """A council's first-year total (full scale), its yearly growth and the preset's scale."""

    total: float
    growth: float
    scale: float


def _amounts(
    world: World,
    spending_return: SpendingReturn,
    headings: Sequence[tuple[Heading, CouncilCategory]],
    budget: Budget,
    n: int,
) -> list[SpendAmount]:
    """The return's amounts by heading and funding source, in year ``n`` of the five."""
    amounts = []
    for heading, own in headings:
        drift = world.rng.gauss(1.0, 0.04)
        for source in SOURCE_ORDER:
            share = SOURCES[heading.sources].get(source, 0.0)
            if not share:
                continue
            # The Supporting Families grant grew faster than the councils' own money.
            rise = budget.growth + (0.03 if source == FundingSource.SUPPORTING_FAMILIES else 0.0)
            value = (
                budget.total * heading.weight * share * (1 + rise) ** n * drift
                * world.rng.gauss(1.0, 0.03) * budget.scale
            )  # fmt: skip
            amount = _pounds(value)
            if amount:
                amounts.append(
                    SpendAmount(
                        spending_return=spending_return,
                        council_category=own,
                        funding_source=source,
                        amount=amount,
                    )
                )
    return amounts


def _staff(
    spending_return: SpendingReturn,
    amounts: list[SpendAmount],
    headings: dict[str, Heading],
    n: int,
) -> list[StaffLine]:
    """Staff (FTE) by role: what the council-paid spend under each common category pays for."""
    by_category: dict[str, float] = {}
    for amount in amounts:
        if amount.funding_source in (FundingSource.HEALTH, FundingSource.VOLUNTARY_IN_KIND):
            continue
        for code, percent in headings[amount.council_category.code].maps_to:
            if code is not None:
                by_category[code] = (
                    by_category.get(code, 0.0) + float(amount.amount) * percent / 100
                )
    cost = COST_PER_FTE * 1.03**n
    fte: dict[str, float] = {}
    for code, spent in by_category.items():
        for role, part in STAFF_ROLES.get(code, ()):
            fte[role] = fte.get(role, 0.0) + spent * STAFF_SHARE * part / cost
    return [
        StaffLine(spending_return=spending_return, role=role, fte=Decimal(f"{value:.2f}"))
        for role, value in sorted(fte.items())
        if round(value, 2) > 0
    ]


def _council_returns(
    world: World,
    key: str,
    council: Council,
    headings: Sequence[tuple[Heading, CouncilCategory]],
    years: list[int],
    people: tuple[User, User],
) -> tuple[list[SpendAmount], list[StaffLine], float]:
    submitter, lead = people
    budget = Budget(
        total=council.child_population
        * PER_CHILD[places.base_key(key)]
        * world.rng.uniform(0.95, 1.05),
        growth=world.rng.uniform(0.02, 0.05),
        scale=children_represented(world, council) / council.child_population,
    )
    by_code = {heading.code: heading for heading, _ in headings}
    amounts: list[SpendAmount] = []
    staff: list[StaffLine] = []
    latest_total = 0.0
    for n, year in enumerate(years):
        if key == MISSING_EARLIEST and n == 0:
            continue
        if SpendingReturn.objects.filter(council=council, financial_year=year).exists():
            continue
        submitted, signed = _dates(world, year)
        only_submitted = key == SUBMITTED_ONLY and n == len(years) - 1
        spending_return = SpendingReturn.objects.create(
            council=council,
            financial_year=year,
            status=ReturnStatus.SUBMITTED if only_submitted else ReturnStatus.SIGNED_OFF,
            notes=f"Early help spending {financial_year_label(year)}, from the finance ledger.",
            created_by=submitter,
            created_at=world.moment(submitted - timedelta(days=14), hour=10),
            submitted_by=submitter,
            submitted_at=world.moment(submitted, hour=15),
            signed_off_by=None if only_submitted else lead,
            signed_off_at=None if only_submitted else world.moment(signed, hour=11),
        )
        made = _amounts(world, spending_return, headings, budget, n)
        amounts += made
        staff += _staff(spending_return, made, by_code, n)
        latest_total = float(sum(a.amount for a in made))
    return amounts, staff, latest_total


@step(order=920)
def spending(world: World) -> None:
    classification, categories = _classification()
    years = financial_years(world.as_of)
    first = date(years[0], 4, 1)
    amounts: list[SpendAmount] = []
    staff: list[StaffLine] = []
    for key, council in world.councils.items():
        if places.base_key(key) not in HEADINGS:
            continue
        people = _people(world, key)
        headings = _headings(world, key, council, classification, categories, people[1], first)
        made, lines, latest = _council_returns(world, key, council, headings, years, people)
        amounts += made
        staff += lines
        world.note(
            f"{council.name}: {len(headings)} headings, £{latest:,.0f} in "
            f"{financial_year_label(years[-1])}."
        )
    world.bulk_create(SpendAmount, amounts)
    world.bulk_create(StaffLine, staff)
    world.note(
        f"Returns for {financial_year_label(years[0])} to {financial_year_label(years[-1])}: "
        f"{SUBMITTED_ONLY}'s latest only submitted, {MISSING_EARLIEST}'s earliest missing."
    )
