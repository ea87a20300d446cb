"""Retention and disposal (issue 13): every council's default retention schedule, one legal
hold in Stockton-on-Tees (on the first Stockton child the people step made, placed by
``ig.stockton``), and a disposal run
for Stockton listed as of the world's day, awaiting ``ig.stockton``'s approval.

Deterministic (the people step's order; no random stream) and quick: the listing reads the
council's records in a few queries. With the default schedule nothing in a five-year
history is due yet, so the run shows the review and its counts, not disposal.

Runs after the work step (order 1000).
"""

from __future__ import annotations

from django.utils import timezone

from continuum.demo.generator.registry import step
from continuum.demo.generator.world import World
from continuum.retention.services import ensure_schedule, list_run, place_legal_hold, start_run

HOLD_REASON = (
    "A claim against the council about this child's early help: the solicitors' letter "
    "of 3 March (reference LIT-0413). Keep everything until it is settled."
)


@step(order=1000)
def retention(world: World) -> None:
    for key in sorted(world.councils):
        ensure_schedule(world.councils[key])
    lead = world.users.get("ig.stockton")
    stockton = world.councils.get("stockton")
    if lead is None or stockton is None:
        return
    child = next(
        (p.person for p in world.people if p.council_key == "stockton" and p.role == "child"),
        None,
    )
    if child is not None:
        place_legal_hold(person=child, reason=HOLD_REASON, placed_by=lead)
    as_of = min(world.as_of, timezone.localdate())
    run = start_run(council=stockton, as_of=as_of, listed_by=lead, background=False)
    list_run(run_id=run.pk)
