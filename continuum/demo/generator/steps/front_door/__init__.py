"""The front door: a month of contacts and police domestic-abuse notifications for each
council, with joint triage, and earlier contacts going back 20 months.

Every record is one the front door's services would have written, with the times it
happened (counted back from the as-of date) rather than the clock:

- consent is complete on every submitted contact (agreed, or a lawful basis, a reason and
  a justification); a few drafts are still without it;
- each decision's indicators come from the current threshold framework, its suggested
  level is worked out by ``thresholds.rules.suggest_level`` and a level that differs from
  the suggestion says why; the outcome fits the level (``OUTCOME_LEVELS``); no further
  action on a contact with a level 3 or 4 indicator is signed off by a team manager;
- each transition has its status-change row; ``is_repeat`` is true exactly when a child
  had a submitted contact in the 12 months before; the referrer's involvement, the
  children's chronology, the triage outcome's contact and the MARAC rule follow the
  services.

Sources come in DfE Children in Need census proportions (police and schools the largest);
about a fifth of decisions are no further action. Most contacts are decided within one
working day; some are decided late, and a few are still open past their due date.
"""

from __future__ import annotations

from collections import Counter

from continuum.demo.generator.registry import step
from continuum.demo.generator.steps.front_door.figures import SOURCE_GROUPS
from continuum.demo.generator.steps.front_door.planning import FrontDoorPlanner
from continuum.demo.generator.steps.front_door.records import Planned, local
from continuum.demo.generator.steps.front_door.writing import FrontDoorWriter
from continuum.demo.generator.world import DemoContact, World
from continuum.front_door.choices import DashRisk, Outcome
from continuum.timescales.working_days import triage_due_date
from continuum.ui.dates import govuk_date


@step(order=700)
def contacts(world: World) -> None:
    planner = FrontDoorPlanner(world)
    planner.plan()
    FrontDoorWriter(world, planner).write()
    for p in planner.contacts:
        assert p.row is not None
        world.contacts.append(
            DemoContact(
                contact=p.row,
                children=p.children,
                household=p.family.household,
                decision=p.decision,
            )
        )
    for line in summary(world, planner):
        world.note(line)


def summary(world: World, planner: FrontDoorPlanner) -> list[str]:
    """The month's figures, as the front-door summary would count them on the as-of date."""
    as_of = world.as_of
    month = [p for p in planner.contacts if not p.earlier and not p.draft]
    drafts = sum(p.draft for p in planner.contacts)
    earlier = sum(p.earlier for p in planner.contacts)

    def figures(contacts: list[Planned]) -> tuple[int, int, int, int, int, int]:
        rows = [p.row for p in contacts if p.row is not None]
        decided = [p for p in contacts if p.decided_at is not None]
        nfa = sum(p.outcome == Outcome.NO_FURTHER_ACTION for p in decided)
        late = sum(r.is_overdue(as_of) for r in rows if r.decided_at is not None)
        still_open = sum(r.is_overdue(as_of) for r in rows if r.decided_at is None)
        repeats = sum(p.is_repeat for p in contacts)
        return len(decided), nfa, late, still_open, repeats, len(contacts) - len(decided)

    decided, nfa, late, still_open, repeats, waiting = figures(month)
    groups = Counter(SOURCE_GROUPS[p.source] for p in month)
    shares = ", ".join(f"{group} {n / len(month):.0%}" for group, n in groups.most_common())
    notifications = planner.notifications
    high = sum(n.risk == DashRisk.HIGH for n in notifications)
    awaiting = [n for n in notifications if n.triaged_at is None]
    overdue = sum(
        (local(n.triaged_at).date() if n.triaged_at else as_of)
        > triage_due_date(local(n.received_at).date())
        for n in notifications
    )
    lines = [
        f"Contacts received {govuk_date(planner.month_start)} to {govuk_date(as_of)}: {len(month)} "
        f"submitted ({drafts} more still drafts); {earlier} earlier contacts over the 20 "
        "months before.",
        f"Sources: {shares}.",
        f"Decided: {decided}, no further action {nfa / max(decided, 1):.0%}; still open "
        f"{waiting}; overdue {late + still_open} ({late} decided late, {still_open} open past "
        f"their due date); repeats {repeats}.",
        f"Domestic-abuse notifications: {len(notifications)} ({high} high risk), "
        f"{len(planner.meetings)} joint triage meetings; {len(awaiting)} awaiting triage; "
        f"{overdue} triaged late or overdue.",
    ]
    for key, council in world.councils.items():
        d, n, lt, so, r, w = figures([p for p in month if p.key == key])
        count = sum(p.key == key for p in month)
        lines.append(
            f"  {council.name}: {count} contacts, {d} decided ({n} no further action), "
            f"{w} open, {lt + so} overdue, {r} repeats."
        )
    return lines
