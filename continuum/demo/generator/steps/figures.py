"""The maintained figures (issue 16, ``performance.engine.facts``), built last (order
9900) from everything the steps before wrote, so every seeded database (the demo, the
tests' worlds, the benchmark) reads its dashboards from them."""

from __future__ import annotations

from continuum.demo.generator.registry import step
from continuum.demo.generator.world import World
from continuum.performance.engine import facts


@step(order=9900)
def rebuild_figures(world: World) -> None:
    facts.rebuild()
