"""Reference data for councils, read from ``data/councils.csv`` (public facts)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from continuum.organisations.models import Council

COUNCILS_CSV = Path(__file__).parent / "data" / "councils.csv"


@dataclass(frozen=True)
class CouncilFacts:
    name: str
    dfe_la_code: str
    ons_code: str
    child_population: int
    postcode_districts: tuple[str, ...]


def tees_councils() -> list[CouncilFacts]:
    with COUNCILS_CSV.open(newline="") as handle:
        return [
            CouncilFacts(
                name=row["name"],
                dfe_la_code=row["dfe_la_code"],
                ons_code=row["ons_code"],
                child_population=int(row["children_0_17_approx"]),
                postcode_districts=tuple(row["postcode_districts"].split()),
            )
            for row in csv.DictReader(handle)
        ]


def ensure_council(facts: CouncilFacts) -> Council:
    council, _ = Council.objects.update_or_create(
        dfe_la_code=facts.dfe_la_code,
        defaults={
            "name": facts.name,
            "ons_code": facts.ons_code,
            "child_population": facts.child_population,
            "postcode_districts": " ".join(facts.postcode_districts),
        },
    )
    return council
