"""Five years of history for every council (order 900): every month from ``years`` before
the as-of date has front-door contacts and decisions, police notifications and joint
triage, early help episodes from start to six-month check, step-ups and step-downs, and
each child's statutory involvement, at the volumes in ``continuum/demo/reference/
targets.csv`` per 10,000 children; and the child population estimates the rates divide by.

``months.py`` simulates each council month by month, family by family; what each
writes: ``contacts.py`` the front door's contacts and decisions, ``triage.py`` police
notifications and joint triage, ``referrals.py`` each referred child's statutory records
(their journey drawn by ``statutory.py``), ``episodes.py`` early help episodes and their
allocation, ``casework.py`` their assessment, plan, reviews and Team Around the Family,
``closures.py`` step-ups, closures and six-month checks, ``consent.py`` the families'
agreement to early help and its withdrawals, ``returns.py`` the families
coming back (and documents the built-in effect of early help), ``kin.py`` the lightweight
families; ``builder.py`` holds what has been made and ``writing.py`` writes it;
``targets.py`` reads the targets. The detailed steps' month is topped up to the target,
and their referrals get statutory records too, so the last month is coherent.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from continuum.demo.generator.registry import step
from continuum.demo.generator.steps.five_years.builder import HistoryBuilder
from continuum.demo.generator.steps.five_years.consent import consent_history
from continuum.demo.generator.steps.five_years.contacts import REFERRAL_OUTCOMES
from continuum.demo.generator.steps.five_years.months import (
    CHILDREN_ON_A_CONTACT,
    simulate_council,
)
from continuum.demo.generator.steps.five_years.programmes import local_programmes
from continuum.demo.generator.steps.five_years.referrals import write_statutory
from continuum.demo.generator.steps.five_years.statutory import referral_journey
from continuum.demo.generator.steps.five_years.targets import CouncilTargets
from continuum.demo.generator.steps.five_years.writing import save
from continuum.demo.generator.world import World
from continuum.early_help.choices import ClosureReason
from continuum.front_door.choices import Outcome
from continuum.organisations.models import Council
from continuum.performance.models import AgeBand, ChildPopulation
from continuum.ui.dates import govuk_date, govuk_month

# Shares of children aged 0-17 in each age band (England, roughly).
BAND_SHARES = {
    AgeBand.UNDER_5: 0.27,
    AgeBand.FIVE_TO_9: 0.29,
    AgeBand.TEN_TO_15: 0.33,
    AgeBand.SIXTEEN_PLUS: 0.11,
}


def base_name(council: Council) -> str:
    """The Tees council whose figures a council (or a copy of it, with --scale) takes."""
    return council.name.split(" (copy")[0]


def children_represented(world: World, council: Council) -> int:
    """The children the history stands for: the council's child population, or the
    preset's share of it (the small preset makes a small slice of each council)."""
    return max(200, round(council.child_population * world.preset.history_share))


def population(world: World) -> dict[str, int]:
    """ChildPopulation rows for each council, mid-year and age band: close to the ONS
    estimate (``Council.child_population``), drifting a little from year to year."""
    rows, latest = [], {}
    years = range(world.as_of.year - world.preset.years - 1, world.as_of.year + 1)
    for key, council in world.councils.items():
        children = children_represented(world, council)
        drift = world.rng.uniform(-0.004, 0.006)
        scaled = (
            ""
            if world.preset.history_share >= 1
            else (f" (the {world.preset.name} preset's {world.preset.history_share:.0%} slice)")
        )
        for year in years:
            total = round(children * (1 + drift * (year - world.as_of.year)))
            latest[key] = total
            for band, share in BAND_SHARES.items():
                rows.append(
                    ChildPopulation(
                        council=council,
                        mid_year=year,
                        age_band=band,
                        children=round(total * share),
                        source="Synthetic figure close to the ONS mid-year estimate for "
                        f"{council.name}{scaled}; demo data, not an official statistic.",
                    )
                )
    world.bulk_create(ChildPopulation, rows)
    return latest


@step(order=900)
def history(world: World) -> None:
    populations = population(world)
    builder = HistoryBuilder(world)
    builder.programmes = local_programmes(world)
    # What the detailed steps made each month: contacts, and children referred ("r").
    detailed: Counter[tuple[str, int, int]] = Counter()
    for c in world.contacts:
        if c.contact.submitted_at is not None:
            received = timezone.localtime(c.contact.received_at).date()
            detailed[(c.children[0].council_key, received.year, received.month)] += 1
            if c.decision is not None and c.decision.outcome in REFERRAL_OUTCOMES:
                detailed[("r:" + c.children[0].council_key, received.year, received.month)] += len(
                    c.children
                )
    advance = world.counting("councils simulated", len(world.councils))
    for key, council in world.councils.items():
        simulate_council(
            builder, key, CouncilTargets.for_area(base_name(council)), populations[key], detailed
        )
        advance(1)
    world.counting("statutory records, consent, writing", None)
    # The detailed steps' referrals: their children's statutory records.
    for c in world.contacts:
        decision = c.decision
        if (
            decision is None
            or decision.outcome not in REFERRAL_OUTCOMES
            or c.contact.decided_at is None
        ):
            continue
        key = c.children[0].council_key
        builder.targets = CouncilTargets.for_area(base_name(world.councils[key]))
        decided = timezone.localtime(c.contact.decided_at).date()
        for child in c.children:
            born = child.person.date_of_birth
            if born is not None:
                journey = referral_journey(world.rng, builder.targets, decided, born)
                write_statutory(
                    builder, key, child, journey, c.contact, c.contact.referral_source, replace=True
                )
    agreed, withdrawn = consent_history(builder)
    save(builder)
    for line in summary(world, builder, populations):
        world.note(line)
    world.note(
        f"Consent in the history: {agreed:,} families' agreement to early help for "
        f"{len(builder.episodes):,} episodes (the rest on a lawful basis, or recorded "
        f"after the start), {withdrawn:,} withdrawals."
    )


def last_31_march(as_of: date) -> date:
    day = date(as_of.year, 3, 31)
    return day if day < as_of else date(as_of.year - 1, 3, 31)


def summary(world: World, builder: HistoryBuilder, populations: dict[str, int]) -> list[str]:
    """Per council, target against generated, and the built-in effect of early help."""
    as_of = world.as_of
    census = last_31_march(as_of)
    year_ago = as_of - timedelta(days=365)
    lines = [
        f"History from {govuk_month(builder.first)}: {len(builder.made):,} contacts, "
        f"{len(builder.episodes):,} early help episodes, {len(builder.referrals):,} referrals "
        f"({builder.kin.made:,} families made for it).",
        f"Per 10,000 children: target / generated (stocks at {govuk_date(census)}; flows in the "
        "12 months to the as-of date).",
    ]
    starts: dict[tuple[str, object], list[date]] = defaultdict(list)
    for key, child, journey, _ in builder.referrals:
        starts[(key, child.person.pk)].append(journey.start)
    for key, council in world.councils.items():
        t = CouncilTargets.for_area(base_name(council))
        per = populations[key] / 10_000
        mine = [r for r in builder.referrals if r[0] == key]

        def open_on(kind: str, mine: list[Any] = mine) -> int:
            children = set()
            for _, child, journey, _ in mine:
                if kind == "referral":
                    spans = [(journey.start, journey.end)]
                else:
                    spans = [(p.start, p.end) for p in journey.parts if p.kind == kind]
                for start, end in spans:
                    if start <= census and (end is None or end > census):
                        children.add(child.person.pk)
            return len(children)

        recent = [(child, j) for _, child, j, _ in mine if year_ago <= j.start < as_of]
        again = sum(
            any(0 < (j.start - s).days <= 365 for s in starts[(key, child.person.pk)])
            for child, j in recent
        )
        contacts = sum(  # the detailed steps' and the history's
            1
            for c in world.contacts
            if c.children[0].council_key == key
            and c.contact.submitted_at is not None
            and timezone.localtime(c.contact.received_at).date() >= year_ago
        ) + sum(
            1
            for m in builder.made
            if m.kin.key == key
            and m.kind != "untriaged"
            and timezone.localtime(m.contact.received_at).date() >= year_ago
        )
        episodes = sum(
            1 for k, e, _, _ in builder.episodes if k == key and e.start_date >= year_ago
        )
        lines.append(
            f"  {council.name}: children in need {t.cin:.0f} / {open_on('referral') / per:.0f}; "
            f"child protection {t.cp:.0f} / {open_on('cp_plan') / per:.0f}; looked after "
            f"{t.lac:.0f} / {open_on('looked_after') / per:.0f}; referrals {t.referrals:.0f} / "
            f"{len(recent) / per:.0f}; re-referrals {t.re_referral_pct:.0f}% / "
            f"{again / max(1, len(recent)):.0%}; contacts "
            f"{t.referrals * t.contacts_per_referral / CHILDREN_ON_A_CONTACT:.0f} / "
            f"{contacts / per:.0f}; early help episodes started {episodes / per:.0f}."
        )
        back_met, referred_met, n_met = effect(builder, key, "met")
        back_nfa, referred_nfa, n_nfa = effect(builder, key, "nfa")
        lines.append(
            f"    Within 12 months: back at the front door {back_met:.0%} after early help closed "
            f"with needs met (n={n_met}) vs {back_nfa:.0%} after no further action (n={n_nfa}); "
            f"referred to social care {referred_met:.0%} vs {referred_nfa:.0%} "
            f"(effect built in: {t.early_help_effect:.2f})."
        )
    return lines


def effect(builder: HistoryBuilder, key: str, after: str) -> tuple[float, float, int]:
    """(share back at the front door, share referred, how many) within 12 months of early
    help closing with needs met (``met``) or of a no-further-action decision (``nfa``),
    counting only those with 12 months behind them."""
    last = builder.as_of - timedelta(days=365)
    by_household: dict[object, list[tuple[date, bool]]] = defaultdict(list)
    starts: list[tuple[object, date]] = []
    for m in builder.made:
        if m.kin.key != key or m.kind == "untriaged":
            continue
        received = timezone.localtime(m.contact.received_at).date()
        by_household[m.kin.household.pk].append((received, m.outcome in REFERRAL_OUTCOMES))
        if (
            after == "nfa"
            and m.outcome == Outcome.NO_FURTHER_ACTION
            and m.decided_on
            and m.decided_on < last
        ):
            starts.append((m.kin.household.pk, m.decided_on))
    if after == "met":
        starts = [
            (e.household_id, closed)
            for k, e, reason, closed in builder.episodes
            if k == key
            and reason == ClosureReason.NEEDS_MET
            and closed is not None
            and closed < last
        ]
    back = referred = 0
    for household, day in starts:
        later = [(d, r) for d, r in by_household[household] if day < d <= day + timedelta(days=365)]
        back += bool(later)
        referred += any(r for _, r in later)
    n = max(1, len(starts))
    return back / n, referred / n, len(starts)
