"""The figures the five years of history are calibrated to, read from
``continuum/demo/reference/targets.csv`` (each with its source, or marked an assumption
with the reasoning), and what follows from them for one council.

Rates are per 10,000 children of the council's child population (the ONS-like estimate,
``Council.child_population``), never per person the generator happens to make.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TARGETS_CSV = Path(__file__).resolve().parents[3] / "reference" / "targets.csv"

# Highest outcome of a referral (England 2017, published-rates.csv): no further action,
# assessed and not in need, child in need, section 47 without conference, conference
# without a plan. The remaining 11.9% is shared between child protection plans and care
# in the proportions the council's CP and LAC targets need.
OUTCOME_KEYS = ("nfa", "not_in_need", "child_in_need", "section_47", "icpc")
# Mean years each highest outcome keeps a referral open (the journeys in statutory.py).
# CP: the plan (about 0.8 years) and, for most, a child in need plan after it.
MEAN_YEARS = {"nfa": 0.015, "not_in_need": 0.11, "section_47": 0.35, "cp": 1.15}
# Mean years looked after: a mix of short stays, a few years and care until 18, cut short
# at the 18th birthday for the older children.
LAC_MEAN_YEARS = 2.05
CP_PLAN_MEAN_YEARS = 0.8


@dataclass(frozen=True)
class Target:
    area: str
    measure: str
    value: float
    unit: str
    basis: str
    source: str
    note: str


@cache
def load() -> tuple[Target, ...]:
    with TARGETS_CSV.open(newline="", encoding="utf-8") as f:
        return tuple(
            Target(
                area=row["council"],
                measure=row["measure"],
                value=float(row["value"]),
                unit=row["unit"],
                basis=row["basis"],
                source=row["source"],
                note=row["note"],
            )
            for row in csv.DictReader(f)
        )


def value(measure: str, area: str) -> float:
    """The target for ``area`` (a Tees council's name), else the one for all councils."""
    found = {t.area: t.value for t in load() if t.measure == measure}
    for candidate in (area, "All"):
        if candidate in found:
            return found[candidate]
    raise LookupError(f"No target {measure!r} for {area} in {TARGETS_CSV.name}.")


@dataclass(frozen=True)
class CouncilTargets:
    """One council's targets and the journey parameters that hit them."""

    area: str  # the Tees council whose figures these are
    referrals: float  # per 10,000 children a year
    cin: float  # per 10,000 at 31 March
    cp: float
    lac: float
    re_referral_pct: float
    contacts_per_referral: float
    notifications: float  # per 10,000 a year
    early_help_effect: float
    # Shares of referrals by highest outcome, adding up to 1, and the child in need plan's
    # mean length in years that brings the children in need count to its target.
    shares: dict[str, float]
    cin_plan_years: float

    @classmethod
    def for_area(cls, area: str) -> CouncilTargets:
        referrals = value("referrals_per_10k", area)
        cin, cp, lac = (value(m, area) for m in ("cin_per_10k", "cp_per_10k", "lac_per_10k"))
        published = {k: value(f"referral_outcome_{k}_pct", area) / 100 for k in OUTCOME_KEYS}
        # Stock = flow x mean length: the shares of referrals that become plans and care.
        lac_share = lac / (referrals * LAC_MEAN_YEARS)
        cp_share = max(0.0, cp / (referrals * CP_PLAN_MEAN_YEARS) - 0.25 * lac_share)
        rest = 1.0 - lac_share - cp_share
        scale = rest / sum(published.values())
        shares = {k: v * scale for k, v in published.items()}
        shares["cp"], shares["lac"] = cp_share, lac_share
        # Half of section 47s and every conference without a plan go on to a CIN plan.
        known = sum(shares[k] * MEAN_YEARS[k] for k in ("nfa", "not_in_need", "section_47"))
        known += shares["cp"] * MEAN_YEARS["cp"] + shares["lac"] * (LAC_MEAN_YEARS + 0.1)
        plan_weight = shares["child_in_need"] + 0.5 * shares["section_47"] + shares["icpc"]
        cin_plan_years = (cin / referrals - known) / plan_weight + 0.1
        return cls(
            area=area,
            referrals=referrals,
            cin=cin,
            cp=cp,
            lac=lac,
            re_referral_pct=value("re_referral_pct", area),
            contacts_per_referral=value("contacts_per_referral", area),
            notifications=value("notifications_per_10k", area),
            early_help_effect=value("early_help_effect", area),
            shares=shares,
            cin_plan_years=min(2.5, max(0.3, cin_plan_years)),
        )
