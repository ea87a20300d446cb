"""What the demo's child populations stand for (issue 12).

The small demo preset makes its history for a slice of each council's children (2%,
``Preset.history_share``) and child population estimates to match, so rates per 10,000
children look right while counts stay small. The dashboards divide by those estimates;
``population_sample`` says how big a slice they are, so the dashboards and the home pages
can say so plainly (docs/demo-data.md).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from continuum.organisations.models import Council
from continuum.performance.engine.population import Population

# Estimates below this share of the council's own figure are a sample, not the council.
SAMPLE_BELOW = 0.5


@dataclass(frozen=True)
class CouncilSample:
    name: str
    children: int  # the estimate the dashboards divide by
    council_children: int  # the council's own approximate figure


@dataclass(frozen=True)
class PopulationSample:
    share: float
    councils: list[CouncilSample]

    @property
    def percent(self) -> str:
        return f"{self.share:.0%}" if self.share >= 0.01 else f"{self.share:.1%}"


def child_populations(year: int | None = None) -> dict[int, int]:
    """Each council's child population as the dashboards count it: the latest estimate up
    to ``year`` (this year by default), else the council's own approximate figure."""
    councils = list(Council.objects.all())
    population = Population(councils)
    when = year or timezone.localdate().year
    figures = {}
    for council in councils:
        children = population.of(council.pk, when)
        figures[council.pk] = round(children) if children is not None else 0
    return figures


def population_sample() -> PopulationSample | None:
    """In demo mode, when the estimates the dashboards divide by are a sample of the
    councils' own figures: how big a sample, and each council's two figures."""
    if not settings.CONTINUUM_DEMO:
        return None
    figures = child_populations()
    councils = [
        CouncilSample(council.name, figures[council.pk], council.child_population)
        for council in Council.objects.order_by("name")
        if council.child_population and figures.get(council.pk)
    ]
    shares = [c.children / c.council_children for c in councils]
    if not shares or max(shares) >= SAMPLE_BELOW:
        return None
    return PopulationSample(share=round(statistics.median(shares), 3), councils=councils)
