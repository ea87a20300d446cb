"""How much of what the demo front door receives: referral sources in DfE Children in Need
census proportions, outcomes, DASH risk levels and the indicators each kind of referrer
tends to describe. Plain data and two small helpers to share numbers out."""

from __future__ import annotations

from datetime import time

from continuum.front_door.choices import (
    DashRisk,
    Outcome,
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
EARLIER_DAYS = (MONTH_DAYS + 1, 620)  # with a longer period (Preset.front_door_days), after it
# A period longer than a month keeps this share of its contacts in its last RECENT_DAYS
# days, so the front door's queue is as current as a month's would be.
RECENT_DAYS = 10
RECENT_SHARE = 0.15
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
TRUSTS = {
    "hartlepool": "nhs:north-tees",
    "stockton": "nhs:north-tees",
    "middlesbrough": "nhs:south-tees",
    "redcar": "nhs:south-tees",
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
