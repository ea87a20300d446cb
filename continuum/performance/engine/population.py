"""The denominators of rates per 10,000: children in each council by mid-year and age band."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from continuum.organisations.models import Council
from continuum.performance.models import AgeBand, ChildPopulation


class Population:
    """Children in each council by mid-year and age band (one query)."""

    def __init__(self, councils: Sequence[Council]) -> None:
        self.fallback = {c.pk: float(c.child_population) for c in councils}
        self.by_year: dict[int, dict[int, dict[str, float]]] = defaultdict(dict)
        for council_id, year, band, children in ChildPopulation.objects.filter(
            council__in=[c.pk for c in councils]
        ).values_list("council_id", "mid_year", "age_band", "children"):
            self.by_year[council_id].setdefault(year, {})[str(AgeBand(band).label)] = float(
                children
            )

    def of(self, council_id: int, year: int, band_label: str | None = None) -> float | None:
        years = self.by_year.get(council_id)
        if years:
            # The year's estimate, else the latest before it, else the earliest after it.
            earlier = [y for y in years if y <= year]
            chosen = max(earlier) if earlier else min(years)
            bands = years[chosen]
            if band_label is None:
                return sum(bands.values())
            return bands.get(band_label)
        if band_label is None:
            return self.fallback.get(council_id)
        return None
