"""The maintained figures (issue 16, ``performance.engine.facts``), built last (order
9900) from everything the steps before wrote, so every seeded database (the demo, the
tests' worlds, the benchmark) reads its dashboards from them."""

from __future__ import annotations

from django.db import connection

from continuum.demo.generator.registry import step
from continuum.demo.generator.world import World
from continuum.performance.engine import facts


@step(order=9900)
def rebuild_figures(world: World) -> None:
    # The tables were all written in this transaction: PostgreSQL's planner has no
    # statistics for them yet (autovacuum has not seen them), and without any it plans the
    # engine's grouped reads as nested loops over hundreds of thousands of rows (a read of
    # closures on the tees preset ran for over 15 minutes instead of seconds). ANALYZE may
    # run inside a transaction and sees its rows.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    facts.rebuild()
